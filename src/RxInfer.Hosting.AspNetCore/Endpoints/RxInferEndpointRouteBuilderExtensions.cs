using Microsoft.AspNetCore.Authorization;
using Microsoft.AspNetCore.Builder;
using Microsoft.AspNetCore.Http;
using Microsoft.AspNetCore.Routing;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Options;
using RxInfer.Hosting.AspNetCore;

namespace Microsoft.AspNetCore.Routing;

/// <summary>
/// Maps the RxInferServer-compatible <c>/v1</c> operations (docs/protocol.md) onto a route builder; the host chooses
/// the prefix, for example <c>app.MapGroup("/v1").MapRxInfer()</c>.
/// </summary>
public static partial class RxInferEndpointRouteBuilderExtensions
{
    /// <summary>Maps every operation: the server info, token, models, instances, episodes and inference areas.</summary>
    /// <param name="endpoints">The route builder (usually a group such as <c>/v1</c>).</param>
    /// <returns>A builder to add conventions (metadata, rate limiting, more authorization) to every operation.</returns>
    public static IEndpointConventionBuilder MapRxInfer(this IEndpointRouteBuilder endpoints)
    {
        var group = CreateGroup(endpoints, out var options);
        MapServerInfo(group, options);
        MapTokens(group, options);
        MapModels(group, options);
        MapInstances(group, options);
        MapInference(group, options);
        MapEpisodes(group, options);
        MapModelsFallback(group, options);
        return new RxInferConventionBuilder(group);
    }

    /// <summary>Maps the token area: <c>POST /token/generate</c> and <c>GET /token/roles</c>.</summary>
    /// <param name="endpoints">The route builder.</param>
    /// <returns>A builder to add conventions to these operations.</returns>
    public static IEndpointConventionBuilder MapRxInferTokens(this IEndpointRouteBuilder endpoints)
    {
        var group = CreateGroup(endpoints, out var options);
        MapTokens(group, options);
        return new RxInferConventionBuilder(group);
    }

    /// <summary>
    /// The group every operation of one <c>Map</c> call is mapped into: each endpoint carries
    /// <see cref="RxInferEndpointMetadata"/>, and the routes' common prefix is recorded, so the adapter's error bodies
    /// apply to its own endpoints and unknown paths under that prefix, and never to the host's endpoints.
    /// </summary>
    private static RouteGroupBuilder CreateGroup(IEndpointRouteBuilder endpoints, out RxInferEndpointOptions options)
    {
        ArgumentNullException.ThrowIfNull(endpoints);
        var scope = endpoints.ServiceProvider.GetService<RxInferRouteScope>() ?? throw new InvalidOperationException(
            "The RxInfer endpoints need their services: call services.AddRxInferEndpoints() (and services.AddRxInferAuth() and services.AddRxInferAuthentication()) before mapping them.");

        options = endpoints.ServiceProvider.GetRequiredService<IOptions<RxInferEndpointOptions>>().Value;
        var area = scope.AddArea();
        var group = endpoints.MapGroup("");
        group.WithMetadata(RxInferEndpointMetadata.Instance);
        ((IEndpointConventionBuilder)group).Finally(builder =>
        {
            if (builder is RouteEndpointBuilder route)
            {
                area.Include(route.RoutePattern);
            }
        });
        return group;
    }

    private static AuthorizationPolicy Policy(RxInferEndpointOptions options) =>
        new AuthorizationPolicyBuilder(options.AuthenticationScheme).RequireAuthenticatedUser().Build();

    /// <summary>Hides the route group, so callers add conventions without mapping more endpoints into it.</summary>
    private sealed class RxInferConventionBuilder(IEndpointConventionBuilder inner) : IEndpointConventionBuilder
    {
        public void Add(Action<EndpointBuilder> convention) => inner.Add(convention);

        public void Finally(Action<EndpointBuilder> finallyConvention) => inner.Finally(finallyConvention);
    }
}
