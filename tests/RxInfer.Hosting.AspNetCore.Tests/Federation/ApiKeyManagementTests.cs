using System.Net;
using System.Net.Http.Headers;
using System.Text;
using Microsoft.AspNetCore.Builder;
using Microsoft.AspNetCore.Routing;
using Microsoft.Extensions.DependencyInjection;
using RxInfer.Auth;

namespace RxInfer.Hosting.AspNetCore.Tests.Federation;

/// <summary><c>MapRxInferApiKeys()</c> over HTTP: create (the key shown once), list (never the key), revoke; admins only; bad input.</summary>
public sealed class ApiKeyManagementTests
{
    private static Task<TestApp> StartAsync(string adminRole = "admin") => TestApp.StartAsync(new TestAppOptions
    {
        Provider = static auth => auth.AddOpaqueTokens(),
        DevelopmentToken = false,
        Services = services => services.Configure<RxInferEndpointOptions>(o => o.AdminRole = adminRole),
        Map = static app => app.MapGroup("/v1").MapRxInferApiKeys(),
    });

    private static async Task<string> AdminTokenAsync(TestApp app)
    {
        using var request = new HttpRequestMessage(HttpMethod.Post, "/v1/token/generate");
        request.Headers.Authorization = new AuthenticationHeaderValue("Basic", Convert.ToBase64String(Encoding.UTF8.GetBytes("alice:wonderland")));
        using var response = await app.Client.SendAsync(request);
        return (await Json.ReadAsync(response)).GetProperty("token").GetString()!;
    }

    private static async Task<HttpStatusCode> ExchangeStatusAsync(TestApp app, string apiKey)
    {
        using var request = new HttpRequestMessage(HttpMethod.Post, "/v1/token/generate");
        request.Headers.Add("X-API-Key", apiKey);
        using var response = await app.Client.SendAsync(request);
        return response.StatusCode;
    }

    [Fact]
    public async Task An_admin_creates_a_key_that_is_shown_once_works_at_once_is_listed_without_its_text_and_is_revoked()
    {
        await using var app = await StartAsync();
        var admin = await AdminTokenAsync(app);

        using var created = await app.SendAsync(HttpMethod.Post, "/v1/api-keys", admin, """{"subject":"service-a","roles":["user","reader"],"expires_in":86400}""");
        var key = await Json.ReadAsync(created);
        var text = key.GetProperty("key").GetString()!;
        var id = key.GetProperty("id").GetString()!;

        Assert.Equal(HttpStatusCode.OK, created.StatusCode);
        Assert.Equal("no-store", created.Headers.CacheControl?.ToString());
        Assert.StartsWith("rxk_", text, StringComparison.Ordinal);
        Assert.Equal("service-a", key.GetProperty("subject").GetString());
        Assert.Equal(["user", "reader"], key.GetProperty("roles").EnumerateArray().Select(static r => r.GetString()));
        Assert.Equal(TestClock.Start.AddDays(1), key.GetProperty("expires_at").GetDateTimeOffset());
        Assert.Equal(HttpStatusCode.OK, await ExchangeStatusAsync(app, text));

        using var listed = await app.SendAsync(HttpMethod.Get, "/v1/api-keys?subject=service-a", admin);
        var listText = await listed.Content.ReadAsStringAsync();
        Assert.Equal(HttpStatusCode.OK, listed.StatusCode);
        Assert.DoesNotContain(text, listText, StringComparison.Ordinal);
        Assert.DoesNotContain(text[4..], listText, StringComparison.Ordinal);
        Json.Equal(
            $$"""[{"id":"{{id}}","subject":"service-a","roles":["user","reader"],"created_at":"2026-01-02T03:04:05+00:00","expires_at":"2026-01-03T03:04:05+00:00"}]""",
            Json.Parse(listText));

        using var revoked = await app.SendAsync(HttpMethod.Delete, $"/v1/api-keys/{id}", admin);
        Assert.Equal(HttpStatusCode.OK, revoked.StatusCode);
        Json.Equal("""{"message":"API key revoked"}""", await Json.ReadAsync(revoked));
        Assert.Equal(HttpStatusCode.Unauthorized, await ExchangeStatusAsync(app, text));
        using var again = await app.SendAsync(HttpMethod.Delete, $"/v1/api-keys/{id}", admin);
        Assert.Equal(HttpStatusCode.NotFound, again.StatusCode);
        Json.Equal("""{"error":"Not Found","message":"The requested API key could not be found"}""", await Json.ReadAsync(again));
        using var empty = await app.SendAsync(HttpMethod.Get, "/v1/api-keys?subject=service-a", admin);
        Json.Equal("[]", await Json.ReadAsync(empty));
    }

