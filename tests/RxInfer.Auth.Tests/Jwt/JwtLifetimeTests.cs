using static RxInfer.Auth.Tests.Jwt.JwtTestKeys;

namespace RxInfer.Auth.Tests.Jwt;

/// <summary>
/// A JWT is accepted only with a lifetime that revocation covers: <c>exp - iat</c> (and <c>exp - nbf</c>) at most
/// <c>MaxLifetime + ClockSkew</c>, and an <c>iat</c> no further ahead than the skew. Revocations are kept long enough
/// for every token accepted before them to have expired, so a revoked token never becomes valid again.
/// </summary>
public sealed class JwtLifetimeTests
{
    private static readonly TimeSpan MaxLifetime = TimeSpan.FromMinutes(10);

    private static JwtHarness Create(int skewSeconds) => JwtHarness.Create(
        options =>
        {
            options.Keys = [TestKeys.Hs256()];
            options.ClockSkew = TimeSpan.FromSeconds(skewSeconds);
            options.MaxLifetime = MaxLifetime;
        },
        auth: auth => auth.AccessTokenLifetime = TimeSpan.FromMinutes(5));

    /// <summary>A token signed with the ring's key: issued at <c>now + iatOffset</c>, with <c>nbf</c> as given (null: none), living <paramref name="lifetime"/> from its iat.</summary>
    private static string Forge(DateTimeOffset now, TimeSpan lifetime, TimeSpan iatOffset = default, TimeSpan? nbfOffset = null)
    {
        var payload = Payload(now);
        var iat = now + iatOffset;
        payload["iat"] = iat.ToUnixTimeSeconds();
        payload["exp"] = (iat + lifetime).ToUnixTimeSeconds();
        if (nbfOffset is { } nbf)
        {
            payload["nbf"] = (now + nbf).ToUnixTimeSeconds();
        }
        else
        {
            payload.Remove("nbf");
        }

        return SignHs256(Header(), payload, TestKeys.HmacSecret);
    }

    [Theory]
    [InlineData(0)]
    [InlineData(30)]
    [InlineData(300)]
    public async Task A_lifetime_of_exactly_MaxLifetime_plus_the_skew_is_valid(int skew)
    {
        using var jwt = Create(skew);

        var outcome = await jwt.ValidateAsync(Forge(jwt.Time.GetUtcNow(), MaxLifetime + TimeSpan.FromSeconds(skew), nbfOffset: TimeSpan.Zero));

        Assert.True(outcome.IsValid, outcome.ToString());
    }

    [Theory]
    [InlineData(0)]
    [InlineData(30)]
    [InlineData(300)]
    public async Task A_lifetime_one_second_over_MaxLifetime_plus_the_skew_is_too_long(int skew)
    {
        using var jwt = Create(skew);

        var reason = await jwt.ReasonAsync(Forge(jwt.Time.GetUtcNow(), MaxLifetime + TimeSpan.FromSeconds(skew + 1), nbfOffset: TimeSpan.Zero));

        Assert.Equal(TokenRejectionReason.LifetimeTooLong, reason);
    }

    [Fact]
    public async Task A_lifetime_one_second_too_long_is_refused_without_nbf_too()
    {
        using var jwt = Create(30);

        Assert.Equal(TokenRejectionReason.LifetimeTooLong, await jwt.ReasonAsync(Forge(jwt.Time.GetUtcNow(), MaxLifetime + TimeSpan.FromSeconds(31))));
        Assert.True((await jwt.ValidateAsync(Forge(jwt.Time.GetUtcNow(), MaxLifetime + TimeSpan.FromSeconds(30)))).IsValid);
    }

    [Fact]
    public async Task An_nbf_earlier_than_iat_counts_in_the_lifetime()
    {
        using var jwt = Create(30);

        // exp - iat is exactly the longest accepted, but exp - nbf is a minute longer.
        var reason = await jwt.ReasonAsync(Forge(jwt.Time.GetUtcNow(), MaxLifetime + TimeSpan.FromSeconds(30), nbfOffset: TimeSpan.FromMinutes(-1)));

        Assert.Equal(TokenRejectionReason.LifetimeTooLong, reason);
    }

    [Fact]
    public async Task A_token_signed_for_thirty_days_is_too_long_from_its_first_use()
    {
        using var jwt = Create(30);

        Assert.Equal(TokenRejectionReason.LifetimeTooLong, await jwt.ReasonAsync(Forge(jwt.Time.GetUtcNow(), TimeSpan.FromDays(30), nbfOffset: TimeSpan.Zero)));
    }

    [Theory]
    [InlineData(0)]
    [InlineData(30)]
    public async Task An_iat_at_now_plus_the_skew_is_valid(int skew)
    {
        using var jwt = Create(skew);

        var outcome = await jwt.ValidateAsync(Forge(jwt.Time.GetUtcNow(), TimeSpan.FromMinutes(5), iatOffset: TimeSpan.FromSeconds(skew)));

        Assert.True(outcome.IsValid, outcome.ToString());
    }

    [Theory]
    [InlineData(0)]
    [InlineData(30)]
    public async Task An_iat_one_second_beyond_the_skew_is_not_yet_valid(int skew)
    {
        using var jwt = Create(skew);

        var reason = await jwt.ReasonAsync(Forge(jwt.Time.GetUtcNow(), TimeSpan.FromMinutes(5), iatOffset: TimeSpan.FromSeconds(skew + 1)));

        Assert.Equal(TokenRejectionReason.NotYetValid, reason);
    }

