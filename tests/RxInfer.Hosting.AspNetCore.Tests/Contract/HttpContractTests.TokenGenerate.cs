using System.Net;
using System.Net.Http.Headers;
using System.Text;
using System.Text.Json;
using Microsoft.Extensions.DependencyInjection;
using RxInfer.Auth;

namespace RxInfer.Hosting.AspNetCore.Tests;

/// <summary><c>POST /token/generate</c>: anonymous, bearer, development token, API key and basic credentials.</summary>
public abstract partial class HttpContractTests
{
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
}