    [Fact]
    public async Task A_key_without_expires_in_takes_the_configured_lifetime_and_listing_without_a_subject_shows_every_key()
    {
        await using var app = await StartAsync();
        var admin = await AdminTokenAsync(app);

        using (var first = await app.SendAsync(HttpMethod.Post, "/v1/api-keys", admin, """{"subject":"s1","roles":["user"]}"""))
        {
            // ApiKeyOptions.Lifetime is 365 days by default.
            Assert.Equal(TestClock.Start.AddDays(365), (await Json.ReadAsync(first)).GetProperty("expires_at").GetDateTimeOffset());
        }

        using (await app.SendAsync(HttpMethod.Post, "/v1/api-keys", admin, """{"subject":"s2","roles":["user"],"expires_in":null}"""))
        {
        }

        using var all = await app.SendAsync(HttpMethod.Get, "/v1/api-keys", admin);
        Assert.Equal(["s1", "s2"], (await Json.ReadAsync(all)).EnumerateArray().Select(static k => k.GetProperty("subject").GetString()).Order());
    }

    [Fact]
    public async Task Callers_without_the_admin_role_get_403_and_without_a_token_401_and_nothing_changes()
    {
        await using var app = await StartAsync(adminRole: "key-admin");
        var plain = await app.GenerateTokenAsync();
        var admin = await AdminTokenAsync(app); // roles user and admin: not key-admin
        var key = await ((IApiKeyService)app.Services.GetService(typeof(IApiKeyService))!).CreateAsync("service-x", ["user"]);

        foreach (var caller in new[] { plain, admin })
        {
            using var create = await app.SendAsync(HttpMethod.Post, "/v1/api-keys", caller, """{"subject":"s","roles":["user"]}""");
            using var list = await app.SendAsync(HttpMethod.Get, "/v1/api-keys", caller);
            using var revoke = await app.SendAsync(HttpMethod.Delete, $"/v1/api-keys/{key.Identity.TokenId}", caller);
            Assert.Equal(HttpStatusCode.Forbidden, create.StatusCode);
            Assert.Equal(HttpStatusCode.Forbidden, list.StatusCode);
            Assert.Equal(HttpStatusCode.Forbidden, revoke.StatusCode);
            Assert.Equal("Forbidden", (await Json.ReadAsync(list)).GetProperty("error").GetString());
        }

        using var anonymous = await app.SendAsync(HttpMethod.Get, "/v1/api-keys");
        Assert.Equal(HttpStatusCode.Unauthorized, anonymous.StatusCode);
        Assert.Equal(HttpStatusCode.OK, await ExchangeStatusAsync(app, key.Token));
        Assert.Single(await ((IApiKeyService)app.Services.GetService(typeof(IApiKeyService))!).ListAsync());
    }

