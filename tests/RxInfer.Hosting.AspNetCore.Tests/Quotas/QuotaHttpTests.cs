using System.Net;
using System.Net.Http.Headers;
using Microsoft.Extensions.DependencyInjection;
using RxInfer.Auth;
using RxInfer.Models;

namespace RxInfer.Hosting.AspNetCore.Tests;

/// <summary>Quotas, capacities and retention over HTTP: the status, the contract body, and that nothing was stored.</summary>
public sealed class QuotaHttpTests
{
    private const string CoinToss = """{"model_name":"coin-toss-v1"}""";

    private static Task<TestApp> StartAsync(Action<IServiceCollection> services) =>
        TestApp.StartAsync(new TestAppOptions { Provider = static auth => auth.AddOpaqueTokens(), Services = services });

    private static async Task AssertErrorAsync(HttpResponseMessage response, HttpStatusCode status, string body)
    {
        Assert.Equal(status, response.StatusCode);
        Assert.Equal("application/json", response.Content.Headers.ContentType?.MediaType);
        Json.Equal(body, await Json.ReadAsync(response));
    }

    private static async Task<int> CountAsync(TestApp app, string token)
    {
        using var response = await app.SendAsync(HttpMethod.Get, "/v1/models/instances", token);
        Assert.Equal(HttpStatusCode.OK, response.StatusCode);
        return (await Json.ReadAsync(response)).GetArrayLength();
    }

    /// <summary>Create-instance arguments of coin-toss-v1 whose merged JSON is 44 + <paramref name="letters"/> bytes (state the same).</summary>
    private static string CoinTossWith(int letters) => $$$"""{"model_name":"coin-toss-v1","arguments":{"x":"{{{new string('a', letters)}}}"}}""";

    [Fact]
    public async Task The_instance_after_the_subject_limit_is_400_and_the_list_shows_the_limit()
    {
        await using var app = await StartAsync(static s => s.Configure<RxInferModelsOptions>(o => o.MaxInstancesPerSubject = 2));
        var token = await app.GenerateTokenAsync();
        await app.CreateInstanceAsync(token, CoinToss);
        await app.CreateInstanceAsync(token, CoinToss);

        using var refused = await app.SendAsync(HttpMethod.Post, "/v1/models/create-instance", token, CoinToss);

        await AssertErrorAsync(refused, HttpStatusCode.BadRequest,
            """{"error":"Bad Request","message":"model instance limit reached: a token's owner may keep at most 2 model instances, delete one to create another"}""");
        Assert.Equal(2, await CountAsync(app, token));
        await app.CreateInstanceAsync(await app.GenerateTokenAsync(), CoinToss); // another subject is not affected
    }

    [Fact]
    public async Task Arguments_and_state_at_the_size_limit_are_stored_and_over_it_are_400_with_nothing_stored()
    {
        // 2 * (44 + 456) = 1000 bytes: at the limit; 457 letters make 1002.
        await using var app = await StartAsync(static s => s.Configure<RxInferModelsOptions>(o => o.MaxInstanceSize = 1000));
        var token = await app.GenerateTokenAsync();
        await app.CreateInstanceAsync(token, CoinTossWith(456));

        using var refused = await app.SendAsync(HttpMethod.Post, "/v1/models/create-instance", token, CoinTossWith(457));

        await AssertErrorAsync(refused, HttpStatusCode.BadRequest,
            """{"error":"Bad Request","message":"model instance is too large: its arguments and state take 1002 bytes of JSON, more than the limit of 1000 bytes"}""");
        Assert.Equal(1, await CountAsync(app, token));
    }

    [Fact]
    public async Task Inference_whose_new_state_passes_the_size_limit_is_400_and_stores_neither_state_nor_event()
    {
        // Arguments {} (2 bytes) + state {"last":DATA} (9 + DATA bytes), DATA = {"x":"aaa..."} (8 + letters bytes):
        // 981 letters make exactly 1000 bytes, 982 make 1001.
        await using var app = await StartAsync(static s =>
        {
            s.Configure<RxInferModelsOptions>(o => o.MaxInstanceSize = 1000);
            s.AddRxInferModels().AddModel(ModelDefinition.Create("Remember-v1", "keeps the last data in its state", "tests", ["user"]))
                .AddModelRuntime("Remember-v1", new RememberLastDataRuntime());
        });
        var token = await app.GenerateTokenAsync();
        var id = await app.CreateInstanceAsync(token, """{"model_name":"Remember-v1"}""");
        string Data(int letters) => $$$"""{"data":{"x":"{{{new string('a', letters)}}}"}}""";

        using var fits = await app.SendAsync(HttpMethod.Post, $"/v1/models/i/{id}/infer", token, Data(981));
        Assert.Equal(HttpStatusCode.OK, fits.StatusCode);
        using var refused = await app.SendAsync(HttpMethod.Post, $"/v1/models/i/{id}/infer", token, Data(982));

        await AssertErrorAsync(refused, HttpStatusCode.BadRequest,
            """{"error":"Bad Request","message":"model instance would be too large after inference: its arguments and new state take 1001 bytes of JSON, more than the limit of 1000 bytes; nothing was stored"}""");
        using var state = await app.SendAsync(HttpMethod.Get, $"/v1/models/i/{id}/state", token);
        Assert.Equal(981, (await Json.ReadAsync(state)).GetProperty("state").GetProperty("last").GetProperty("x").GetString()!.Length);
        using var episode = await app.SendAsync(HttpMethod.Get, $"/v1/models/i/{id}/episodes/default", token);
        Assert.Equal(1, (await Json.ReadAsync(episode)).GetProperty("events").GetArrayLength()); // the first inference's event only
    }

