using System.Net;
using Microsoft.Extensions.DependencyInjection;
using RxInfer.Auth;

namespace RxInfer.Hosting.AspNetCore.Tests;

/// <summary><c>GET /token/roles</c> and the 401s of every bearer operation: no token, unknown, expired, revoked.</summary>
public abstract partial class HttpContractTests
{
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
}