    [Fact]
    public async Task Bad_create_bodies_and_list_queries_are_a_400_that_names_the_field_and_create_nothing()
    {
        await using var app = await StartAsync();
        var admin = await AdminTokenAsync(app);
        var bodies = new (string Json, string Message)[]
        {
            ("""{"roles":["user"]}""", "The field `subject` is required and must be a string"),
            ("""{"subject":1,"roles":["user"]}""", "The field `subject` is required and must be a string"),
            ("""{"subject":"","roles":["user"]}""", "The field `subject` must be 1 to 256 characters without control characters"),
            ("""{"subject":"a\u0000b","roles":["user"]}""", "The field `subject` must be 1 to 256 characters without control characters"),
            ($$"""{"subject":"{{new string('s', 257)}}","roles":["user"]}""", "The field `subject` must be 1 to 256 characters without control characters"),
            ("""{"subject":"s"}""", "The field `roles` is required and must be an array of strings"),
            ("""{"subject":"s","roles":"user"}""", "The field `roles` is required and must be an array of strings"),
            ("""{"subject":"s","roles":[]}""", "The field `roles` must hold 1 to 32 roles"),
            ("""{"subject":"s","roles":[""]}""", "Every role must be a string of 1 to 128 characters without control characters"),
            ("""{"subject":"s","roles":[1]}""", "Every role must be a string of 1 to 128 characters without control characters"),
            ("""{"subject":"s","roles":["user"],"expires_in":0}""", "The field `expires_in` must be a whole number of seconds from 1 to 315360000"),
            ("""{"subject":"s","roles":["user"],"expires_in":-5}""", "The field `expires_in` must be a whole number of seconds from 1 to 315360000"),
            ("""{"subject":"s","roles":["user"],"expires_in":1.5}""", "The field `expires_in` must be a whole number of seconds from 1 to 315360000"),
            ("""{"subject":"s","roles":["user"],"expires_in":"60"}""", "The field `expires_in` must be a whole number of seconds from 1 to 315360000"),
            ("""{"subject":"s","roles":["user"],"expires_in":315360001}""", "The field `expires_in` must be a whole number of seconds from 1 to 315360000"),
            ("""{"subject":"s","roles":["user"],"expires_in":99999999999999999999999}""", "The field `expires_in` must be a whole number of seconds from 1 to 315360000"),
            ("[]", "The request body must be a JSON object"),
            ("{", "The request body is not valid JSON"),
            ("""{"subject":"\ud800","roles":["user"]}""", "The request body contains text that is not valid Unicode (malformed UTF-8 or an unpaired surrogate escape)"),
        };

        foreach (var (json, message) in bodies)
        {
            using var response = await app.SendAsync(HttpMethod.Post, "/v1/api-keys", admin, json);
            Assert.True(response.StatusCode == HttpStatusCode.BadRequest, json);
            Json.Equal($$"""{"error":"Bad Request","message":{{System.Text.Json.JsonSerializer.Serialize(message)}}}""", await Json.ReadAsync(response));
        }

        using (var form = TestApp.Request(HttpMethod.Post, "/v1/api-keys", admin))
        {
            form.Content = new StringContent("subject=s&roles=user", Encoding.UTF8, "application/x-www-form-urlencoded");
            using var response = await app.Client.SendAsync(form);
            Assert.Equal("The request body must have Content-Type application/json", (await Json.ReadAsync(response)).GetProperty("message").GetString());
        }

        foreach (var (query, message) in new[]
        {
            ("?subject=a&subject=b", "The query parameter `subject` must be given at most once"),
            ("?subject=", "The query parameter `subject` must be 1 to 256 characters without control characters"),
            ("?subject=%00", "The query parameter `subject` must be 1 to 256 characters without control characters"),
        })
        {
            using var response = await app.SendAsync(HttpMethod.Get, "/v1/api-keys" + query, admin);
            Assert.True(response.StatusCode == HttpStatusCode.BadRequest, query);
            Assert.Equal(message, (await Json.ReadAsync(response)).GetProperty("message").GetString());
        }

        using var list = await app.SendAsync(HttpMethod.Get, "/v1/api-keys", admin);
        Json.Equal("[]", await Json.ReadAsync(list));
        using var unknown = await app.SendAsync(HttpMethod.Delete, "/v1/api-keys/%FF", admin);
        Assert.Equal(HttpStatusCode.NotFound, unknown.StatusCode);
    }
}
