using Microsoft.Extensions.DependencyInjection;
using RxInfer.Auth;
using static RxInfer.Auth.Tests.Jwt.JwtTestKeys;

namespace RxInfer.Auth.Tests.Jwt;

/// <summary>Issuer, audience, <c>typ</c> and the required claims of a presented JWT.</summary>
public sealed class JwtClaimValidationTests
{
    [Fact]
    public async Task Wrong_issuer_is_rejected()
    {
        using var jwt = JwtHarness.Hs256();
        var payload = Payload(TestClock.Start);
        payload["iss"] = "someone-else";

        Assert.Equal(TokenRejectionReason.InvalidIssuer, await jwt.ReasonAsync(SignHs256(Header(), payload, TestKeys.HmacSecret)));
    }

    [Fact]
    public async Task Wrong_audience_is_rejected()
    {
        using var jwt = JwtHarness.Hs256();
        var payload = Payload(TestClock.Start);
        payload["aud"] = "another-api";

        Assert.Equal(TokenRejectionReason.InvalidAudience, await jwt.ReasonAsync(SignHs256(Header(), payload, TestKeys.HmacSecret)));
    }

    [Theory]
    [InlineData("JWT")]
    [InlineData("id+jwt")]
    public async Task Wrong_type_is_rejected(string typ)
    {
        using var jwt = JwtHarness.Hs256();

        Assert.Equal(TokenRejectionReason.InvalidType, await jwt.ReasonAsync(SignHs256(Header(typ: typ), Payload(TestClock.Start), TestKeys.HmacSecret)));
    }

    [Fact]
    public async Task Missing_type_is_rejected()
    {
        using var jwt = JwtHarness.Hs256();
        var header = new Dictionary<string, object> { ["alg"] = "HS256", ["kid"] = "hs-1" };

        Assert.Equal(TokenRejectionReason.InvalidType, await jwt.ReasonAsync(SignHs256(header, Payload(TestClock.Start), TestKeys.HmacSecret)));
    }

    [Fact]
    public async Task Issuer_and_audience_come_from_the_options()
    {
        using var otherIssuer = JwtHarness.Hs256(options => options.Issuer = "auth.example");
        using var otherAudience = JwtHarness.Hs256(options => options.Audience = "models.example");
        using var defaults = JwtHarness.Hs256();
        var fromOtherIssuer = await otherIssuer.IssueAsync();
        var forOtherAudience = await otherAudience.IssueAsync();

        Assert.True((await otherIssuer.ValidateAsync(fromOtherIssuer.Token)).IsValid);
        Assert.True((await otherAudience.ValidateAsync(forOtherAudience.Token)).IsValid);
        Assert.Equal(TokenRejectionReason.InvalidIssuer, await defaults.ReasonAsync(fromOtherIssuer.Token));
        Assert.Equal(TokenRejectionReason.InvalidAudience, await defaults.ReasonAsync(forOtherAudience.Token));
    }

    [Theory]
    [InlineData("sub")]
    [InlineData("jti")]
    [InlineData("roles")]
    [InlineData("iat")]
    public async Task Missing_required_claim_is_invalid_claims(string claim)
    {
        using var jwt = JwtHarness.Hs256();
        var payload = Payload(TestClock.Start);
        payload.Remove(claim);

        Assert.Equal(TokenRejectionReason.InvalidClaims, await jwt.ReasonAsync(SignHs256(Header(), payload, TestKeys.HmacSecret)));
    }

    [Fact]
    public async Task Missing_exp_is_invalid_claims()
    {
        using var jwt = JwtHarness.Hs256();
        var payload = Payload(TestClock.Start);
        payload.Remove("exp");

        Assert.Equal(TokenRejectionReason.InvalidClaims, await jwt.ReasonAsync(SignHs256(Header(), payload, TestKeys.HmacSecret)));
    }

    [Fact]
    public async Task Not_before_after_expiry_is_invalid_claims_even_inside_the_skew()
    {
        // With 30 s of skew both ends are open at Start: nbf - 30 s <= Start < exp + 30 s. JsonWebTokenHandler refuses
        // such a token (its lifetime is empty); so must we.
        using var jwt = JwtHarness.Hs256(options => options.ClockSkew = TimeSpan.FromSeconds(30));
        var payload = Payload(TestClock.Start);
        payload["nbf"] = TestClock.Start.AddSeconds(10).ToUnixTimeSeconds();
        payload["exp"] = TestClock.Start.AddSeconds(5).ToUnixTimeSeconds();

        Assert.Equal(TokenRejectionReason.InvalidClaims, await jwt.ReasonAsync(SignHs256(Header(), payload, TestKeys.HmacSecret)));
    }

    [Theory]
    [InlineData("roles", "admin")]
    [InlineData("sub", 42)]
    [InlineData("jti", "")]
    public async Task Claim_of_the_wrong_type_is_invalid_claims(string claim, object value)
    {
        using var jwt = JwtHarness.Hs256();
        var payload = Payload(TestClock.Start);
        payload[claim] = value;

        Assert.Equal(TokenRejectionReason.InvalidClaims, await jwt.ReasonAsync(SignHs256(Header(), payload, TestKeys.HmacSecret)));
    }

    [Fact]
    public async Task Roles_holding_a_non_string_are_invalid_claims()
    {
        using var jwt = JwtHarness.Hs256();
        var payload = Payload(TestClock.Start);
        payload["roles"] = new object[] { "user", 7 };

        Assert.Equal(TokenRejectionReason.InvalidClaims, await jwt.ReasonAsync(SignHs256(Header(), payload, TestKeys.HmacSecret)));
    }
}
