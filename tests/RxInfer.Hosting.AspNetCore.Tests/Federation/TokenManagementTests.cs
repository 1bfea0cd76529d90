using System.Net;
using System.Net.Http.Headers;
using System.Text;
using Microsoft.AspNetCore.Builder;
using Microsoft.AspNetCore.Routing;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.IdentityModel.JsonWebTokens;
using RxInfer.Auth;

namespace RxInfer.Hosting.AspNetCore.Tests.Federation;

/// <summary>
/// <c>MapRxInferRevocation()</c> (RFC 7009) and <c>MapRxInferIntrospection()</c> (RFC 7662) over HTTP, with the opaque
/// and the JWT provider: who may call them, what they answer, and every bad input (which changes nothing).
/// </summary>
public sealed class TokenManagementTests
{
    public static TheoryData<string> Providers => ["opaque", "jwt"];

    private static Task<TestApp> StartAsync(string provider, string? introspectionRole = null) => TestApp.StartAsync(new TestAppOptions
    {
        Provider = provider == "jwt"
            ? static auth => auth.AddJwtTokens(jwt => jwt.Keys = [TestKeys.Es256("es-1")])
            : static auth => auth.AddOpaqueTokens(),
        DevelopmentToken = false,
        Services = services => services.Configure<RxInferEndpointOptions>(o => o.IntrospectionRole = introspectionRole),
        Map = static app =>
        {
            var v1 = app.MapGroup("/v1");
            v1.MapRxInferRevocation();
            v1.MapRxInferIntrospection();
        },
    });

    private static async Task<string> AdminTokenAsync(TestApp app)
    {
        using var request = new HttpRequestMessage(HttpMethod.Post, "/v1/token/generate");
        request.Headers.Authorization = new AuthenticationHeaderValue("Basic", Convert.ToBase64String(Encoding.UTF8.GetBytes("alice:wonderland")));
        using var response = await app.Client.SendAsync(request);
        Assert.Equal(HttpStatusCode.OK, response.StatusCode);
        return (await Json.ReadAsync(response)).GetProperty("token").GetString()!;
    }

    private static async Task<string> ExchangeAsync(TestApp app, string apiKey)
    {
        using var request = new HttpRequestMessage(HttpMethod.Post, "/v1/token/generate");
        request.Headers.Add("X-API-Key", apiKey);
        using var response = await app.Client.SendAsync(request);
        Assert.Equal(HttpStatusCode.OK, response.StatusCode);
        return (await Json.ReadAsync(response)).GetProperty("token").GetString()!;
    }

    private static async Task<HttpStatusCode> RolesStatusAsync(TestApp app, string token)
    {
        using var response = await app.SendAsync(HttpMethod.Get, "/v1/token/roles", token);
        return response.StatusCode;
    }

    private static async Task<HttpResponseMessage> PostFormAsync(TestApp app, string path, string? caller, HttpContent? content)
    {
        using var request = TestApp.Request(HttpMethod.Post, path, caller);
        request.Content = content;
        return await app.Client.SendAsync(request);
    }

    private static FormUrlEncodedContent Form(params (string Name, string Value)[] fields) =>
        new(fields.Select(static f => KeyValuePair.Create(f.Name, f.Value)));

    [Theory]
    [MemberData(nameof(Providers))]
    public async Task A_token_revokes_itself_and_is_refused_afterwards(string provider)
    {
        await using var app = await StartAsync(provider);
        var token = await app.GenerateTokenAsync();

        using var response = await PostFormAsync(app, "/v1/token/revoke", token, Form(("token", token), ("token_type_hint", "access_token")));

        Assert.Equal(HttpStatusCode.OK, response.StatusCode);
        Assert.Equal("no-store", response.Headers.CacheControl?.ToString());
        Assert.Equal(HttpStatusCode.Unauthorized, await RolesStatusAsync(app, token));
    }

