using Microsoft.Extensions.DependencyInjection.Extensions;
using Microsoft.Extensions.Options;
using RxInfer.Auth;

namespace Microsoft.Extensions.DependencyInjection;

/// <summary>Accepts the access tokens of external OpenID Connect issuers beside our own.</summary>
public static class OpenIdConnectBuilderExtensions
{
    /// <summary>
    /// Accepts the access tokens of the OpenID Connect issuer at <see cref="OpenIdConnectIssuerOptions.Authority"/>
    /// beside the tokens of our own provider (opaque or JWT), which keeps issuing and its own <c>iss</c>. A presented
    /// token goes to this issuer when its <c>iss</c> is the issuer's. Its identity owns instances by
    /// <paramref name="name"/> and subject together (<see cref="TokenIdentity.Owner"/>), so it never shares an owner
    /// with our subjects or another issuer's. Options bind from <c>OpenIdConnect:&lt;name&gt;</c> of the configuration
    /// given to <c>AddRxInferAuth</c>, then <paramref name="configure"/> applies; they are validated at start. Call it
    /// once per issuer.
    /// </summary>
    /// <param name="builder">The auth builder.</param>
    /// <param name="name">The registration's name: letters, digits, <c>.</c>, <c>_</c> and <c>-</c>, at most 64 characters,
    /// unique; it becomes part of the owner key of this issuer's users, so keep it stable.</param>
    /// <param name="configure">Configures the issuer, if given.</param>
    /// <returns>The builder.</returns>
    /// <exception cref="ArgumentException"><paramref name="name"/> is not a valid name, or is registered already.</exception>
    public static RxInferAuthBuilder AddOpenIdConnectIssuer(this RxInferAuthBuilder builder, string name, Action<OpenIdConnectIssuerOptions>? configure = null)
    {
        ArgumentNullException.ThrowIfNull(builder);
        ArgumentNullException.ThrowIfNull(name);
        if (name.Length is 0 or > 64 || !name.All(static c => char.IsAsciiLetterOrDigit(c) || c is '.' or '_' or '-'))
        {
            throw new ArgumentException($"The issuer name '{name}' must be 1 to 64 letters, digits, '.', '_' or '-'.", nameof(name));
        }

        var services = builder.Services;
        var issuers = services.FirstOrDefault(static d => d.ServiceType == typeof(OpenIdConnectIssuers))?.ImplementationInstance as OpenIdConnectIssuers;
        if (issuers is null)
        {
            issuers = new OpenIdConnectIssuers();
            services.AddSingleton(issuers);
        }

        if (issuers.Names.Contains(name, StringComparer.Ordinal))
        {
            throw new ArgumentException($"An OpenID Connect issuer named '{name}' is registered already.", nameof(name));
        }

        issuers.Names.Add(name);
        services.AddOptions<OpenIdConnectIssuerOptions>(name).ValidateOnStart();
        if (builder.Configuration is { } configuration)
        {
            services.Configure<OpenIdConnectIssuerOptions>(name, configuration.GetSection("OpenIdConnect").GetSection(name));
        }

        if (configure is not null)
        {
            services.Configure(name, configure);
        }

        services.AddHttpClient(OpenIdConnectIssuers.HttpClientName(name));
        services.TryAddEnumerable(ServiceDescriptor.Singleton<IValidateOptions<OpenIdConnectIssuerOptions>, OpenIdConnectIssuerOptionsValidator>());
        services.TryAddEnumerable(ServiceDescriptor.Singleton<IValidateOptions<OpenIdConnectIssuerOptions>, OpenIdConnectIssuerOptionsCrossValidator>());
        services.TryAddSingleton<OpenIdConnectRouter>();
        return builder;
    }
}
