using Microsoft.AspNetCore.Authentication;
using Microsoft.AspNetCore.Http;
using RxInfer.Auth;

namespace RxInfer.Hosting.AspNetCore;

/// <summary>The context of <see cref="RxInferBearerEvents.OnChallenge"/>, before the scheme writes its 401.</summary>
/// <param name="context">The request.</param>
/// <param name="scheme">The scheme.</param>
/// <param name="options">The scheme's options.</param>
/// <param name="properties">The challenge's properties.</param>
/// <param name="rejection">Why the presented token was rejected; <see cref="TokenRejectionReason.None"/> when none was presented.</param>
public sealed class RxInferChallengeContext(HttpContext context, AuthenticationScheme scheme, RxInferBearerOptions options, AuthenticationProperties properties, TokenRejectionReason rejection)
    : PropertiesContext<RxInferBearerOptions>(context, scheme, options, properties)
{
    /// <summary>Why the presented token was rejected; <see cref="TokenRejectionReason.None"/> when none was presented.</summary>
    public TokenRejectionReason Rejection { get; } = rejection;

    /// <summary>Whether a handler wrote the response itself (see <see cref="HandleResponse"/>).</summary>
    public bool Handled { get; private set; }

    /// <summary>Keeps the scheme from writing its own 401: call it after writing a response of your own.</summary>
    public void HandleResponse() => Handled = true;
}