    [Theory]
    [MemberData(nameof(Providers))]
    public async Task A_caller_without_the_admin_role_may_not_revoke_another_live_token_and_an_admin_may(string provider)
    {
        await using var app = await StartAsync(provider);
        var caller = await app.GenerateTokenAsync();
        var victim = await app.GenerateTokenAsync();

        using var refused = await PostFormAsync(app, "/v1/token/revoke", caller, Form(("token", victim)));
        var refusal = await Json.ReadAsync(refused);
        var stillValid = await RolesStatusAsync(app, victim);
        using var revoked = await PostFormAsync(app, "/v1/token/revoke", await AdminTokenAsync(app), Form(("token", victim)));

        Assert.Equal(HttpStatusCode.Forbidden, refused.StatusCode);
        Assert.Equal("unauthorized_client", refusal.GetProperty("error").GetString());
        Assert.Equal(HttpStatusCode.OK, stillValid);
        Assert.Equal(HttpStatusCode.OK, revoked.StatusCode);
        Assert.Equal(HttpStatusCode.Unauthorized, await RolesStatusAsync(app, victim));
        Assert.Equal(HttpStatusCode.OK, await RolesStatusAsync(app, caller));
    }

    [Theory]
    [MemberData(nameof(Providers))]
    public async Task Unknown_malformed_and_already_revoked_tokens_are_a_200_as_RFC_7009_says(string provider)
    {
        await using var app = await StartAsync(provider);
        var caller = await app.GenerateTokenAsync();
        var revoked = await app.GenerateTokenAsync();
        using (var first = await PostFormAsync(app, "/v1/token/revoke", revoked, Form(("token", revoked))))
        {
            Assert.Equal(HttpStatusCode.OK, first.StatusCode);
        }

        foreach (var token in new[] { "rxi_" + new string('a', 49), "not a token", "a.b.c", revoked, "rxk_unknown" })
        {
            using var response = await PostFormAsync(app, "/v1/token/revoke", caller, Form(("token", token)));
            Assert.True(response.StatusCode == HttpStatusCode.OK, token);
        }

        Assert.Equal(HttpStatusCode.OK, await RolesStatusAsync(app, caller));
    }

    [Fact]
    public async Task Only_an_admin_revokes_an_API_key_and_a_revoked_key_is_no_longer_exchanged()
    {
        await using var app = await StartAsync("opaque");
        var key = await app.Services.GetRequiredService<IApiKeyService>().CreateAsync("service-a", ["user"]);
        var keyHolder = await ExchangeAsync(app, key.Token);

        using var refused = await PostFormAsync(app, "/v1/token/revoke", keyHolder, Form(("token", key.Token)));
        var stillExchanged = await ExchangeAsync(app, key.Token);
        using var revoked = await PostFormAsync(app, "/v1/token/revoke", await AdminTokenAsync(app), Form(("token", key.Token)));
        using var exchange = new HttpRequestMessage(HttpMethod.Post, "/v1/token/generate");
        exchange.Headers.Add("X-API-Key", key.Token);
        using var afterRevocation = await app.Client.SendAsync(exchange);

        Assert.Equal(HttpStatusCode.Forbidden, refused.StatusCode);
        Assert.False(string.IsNullOrEmpty(stillExchanged));
        Assert.Equal(HttpStatusCode.OK, revoked.StatusCode);
        Assert.Equal(HttpStatusCode.Unauthorized, afterRevocation.StatusCode);
    }

    public static TheoryData<string, string> Endpoints => new()
    {
        { "/v1/token/revoke", "revocation" },
        { "/v1/token/introspect", "introspection" },
    };

