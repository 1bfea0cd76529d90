using System.Globalization;
using System.Security.Claims;

namespace RxInfer.Hosting.AspNetCore;

/// <summary>The <see cref="RxInferClaimTypes.ExpiresAt"/> claim: written by the bearer scheme, read by the model endpoints.</summary>
internal static class ExpiryClaim
{
    /// <summary>The claim, issued by <paramref name="issuer"/>, for <paramref name="subject"/> to add.</summary>
    public static Claim Create(DateTimeOffset expiresAt, string issuer, ClaimsIdentity subject) =>
        new(RxInferClaimTypes.ExpiresAt, expiresAt.ToUniversalTime().ToString("O", CultureInfo.InvariantCulture), ClaimValueTypes.DateTime, issuer, issuer, subject);

    /// <summary>The token's expiry, or <see langword="null"/> when the principal has no such claim or it does not parse.</summary>
    public static DateTimeOffset? Read(ClaimsPrincipal user) =>
        user.FindFirst(RxInferClaimTypes.ExpiresAt) is { } claim
        && DateTimeOffset.TryParseExact(claim.Value, "O", CultureInfo.InvariantCulture, DateTimeStyles.AssumeUniversal, out var expiresAt)
            ? expiresAt
            : null;
}