    [Fact]
    public async Task A_full_instance_store_is_503_with_Retry_After_and_stores_nothing()
    {
        await using var app = await StartAsync(static s => s.Configure<RxInferModelsOptions>(o => o.MaxInstances = 1));
        await app.CreateInstanceAsync(await app.GenerateTokenAsync(), CoinToss);
        var second = await app.GenerateTokenAsync();

        using var refused = await app.SendAsync(HttpMethod.Post, "/v1/models/create-instance", second, CoinToss);

        await AssertErrorAsync(refused, HttpStatusCode.ServiceUnavailable,
            """{"error":"Service Unavailable","message":"The server cannot store more model instances now, try again later"}""");
        Assert.Equal(TimeSpan.FromSeconds(60), refused.Headers.RetryAfter?.Delta);
        Assert.Equal(0, await CountAsync(app, second));
    }

    [Fact]
    public async Task A_full_token_store_is_503_with_Retry_After_for_anonymous_and_credential_requests()
    {
        await using var app = await StartAsync(static s => s.Configure<OpaqueTokenOptions>(o => o.MaxTokens = 2));
        var first = await app.GenerateTokenAsync();
        await app.GenerateTokenAsync();

        using var anonymous = await app.SendAsync(HttpMethod.Post, "/v1/token/generate");
        using var basic = new HttpRequestMessage(HttpMethod.Post, "/v1/token/generate")
        {
            Headers = { Authorization = new AuthenticationHeaderValue("Basic", Convert.ToBase64String("alice:wonderland"u8)) },
        };
        using var credentials = await app.Client.SendAsync(basic);
        using var existing = await app.SendAsync(HttpMethod.Post, "/v1/token/generate", first);

        const string Full = """{"error":"Service Unavailable","message":"The server cannot issue more tokens now, try again later"}""";
        await AssertErrorAsync(anonymous, HttpStatusCode.ServiceUnavailable, Full);
        Assert.Equal(TimeSpan.FromSeconds(60), anonymous.Headers.RetryAfter?.Delta);
        await AssertErrorAsync(credentials, HttpStatusCode.ServiceUnavailable, Full);
        Assert.Equal(HttpStatusCode.OK, existing.StatusCode); // a token presented again is returned, not stored again
        using var roles = await app.SendAsync(HttpMethod.Get, "/v1/token/roles", first);
        Assert.Equal(HttpStatusCode.OK, roles.StatusCode);
    }

    [Fact]
    public async Task Instances_outlive_their_token_by_the_retention_and_are_swept_one_tick_later()
    {
        await using var app = await StartAsync(static s => s.Configure<RxInferModelsOptions>(o => o.RetentionSweepInterval = TimeSpan.FromTicks(1)));
        var store = app.Services.GetRequiredService<IModelInstanceStore>();
        var tokenExpiry = app.Time.GetUtcNow() + new RxInferAuthOptions().AccessTokenLifetime; // the opaque token's lifetime
        var token = await app.GenerateTokenAsync();
        var id = await app.CreateInstanceAsync(token, CoinToss);
        var subject = (await Json.ReadAsync(await app.SendAsync(HttpMethod.Get, "/host/me", token))).GetProperty("sub").GetString()!;

        async Task SweepAsync()
        {
            using var response = await app.SendAsync(HttpMethod.Get, "/v1/models/instances", "dev-token"); // any instance operation
            Assert.Equal(HttpStatusCode.OK, response.StatusCode);
        }

        app.Time.SetUtcNow(tokenExpiry + TimeSpan.FromDays(30));
        await SweepAsync();
        Assert.NotNull(await store.GetAsync(subject, id));

        app.Time.Advance(TimeSpan.FromTicks(1));
        await SweepAsync();
        Assert.Null(await store.GetAsync(subject, id));
    }

    [Fact]
    public async Task The_development_tokens_instances_are_kept_for_ever()
    {
        await using var app = await StartAsync(static s => s.Configure<RxInferModelsOptions>(o => o.RetentionSweepInterval = TimeSpan.FromTicks(1)));
        var id = await app.CreateInstanceAsync("dev-token", CoinToss);

        app.Time.Advance(TimeSpan.FromDays(3650));
        using var response = await app.SendAsync(HttpMethod.Get, "/v1/models/instances", await app.GenerateTokenAsync()); // starts a sweep

        Assert.Equal(HttpStatusCode.OK, response.StatusCode);
        Assert.NotNull(await app.Services.GetRequiredService<IModelInstanceStore>().GetAsync("dev-token", id));
    }

    /// <summary>State <c>{"last": data}</c> after each inference; initial state and parameters <c>{}</c>.</summary>
    private sealed class RememberLastDataRuntime : IModelRuntime
    {
        public ValueTask<System.Text.Json.JsonElement> CreateInitialStateAsync(ModelDefinition model, System.Text.Json.JsonElement arguments, CancellationToken cancellationToken) =>
            ValueTask.FromResult(Json.Parse("{}"));

        public ValueTask<System.Text.Json.JsonElement> CreateInitialParametersAsync(ModelDefinition model, System.Text.Json.JsonElement arguments, CancellationToken cancellationToken) =>
            ValueTask.FromResult(Json.Parse("{}"));

        public ValueTask<ModelInferenceResult> InferAsync(ModelInferenceRequest request, CancellationToken cancellationToken) =>
            ValueTask.FromResult(new ModelInferenceResult(request.Data, System.Text.Json.JsonSerializer.SerializeToElement(new { last = request.Data })));

        public ValueTask<ModelLearningResult> LearnAsync(ModelLearningRequest request, CancellationToken cancellationToken) =>
            ValueTask.FromResult(new ModelLearningResult(request.Parameters, request.State, request.Parameters));
    }
}
