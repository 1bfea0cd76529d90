using System.Text;
using Microsoft.AspNetCore.Builder;
using Microsoft.AspNetCore.Hosting;
using Microsoft.AspNetCore.Http;
using Microsoft.AspNetCore.Http.Features;

namespace RxInfer.Hosting.AspNetCore;

/// <summary>
/// Episode names in paths (docs/protocol.md, part 2): a name may hold any character once percent-encoded, so the
/// name is taken from the raw request target (<see cref="IHttpRequestFeature.RawTarget"/>), one path segment decoded
/// exactly once: <c>a%2Fb</c> is <c>a/b</c>, <c>%25</c> is <c>%</c>, <c>%252F</c> is <c>%2F</c>. Servers decode the
/// path differently (Kestrel keeps <c>%2F</c> encoded and decodes the rest, the test server decodes all of it), so
/// the route value alone is ambiguous.
/// </summary>
internal static class EpisodePaths
{
    private const string EpisodesSegment = "episodes";

    /// <summary>
    /// The episode name of the request: the raw segment after <c>episodes</c>, decoded once, when the raw target ends
    /// with <c>episodes/{name}</c> followed by <paramref name="tail"/> (a <see langword="null"/> entry matches any
    /// segment); otherwise (a rewritten path) the route value as routing decoded it. A server without a raw target (the
    /// test server) decodes all but <c>%2F</c>, as Kestrel does, so there the route value's <c>%2F</c> is taken for
    /// <c>/</c>: a name holding the literal text <c>%2F</c> is addressable only where the raw target is known.
    /// </summary>
    public static string Name(HttpContext context, string routeValue, params string?[] tail)
    {
        if (RawPath(context) is not { } raw)
        {
            return routeValue.Replace("%2F", "/", StringComparison.OrdinalIgnoreCase);
        }

        var segments = raw.Split('/');
        var nameIndex = segments.Length - 1 - tail.Length;
        if (nameIndex < 1 || !string.Equals(segments[nameIndex - 1], EpisodesSegment, StringComparison.Ordinal))
        {
            return routeValue;
        }

        for (var i = 0; i < tail.Length; i++)
        {
            if (tail[i] is { } literal && !string.Equals(segments[nameIndex + 1 + i], literal, StringComparison.Ordinal))
            {
                return routeValue;
            }
        }

        return Uri.UnescapeDataString(segments[nameIndex]);
    }

    /// <summary>
    /// Restores what the server took for path steps: when the raw target has a <c>.</c> or <c>..</c> segment (plain or
    /// percent-encoded) after <c>models/i/{id}/episodes</c>, the server has removed it from <see cref="HttpRequest.Path"/>
    /// (RFC 3986 dot-segment removal), which would route <c>DELETE .../episodes/..</c> to the instance itself. The
    /// path is rebuilt from the raw segments, with each dot segment kept as the literal text <c>%2E</c> or <c>%2E%2E</c>,
    /// so routing sees the episode route and <see cref="Name"/> reads the name from the raw target. Any other request
    /// is left alone.
    /// </summary>
    public static void RestoreDotSegments(HttpContext context)
    {
        if (RawPath(context) is not { } raw || !MayHaveDotSegment(raw))
        {
            return;
        }

        var segments = raw.Split('/');
        var episodes = -1;
        for (var i = 3; i < segments.Length; i++)
        {
            if (segments[i] == EpisodesSegment && segments[i - 2] == "i" && segments[i - 3] == "models")
            {
                episodes = i;
                break;
            }
        }

        if (episodes < 0 || !segments.Skip(episodes + 1).Any(IsDotSegment))
        {
            return;
        }

        var path = new StringBuilder(raw.Length + 8);
        for (var i = 1; i < segments.Length; i++)
        {
            path.Append('/');
            path.Append(IsDotSegment(segments[i]) ? (Decode(segments[i]).Length == 1 ? "%2E" : "%2E%2E") : Decode(segments[i]));
        }

        var full = path.ToString();
        var pathBase = context.Request.PathBase.Value ?? "";
        if (!full.StartsWith(pathBase, StringComparison.OrdinalIgnoreCase))
        {
            return;
        }

        context.Request.Path = new PathString(full[pathBase.Length..]);
    }

    /// <summary>The path of the raw request target (no query), with one trailing slash removed; <see langword="null"/> when there is none.</summary>
    private static string? RawPath(HttpContext context)
    {
        var target = context.Features.Get<IHttpRequestFeature>()?.RawTarget;
        if (string.IsNullOrEmpty(target))
        {
            return null;
        }

        if (target[0] != '/')
        {
            // Absolute form (http://host/path): the path starts at the first slash after the authority.
            var scheme = target.IndexOf("://", StringComparison.Ordinal);
            var start = scheme < 0 ? -1 : target.IndexOf('/', scheme + 3);
            if (start < 0)
            {
                return null;
            }

            target = target[start..];
        }

        var end = target.AsSpan().IndexOfAny('?', '#');
        var path = end < 0 ? target : target[..end];
        return path.Length > 1 && path[^1] == '/' ? path[..^1] : path;
    }

    private static bool MayHaveDotSegment(string raw) =>
        raw.Contains("/.", StringComparison.Ordinal) || raw.Contains("/%2E", StringComparison.OrdinalIgnoreCase);

    private static bool IsDotSegment(string segment) => Decode(segment) is "." or "..";

    /// <summary>Decodes a segment as Kestrel does for routing: everything but <c>%2F</c>, which stays encoded (so a segment stays one segment).</summary>
    private static string Decode(string segment)
    {
        if (!segment.Contains('%', StringComparison.Ordinal))
        {
            return segment;
        }

        var parts = segment.Split(["%2F", "%2f"], StringSplitOptions.None);
        for (var i = 0; i < parts.Length; i++)
        {
            parts[i] = Uri.UnescapeDataString(parts[i]);
        }

        return string.Join("%2F", parts);
    }
}

/// <summary>Runs <see cref="EpisodePaths.RestoreDotSegments"/> first in the pipeline, before routing.</summary>
internal sealed class EpisodePathStartupFilter : IStartupFilter
{
    public Action<IApplicationBuilder> Configure(Action<IApplicationBuilder> next) => app =>
    {
        app.Use(static (context, nextMiddleware) =>
        {
            EpisodePaths.RestoreDotSegments(context);
            return nextMiddleware(context);
        });
        next(app);
    };
}
