using Microsoft.AspNetCore.Authentication;
using Microsoft.AspNetCore.Http;
using Microsoft.Extensions.DependencyInjection.Extensions;
using Microsoft.Extensions.Options;
using RxInfer.Hosting.AspNetCore;
using RxInfer.OptionsValidation;

namespace Microsoft.Extensions.DependencyInjection;

/// <summary>Registers the RxInfer ASP.NET Core adapter.</summary>
public static class RxInferHostingServiceCollectionExtensions
{
    /// <summary>
    /// Adds authentication with the RxInfer bearer scheme as the default scheme, and authorization, so
    /// <c>[Authorize(Roles = "...")]</c> and <c>RequireAuthorization(...)</c> work on the host's own endpoints.
    /// Token services come from <c>services.AddRxInferAuth()</c>.
    /// </summary>
    /// <param name="services">The services.</param>
    /// <param name="configure">Configures the scheme, if given.</param>
    /// <returns>The authentication builder, to add more schemes.</returns>
    public static AuthenticationBuilder AddRxInferAuthentication(this IServiceCollection services, Action<RxInferBearerOptions>? configure = null)
    {
        ArgumentNullException.ThrowIfNull(services);
        services.AddLogging();
        services.AddAuthorization();
        return services
            .AddAuthentication(RxInferDefaults.AuthenticationScheme)
            .AddRxInferBearer(RxInferDefaults.AuthenticationScheme, configure);
    }

    /// <summary>
    /// Adds what <c>MapRxInfer()</c> needs: its options, and contract-shaped error bodies (<c>{"error","message"}</c>)
    /// for the errors of its requests that reach the exception handler or status code pages (call
    /// <c>app.UseExceptionHandler()</c> and <c>app.UseStatusCodePages()</c> to use them). The adapter's requests are its
    /// endpoints and unknown paths under the prefix they are mapped at; the host's own endpoints keep their own error
    /// bodies, and the order of this call and the host's <c>AddProblemDetails()</c> does not matter. It also registers
    /// the rate limiter policy of anonymous tokens (<see cref="RxInferEndpointOptions.AnonymousTokensPerMinute"/>; call
    /// <c>app.UseRateLimiter()</c> to apply it).
    /// </summary>
    /// <param name="services">The services.</param>
    /// <param name="configure">Configures the endpoints, if given.</param>
    /// <returns>The services.</returns>
    public static IServiceCollection AddRxInferEndpoints(this IServiceCollection services, Action<RxInferEndpointOptions>? configure = null)
    {
        ArgumentNullException.ThrowIfNull(services);
        services.AddOptions<RxInferEndpointOptions>()
            .ValidateOnStart();
        services.TryAddSingleton(OptionsSource<RxInferEndpointOptions>.Code); // unless AddRxInfer bound them: messages then name the property only
        services.TryAddEnumerable(ServiceDescriptor.Singleton<IValidateOptions<RxInferEndpointOptions>, AnnotatedOptionsValidator<RxInferEndpointOptions>>(
            static sp => new(new RxInferEndpointOptionsDataValidator(), sp.GetService<OptionsSource<RxInferEndpointOptions>>())));
        services.TryAddEnumerable(ServiceDescriptor.Singleton<IValidateOptions<RxInferEndpointOptions>, RxInferEndpointOptionsValidator>());
        AnonymousTokenRateLimiting.Register(services); // the rate limiter policy of anonymous tokens (needs app.UseRateLimiter())
        if (configure is not null)
        {
            services.Configure(configure);
        }

        services.AddLogging();
        services.TryAddSingleton<RxInferRouteScope>();

        // Ahead of every other writer and handler, whenever the host registered those: ours only take the adapter's
        // requests (its endpoints, unknown paths under its prefix) and leave the rest, the host's endpoints included.
        InsertFirst<IProblemDetailsWriter, RxInferProblemDetailsWriter>(services);
        services.AddProblemDetails();
        InsertFirst<Microsoft.AspNetCore.Diagnostics.IExceptionHandler, RxInferExceptionHandler>(services);

        // Episode names are path segments: keep Kestrel from taking a name such as ".." for a path step (see EpisodePaths).
        services.TryAddEnumerable(ServiceDescriptor.Singleton<Microsoft.AspNetCore.Hosting.IStartupFilter, EpisodePathStartupFilter>());
        return services;
    }

    /// <summary>Registers <typeparamref name="TImplementation"/> as the first <typeparamref name="TService"/>, once.</summary>
    private static void InsertFirst<TService, TImplementation>(IServiceCollection services)
        where TService : class
        where TImplementation : class, TService
    {
        if (services.Any(static d => d.ServiceType == typeof(TService) && d.ImplementationType == typeof(TImplementation)))
        {
            return;
        }

        var descriptor = ServiceDescriptor.Singleton<TService, TImplementation>();
        for (var i = 0; i < services.Count; i++)
        {
            if (services[i].ServiceType == typeof(TService))
            {
                services.Insert(i, descriptor);
                return;
            }
        }

        services.Add(descriptor);
    }
}
