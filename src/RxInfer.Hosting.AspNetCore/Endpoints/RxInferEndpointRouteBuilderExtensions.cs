using Microsoft.AspNetCore.Authentication;
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

    /// <summary>
    /// The policy of the endpoints mapped into <paramref name="group"/>: a user authenticated by
    /// <see cref="RxInferEndpointOptions.AuthenticationScheme"/>, in one of <paramref name="roles"/> when any are given.
    /// The policy names the scheme only when the host's default schemes are not all that scheme. When it is the host's
    /// default for authenticating, challenging and forbidding (as <c>AddRxInferAuthentication()</c> makes it), the
    /// authentication middleware has already authenticated the request with it. Naming it again would make the
    /// authorization middleware authenticate a second time and replace the request's user on every request.
    /// </summary>
    private static AuthorizationPolicy Policy(IEndpointRouteBuilder group, RxInferEndpointOptions options, params string[] roles)
    {
        var scheme = options.AuthenticationScheme;
        var builder = IsEveryDefault(group.ServiceProvider.GetService<IAuthenticationSchemeProvider>(), scheme)
            ? new AuthorizationPolicyBuilder()
            : new AuthorizationPolicyBuilder(scheme);
        builder.RequireAuthenticatedUser();
        if (roles.Length > 0)
        {
            builder.RequireRole(roles);
        }

        return builder.Build();
    }

    /// <summary>
    /// Whether <paramref name="scheme"/> is the default scheme to authenticate, challenge and forbid with. A provider
    /// that answers asynchronously is taken for "not known": the policy then names the scheme, which is always correct.
    /// </summary>
    private static bool IsEveryDefault(IAuthenticationSchemeProvider? schemes, string scheme)
    {
        return schemes is not null
            && Is(schemes.GetDefaultAuthenticateSchemeAsync())
            && Is(schemes.GetDefaultChallengeSchemeAsync())
            && Is(schemes.GetDefaultForbidSchemeAsync());

        bool Is(Task<AuthenticationScheme?> lookup) =>
            lookup.IsCompletedSuccessfully && string.Equals(lookup.Result?.Name, scheme, StringComparison.Ordinal);
    }

    /// <summary>Hides the route group, so callers add conventions without mapping more endpoints into it.</summary>
    private sealed class RxInferConventionBuilder(IEndpointConventionBuilder inner) : IEndpointConventionBuilder
    {
        public void Add(Action<EndpointBuilder> convention) => inner.Add(convention);

        public void Finally(Action<EndpointBuilder> finallyConvention) => inner.Finally(finallyConvention);
    }
}