    [Fact]
    public async Task A_token_issued_in_the_future_becomes_valid_once_its_iat_is_within_the_skew()
    {
        using var jwt = Create(30);
        var token = Forge(jwt.Time.GetUtcNow(), TimeSpan.FromMinutes(5), iatOffset: TimeSpan.FromMinutes(2));

        Assert.Equal(TokenRejectionReason.NotYetValid, await jwt.ReasonAsync(token));
        jwt.Time.Advance(TimeSpan.FromSeconds(89));
        Assert.Equal(TokenRejectionReason.NotYetValid, await jwt.ReasonAsync(token));
        jwt.Time.Advance(TimeSpan.FromSeconds(1));
        Assert.True((await jwt.ValidateAsync(token)).IsValid);
    }

    [Theory]
    [InlineData(630, 0)] // the longest accepted lifetime
    [InlineData(630, 30)] // ... with the iat as far ahead as accepted: the worst case revocation must outlive
    [InlineData(631, 0)] // one second too long
    [InlineData(2 * 24 * 3600, 0)] // longer than any this host issues
    [InlineData(30 * 24 * 3600, 30)]
    public async Task A_revoked_token_never_becomes_valid_again_after_its_revocation_is_forgotten(int lifetimeSeconds, int iatAheadSeconds)
    {
        using var jwt = Create(30);
        var start = jwt.Time.GetUtcNow();
        var token = Forge(start, TimeSpan.FromSeconds(lifetimeSeconds), iatOffset: TimeSpan.FromSeconds(iatAheadSeconds), nbfOffset: TimeSpan.FromSeconds(iatAheadSeconds));
        Assert.Equal(lifetimeSeconds <= 630, (await jwt.ValidateAsync(token)).IsValid); // accepted before its revocation when not too long
        var jti = DecodeSegment(Segments(token)[1]).GetProperty("jti").GetString()!;

        await jwt.Revoker.RevokeAsync(jti);

        // Every 10 seconds through the first hour (the revocation is kept for MaxLifetime plus a few skews), then
        // hourly until the token's own expiry and past it.
        var end = start + TimeSpan.FromSeconds(iatAheadSeconds + lifetimeSeconds + 60);
        for (var at = start; at <= end; at += at < start + TimeSpan.FromHours(1) ? TimeSpan.FromSeconds(10) : TimeSpan.FromHours(1))
        {
            jwt.Time.SetUtcNow(at);
            var outcome = await jwt.ValidateAsync(token);
            Assert.False(outcome.IsValid, $"valid again {at - start} after its revocation");
        }
    }

    [Fact]
    public async Task A_revocation_is_kept_until_the_worst_case_token_accepted_before_it_has_expired()
    {
        const int Skew = 30;
        using var jwt = Create(Skew);
        var start = jwt.Time.GetUtcNow();
        // Accepted at start: its iat is as far ahead and its lifetime as long as accepted.
        var token = Forge(start, MaxLifetime + TimeSpan.FromSeconds(Skew), iatOffset: TimeSpan.FromSeconds(Skew), nbfOffset: TimeSpan.FromSeconds(Skew));
        Assert.True((await jwt.ValidateAsync(token)).IsValid);
        var jti = DecodeSegment(Segments(token)[1]).GetProperty("jti").GetString()!;
        var lastValidSecond = start + TimeSpan.FromSeconds(Skew) + MaxLifetime + TimeSpan.FromSeconds(Skew) + TimeSpan.FromSeconds(Skew - 1); // exp + skew, exclusive
        await jwt.Revoker.RevokeAsync(jti);

        jwt.Time.SetUtcNow(lastValidSecond);
        Assert.Equal(TokenRejectionReason.Revoked, await jwt.ReasonAsync(token));
        jwt.Time.SetUtcNow(lastValidSecond + TimeSpan.FromSeconds(1));
        Assert.Equal(TokenRejectionReason.Expired, await jwt.ReasonAsync(token));
    }

    [Fact]
    public async Task Tokens_this_host_issues_with_the_longest_lifetime_are_valid()
    {
        using var jwt = Create(0);

        var issued = await jwt.Issuer.IssueAsync(new TokenRequest("alice", ["user"]) { Lifetime = MaxLifetime });

        Assert.True((await jwt.ValidateAsync(issued.Token)).IsValid);
    }

    [Fact]
    public async Task A_MaxLifetime_of_a_fraction_of_a_second_still_accepts_the_tokens_it_allows()
    {
        // Issued lifetimes are rounded up to whole seconds, as JWT times are; the longest accepted is rounded up too.
        using var jwt = JwtHarness.Create(
            options => (options.Keys, options.ClockSkew, options.MaxLifetime) = ([TestKeys.Hs256()], TimeSpan.Zero, TimeSpan.FromSeconds(90.5)),
            auth: auth => auth.AccessTokenLifetime = TimeSpan.FromSeconds(30));

        var issued = await jwt.Issuer.IssueAsync(new TokenRequest("alice", ["user"]) { Lifetime = TimeSpan.FromSeconds(90.5) });

        Assert.True((await jwt.ValidateAsync(issued.Token)).IsValid);
    }
}
