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

    /// <summary>The name of the provider that issued the token: <c>rxinfer:issued_by</c>.</summary>
    public const string IssuedBy = "rxinfer:issued_by";
}
