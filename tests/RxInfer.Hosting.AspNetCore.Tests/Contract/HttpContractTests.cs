using System.Net;
using System.Net.Http.Headers;
using System.Text;
using System.Text.Json;
using Microsoft.Extensions.DependencyInjection;
using RxInfer.Auth;

namespace RxInfer.Hosting.AspNetCore.Tests;

/// <summary>
/// Every operation and status of docs/protocol.md (Part 1) over HTTP, with exact bodies and headers. Written once and run
/// for each token provider: a subclass supplies the provider.
/// </summary>
public abstract class HttpContractTests
{
    internal const string Unauthorized = """{"error":"Unauthorized","message":"The request requires authentication, generate a token using the /token/generate endpoint or use the development token `dev-token`"}""";
    internal const string UnauthorizedWithoutDevToken = """{"error":"Unauthorized","message":"The request requires authentication, generate a token using the /token/generate endpoint"}""";
    internal const string InstanceNotFound = """{"error":"Not Found","message":"The requested model instance could not be found"}""";

    /// <summary>Chooses the token provider under test.</summary>
    protected abstract void ConfigureProvider(RxInferAuthBuilder auth);

    private Task<TestApp> StartAsync(bool developmentToken = true, bool allowAnonymous = true, long? maxBody = null) =>
        TestApp.StartAsync(new TestAppOptions
        {
            Provider = ConfigureProvider,
            DevelopmentToken = developmentToken,
            AllowAnonymousTokens = allowAnonymous,
            MaxRequestBodySize = maxBody,
        });

    private static string ModelNotFound(string name) =>
        JsonSerializer.Serialize(new { error = "Not Found", message = $"The requested model name `{name}` could not be found" });

    private static async Task AssertErrorAsync(HttpResponseMessage response, HttpStatusCode status, string expectedBody)
    {
        Assert.Equal(status, response.StatusCode);
        Assert.Equal("application/json", response.Content.Headers.ContentType?.MediaType);
        Json.Equal(expectedBody, await Json.ReadAsync(response));
    }

    private static async Task AssertBadRequestAsync(HttpResponseMessage response, string message) =>
        await AssertErrorAsync(response, HttpStatusCode.BadRequest, JsonSerializer.Serialize(new { error = "Bad Request", message }));

    private static async Task AssertNoTokenAsync(HttpResponseMessage response, string body = Unauthorized)
    {
        await AssertErrorAsync(response, HttpStatusCode.Unauthorized, body);
        Assert.Equal("Bearer", Assert.Single(response.Headers.WwwAuthenticate).ToString());
    }

    private static async Task AssertRejectedTokenAsync(HttpResponseMessage response, string description, string? token = null)
    {
        await AssertErrorAsync(response, HttpStatusCode.Unauthorized, Unauthorized);
        var challenge = Assert.Single(response.Headers.WwwAuthenticate).ToString();
        Assert.Equal($"Bearer error=\"invalid_token\", error_description=\"{description}\"", challenge);
        if (token is not null)
        {
            Assert.DoesNotContain(token, challenge, StringComparison.Ordinal);
        }
    }

    private static async Task<string[]> RolesAsync(TestApp app, string token)
    {
        using var response = await app.SendAsync(HttpMethod.Get, "/v1/token/roles", token);
        Assert.Equal(HttpStatusCode.OK, response.StatusCode);
        var body = await Json.ReadAsync(response);
        Assert.Equal(["roles"], body.EnumerateObject().Select(p => p.Name));
        return [.. body.GetProperty("roles").EnumerateArray().Select(r => r.GetString()!)];
    }

    // ---- POST /token/generate -------------------------------------------------------------------------------

    [Fact]
    public async Task Generate_with_nothing_issues_a_token_with_the_default_role()
    {
        await using var app = await StartAsync();
        using var response = await app.SendAsync(HttpMethod.Post, "/v1/token/generate");

        Assert.Equal(HttpStatusCode.OK, response.StatusCode);
        Assert.Equal("application/json", response.Content.Headers.ContentType?.MediaType);
        var body = await Json.ReadAsync(response);
        Assert.Equal(["token"], body.EnumerateObject().Select(p => p.Name));
        Assert.Equal(["user"], await RolesAsync(app, body.GetProperty("token").GetString()!));
    }

