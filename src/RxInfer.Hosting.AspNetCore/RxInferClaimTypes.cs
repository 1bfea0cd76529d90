using System.Security.Claims;

namespace RxInfer.Hosting.AspNetCore;

/// <summary>The claim types of a principal authenticated by the RxInfer bearer scheme.</summary>
public static class RxInferClaimTypes
{
    /// <summary>The stable subject that owns resources: <see cref="ClaimTypes.NameIdentifier"/> (also the identity's name).</summary>
    public const string Subject = ClaimTypes.NameIdentifier;

    /// <summary>The token's id (never its text): <c>jti</c>.</summary>
    public const string TokenId = "jti";

    /// <summary>One role of the caller, as given by the role resolver: <see cref="ClaimTypes.Role"/>.</summary>
    public const string Role = ClaimTypes.Role;

    /// <summary>
    /// Whose resources the caller's are, when that is not its <see cref="Subject"/>: <c>rxinfer:owner</c>. Present only for
    /// the token of an external OpenID Connect issuer, whose <c>sub</c> is unique only within that issuer: the issuer's
    /// registered name and the subject around a reserved control character (<c>RxInfer.Auth.TokenOwner</c>), which no
    /// subject of ours may contain.
    /// </summary>
    public const string Owner = "rxinfer:owner";

    /// <summary>The name of the provider that issued the token: <c>rxinfer:issued_by</c>.</summary>
    public const string IssuedBy = "rxinfer:issued_by";

    /// <summary>
    /// When the token expires, in UTC, as ISO 8601 with ticks (<c>2026-01-02T03:04:05.0000000+00:00</c>; the largest
    /// <see cref="System.DateTimeOffset"/> for a token that never expires): <c>rxinfer:expires_at</c>. The model
    /// endpoints pass it on as <c>ModelCaller.TokenExpiresAt</c>, for the retention of the caller's instances.
    /// </summary>
    public const string ExpiresAt = "rxinfer:expires_at";
}