    [Theory]
    [MemberData(nameof(Endpoints))]
    public async Task Bad_forms_are_a_400_invalid_request_that_names_the_problem_and_change_nothing(string path, string _)
    {
        await using var app = await StartAsync("opaque");
        var admin = await AdminTokenAsync(app);
        var target = await app.GenerateTokenAsync();
        var cases = new (string Name, Func<HttpContent?> Content, string Message)[]
        {
            ("no token field", () => Form(("token_type_hint", "access_token")), "The token parameter is required"),
            ("an empty token", () => Form(("token", "")), "The token parameter is required"),
            ("the token twice", () => new StringContent($"token={target}&token={target}", Encoding.UTF8, FormBody.ContentType), "The token parameter must be given once"),
            ("JSON", () => new StringContent($$"""{"token":"{{target}}"}""", Encoding.UTF8, "application/json"), "The request body must have Content-Type application/x-www-form-urlencoded"),
            ("no body", () => null, "The request body must have Content-Type application/x-www-form-urlencoded"),
            ("another charset", () => new StringContent("token=" + target, Encoding.Latin1, FormBody.ContentType), "The request body must have Content-Type application/x-www-form-urlencoded"),
            ("bytes that are not UTF-8", () => Bytes([.. "token="u8, 0xC3, 0x28]), "The request body is not valid UTF-8"),
            ("too many fields", () => new StringContent(string.Join('&', Enumerable.Range(0, 20).Select(static i => $"f{i}=x")), Encoding.UTF8, FormBody.ContentType), "The request body has more than 16 fields or a field longer than allowed"),
            ("too large", () => new StringContent("token=" + new string('a', 70_000), Encoding.UTF8, FormBody.ContentType), "The request body is larger than the limit of 65536 bytes"),
        };

        foreach (var (name, content, message) in cases)
        {
            using var response = await PostFormAsync(app, path, admin, content());
            var body = await Json.ReadAsync(response);
            Assert.True(response.StatusCode == HttpStatusCode.BadRequest, $"{name}: {response.StatusCode} {body}");
            Assert.Equal("invalid_request", body.GetProperty("error").GetString());
            Assert.Equal(message, body.GetProperty("error_description").GetString());
        }

        Assert.Equal(HttpStatusCode.OK, await RolesStatusAsync(app, target));

        static ByteArrayContent Bytes(byte[] bytes)
        {
            var content = new ByteArrayContent(bytes);
            content.Headers.ContentType = new MediaTypeHeaderValue(FormBody.ContentType);
            return content;
        }
    }

    [Theory]
    [MemberData(nameof(Endpoints))]
    public async Task A_caller_without_a_token_gets_the_contract_401_and_a_GET_is_answered_like_on_the_other_token_routes(string path, string _)
    {
        await using var app = await StartAsync("opaque");
        var target = await app.GenerateTokenAsync();

        using var anonymous = await PostFormAsync(app, path, caller: null, Form(("token", target)));
        using var bad = await PostFormAsync(app, path, caller: "rxi_nonsense", Form(("token", target)));
        using var get = await app.SendAsync(HttpMethod.Get, path, await AdminTokenAsync(app));
        using var getGenerate = await app.SendAsync(HttpMethod.Get, "/v1/token/generate", await AdminTokenAsync(app));

        Assert.Equal(HttpStatusCode.Unauthorized, anonymous.StatusCode);
        Assert.Equal("Unauthorized", (await Json.ReadAsync(anonymous)).GetProperty("error").GetString());
        Assert.Equal(HttpStatusCode.Unauthorized, bad.StatusCode);
        Assert.True(get.StatusCode is HttpStatusCode.NotFound or HttpStatusCode.MethodNotAllowed, get.StatusCode.ToString());
        Assert.Equal(getGenerate.StatusCode, get.StatusCode); // /token/{**rest} of MapRxInfer answers both
        Assert.Equal(HttpStatusCode.OK, await RolesStatusAsync(app, target));
    }

    [Theory]
    [MemberData(nameof(Providers))]
    public async Task An_admin_introspects_an_active_token_with_its_subject_id_expiry_roles_and_type(string provider)
    {
        await using var app = await StartAsync(provider);
        var token = await app.GenerateTokenAsync();
        using var roles = await app.SendAsync(HttpMethod.Get, "/host/me", token);
        var me = await Json.ReadAsync(roles);

        using var response = await PostFormAsync(app, "/v1/token/introspect", await AdminTokenAsync(app), Form(("token", token)));
        var body = await Json.ReadAsync(response);

        Assert.Equal(HttpStatusCode.OK, response.StatusCode);
        Assert.Equal("no-store", response.Headers.CacheControl?.ToString());
        Assert.True(body.GetProperty("active").GetBoolean());
        Assert.Equal(me.GetProperty("sub").GetString(), body.GetProperty("sub").GetString());
        Assert.Equal(me.GetProperty("jti").GetString(), body.GetProperty("jti").GetString());
        Assert.Equal("user", body.GetProperty("scope").GetString());
        Assert.Equal(["user"], body.GetProperty("roles").EnumerateArray().Select(static r => r.GetString()));
        Assert.Equal("Bearer", body.GetProperty("token_type").GetString());
        // TestApp's clock starts at TestClock.Start; access tokens live an hour.
        Assert.Equal(TestClock.Start.AddHours(1).ToUnixTimeSeconds(), body.GetProperty("exp").GetInt64());
        if (provider == "jwt")
        {
            Assert.Equal(TestClock.Start.ToUnixTimeSeconds(), body.GetProperty("iat").GetInt64());
            Assert.Equal(new JsonWebToken(token).Subject, body.GetProperty("sub").GetString());
        }
    }

