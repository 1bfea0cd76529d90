using Microsoft.AspNetCore.Authentication;
using Microsoft.AspNetCore.Http;
using Microsoft.Extensions.DependencyInjection.Extensions;
using RxInfer.Hosting.AspNetCore;

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
        services.AddAuthorization();
        return services
            .AddAuthentication(RxInferDefaults.AuthenticationScheme)
            .AddRxInferBearer(RxInferDefaults.AuthenticationScheme, configure);
    }

    /// <summary>
    /// Adds what <c>MapRxInfer()</c> needs: its options, contract-shaped error bodies
    /// (<c>{"error","message"}</c>) for client errors that reach the exception handler or status code pages
    /// (call <c>app.UseExceptionHandler()</c> and <c>app.UseStatusCodePages()</c> to use them), and the rate limiter
    /// policy of anonymous tokens (<see cref="RxInferEndpointOptions.AnonymousTokensPerMinute"/>; call
    /// <c>app.UseRateLimiter()</c> to apply it).
    /// </summary>
    /// <param name="services">The services.</param>
    /// <param name="configure">Configures the endpoints, if given.</param>
    /// <returns>The services.</returns>
    public static IServiceCollection AddRxInferEndpoints(this IServiceCollection services, Action<RxInferEndpointOptions>? configure = null)
    {
        ArgumentNullException.ThrowIfNull(services);
        services.AddOptions<RxInferEndpointOptions>()
            .Validate(static options => options.MaxRequestBodySize > 0, "RxInfer:Endpoints: MaxRequestBodySize must be greater than 0.")
            .Validate(static options => !string.IsNullOrEmpty(options.AuthenticationScheme), "RxInfer:Endpoints: AuthenticationScheme must not be empty.")
            .Validate(static options => options.AnonymousTokensPerMinute >= 0, "RxInfer:Endpoints: AnonymousTokensPerMinute must be 0 (no limit) or greater.")
            .ValidateOnStart();
        AnonymousTokenRateLimiting.Register(services); // the rate limiter policy of anonymous tokens (needs app.UseRateLimiter())
        if (configure is not null)
        {
            services.Configure(configure);
        }

        // Our writer is registered before the default one, so it wins for 4xx; other statuses keep problem details.
        services.TryAddEnumerable(ServiceDescriptor.Singleton<IProblemDetailsWriter, RxInferProblemDetailsWriter>());
        services.AddProblemDetails();
        services.TryAddEnumerable(ServiceDescriptor.Singleton<Microsoft.AspNetCore.Diagnostics.IExceptionHandler, RxInferExceptionHandler>());
        services.TryAddSingleton<RxInferEndpointsMarker>();
        return services;
    }
}
