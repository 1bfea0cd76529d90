using System.Net.Http.Headers;
using System.Text;
using System.Text.Json;
using Microsoft.AspNetCore.Builder;
using Microsoft.AspNetCore.Hosting;
using Microsoft.AspNetCore.Http;
using Microsoft.AspNetCore.Routing;
using Microsoft.AspNetCore.TestHost;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Logging;
using Microsoft.Extensions.Time.Testing;
using RxInfer.Auth;
using RxInfer.Models;

namespace RxInfer.Hosting.AspNetCore.Tests;

/// <summary>How a test host is set up.</summary>
internal sealed class TestAppOptions
{
    public required Action<RxInferAuthBuilder> Provider { get; init; }

    public bool DevelopmentToken { get; init; } = true;

    public bool AllowAnonymousTokens { get; init; } = true;

    public long? MaxRequestBodySize { get; init; }

    public Action<IServiceCollection>? Services { get; init; }

    /// <summary>Maps more endpoints after the API (revocation, introspection, API keys).</summary>
    public Action<WebApplication>? Map { get; init; }

    /// <summary>Also load the sample host's protocol test models (TestModelLearningCall, ...) with their runtimes.</summary>
    public bool TestModels { get; init; }

    public Action<RxInferModelsOptions>? Models { get; init; }
}

/// <summary>A host on the ASP.NET test server: the adapter under <c>/v1</c>, the sample's models, fake time, and two host endpoints.</summary>
internal sealed class TestApp : IAsyncDisposable
{
    private readonly WebApplication _app;

    private TestApp(WebApplication app, FakeTimeProvider time)
    {
        _app = app;
        Time = time;
        Client = app.GetTestClient();
    }

    public HttpClient Client { get; }

    public FakeTimeProvider Time { get; }

    public IServiceProvider Services => _app.Services;

    /// <summary>The sample host's model folder, copied next to the tests.</summary>
    public static string ModelsFolder => Path.Combine(AppContext.BaseDirectory, "models");

    public static async Task<TestApp> StartAsync(TestAppOptions options)
    {
        var builder = WebApplication.CreateBuilder();
        builder.WebHost.UseTestServer();
        builder.Logging.ClearProviders();
        var time = TestClock.NewTimeProvider();
        builder.Services.AddSingleton<TimeProvider>(time);

        var auth = builder.Services.AddRxInferAuth(o => o.AllowAnonymousTokens = options.AllowAnonymousTokens);
        options.Provider(auth);
        if (options.DevelopmentToken)
        {
            auth.AddDevelopmentToken();
        }

        auth.AddCredentialValidator<TestCredentials>();
        builder.Services.AddRxInferAuthentication();
        builder.Services.AddRxInferEndpoints(o =>
        {
            if (options.MaxRequestBodySize is { } limit)
            {
                o.MaxRequestBodySize = limit;
            }
        });
        var models = builder.Services.AddRxInferModels(o =>
        {
            o.Locations = [ModelsFolder];
            options.Models?.Invoke(o);
        });
        if (options.TestModels)
        {
            RxInfer.Server.TestModels.TestModelsRegistration.Add(models);
        }

        options.Services?.Invoke(builder.Services);

        var app = builder.Build();
        app.UseExceptionHandler();
        app.UseStatusCodePages();
        app.UseAuthentication();
        app.UseAuthorization();
        app.UseRateLimiter();
        app.MapGroup("/v1").MapRxInfer();
        options.Map?.Invoke(app);
        app.MapGet("/host/admin", static () => TypedResults.Ok(new { ok = true }))
            .RequireAuthorization(policy => policy.RequireRole("admin"));
        app.MapGet("/host/me", static (System.Security.Claims.ClaimsPrincipal user) => TypedResults.Ok(new
        {
            name = user.Identity?.Name,
            sub = user.FindFirst(RxInferClaimTypes.Subject)?.Value,
            jti = user.FindFirst(RxInferClaimTypes.TokenId)?.Value,
            roles = user.FindAll(RxInferClaimTypes.Role).Select(static c => c.Value).ToArray(),
            isAdmin = user.IsInRole("admin"),
        })).RequireAuthorization();
        app.MapGet("/host/bad", static string () => throw new BadHttpRequestException("The thing could not be read.", StatusCodes.Status413PayloadTooLarge));
        app.MapGet("/host/number/{n:int}", static (int n) => n);
        app.MapGet("/host/unavailable", static string () => throw new RxInfer.Auth.ServiceUnavailableException(
            "The store is unreachable", TimeSpan.FromSeconds(2.2), new InvalidOperationException("connection refused to secret-host")));
        await app.StartAsync();
        return new TestApp(app, time);
    }

    public async ValueTask DisposeAsync()
    {
        Client.Dispose();
        await _app.DisposeAsync();
    }

    public static HttpRequestMessage Request(HttpMethod method, string path, string? token = null, string? json = null)
    {
        var request = new HttpRequestMessage(method, path);
        if (token is not null)
        {
            request.Headers.Authorization = new AuthenticationHeaderValue("Bearer", token);
        }

        if (json is not null)
        {
            request.Content = new StringContent(json, Encoding.UTF8, "application/json");
        }

        return request;
    }

    public async Task<HttpResponseMessage> SendAsync(HttpMethod method, string path, string? token = null, string? json = null)
    {
        using var request = Request(method, path, token, json);
        return await Client.SendAsync(request);
    }

    public async Task<string> GenerateTokenAsync()
    {
        using var response = await SendAsync(HttpMethod.Post, "/v1/token/generate");
        Assert.Equal(System.Net.HttpStatusCode.OK, response.StatusCode);
        return (await Json.ReadAsync(response)).GetProperty("token").GetString()!;
    }

    public async Task<Guid> CreateInstanceAsync(string token, string json)
    {
        using var response = await SendAsync(HttpMethod.Post, "/v1/models/create-instance", token, json);
        var body = await Json.ReadAsync(response);
        Assert.True(response.StatusCode == System.Net.HttpStatusCode.OK, body.ToString());
        return Guid.Parse(body.GetProperty("instance_id").GetString()!);
    }
}

/// <summary>Accepts <c>alice:wonderland</c> as subject <c>user-alice</c> with roles <c>["user","admin"]</c>.</summary>
internal sealed class TestCredentials : ICredentialValidator
{
    public ValueTask<TokenSubject?> ValidateAsync(string userName, string password, CancellationToken cancellationToken = default) =>
        new(userName == "alice" && password == "wonderland" ? new TokenSubject("user-alice", ["user", "admin"]) : null);
}

internal static class Json
{
    public static async Task<JsonElement> ReadAsync(HttpResponseMessage response)
    {
        var text = await response.Content.ReadAsStringAsync();
        using var document = JsonDocument.Parse(text);
        return document.RootElement.Clone();
    }

    public static JsonElement Parse(string json)
    {
        using var document = JsonDocument.Parse(json);
        return document.RootElement.Clone();
    }

    /// <summary>Structural equality of two JSON values (object property order ignored).</summary>
    public static void Equal(string expected, JsonElement actual) =>
        Assert.True(JsonElement.DeepEquals(Parse(expected), actual), $"expected {expected}\nactual   {actual}");
}
