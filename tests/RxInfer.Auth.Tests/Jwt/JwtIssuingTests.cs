using Microsoft.Extensions.DependencyInjection;
using RxInfer.Auth;
using static RxInfer.Auth.Tests.Jwt.JwtTestKeys;

namespace RxInfer.Auth.Tests.Jwt;

/// <summary>What an issued JWT carries, for each algorithm.</summary>
public sealed class JwtIssuingTests
{
    [Fact]
    public async Task Issued_token_carries_the_RFC_9068_header_and_claims()
    {
        using var jwt = JwtHarness.Hs256();
        var issued = await jwt.IssueAsync("alice", "admin");

        var header = DecodeSegment(Segments(issued.Token)[0]);
        var payload = DecodeSegment(Segments(issued.Token)[1]);
        Assert.Equal("at+jwt", header.GetProperty("typ").GetString());
        Assert.Equal("hs-1", header.GetProperty("kid").GetString());
        Assert.Equal("HS256", header.GetProperty("alg").GetString());
        Assert.Equal("rxinfer", payload.GetProperty("iss").GetString());
        Assert.Equal("rxinfer", payload.GetProperty("aud").GetString());
        Assert.Equal("alice", payload.GetProperty("sub").GetString());
        Assert.Equal(issued.Identity.TokenId, payload.GetProperty("jti").GetString());
        Assert.Equal(TestClock.Start.ToUnixTimeSeconds(), payload.GetProperty("iat").GetInt64());
        Assert.Equal(TestClock.Start.ToUnixTimeSeconds(), payload.GetProperty("nbf").GetInt64());
        Assert.Equal(TestClock.Start.AddHours(1).ToUnixTimeSeconds(), payload.GetProperty("exp").GetInt64());
        Assert.Equal(System.Text.Json.JsonValueKind.Array, payload.GetProperty("roles").ValueKind);
        Assert.Equal(["admin"], payload.GetProperty("roles").EnumerateArray().Select(r => r.GetString()));
        Assert.Equal(TestClock.Start.AddHours(1), issued.Identity.ExpiresAt);
        Assert.Equal("jwt", issued.Identity.IssuedBy);
    }

    [Fact]
    public async Task Api_keys_are_not_issued_as_JWTs()
    {
        using var jwt = JwtHarness.Hs256();

        await Assert.ThrowsAsync<ArgumentException>(() =>
            jwt.Issuer.IssueAsync(new TokenRequest("alice", ["user"]) { Kind = TokenKind.ApiKey }).AsTask());
    }

    [Theory]
    [InlineData("RS256")]
    [InlineData("ES256")]
    public async Task Asymmetric_keys_issue_and_validate(string algorithm)
    {
        using var jwt = JwtHarness.Create(options =>
        {
            options.Keys = [algorithm == "RS256" ? TestKeys.Rs256() : TestKeys.Es256()];
            options.ClockSkew = TimeSpan.Zero;
        });
        var issued = await jwt.IssueAsync();

        Assert.Equal(algorithm, DecodeSegment(Segments(issued.Token)[0]).GetProperty("alg").GetString());
        Assert.True((await jwt.ValidateAsync(issued.Token)).IsValid);
    }
}