    [Fact]
    public async Task Generate_with_nothing_when_anonymous_tokens_are_off_is_401()
    {
        await using var app = await StartAsync(allowAnonymous: false);
        using var response = await app.SendAsync(HttpMethod.Post, "/v1/token/generate");
        await AssertNoTokenAsync(response);
    }

    [Fact]
    public async Task Generate_with_a_valid_bearer_token_returns_the_same_token()
    {
        await using var app = await StartAsync();
        var token = await app.GenerateTokenAsync();
        using var response = await app.SendAsync(HttpMethod.Post, "/v1/token/generate", token);

        Assert.Equal(HttpStatusCode.OK, response.StatusCode);
        Json.Equal(JsonSerializer.Serialize(new { token }), await Json.ReadAsync(response));
    }

    [Fact]
    public async Task Generate_with_the_development_token_returns_it()
    {
        await using var app = await StartAsync();
        using var response = await app.SendAsync(HttpMethod.Post, "/v1/token/generate", "dev-token:admin");
        Assert.Equal(HttpStatusCode.OK, response.StatusCode);
        Json.Equal("""{"token":"dev-token:admin"}""", await Json.ReadAsync(response));
    }

    [Fact]
    public async Task Generate_with_an_invalid_bearer_token_is_401_invalid_token()
    {
        await using var app = await StartAsync();
        var token = await app.GenerateTokenAsync();
        var tampered = token[..^2] + (token[^2] == 'A' ? "BB" : "AA");
        using var response = await app.SendAsync(HttpMethod.Post, "/v1/token/generate", tampered);
        Assert.Equal(HttpStatusCode.Unauthorized, response.StatusCode);
        var challenge = Assert.Single(response.Headers.WwwAuthenticate).ToString();
        Assert.StartsWith("Bearer error=\"invalid_token\", error_description=\"", challenge, StringComparison.Ordinal);
        Assert.DoesNotContain(tampered, challenge, StringComparison.Ordinal);
        Json.Equal(Unauthorized, await Json.ReadAsync(response));
    }

    [Fact]
    public async Task Generate_with_an_api_key_issues_a_token_with_the_keys_subject_and_roles()
    {
        await using var app = await StartAsync();
        var key = await app.Services.GetRequiredService<IApiKeyService>().CreateAsync("service-a", ["user", "admin"]);

        var first = await ExchangeAsync(key.Token);
        var second = await ExchangeAsync(key.Token);
        Assert.NotEqual(key.Token, first);
        Assert.Equal(["user", "admin"], await RolesAsync(app, first));

        // Both tokens act as the key's subject: an instance created with one is visible with the other.
        var id = await app.CreateInstanceAsync(first, """{"model_name":"coin-toss-v1"}""");
        using var get = await app.SendAsync(HttpMethod.Get, $"/v1/models/i/{id}", second);
        Assert.Equal(HttpStatusCode.OK, get.StatusCode);

        async Task<string> ExchangeAsync(string apiKey)
        {
            using var request = new HttpRequestMessage(HttpMethod.Post, "/v1/token/generate");
            request.Headers.Add("X-API-Key", apiKey);
            using var response = await app.Client.SendAsync(request);
            Assert.Equal(HttpStatusCode.OK, response.StatusCode);
            return (await Json.ReadAsync(response)).GetProperty("token").GetString()!;
        }
    }

    [Theory]
    [InlineData("rxk_not-a-key")]
    [InlineData("dev-token")]
    [InlineData(" ")]
    public async Task Generate_with_an_unknown_api_key_is_401(string apiKey)
    {
        await using var app = await StartAsync();
        using var request = new HttpRequestMessage(HttpMethod.Post, "/v1/token/generate");
        request.Headers.TryAddWithoutValidation("X-API-Key", apiKey);
        using var response = await app.Client.SendAsync(request);
        await AssertNoTokenAsync(response);
    }

