using Microsoft.AspNetCore.Authentication;
using Microsoft.AspNetCore.Http;
using RxInfer.Auth;

namespace RxInfer.Hosting.AspNetCore;

/// <summary>
/// The context of <see cref="RxInferBearerEvents.OnTokenValidated"/>: the token's identity and the principal built
/// from it (<see cref="ResultContext{TOptions}.Principal"/>, which a handler may change or replace).
/// </summary>
public sealed class RxInferTokenValidatedContext : ResultContext<RxInferBearerOptions>
{
    /// <summary>Creates the context.</summary>
    /// <param name="context">The request.</param>
    /// <param name="scheme">The scheme.</param>
    /// <param name="options">The scheme's options.</param>
    /// <param name="identity">The validated token's identity.</param>
    public RxInferTokenValidatedContext(HttpContext context, AuthenticationScheme scheme, RxInferBearerOptions options, TokenIdentity identity)
        : base(context, scheme, options)
    {
        ArgumentNullException.ThrowIfNull(identity);
        Identity = identity;
    }

    /// <summary>The validated token's identity (subject, token id, roles, expiry; never the token).</summary>
    public TokenIdentity Identity { get; }
}
