using System.ComponentModel.DataAnnotations;

namespace RxInfer.Auth;

/// <summary>
/// Options of the signed-JWT access-token provider (<c>AddJwtTokens</c>), bound from <c>RxInfer:Auth:Jwt</c>.
/// Tokens are RFC 9068 access tokens (<c>typ: at+jwt</c>) signed with one key of <see cref="Keys"/>; every key of
/// the ring validates, so a key can be retired (no longer signing) while its tokens live out their lifetime.
/// </summary>
public sealed class JwtTokenOptions
{
    /// <summary>The default of <see cref="MaxTokenLength"/>: 8192 characters.</summary>
    public const int DefaultMaxTokenLength = 8192;

    /// <summary>The default of <see cref="CacheSize"/>: 10,000 tokens.</summary>
    public const int DefaultCacheSize = 10_000;

    /// <summary>The largest allowed <see cref="ClockSkew"/>: 5 minutes.</summary>
    public static readonly TimeSpan MaxClockSkew = TimeSpan.FromMinutes(5);

    /// <summary>The issuer (<c>iss</c>) written into tokens and required of presented tokens. Defaults to <c>rxinfer</c>.</summary>
    [Required]
    public string Issuer { get; set; } = "rxinfer";

    /// <summary>The audience (<c>aud</c>) written into tokens and required of presented tokens. Defaults to <c>rxinfer</c>.</summary>
    [Required]
    public string Audience { get; set; } = "rxinfer";

    /// <summary>
    /// The key ring: every key validates tokens that name it in their <c>kid</c> header; <see cref="SigningKeyId"/>
    /// chooses the one that signs. The algorithms of these keys are the only ones accepted. Defaults to empty,
    /// which fails validation at start unless <see cref="GenerateEphemeralKey"/> is set.
    /// </summary>
#pragma warning disable CA1819 // An array binds from configuration by replacement; a list would append to the default.
    public JwtSigningKeyOptions[] Keys { get; set; } = [];
#pragma warning restore CA1819

    /// <summary>
    /// The <see cref="JwtSigningKeyOptions.KeyId"/> of the key that signs new tokens; it must hold a private key
    /// (or an HS256 secret). Defaults to <see langword="null"/>: the first key of <see cref="Keys"/>.
    /// </summary>
    public string? SigningKeyId { get; set; }

    /// <summary>
    /// How far the clocks of issuer and validator may disagree, from zero to 5 minutes. A token is accepted from
    /// <c>nbf - ClockSkew</c> (inclusive) until <c>exp + ClockSkew</c> (exclusive). Defaults to 30 seconds.
    /// </summary>
    [Range(typeof(TimeSpan), "00:00:00", "00:05:00")]
    public TimeSpan ClockSkew { get; set; } = TimeSpan.FromSeconds(30);

    /// <summary>
    /// The longest token text accepted; longer text is rejected as <see cref="TokenRejectionReason.TooLarge"/> without
    /// being parsed. Defaults to 8192 characters.
    /// </summary>
    [Range(1, int.MaxValue)]
    public int MaxTokenLength { get; set; } = DefaultMaxTokenLength;

    /// <summary>
    /// How many validated tokens are remembered, so a client that reuses its token pays the signature check once.
    /// Expiry and revocation are checked again on every use. Zero turns the cache off. Defaults to 10,000.
    /// </summary>
    [Range(0, int.MaxValue)]
    public int CacheSize { get; set; } = DefaultCacheSize;

    /// <summary>
    /// The longest lifetime a token may be issued with (<see cref="TokenRequest.Lifetime"/>); the configured
    /// <see cref="RxInferAuthOptions.AccessTokenLifetime"/> is always allowed. A presented token whose lifetime
    /// (<c>exp - iat</c>, or <c>exp - nbf</c>) is longer than this plus <see cref="ClockSkew"/> is refused as
    /// <see cref="TokenRejectionReason.LifetimeTooLong"/>, and revocations are kept until every token accepted before
    /// them has expired (this lifetime plus three skews and a second), so a revoked token never becomes valid again.
    /// Defaults to 1 day.
    /// </summary>
    public TimeSpan MaxLifetime { get; set; } = TimeSpan.FromDays(1);

    /// <summary>
    /// Development only: when <see cref="Keys"/> is empty, generate an ES256 key in memory at start (and log a
    /// warning). Its tokens do not survive a restart and other processes cannot validate them. Allowed only when the
    /// host's environment (<c>IHostEnvironment</c>) is <c>Development</c>: in any other environment, or with no
    /// environment registered, the host fails at start. Ignored when <see cref="Keys"/> has keys.
    /// Defaults to <see langword="false"/>.
    /// </summary>
    public bool GenerateEphemeralKey { get; set; }
}
