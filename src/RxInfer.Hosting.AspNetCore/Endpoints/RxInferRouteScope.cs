using Microsoft.AspNetCore.Diagnostics;
using Microsoft.AspNetCore.Http;
using Microsoft.AspNetCore.Routing;
using Microsoft.AspNetCore.Routing.Patterns;

namespace RxInfer.Hosting.AspNetCore;

/// <summary>The metadata of every endpoint the <c>MapRxInfer...</c> methods map: what makes an endpoint one of ours.</summary>
internal sealed class RxInferEndpointMetadata
{
    public static readonly RxInferEndpointMetadata Instance = new();

    private RxInferEndpointMetadata()
    {
    }
}

/// <summary>
/// Which requests are the adapter's, so its error bodies apply to them and to nothing else: a request routed to one
/// of our endpoints; a request whose method none of the endpoints of its path allows (405) when its path is one of
/// our routes; a request no endpoint took (404) whose path is under the prefix our endpoints were mapped at (<c>/v1</c>
/// for <c>app.MapGroup("/v1").MapRxInfer()</c>). A request routed to the host's own endpoint, or a 405 on the host's
/// route, is the host's, whatever its path. Mapped at the root, the API claims no prefix, so the host's unknown paths
/// stay the host's.
/// </summary>
internal sealed class RxInferRouteScope
{
    private readonly Lock _gate = new();
    private readonly List<Area> _areas = [];

    /// <summary>Whether <paramref name="context"/> is a request the adapter answers for.</summary>
    public bool Covers(HttpContext context)
    {
        // The exception handler clears the endpoint (and may rewrite the path) before it runs: the request's own are in its feature.
        var failed = context.Features.Get<IExceptionHandlerFeature>();
        var endpoint = failed is null ? context.GetEndpoint() : failed.Endpoint;
        if (endpoint?.Metadata.GetMetadata<RxInferEndpointMetadata>() is not null)
        {
            return true;
        }

        if (endpoint is RouteEndpoint)
        {
            return false;
        }

        // No endpoint: an unknown path, ours when under our prefix. Another kind of endpoint: routing's 405 (or the
        // like), ours when the path is one of our routes.
        var path = failed is null ? context.Request.Path : new PathString(failed.Path);
        lock (_gate)
        {
            foreach (var area in _areas)
            {
                if (endpoint is null
                    ? area.Prefix is { HasValue: true } prefix && path.StartsWithSegments(prefix, StringComparison.OrdinalIgnoreCase)
                    : area.HasRoute(path))
                {
                    return true;
                }
            }
        }

        return false;
    }

    /// <summary>A new area: the endpoints of one <c>MapRxInfer...</c> call, whose prefix is what their routes share.</summary>
    public Area AddArea()
    {
        var area = new Area(_gate);
        lock (_gate)
        {
            _areas.Add(area);
        }

        return area;
    }

    /// <summary>The endpoints of one <c>Map</c> call; their prefix is the literal segments all their routes start with.</summary>
    internal sealed class Area(Lock gate)
    {
        private readonly List<RoutePattern> _routes = [];
        private string[]? _segments;

        /// <summary>The prefix, such as <c>/v1</c>; empty when the routes share no literal segment (mapped at the root).</summary>
        public PathString? Prefix { get; private set; }

        /// <summary>Narrows the prefix to what <paramref name="pattern"/> (the full route of one of the area's endpoints) shares with the others.</summary>
        public void Include(RoutePattern pattern)
        {
            var literals = new List<string>();
            foreach (var segment in pattern.PathSegments)
            {
                if (!segment.IsSimple || segment.Parts[0] is not RoutePatternLiteralPart literal)
                {
                    break;
                }

                literals.Add(literal.Content);
            }

            lock (gate)
            {
                _routes.Add(pattern);
                if (_segments is null)
                {
                    _segments = [.. literals];
                }
                else
                {
                    var common = 0;
                    while (common < _segments.Length && common < literals.Count && string.Equals(_segments[common], literals[common], StringComparison.OrdinalIgnoreCase))
                    {
                        common++;
                    }

                    _segments = _segments[..common];
                }

                Prefix = _segments.Length == 0 ? PathString.Empty : new PathString("/" + string.Join('/', _segments));
            }
        }

        /// <summary>Whether <paramref name="path"/> is one of the area's routes, whatever the method. Call under the gate.</summary>
        public bool HasRoute(PathString path)
        {
            var segments = (path.Value ?? "").Split('/', StringSplitOptions.RemoveEmptyEntries);
            foreach (var route in _routes)
            {
                if (Matches(route, segments))
                {
                    return true;
                }
            }

            return false;
        }

        /// <summary>The routes the adapter maps: literal segments, one parameter a segment, a final catch-all.</summary>
        private static bool Matches(RoutePattern route, string[] segments)
        {
            for (var i = 0; i < route.PathSegments.Count; i++)
            {
                var segment = route.PathSegments[i];
                if (segment.IsSimple && segment.Parts[0] is RoutePatternParameterPart { IsCatchAll: true })
                {
                    return true;
                }

                if (i == segments.Length)
                {
                    return false;
                }

                var matches = segment.IsSimple && segment.Parts[0] switch
                {
                    RoutePatternLiteralPart literal => string.Equals(literal.Content, segments[i], StringComparison.OrdinalIgnoreCase),
                    RoutePatternParameterPart => true,
                    _ => false,
                };
                if (!matches)
                {
                    return false;
                }
            }

            return segments.Length == route.PathSegments.Count;
        }
    }
}
