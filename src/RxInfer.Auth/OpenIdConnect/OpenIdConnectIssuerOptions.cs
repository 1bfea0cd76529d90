using System.ComponentModel.DataAnnotations;

namespace RxInfer.Auth;

/// <summary>
/// Options of one external OpenID Connect issuer whose access tokens this host accepts
/// (<c>AddOpenIdConnectIssuer(name, ...)</c>), bound from <c>RxInfer:Auth:OpenIdConnect:&lt;name&gt;</c>. The issuer's
/// discovery document and keys are fetched from <see cref="Authority"/> and refreshed; its tokens are recognised by
/// their <c>iss</c> and checked for issuer, audience, algorithm, signature and lifetime, then mapped to a
/// <see cref="TokenIdentity"/> whose <see cref="TokenIdentity.Owner"/> is this registration's name and the subject together.
/// </summary>
public sealed class OpenIdConnectIssuerOptions
{
    /// <summary>The algorithms accepted when <see cref="Algorithms"/> is not set: <c>RS256</c> and <c>ES256</c>.</summary>
    public static readonly IReadOnlyList<string> DefaultAlgorithms = ["RS256", "ES256"];

    /// <summary>The algorithms that may be allowed: RSA (PKCS#1 and PSS) and ECDSA signatures; never <c>none</c>, never an HMAC.</summary>
    public static readonly IReadOnlyList<string> SupportedAlgorithms = ["RS256", "RS384", "RS512", "PS256", "PS384", "PS512", "ES256", "ES384", "ES512"];

    /// <summary>
    /// The issuer's base address, for example <c>https://login.example.com/realms/main</c>; its discovery document is
    /// read from <c>/.well-known/openid-configuration</c> below it unless <see cref="MetadataAddress"/> is set. Required.
    /// </summary>
    [Required]
    public string? Authority { get; set; }

    /// <summary>The address of the discovery document, when it is not below <see cref="Authority"/>. Defaults to <see langword="null"/>.</summary>
    public string? MetadataAddress { get; set; }

    /// <summary>
    /// The <c>iss</c> of the issuer's tokens, which is how a presented token is routed to this registration; it must
    /// also be the <c>issuer</c> of the discovery document (a trailing <c>/</c> aside). Defaults to <see langword="null"/>:
    /// <see cref="Authority"/>.
    /// </summary>
    public string? Issuer { get; set; }

    /// <summary>The audience (<c>aud</c>) the tokens must carry: this API's identifier at the issuer. Required.</summary>
    [Required]
    public string? Audience { get; set; }

    /// <summary>
    /// Whether the discovery document and keys must be fetched over HTTPS. Defaults to <see langword="true"/>; turn it
    /// off only for an issuer on the loopback interface in development or tests.
    /// </summary>
    public bool RequireHttpsMetadata { get; set; } = true;

    /// <summary>
    /// The signing algorithms accepted (<see cref="SupportedAlgorithms"/> only: never <c>none</c>, never <c>HS*</c>, which
    /// would let the issuer's public key act as a shared secret). Defaults to <see langword="null"/>: <see cref="DefaultAlgorithms"/>.
    /// </summary>
#pragma warning disable CA1819 // An array binds from configuration by replacement; a list would append to the default.
    public string[]? Algorithms { get; set; }

    /// <summary>The claim that holds the subject, which owns resources within this issuer. Defaults to <c>sub</c>.</summary>
    [Required]
    public string SubjectClaim { get; set; } = "sub";

    /// <summary>
    /// The claim that holds the roles: a JSON string (one role, or several separated by spaces when
    /// <see cref="RolesAreSpaceSeparated"/>), or an array of strings. Any other type rejects the token. A token without
    /// the claim has no roles. Defaults to <c>roles</c>.
    /// </summary>
    [Required]
    public string RoleClaim { get; set; } = "roles";

    /// <summary>
    /// Whether a string in <see cref="RoleClaim"/> holds several roles separated by spaces (as <c>scope</c> does).
    /// Defaults to <see langword="null"/>: only when <see cref="RoleClaim"/> is <c>scope</c> or <c>scp</c>.
    /// </summary>
    public bool? RolesAreSpaceSeparated { get; set; }

    /// <summary>
    /// Renames roles: an issuer's role that is a key here becomes the value (for example <c>rxinfer.user</c> to
    /// <c>user</c>); other roles are kept as they are. Defaults to empty.
    /// </summary>
    public Dictionary<string, string> RoleMap { get; set; } = new(StringComparer.Ordinal);

    /// <summary>
    /// When not empty, only these roles (after <see cref="RoleMap"/>) are kept; the others are dropped. Defaults to
    /// empty: every role is kept.
    /// </summary>
    public string[] AllowedRoles { get; set; } = [];
#pragma warning restore CA1819

    /// <summary>
    /// How far the clocks of the issuer and this host may disagree, from zero to 5 minutes: a token is accepted from
    /// <c>nbf - ClockSkew</c> (inclusive) until <c>exp + ClockSkew</c> (exclusive), as our own JWTs. Defaults to 30 seconds.
    /// </summary>
    [Range(typeof(TimeSpan), "00:00:00", "00:05:00")]
    public TimeSpan ClockSkew { get; set; } = TimeSpan.FromSeconds(30);

    /// <summary>
    /// The shortest time between two fetches of the issuer's keys caused by tokens whose <c>kid</c> is not in the cached
    /// key set: a token signed by a new key is accepted after one refresh, and a flood of tokens with forged <c>kid</c>s
    /// causes at most one fetch per interval. At least one second. Defaults to one minute.
    /// </summary>
    [Range(typeof(TimeSpan), "00:00:01", "1.00:00:00")]
    public TimeSpan KeyRefreshInterval { get; set; } = TimeSpan.FromMinutes(1);

    /// <summary>How often the discovery document and keys are fetched again anyway, from 5 minutes to 7 days. Defaults to 12 hours.</summary>
    [Range(typeof(TimeSpan), "00:05:00", "7.00:00:00")]
    public TimeSpan AutomaticRefreshInterval { get; set; } = TimeSpan.FromHours(12);

    /// <summary>How long one fetch of the discovery document or the keys may take, from one second to 2 minutes. Defaults to 10 seconds.</summary>
    [Range(typeof(TimeSpan), "00:00:01", "00:02:00")]
    public TimeSpan MetadataTimeout { get; set; } = TimeSpan.FromSeconds(10);

    /// <summary>The longest token text accepted; longer text is rejected as <see cref="TokenRejectionReason.TooLarge"/>. Defaults to 8192.</summary>
    [Range(1, 1_048_576)]
    public int MaxTokenLength { get; set; } = JwtTokenOptions.DefaultMaxTokenLength;
}
