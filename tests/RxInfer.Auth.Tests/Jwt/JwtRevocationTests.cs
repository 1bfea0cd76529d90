using Microsoft.Extensions.DependencyInjection;
using RxInfer.Auth;

namespace RxInfer.Auth.Tests.Jwt;

/// <summary>Revocation by <c>jti</c> and by subject, cached or not, to the second.</summary>
public sealed class JwtRevocationTests
{
    [Fact]
    public async Task Cached_token_revoked_by_jti_fails_next_time()
    {
        using var jwt = JwtHarness.Hs256();
        var issued = await jwt.IssueAsync();
        Assert.True((await jwt.ValidateAsync(issued.Token)).IsValid);

        Assert.True(await jwt.Revoker.RevokeAsync(issued.Identity.TokenId));

        Assert.Equal(TokenRejectionReason.Revoked, await jwt.ReasonAsync(issued.Token));
        Assert.Equal(TokenRejectionReason.Revoked, await jwt.ReasonAsync(issued.Token));
    }

    [Fact]
    public async Task Cached_token_revoked_by_subject_fails_next_time_and_other_subjects_are_untouched()
    {
        using var jwt = JwtHarness.Hs256();
        var alice = await jwt.IssueAsync("alice");
        var bob = await jwt.IssueAsync("bob");
        Assert.True((await jwt.ValidateAsync(alice.Token)).IsValid);
        Assert.True((await jwt.ValidateAsync(bob.Token)).IsValid);

        Assert.Equal(0, await jwt.Revoker.RevokeSubjectAsync("alice"));

        Assert.Equal(TokenRejectionReason.Revoked, await jwt.ReasonAsync(alice.Token));
        Assert.True((await jwt.ValidateAsync(bob.Token)).IsValid);
    }

    [Fact]
    public async Task Token_issued_after_a_subject_revocation_is_valid_even_in_the_same_second()
    {
        // Issued in the same second, its iat is stamped one second later, which a clock skew of a second or more accepts.
        using var jwt = JwtHarness.Hs256(options => options.ClockSkew = TimeSpan.FromSeconds(1));
        var before = await jwt.IssueAsync("alice");
        await jwt.Revoker.RevokeSubjectAsync("alice");

        var after = await jwt.IssueAsync("alice");

        Assert.Equal(TokenRejectionReason.Revoked, await jwt.ReasonAsync(before.Token));
        Assert.True((await jwt.ValidateAsync(after.Token)).IsValid);
    }

    [Fact]
    public async Task Without_clock_skew_a_token_issued_in_the_second_of_its_subjects_revocation_is_valid_from_the_next_second()
    {
        using var jwt = JwtHarness.Hs256(); // no skew: an iat one second ahead is not accepted yet
        jwt.Time.Advance(TimeSpan.FromMilliseconds(400));
        await jwt.Revoker.RevokeSubjectAsync("alice");

        var after = await jwt.IssueAsync("alice");

        Assert.Equal(TokenRejectionReason.NotYetValid, await jwt.ReasonAsync(after.Token));
        jwt.Time.Advance(TimeSpan.FromMilliseconds(600));
        Assert.True((await jwt.ValidateAsync(after.Token)).IsValid);
    }

    [Fact]
    public async Task Second_subject_revocation_in_the_same_second_reaches_tokens_issued_between()
    {
        using var jwt = JwtHarness.Hs256(options => options.ClockSkew = TimeSpan.FromSeconds(5));
        await jwt.Revoker.RevokeSubjectAsync("alice");
        var between = await jwt.IssueAsync("alice");
        Assert.True((await jwt.ValidateAsync(between.Token)).IsValid);

        await jwt.Revoker.RevokeSubjectAsync("alice");
        var after = await jwt.IssueAsync("alice");

        Assert.Equal(TokenRejectionReason.Revoked, await jwt.ReasonAsync(between.Token));
        Assert.True((await jwt.ValidateAsync(after.Token)).IsValid);
    }

    [Fact]
    public async Task Revoked_token_never_validated_before_is_revoked()
    {
        using var jwt = JwtHarness.Hs256();
        var issued = await jwt.IssueAsync();
        await jwt.Revoker.RevokeAsync(issued.Identity.TokenId);

        Assert.Equal(TokenRejectionReason.Revoked, await jwt.ReasonAsync(issued.Token));
    }

    [Fact]
    public async Task Revocation_is_kept_until_the_token_has_expired_anyway()
    {
        using var jwt = JwtHarness.Hs256();
        var issued = await jwt.IssueAsync();
        await jwt.Revoker.RevokeAsync(issued.Identity.TokenId);

        jwt.Time.SetUtcNow(issued.Identity.ExpiresAt.AddSeconds(-1));
        Assert.Equal(TokenRejectionReason.Revoked, await jwt.ReasonAsync(issued.Token));
        jwt.Time.SetUtcNow(issued.Identity.ExpiresAt);
        Assert.Equal(TokenRejectionReason.Expired, await jwt.ReasonAsync(issued.Token));
    }
}
