namespace RxInfer.Auth;

/// <summary>
/// The time rules of the JWT provider, in one place: whole seconds as in the JWT, the clock skew, the longest
/// lifetime a presented token may have, and how long a revocation must be remembered.
/// </summary>
/// <remarks>
/// <para>With clock skew <c>s</c>, a token is valid from <c>nbf - s</c> (inclusive) until <c>exp + s</c>
/// (exclusive), the window IdentityModel uses, but with the end exclusive as in <see cref="TokenIdentity.IsExpiredAt"/>.</para>
/// <para>Revocation is kept for a bounded time, so a token must not outlive it: <c>exp - iat</c> and <c>exp - nbf</c>
/// are at most <c>L = MaxLifetime + s</c> (<see cref="TokenRejectionReason.LifetimeTooLong"/>) and <c>iat</c> at most
/// <c>s</c> ahead of the clock (<see cref="TokenRejectionReason.NotYetValid"/>). A token accepted at or before a
/// revocation at <c>t</c> thus has <c>iat &lt;= t + s</c> and is expired from <c>t + s + L + s</c> on, before the
/// revocation may be forgotten (<see cref="KeepRevocationUntil"/>).</para>
/// </remarks>
internal sealed class JwtLifetimeRules
{
    private const long MaxEpochSeconds = 253_402_300_799; // 9999-12-31T23:59:59Z, the last second DateTimeOffset holds.

    public JwtLifetimeRules(TimeSpan skew, TimeSpan defaultLifetime, TimeSpan maxLifetime)
    {
        Skew = skew;
        DefaultLifetime = defaultLifetime;
        MaxLifetime = maxLifetime > defaultLifetime ? maxLifetime : defaultLifetime;
        MaxAcceptedLifetimeSeconds = (long)Math.Ceiling((MaxLifetime + skew).TotalSeconds); // issued lifetimes round up too
    }

    /// <summary>The clock skew allowed on every time claim.</summary>
    public TimeSpan Skew { get; }

    /// <summary>The lifetime of a token issued without one.</summary>
    public TimeSpan DefaultLifetime { get; }

    /// <summary>The longest lifetime this provider issues (at least <see cref="DefaultLifetime"/>).</summary>
    public TimeSpan MaxLifetime { get; }

    /// <summary>The longest <c>exp - iat</c> and <c>exp - nbf</c> a presented token may have, in whole seconds.</summary>
    public long MaxAcceptedLifetimeSeconds { get; }

    /// <summary>Whether <paramref name="seconds"/> is a time <see cref="DateTimeOffset"/> can hold (0 to the year 9999).</summary>
    public static bool IsEpochSeconds(long seconds) => seconds is >= 0 and <= MaxEpochSeconds;

    /// <summary><paramref name="time"/> rounded down to the whole second.</summary>
    public static DateTimeOffset WholeSeconds(DateTimeOffset time) =>
        new(time.UtcTicks - (time.UtcTicks % TimeSpan.TicksPerSecond), TimeSpan.Zero);

    /// <summary>Whether a token whose <c>exp</c> is <paramref name="expiresAt"/> is expired at <paramref name="now"/>: the end, plus the skew, is exclusive.</summary>
    public bool IsExpired(DateTimeOffset expiresAt, DateTimeOffset now) => now >= expiresAt + Skew;

    /// <summary>
    /// Until when a revocation made at <paramref name="from"/> is needed: a token accepted by then has <c>iat</c> at
    /// most a skew ahead and lives at most <c>MaxLifetime + skew</c>, and is expired a skew after its <c>exp</c>
    /// (plus a second for rounding to whole seconds).
    /// </summary>
    public DateTimeOffset KeepRevocationUntil(DateTimeOffset from) =>
        from + Skew + TimeSpan.FromSeconds(MaxAcceptedLifetimeSeconds) + Skew + TimeSpan.FromSeconds(1);

    /// <summary>
    /// The time claims of a token whose signature holds, against <paramref name="now"/>: <c>nbf</c> (when present) and
    /// <c>iat</c> at most the skew ahead, and a lifetime that revocation covers. Expiry is the re-check's.
    /// </summary>
    public TokenRejectionReason CheckTimes(long exp, long iat, long? nbf, DateTimeOffset now)
    {
        if ((nbf is { } notBefore && DateTimeOffset.FromUnixTimeSeconds(notBefore) - Skew > now) || DateTimeOffset.FromUnixTimeSeconds(iat) - Skew > now)
        {
            return TokenRejectionReason.NotYetValid;
        }

        if (exp - iat > MaxAcceptedLifetimeSeconds || (nbf is { } start && exp - start > MaxAcceptedLifetimeSeconds))
        {
            return TokenRejectionReason.LifetimeTooLong;
        }

        return TokenRejectionReason.None;
    }
}