    [Fact]
    public async Task Generate_with_a_revoked_api_key_is_401()
    {
        await using var app = await StartAsync();
        var keys = app.Services.GetRequiredService<IApiKeyService>();
        var key = await keys.CreateAsync("service-b", ["user"]);
        Assert.True(await keys.RevokeAsync(key.Identity.TokenId));

        using var request = new HttpRequestMessage(HttpMethod.Post, "/v1/token/generate");
        request.Headers.Add("X-API-Key", key.Token);
        using var response = await app.Client.SendAsync(request);
        await AssertNoTokenAsync(response);
    }

    [Fact]
    public async Task Generate_with_valid_basic_credentials_issues_a_token_for_the_user()
    {
        await using var app = await StartAsync();
        using var request = new HttpRequestMessage(HttpMethod.Post, "/v1/token/generate");
        request.Headers.Authorization = new AuthenticationHeaderValue("Basic", Convert.ToBase64String(Encoding.UTF8.GetBytes("alice:wonderland")));
        using var response = await app.Client.SendAsync(request);

        Assert.Equal(HttpStatusCode.OK, response.StatusCode);
        var token = (await Json.ReadAsync(response)).GetProperty("token").GetString()!;
        Assert.Equal(["user", "admin"], await RolesAsync(app, token));
    }

    [Theory]
    [InlineData("alice:wrong")]
    [InlineData("bob:wonderland")]
    public async Task Generate_with_wrong_basic_credentials_is_401(string credentials)
    {
        await using var app = await StartAsync();
        using var request = new HttpRequestMessage(HttpMethod.Post, "/v1/token/generate");
        request.Headers.Authorization = new AuthenticationHeaderValue("Basic", Convert.ToBase64String(Encoding.UTF8.GetBytes(credentials)));
        using var response = await app.Client.SendAsync(request);
        await AssertNoTokenAsync(response);
    }

    [Theory]
    [InlineData("Basic !!!not-base64!!!")]
    [InlineData("Basic bm8tY29sb24=")] // "no-colon"
    [InlineData("Basic OnBhc3N3b3Jk")] // ":password", empty user
    [InlineData("Basic")]
    [InlineData("Bearer two tokens")]
    [InlineData("Negotiate abc")]
    public async Task Generate_with_a_malformed_authorization_header_is_401_and_never_anonymous(string header)
    {
        await using var app = await StartAsync();
        using var request = new HttpRequestMessage(HttpMethod.Post, "/v1/token/generate");
        request.Headers.TryAddWithoutValidation("Authorization", header);
        using var response = await app.Client.SendAsync(request);
        await AssertNoTokenAsync(response);
    }

    // ---- GET /token/roles and the 401s of every bearer operation -------------------------------------------------

    [Fact]
    public async Task Roles_of_the_development_token_with_roles_keep_their_order()
    {
        await using var app = await StartAsync();
        Assert.Equal(["user"], await RolesAsync(app, "dev-token"));
        Assert.Equal(["zeta", "admin", "user"], await RolesAsync(app, "dev-token:zeta,admin,user"));
    }

    [Fact]
    public async Task Development_token_with_two_colons_is_401()
    {
        await using var app = await StartAsync();
        using var response = await app.SendAsync(HttpMethod.Get, "/v1/token/roles", "dev-token:a:b");
        Assert.Equal(HttpStatusCode.Unauthorized, response.StatusCode);
        Json.Equal(Unauthorized, await Json.ReadAsync(response));
        Assert.StartsWith("Bearer error=\"invalid_token\"", Assert.Single(response.Headers.WwwAuthenticate).ToString(), StringComparison.Ordinal);
    }

    [Fact]
    public async Task Development_token_is_401_when_not_enabled_and_the_message_does_not_mention_it()
    {
        await using var app = await StartAsync(developmentToken: false);
        using var none = await app.SendAsync(HttpMethod.Get, "/v1/token/roles");
        await AssertNoTokenAsync(none, UnauthorizedWithoutDevToken);

        using var dev = await app.SendAsync(HttpMethod.Get, "/v1/token/roles", "dev-token");
        await AssertErrorAsync(dev, HttpStatusCode.Unauthorized, UnauthorizedWithoutDevToken);
    }

