using Microsoft.Extensions.DependencyInjection;
using RxInfer.Auth;
using static RxInfer.Auth.Tests.Jwt.JwtTestKeys;

namespace RxInfer.Auth.Tests.Jwt;

/// <summary><c>nbf</c>, <c>exp</c> and the clock skew.</summary>
public sealed class JwtValidityWindowTests
{
    [Fact]
    public async Task Clock_skew_extends_the_end_by_the_skew_and_keeps_it_exclusive()
    {
        using var jwt = JwtHarness.Hs256(options => options.ClockSkew = TimeSpan.FromSeconds(30));
        var issued = await jwt.IssueAsync();
        var exp = issued.Identity.ExpiresAt;

        jwt.Time.SetUtcNow(exp.AddSeconds(29));
        Assert.True((await jwt.ValidateAsync(issued.Token)).IsValid);

        jwt.Time.SetUtcNow(exp.AddSeconds(30));
        Assert.Equal(TokenRejectionReason.Expired, await jwt.ReasonAsync(issued.Token));
    }

    [Fact]
    public async Task Token_whose_nbf_is_beyond_the_skew_is_not_yet_valid()
    {
        using var jwt = JwtHarness.Hs256(options => options.ClockSkew = TimeSpan.FromSeconds(30));
        var early = Payload(TestClock.Start);
        early["nbf"] = TestClock.Start.AddSeconds(31).ToUnixTimeSeconds();
        var withinSkew = Payload(TestClock.Start);
        withinSkew["nbf"] = TestClock.Start.AddSeconds(30).ToUnixTimeSeconds();

        Assert.Equal(TokenRejectionReason.NotYetValid, await jwt.ReasonAsync(SignHs256(Header(), early, TestKeys.HmacSecret)));
        Assert.True((await jwt.ValidateAsync(SignHs256(Header(), withinSkew, TestKeys.HmacSecret))).IsValid);
    }

    [Fact]
    public async Task Not_yet_valid_token_becomes_valid_at_nbf()
    {
        using var jwt = JwtHarness.Hs256();
        var payload = Payload(TestClock.Start);
        payload["nbf"] = TestClock.Start.AddMinutes(1).ToUnixTimeSeconds();
        var token = SignHs256(Header(), payload, TestKeys.HmacSecret);

        Assert.Equal(TokenRejectionReason.NotYetValid, await jwt.ReasonAsync(token));
        jwt.Time.Advance(TimeSpan.FromMinutes(1));
        Assert.True((await jwt.ValidateAsync(token)).IsValid);
    }
}
