using Microsoft.AspNetCore.Authentication;
using Microsoft.AspNetCore.Http;

namespace RxInfer.Hosting.AspNetCore;

/// <summary>The context of <see cref="RxInferBearerEvents.OnMessageReceived"/>.</summary>
/// <param name="context">The request.</param>
/// <param name="scheme">The scheme.</param>
/// <param name="options">The scheme's options.</param>
public sealed class RxInferMessageReceivedContext(HttpContext context, AuthenticationScheme scheme, RxInferBearerOptions options)
    : ResultContext<RxInferBearerOptions>(context, scheme, options)
{
    /// <summary>
    /// The token to validate instead of the one in the <c>Authorization</c> header; <see langword="null"/> (the
    /// default) reads the header.
    /// </summary>
    public string? Token { get; set; }
}