    [Theory]
    [InlineData("GET", "/v1/token/roles")]
    [InlineData("GET", "/v1/models/available")]
    [InlineData("GET", "/v1/models/available/coin-toss-v1")]
    [InlineData("POST", "/v1/models/create-instance")]
    [InlineData("GET", "/v1/models/instances")]
    [InlineData("GET", "/v1/models/i/00000000-0000-0000-0000-000000000001")]
    [InlineData("DELETE", "/v1/models/i/00000000-0000-0000-0000-000000000001")]
    [InlineData("GET", "/v1/models/i/00000000-0000-0000-0000-000000000001/state")]
    public async Task Every_bearer_operation_without_a_token_is_401_with_the_bare_challenge(string method, string path)
    {
        await using var app = await StartAsync();
        using var response = await app.SendAsync(new HttpMethod(method), path, json: method == "POST" ? """{"model_name":"coin-toss-v1"}""" : null);
        await AssertNoTokenAsync(response);
    }

    [Theory]
    [InlineData("GET", "/v1/token/roles")]
    [InlineData("GET", "/v1/models/available")]
    [InlineData("GET", "/v1/models/instances")]
    [InlineData("DELETE", "/v1/models/i/00000000-0000-0000-0000-000000000001")]
    public async Task Every_bearer_operation_with_an_unknown_token_is_401_invalid_token(string method, string path)
    {
        await using var app = await StartAsync();
        var token = await app.GenerateTokenAsync();
        var unknown = token[..^3] + "xyz";
        using var response = await app.SendAsync(new HttpMethod(method), path, unknown);
        Assert.Equal(HttpStatusCode.Unauthorized, response.StatusCode);
        Json.Equal(Unauthorized, await Json.ReadAsync(response));
        var challenge = Assert.Single(response.Headers.WwwAuthenticate).ToString();
        Assert.StartsWith("Bearer error=\"invalid_token\", error_description=\"The token ", challenge, StringComparison.Ordinal);
        Assert.DoesNotContain(unknown, challenge, StringComparison.Ordinal);
    }

    [Fact]
    public async Task Token_one_second_before_expiry_works_and_at_expiry_is_401_expired()
    {
        await using var app = await StartAsync();
        var token = await app.GenerateTokenAsync();
        app.Time.Advance(TimeSpan.FromHours(1) - TimeSpan.FromSeconds(1));
        Assert.Equal(["user"], await RolesAsync(app, token));

        app.Time.Advance(TimeSpan.FromSeconds(1) + ExpiryGrace);
        using var response = await app.SendAsync(HttpMethod.Get, "/v1/token/roles", token);
        await AssertRejectedTokenAsync(response, "The token has expired", token);
    }

    /// <summary>How long past its expiry a provider still accepts a token (a JWT provider's clock skew).</summary>
    protected virtual TimeSpan ExpiryGrace => TimeSpan.Zero;

    [Fact]
    public async Task Revoked_token_is_401_immediately()
    {
        await using var app = await StartAsync();
        var token = await app.GenerateTokenAsync();
        using (var me = await app.SendAsync(HttpMethod.Get, "/host/me", token))
        {
            var jti = (await Json.ReadAsync(me)).GetProperty("jti").GetString()!;
            Assert.True(await app.Services.GetRequiredService<ITokenRevoker>().RevokeAsync(jti));
        }

        using var response = await app.SendAsync(HttpMethod.Get, "/v1/token/roles", token);
        Assert.Equal(HttpStatusCode.Unauthorized, response.StatusCode);
        Assert.StartsWith("Bearer error=\"invalid_token\"", Assert.Single(response.Headers.WwwAuthenticate).ToString(), StringComparison.Ordinal);
    }

    // ---- models --------------------------------------------------------------------------------------------

    [Fact]
    public async Task Available_models_are_only_those_the_roles_allow()
    {
        await using var app = await StartAsync();
        Assert.Equal(["coin-toss-v1", "sensor-smoothing-v1"], await ModelNamesAsync("dev-token"));
        Assert.Equal(["admin-diagnostics-v1", "sensor-smoothing-v1"], await ModelNamesAsync("dev-token:admin"));
        Assert.Equal(["admin-diagnostics-v1", "coin-toss-v1", "sensor-smoothing-v1"], await ModelNamesAsync("dev-token:user,admin"));
        Assert.Empty(await ModelNamesAsync("dev-token:nobody"));
        Assert.Empty(await ModelNamesAsync("dev-token:USER")); // roles are case-sensitive

        async Task<string[]> ModelNamesAsync(string token)
        {
            using var response = await app.SendAsync(HttpMethod.Get, "/v1/models/available", token);
            Assert.Equal(HttpStatusCode.OK, response.StatusCode);
            var body = await Json.ReadAsync(response);
            return [.. body.EnumerateArray().Select(m => m.GetProperty("details").GetProperty("name").GetString()!).Order(StringComparer.Ordinal)];
        }
    }