    [Theory]
    [MemberData(nameof(Providers))]
    public async Task An_unknown_revoked_or_expired_token_is_only_active_false(string provider)
    {
        await using var app = await StartAsync(provider);
        var admin = await AdminTokenAsync(app);
        var revoked = await app.GenerateTokenAsync();
        using (await PostFormAsync(app, "/v1/token/revoke", revoked, Form(("token", revoked))))
        {
        }

        var expiring = await app.GenerateTokenAsync();
        foreach (var token in new[] { "rxi_unknown", "a.b.c", revoked })
        {
            using var response = await PostFormAsync(app, "/v1/token/introspect", admin, Form(("token", token)));
            Assert.Equal(HttpStatusCode.OK, response.StatusCode);
            Json.Equal("""{"active":false}""", await Json.ReadAsync(response));
        }

        app.Time.Advance(TimeSpan.FromMinutes(59));
        var admin2 = await AdminTokenAsync(app);
        app.Time.Advance(TimeSpan.FromMinutes(2));
        using var expired = await PostFormAsync(app, "/v1/token/introspect", admin2, Form(("token", expiring)));
        Json.Equal("""{"active":false}""", await Json.ReadAsync(expired));
    }

    [Fact]
    public async Task Introspection_needs_the_admin_or_the_introspection_role_and_holding_an_API_key_is_not_enough()
    {
        await using var app = await StartAsync("opaque", introspectionRole: "resource-server");
        var apiKeys = app.Services.GetRequiredService<IApiKeyService>();
        var target = await app.GenerateTokenAsync();
        var plainKeyToken = await ExchangeAsync(app, (await apiKeys.CreateAsync("service-plain", ["user"])).Token);
        var resourceServer = await ExchangeAsync(app, (await apiKeys.CreateAsync("service-rs", ["resource-server"])).Token);

        using var byUser = await PostFormAsync(app, "/v1/token/introspect", target, Form(("token", target)));
        using var byKey = await PostFormAsync(app, "/v1/token/introspect", plainKeyToken, Form(("token", target)));
        using var byResourceServer = await PostFormAsync(app, "/v1/token/introspect", resourceServer, Form(("token", target)));

        Assert.Equal(HttpStatusCode.Forbidden, byUser.StatusCode);
        Assert.Equal(HttpStatusCode.Forbidden, byKey.StatusCode);
        Assert.Equal(HttpStatusCode.OK, byResourceServer.StatusCode);
        Assert.True((await Json.ReadAsync(byResourceServer)).GetProperty("active").GetBoolean());
    }

    [Fact]
    public async Task An_API_key_introspects_as_an_active_api_key_without_expiry_when_it_never_expires()
    {
        await using var app = await StartAsync("opaque");
        var key = await app.Services.GetRequiredService<IApiKeyService>().CreateAsync("service-b", ["user", "reader"], lifetime: TimeSpan.FromDays(2));

        using var response = await PostFormAsync(app, "/v1/token/introspect", await AdminTokenAsync(app), Form(("token", key.Token)));
        var body = await Json.ReadAsync(response);

        Assert.True(body.GetProperty("active").GetBoolean());
        Assert.Equal("api_key", body.GetProperty("token_type").GetString());
        Assert.Equal("service-b", body.GetProperty("sub").GetString());
        Assert.Equal(key.Identity.TokenId, body.GetProperty("jti").GetString());
        Assert.Equal("user reader", body.GetProperty("scope").GetString());
        Assert.Equal(TestClock.Start.AddDays(2).ToUnixTimeSeconds(), body.GetProperty("exp").GetInt64());
    }
}
