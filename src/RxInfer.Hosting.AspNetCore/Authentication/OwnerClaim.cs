using System.Security.Claims;

namespace RxInfer.Hosting.AspNetCore;

/// <summary>
/// The <see cref="RxInferClaimTypes.Owner"/> claim: written by the bearer scheme for the token of an external OpenID
/// Connect issuer (its issuer and subject together, <see cref="RxInfer.Auth.TokenIdentity.Owner"/>), read by every
/// endpoint that needs whose resources these are. Our own tokens carry none: their subject is their owner.
/// </summary>
internal static class OwnerClaim
{
    /// <summary>The claim, issued by <paramref name="issuer"/>, for <paramref name="subject"/> to add.</summary>
    public static Claim Create(string owner, string issuer, ClaimsIdentity subject) =>
        new(RxInferClaimTypes.Owner, owner, ClaimValueTypes.String, issuer, issuer, subject);

    /// <summary>The owner key of the principal: its owner claim, else its subject claim.</summary>
    public static string Read(ClaimsPrincipal user) =>
        user.FindFirstValue(RxInferClaimTypes.Owner)
        ?? user.FindFirstValue(RxInferClaimTypes.Subject)
        ?? throw new InvalidOperationException("The authenticated principal has no subject claim; the RxInfer endpoints need the RxInfer bearer scheme.");
}
