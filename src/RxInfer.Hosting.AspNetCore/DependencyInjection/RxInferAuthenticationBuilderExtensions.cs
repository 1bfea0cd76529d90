using Microsoft.AspNetCore.Authentication;
using RxInfer.Hosting.AspNetCore;

namespace Microsoft.Extensions.DependencyInjection;

/// <summary>Adds the RxInfer bearer scheme to an <see cref="AuthenticationBuilder"/>.</summary>
public static class RxInferAuthenticationBuilderExtensions
{
    /// <summary>Adds the RxInfer bearer scheme as <see cref="RxInferDefaults.AuthenticationScheme"/>.</summary>
    /// <param name="builder">The authentication builder.</param>
    /// <returns>The builder.</returns>
    public static AuthenticationBuilder AddRxInferBearer(this AuthenticationBuilder builder) =>
        AddRxInferBearer(builder, RxInferDefaults.AuthenticationScheme, configure: null);

    /// <summary>Adds the RxInfer bearer scheme as <see cref="RxInferDefaults.AuthenticationScheme"/>.</summary>
    /// <param name="builder">The authentication builder.</param>
    /// <param name="configure">Configures the scheme.</param>
    /// <returns>The builder.</returns>
    public static AuthenticationBuilder AddRxInferBearer(this AuthenticationBuilder builder, Action<RxInferBearerOptions> configure) =>
        AddRxInferBearer(builder, RxInferDefaults.AuthenticationScheme, configure);

    /// <summary>
    /// Adds the RxInfer bearer scheme: <c>Authorization: Bearer &lt;token&gt;</c> checked by the registered
    /// <c>ITokenValidator</c>, roles from the registered <c>IRoleResolver</c> (register both with
    /// <c>services.AddRxInferAuth()</c>), and the contract's 401 body with an RFC 6750 challenge.
    /// </summary>
    /// <param name="builder">The authentication builder.</param>
    /// <param name="authenticationScheme">The scheme's name.</param>
    /// <param name="configure">Configures the scheme, if given.</param>
    /// <returns>The builder.</returns>
    public static AuthenticationBuilder AddRxInferBearer(this AuthenticationBuilder builder, string authenticationScheme, Action<RxInferBearerOptions>? configure)
    {
        ArgumentNullException.ThrowIfNull(builder);
        ArgumentException.ThrowIfNullOrEmpty(authenticationScheme);
        return builder.AddScheme<RxInferBearerOptions, RxInferBearerHandler>(authenticationScheme, displayName: null, configure);
    }
}