    [Fact]
    public async Task Available_model_has_details_and_the_whole_configuration()
    {
        await using var app = await StartAsync();
        using var response = await app.SendAsync(HttpMethod.Get, "/v1/models/available/coin-toss-v1", "dev-token");
        Assert.Equal(HttpStatusCode.OK, response.StatusCode);
        var body = await Json.ReadAsync(response);

        Assert.Equal(["details", "config"], body.EnumerateObject().Select(p => p.Name));
        Json.Equal(
            """{"name":"coin-toss-v1","description":"Learns the bias of a coin from a stream of heads and tails (Beta prior, Bernoulli tosses)","author":"RxInfer.NET sample","roles":["user"]}""",
            body.GetProperty("details"));
        var config = body.GetProperty("config");
        Assert.Equal("coin-toss-v1", config.GetProperty("name").GetString());
        Json.Equal("""[{"name":"toss","type":"boolean"}]""", config.GetProperty("observations"));
        Assert.Equal(2, config.GetProperty("arguments").GetArrayLength());
    }

    [Theory]
    [InlineData("admin-diagnostics-v1")] // exists, but not for the role user
    [InlineData("no-such-model")]
    [InlineData("COIN-TOSS-V1")]
    public async Task Unknown_and_forbidden_models_give_the_same_404(string name)
    {
        await using var app = await StartAsync();
        using var response = await app.SendAsync(HttpMethod.Get, $"/v1/models/available/{name}", "dev-token");
        await AssertErrorAsync(response, HttpStatusCode.NotFound, ModelNotFound(name));
    }

    // ---- instances -----------------------------------------------------------------------------------------

    [Fact]
    public async Task Create_then_get_shows_the_instance_with_merged_arguments()
    {
        await using var app = await StartAsync();
        var token = await app.GenerateTokenAsync();
        var id = await app.CreateInstanceAsync(token, """{"model_name":"coin-toss-v1","arguments":{"heads_prior":3,"extra":"kept"}}""");

        using var response = await app.SendAsync(HttpMethod.Get, $"/v1/models/i/{id}", token);
        Assert.Equal(HttpStatusCode.OK, response.StatusCode);
        var body = await Json.ReadAsync(response);
        Assert.Equal(["instance_id", "model_name", "created_at", "description", "arguments", "current_episode"], body.EnumerateObject().Select(p => p.Name));
        Assert.Equal(id.ToString(), body.GetProperty("instance_id").GetString());
        Assert.Equal("coin-toss-v1", body.GetProperty("model_name").GetString());
        Assert.Equal("", body.GetProperty("description").GetString());
        Assert.Equal("default", body.GetProperty("current_episode").GetString());
        Json.Equal("""{"heads_prior":3,"tails_prior":1.0,"extra":"kept"}""", body.GetProperty("arguments"));

        // UTC with a Z suffix, never +00:00 (the official JavaScript client rejects an offset).
        Assert.Equal("2026-01-02T03:04:05Z", body.GetProperty("created_at").GetString());
    }

    [Fact]
    public async Task Create_response_is_exactly_the_instance_id()
    {
        await using var app = await StartAsync();
        using var response = await app.SendAsync(HttpMethod.Post, "/v1/models/create-instance", "dev-token", """{"model_name":"coin-toss-v1","description":"my coin"}""");
        Assert.Equal(HttpStatusCode.OK, response.StatusCode);
        var body = await Json.ReadAsync(response);
        Assert.Equal(["instance_id"], body.EnumerateObject().Select(p => p.Name));
        Assert.True(Guid.TryParseExact(body.GetProperty("instance_id").GetString(), "D", out _));
    }

