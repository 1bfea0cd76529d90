using System.Globalization;
using System.Net;
using System.Net.Sockets;
using System.Threading.RateLimiting;
using Microsoft.AspNetCore.Http;
using Microsoft.AspNetCore.RateLimiting;
using Microsoft.Extensions.Logging;
using Microsoft.Extensions.Options;

namespace RxInfer.Hosting.AspNetCore;

/// <summary>
/// The rate limiter policy <see cref="RxInferDefaults.AnonymousTokenRateLimiterPolicy"/> of <c>POST /token/generate</c>,
/// run by ASP.NET Core's rate limiting middleware (<c>app.UseRateLimiter()</c>). An anonymous request (no
/// <c>Authorization</c> and no <c>X-API-Key</c> header: the requests the endpoint answers with a new anonymous token)
/// is counted against its client address, <see cref="RxInferEndpointOptions.AnonymousTokensPerMinute"/> a minute;
/// every other request is not limited. A refused request gets 429 with the contract body and <c>Retry-After</c>.
/// </summary>
/// <remarks>
/// The address is <see cref="ConnectionInfo.RemoteIpAddress"/>, so a host behind a proxy must apply forwarded headers
/// first (<c>app.UseForwardedHeaders()</c>), or every client shares the proxy's partition. IPv4-mapped IPv6 addresses
/// count as their IPv4 address, and IPv6 addresses by their /64 prefix (one site or host usually holds a whole /64, so
/// counting single IPv6 addresses would let it take 2^64 partitions); a connection without an address (a test server,
/// a Unix socket) counts as one address.
/// </remarks>
internal sealed class AnonymousTokenRateLimiterPolicy : IRateLimiterPolicy<string>
{
    /// <summary>The window of the limit: one minute.</summary>
    public static readonly TimeSpan Window = TimeSpan.FromMinutes(1);

    private const string UnknownAddress = "unknown";

    private readonly int _tokensPerMinute;
    private readonly TimeProvider _timeProvider;
    private readonly ILogger _logger;

    public AnonymousTokenRateLimiterPolicy(IOptions<RxInferEndpointOptions> options, TimeProvider timeProvider, ILogger<AnonymousTokenRateLimiterPolicy> logger)
    {
        _tokensPerMinute = options.Value.AnonymousTokensPerMinute;
        _timeProvider = timeProvider;
        _logger = logger;
        OnRejected = RejectAsync;
    }

    public Func<OnRejectedContext, CancellationToken, ValueTask> OnRejected { get; }

    public RateLimitPartition<string> GetPartition(HttpContext httpContext)
    {
        AnonymousTokenRateLimiting.MarkApplied(httpContext);
        if (_tokensPerMinute == 0 || !AnonymousTokenRateLimiting.IsAnonymous(httpContext.Request.Headers))
        {
            return RateLimitPartition.GetNoLimiter(string.Empty);
        }

        return RateLimitPartition.Get(
            PartitionKey(httpContext.Connection.RemoteIpAddress),
            _ => new TimeProviderFixedWindowRateLimiter(_tokensPerMinute, Window, _timeProvider));
    }

    /// <summary>The partition of a client address (see the remarks of the class).</summary>
    internal static string PartitionKey(IPAddress? address)
    {
        if (address is null)
        {
            return UnknownAddress;
        }

        if (address.IsIPv4MappedToIPv6)
        {
            return address.MapToIPv4().ToString();
        }

        if (address.AddressFamily != AddressFamily.InterNetworkV6)
        {
            return address.ToString();
        }

        Span<byte> bytes = stackalloc byte[16];
        address.TryWriteBytes(bytes, out _);
        bytes[8..].Clear();
        return new IPAddress(bytes).ToString() + "/64";
    }

    private ValueTask RejectAsync(OnRejectedContext context, CancellationToken cancellationToken)
    {
        var seconds = context.Lease.TryGetMetadata(MetadataName.RetryAfter, out var retryAfter)
            ? Math.Max(1, (long)Math.Ceiling(retryAfter.TotalSeconds))
            : (long)Window.TotalSeconds;
        var httpContext = context.HttpContext;
        if (_logger.IsEnabled(LogLevel.Debug))
        {
            HostingLog.AnonymousTokenRateLimited(_logger, PartitionKey(httpContext.Connection.RemoteIpAddress), _tokensPerMinute, seconds);
        }

        httpContext.Response.Headers.RetryAfter = seconds.ToString(CultureInfo.InvariantCulture);
        return new(RxInferErrors.WriteAsync(
            httpContext.Response,
            StatusCodes.Status429TooManyRequests,
            $"Too many anonymous tokens requested from this address (at most {_tokensPerMinute} a minute), try again in {seconds} seconds"));
    }
}
