using Microsoft.Extensions.Configuration;
using Microsoft.Extensions.DependencyInjection.Extensions;
using RxInfer.Auth;
using RxInfer.Hosting.AspNetCore;
using RxInfer.OptionsValidation;

namespace Microsoft.Extensions.DependencyInjection;

/// <summary>Registers everything an RxInfer host needs in one call.</summary>
public static class RxInferServiceCollectionExtensions
{
    /// <summary>The configuration key that chooses the token provider: <c>RxInfer:Auth:Provider</c>.</summary>
    private const string ProviderKey = RxInferAuthDefaults.ConfigurationSection + ":Provider";

    /// <summary>
    /// Adds RxInfer authentication (<c>RxInfer:Auth</c>; the provider named by <c>RxInfer:Auth:Provider</c>,
    /// <c>Opaque</c> by default, or <c>Jwt</c>), the model catalogue and instances (<c>RxInfer:Models</c>), the
    /// RxInfer bearer scheme as the default authentication scheme with authorization, and the endpoints' options
    /// and error bodies (<c>RxInfer:Endpoints</c>). Then map the API with <c>app.MapGroup("/v1").MapRxInfer()</c>.
    /// </summary>
    /// <param name="services">The services.</param>
    /// <param name="configuration">The application's configuration (its root, not a section).</param>
    /// <returns>A builder to add models, the development token, a role resolver and the rest in code.</returns>
    /// <exception cref="InvalidOperationException"><c>RxInfer:Auth:Provider</c> names no known provider.</exception>
    public static RxInferBuilder AddRxInfer(this IServiceCollection services, IConfiguration configuration)
    {
        ArgumentNullException.ThrowIfNull(services);
        ArgumentNullException.ThrowIfNull(configuration);

        var auth = services.AddRxInferAuth(configuration.GetSection(RxInferAuthDefaults.ConfigurationSection));
        var provider = configuration[ProviderKey];
        if (string.IsNullOrWhiteSpace(provider) || provider.Trim().Equals("Opaque", StringComparison.OrdinalIgnoreCase))
        {
            auth.AddOpaqueTokens();
        }
        else if (provider.Trim().Equals("Jwt", StringComparison.OrdinalIgnoreCase))
        {
            auth.AddJwtTokens();
        }
        else
        {
            throw new InvalidOperationException($"{ProviderKey} is '{provider}'; use 'Opaque' (the default) or 'Jwt'.");
        }

        var models = services.AddRxInferModels(configuration.GetSection("RxInfer:Models"));
        services.AddRxInferAuthentication();
        var endpoints = configuration.GetSection("RxInfer:Endpoints");
        services.TryAddSingleton(OptionsSource<RxInferEndpointOptions>.BoundFrom(endpoints)); // validation messages name the configuration path
        services.AddRxInferEndpoints(options => endpoints.Bind(options));
        return new RxInferBuilder(services, auth, models);
    }
}