    [Fact]
    public async Task Create_without_a_required_argument_is_400_with_the_exact_message()
    {
        await using var app = await StartAsync();
        using var response = await app.SendAsync(HttpMethod.Post, "/v1/models/create-instance", "dev-token", """{"model_name":"sensor-smoothing-v1","arguments":{"sensor_noise":1}}""");
        await AssertBadRequestAsync(response, "model configuration validation error - model configuration argument sampling_interval is required");
        await AssertNoInstancesAsync(app, "dev-token");

        var id = await app.CreateInstanceAsync("dev-token", """{"model_name":"sensor-smoothing-v1","arguments":{"sampling_interval":0.1}}""");
        using var state = await app.SendAsync(HttpMethod.Get, $"/v1/models/i/{id}/state", "dev-token");
        Assert.Equal(HttpStatusCode.OK, state.StatusCode);
        Json.Equal("""{"state":{"sampling_interval":0.1,"sensor_noise":0.5,"process_noise":0.1,"initial_mean":0.0,"initial_variance":100.0}}""", await Json.ReadAsync(state));
    }

    [Theory]
    [InlineData("no-such-model")]
    [InlineData("admin-diagnostics-v1")]
    public async Task Create_of_an_unknown_or_forbidden_model_is_404(string name)
    {
        await using var app = await StartAsync();
        using var response = await app.SendAsync(HttpMethod.Post, "/v1/models/create-instance", "dev-token", JsonSerializer.Serialize(new { model_name = name }));
        await AssertErrorAsync(response, HttpStatusCode.NotFound, ModelNotFound(name));
    }

    [Fact]
    public async Task Instances_belong_to_their_subject_and_another_identity_gets_404_and_an_empty_list()
    {
        await using var app = await StartAsync();
        var owner = await app.GenerateTokenAsync();
        var other = await app.GenerateTokenAsync();
        var id = await app.CreateInstanceAsync(owner, """{"model_name":"coin-toss-v1"}""");

        await AssertNoInstancesAsync(app, other);
        foreach (var (method, path) in new[] { ("GET", $"/v1/models/i/{id}"), ("GET", $"/v1/models/i/{id}/state"), ("DELETE", $"/v1/models/i/{id}") })
        {
            using var response = await app.SendAsync(new HttpMethod(method), path, other);
            await AssertErrorAsync(response, HttpStatusCode.NotFound, InstanceNotFound);
        }

        using var list = await app.SendAsync(HttpMethod.Get, "/v1/models/instances", owner);
        var instances = await Json.ReadAsync(list);
        Assert.Equal(id.ToString(), Assert.Single(instances.EnumerateArray()).GetProperty("instance_id").GetString());
    }

    [Fact]
    public async Task Every_development_token_variant_is_the_same_owner()
    {
        await using var app = await StartAsync();
        var id = await app.CreateInstanceAsync("dev-token", """{"model_name":"sensor-smoothing-v1","arguments":{"sampling_interval":1}}""");
        using var response = await app.SendAsync(HttpMethod.Get, $"/v1/models/i/{id}", "dev-token:admin");
        Assert.Equal(HttpStatusCode.OK, response.StatusCode);
    }

    [Fact]
    public async Task Delete_removes_the_instance_for_every_operation_and_a_second_delete_is_404()
    {
        await using var app = await StartAsync();
        var token = await app.GenerateTokenAsync();
        var id = await app.CreateInstanceAsync(token, """{"model_name":"coin-toss-v1"}""");

        using (var delete = await app.SendAsync(HttpMethod.Delete, $"/v1/models/i/{id}", token))
        {
            Assert.Equal(HttpStatusCode.OK, delete.StatusCode);
            Json.Equal("""{"message":"Model instance deleted successfully"}""", await Json.ReadAsync(delete));
        }

        foreach (var (method, path) in new[] { ("GET", $"/v1/models/i/{id}"), ("GET", $"/v1/models/i/{id}/state"), ("DELETE", $"/v1/models/i/{id}") })
        {
            using var response = await app.SendAsync(new HttpMethod(method), path, token);
            await AssertErrorAsync(response, HttpStatusCode.NotFound, InstanceNotFound);
        }

        await AssertNoInstancesAsync(app, token);
    }

