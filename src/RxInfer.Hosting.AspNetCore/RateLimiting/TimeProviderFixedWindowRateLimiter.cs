using System.Threading.RateLimiting;

namespace RxInfer.Hosting.AspNetCore;

/// <summary>
/// A fixed-window rate limiter that reads its clock from a <see cref="TimeProvider"/>: at most <c>permitLimit</c>
/// permits per window, a window opening with the first permit taken after the previous one ended. Nothing is queued:
/// a request over the limit fails at once with <see cref="MetadataName.RetryAfter"/> (the time left in the window).
/// </summary>
/// <remarks>
/// Why not <see cref="FixedWindowRateLimiter"/>: it measures time with the machine's clock and replenishes on a timer,
/// so neither a host's <see cref="TimeProvider"/> nor a test's fake clock can move its windows. This limiter reads
/// <see cref="TimeProvider.GetUtcNow"/> on every acquire (no timer), so a <c>FakeTimeProvider</c> drives it exactly,
/// and production uses the same code with the system clock. It is used inside ASP.NET Core's rate limiting middleware,
/// as the limiter of each partition of <see cref="AnonymousTokenRateLimiterPolicy"/>.
/// </remarks>
internal sealed class TimeProviderFixedWindowRateLimiter : RateLimiter
{
    private static readonly RateLimitLease Acquired = new Lease(retryAfter: null);

    private readonly int _permitLimit;
    private readonly TimeSpan _window;
    private readonly TimeProvider _timeProvider;
    private readonly Lock _lock = new();
    private readonly long _createdTicks;
    private long _windowEndTicks = long.MinValue;
    private int _used;
    private long _successful;
    private long _failed;

    public TimeProviderFixedWindowRateLimiter(int permitLimit, TimeSpan window, TimeProvider timeProvider)
    {
        ArgumentOutOfRangeException.ThrowIfLessThan(permitLimit, 1);
        ArgumentOutOfRangeException.ThrowIfLessThanOrEqual(window, TimeSpan.Zero);
        ArgumentNullException.ThrowIfNull(timeProvider);
        _permitLimit = permitLimit;
        _window = window;
        _timeProvider = timeProvider;
        _createdTicks = timeProvider.GetUtcNow().UtcTicks;
    }

    /// <summary>How long every permit has been available (no window open), or <see langword="null"/> while a window is open.</summary>
    public override TimeSpan? IdleDuration
    {
        get
        {
            var now = _timeProvider.GetUtcNow().UtcTicks;
            lock (_lock)
            {
                if (_used > 0 && now < _windowEndTicks)
                {
                    return null;
                }

                return TimeSpan.FromTicks(Math.Max(0, now - Math.Max(_createdTicks, _windowEndTicks)));
            }
        }
    }

    public override RateLimiterStatistics? GetStatistics()
    {
        var now = _timeProvider.GetUtcNow().UtcTicks;
        lock (_lock)
        {
            return new RateLimiterStatistics
            {
                CurrentAvailablePermits = now < _windowEndTicks ? _permitLimit - _used : _permitLimit,
                CurrentQueuedCount = 0,
                TotalSuccessfulLeases = _successful,
                TotalFailedLeases = _failed,
            };
        }
    }

    protected override RateLimitLease AttemptAcquireCore(int permitCount)
    {
        ArgumentOutOfRangeException.ThrowIfNegative(permitCount);
        ArgumentOutOfRangeException.ThrowIfGreaterThan(permitCount, _permitLimit);
        var now = _timeProvider.GetUtcNow().UtcTicks;
        lock (_lock)
        {
            if (now >= _windowEndTicks)
            {
                _used = 0;
            }

            if (permitCount == 0 && _used < _permitLimit)
            {
                return Acquired; // asks whether a permit is left, takes none
            }

            if (permitCount > 0 && _used + permitCount <= _permitLimit)
            {
                if (_used == 0)
                {
                    _windowEndTicks = now + _window.Ticks;
                }

                _used += permitCount;
                _successful++;
                return Acquired;
            }

            _failed++;
            return new Lease(TimeSpan.FromTicks(_windowEndTicks - now));
        }
    }

    protected override ValueTask<RateLimitLease> AcquireAsyncCore(int permitCount, CancellationToken cancellationToken) =>
        ValueTask.FromResult(AttemptAcquireCore(permitCount));

    /// <summary>A granted lease (nothing to give back: a fixed window refills when it ends), or a refused one with its retry delay.</summary>
    private sealed class Lease(TimeSpan? retryAfter) : RateLimitLease
    {
        private static readonly string[] RetryAfterName = [MetadataName.RetryAfter.Name];

        public override bool IsAcquired => retryAfter is null;

        public override IEnumerable<string> MetadataNames => retryAfter is null ? [] : RetryAfterName;

        public override bool TryGetMetadata(string metadataName, out object? metadata)
        {
            if (retryAfter is { } delay && metadataName == MetadataName.RetryAfter.Name)
            {
                metadata = delay;
                return true;
            }

            metadata = null;
            return false;
        }
    }
}
