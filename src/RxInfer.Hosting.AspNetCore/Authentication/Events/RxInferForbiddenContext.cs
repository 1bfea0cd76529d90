using Microsoft.AspNetCore.Authentication;
using Microsoft.AspNetCore.Http;

namespace RxInfer.Hosting.AspNetCore;

/// <summary>The context of <see cref="RxInferBearerEvents.OnForbidden"/>, before the scheme writes its 403.</summary>
/// <param name="context">The request.</param>
/// <param name="scheme">The scheme.</param>
/// <param name="options">The scheme's options.</param>
/// <param name="properties">The properties of the forbid call.</param>
public sealed class RxInferForbiddenContext(HttpContext context, AuthenticationScheme scheme, RxInferBearerOptions options, AuthenticationProperties properties)
    : PropertiesContext<RxInferBearerOptions>(context, scheme, options, properties)
{
    /// <summary>Whether a handler wrote the response itself (see <see cref="HandleResponse"/>).</summary>
    public bool Handled { get; private set; }

    /// <summary>Keeps the scheme from writing its own 403: call it after writing a response of your own.</summary>
    public void HandleResponse() => Handled = true;
}