    [Fact]
    public async Task State_is_the_merged_arguments_under_state()
    {
        await using var app = await StartAsync();
        var id = await app.CreateInstanceAsync("dev-token", """{"model_name":"coin-toss-v1"}""");
        using var response = await app.SendAsync(HttpMethod.Get, $"/v1/models/i/{id}/state", "dev-token");
        Assert.Equal(HttpStatusCode.OK, response.StatusCode);
        Json.Equal("""{"state":{"heads_prior":1.0,"tails_prior":1.0}}""", await Json.ReadAsync(response));
    }

    [Fact]
    public async Task List_is_empty_for_a_new_identity()
    {
        await using var app = await StartAsync();
        await AssertNoInstancesAsync(app, await app.GenerateTokenAsync());
    }

    internal static async Task AssertNoInstancesAsync(TestApp app, string token)
    {
        using var response = await app.SendAsync(HttpMethod.Get, "/v1/models/instances", token);
        Assert.Equal(HttpStatusCode.OK, response.StatusCode);
        Json.Equal("[]", await Json.ReadAsync(response));
    }

    // ---- host endpoints use the scheme too ------------------------------------------------------------------

    [Fact]
    public async Task Host_endpoint_requiring_the_admin_role_accepts_dev_token_admin_and_forbids_others()
    {
        await using var app = await StartAsync();
        using (var admin = await app.SendAsync(HttpMethod.Get, "/host/admin", "dev-token:admin"))
        {
            Assert.Equal(HttpStatusCode.OK, admin.StatusCode);
        }

        using (var user = await app.SendAsync(HttpMethod.Get, "/host/admin", "dev-token"))
        {
            await AssertErrorAsync(user, HttpStatusCode.Forbidden, """{"error":"Forbidden","message":"The token does not grant access to this resource"}""");
        }

        using var none = await app.SendAsync(HttpMethod.Get, "/host/admin");
        await AssertNoTokenAsync(none);
    }

    [Fact]
    public async Task Principal_carries_subject_token_id_and_roles()
    {
        await using var app = await StartAsync();
        var key = await app.Services.GetRequiredService<IApiKeyService>().CreateAsync("service-c", ["user", "admin"]);
        using var request = new HttpRequestMessage(HttpMethod.Post, "/v1/token/generate");
        request.Headers.Add("X-API-Key", key.Token);
        using var generated = await app.Client.SendAsync(request);
        var token = (await Json.ReadAsync(generated)).GetProperty("token").GetString()!;

        using var response = await app.SendAsync(HttpMethod.Get, "/host/me", token);
        var me = await Json.ReadAsync(response);
        Assert.Equal("service-c", me.GetProperty("sub").GetString());
        Assert.Equal("service-c", me.GetProperty("name").GetString());
        Assert.False(string.IsNullOrEmpty(me.GetProperty("jti").GetString()));
        Assert.NotEqual(token, me.GetProperty("jti").GetString());
        Json.Equal("""["user","admin"]""", me.GetProperty("roles"));
        Assert.True(me.GetProperty("isAdmin").GetBoolean());
    }
}

/// <summary>The contract suite on the opaque in-memory provider.</summary>
public sealed class OpaqueHttpContractTests : HttpContractTests
{
    protected override void ConfigureProvider(RxInferAuthBuilder auth) => auth.AddOpaqueTokens();
}

/// <summary>The contract suite on the signed-JWT provider (ES256, a key generated once for the test run).</summary>
public sealed class JwtHttpContractTests : HttpContractTests
{
    private static readonly string SigningKeyPem = CreateSigningKeyPem();

    // A configured key, as in production: an ephemeral one (GenerateEphemeralKey) starts in Development only.
    protected override void ConfigureProvider(RxInferAuthBuilder auth) => auth.AddJwtTokens(options =>
        options.Keys = [new JwtSigningKeyOptions { KeyId = "test-es256", Algorithm = "ES256", Pem = SigningKeyPem }]);

    private static string CreateSigningKeyPem()
    {
        using var key = System.Security.Cryptography.ECDsa.Create(System.Security.Cryptography.ECCurve.NamedCurves.nistP256);
        return key.ExportPkcs8PrivateKeyPem();
    }

    protected override TimeSpan ExpiryGrace => TimeSpan.FromSeconds(30);
}
