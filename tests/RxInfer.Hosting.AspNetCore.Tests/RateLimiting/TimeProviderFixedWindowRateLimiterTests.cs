using System.Net;
using System.Threading.RateLimiting;
using Microsoft.Extensions.Time.Testing;

namespace RxInfer.Hosting.AspNetCore.Tests;

public sealed class TimeProviderFixedWindowRateLimiterTests
{
    private static readonly TimeSpan Minute = TimeSpan.FromMinutes(1);
    private readonly FakeTimeProvider _time = TestClock.NewTimeProvider();

    [Fact]
    public void A_window_opens_with_the_first_permit_and_refills_when_it_ends()
    {
        using var limiter = new TimeProviderFixedWindowRateLimiter(2, Minute, _time);
        _time.Advance(TimeSpan.FromMinutes(5)); // idle time before the first request does not count

        Assert.True(limiter.AttemptAcquire().IsAcquired);
        _time.Advance(TimeSpan.FromSeconds(10));
        Assert.True(limiter.AttemptAcquire().IsAcquired);
        using var refused = limiter.AttemptAcquire();
        Assert.False(refused.IsAcquired);
        Assert.True(refused.TryGetMetadata(MetadataName.RetryAfter, out var retryAfter));
        Assert.Equal(TimeSpan.FromSeconds(50), retryAfter);

        _time.Advance(TimeSpan.FromSeconds(50) - TimeSpan.FromTicks(1));
        Assert.False(limiter.AttemptAcquire().IsAcquired);
        _time.Advance(TimeSpan.FromTicks(1));
        Assert.True(limiter.AttemptAcquire().IsAcquired);
    }

    [Fact]
    public void Asking_for_zero_permits_tells_whether_one_is_left_without_taking_it()
    {
        using var limiter = new TimeProviderFixedWindowRateLimiter(1, Minute, _time);

        Assert.True(limiter.AttemptAcquire(0).IsAcquired);
        Assert.True(limiter.AttemptAcquire(1).IsAcquired);
        Assert.False(limiter.AttemptAcquire(0).IsAcquired);
        Assert.Throws<ArgumentOutOfRangeException>(() => limiter.AttemptAcquire(2));
    }

    [Fact]
    public async Task Waiting_never_queues()
    {
        using var limiter = new TimeProviderFixedWindowRateLimiter(1, Minute, _time);

        Assert.True((await limiter.AcquireAsync()).IsAcquired);
        Assert.False((await limiter.AcquireAsync()).IsAcquired);
    }

    [Fact]
    public void It_is_idle_only_while_no_window_is_open_and_counts_its_leases()
    {
        using var limiter = new TimeProviderFixedWindowRateLimiter(1, Minute, _time);
        _time.Advance(TimeSpan.FromSeconds(3));
        Assert.Equal(TimeSpan.FromSeconds(3), limiter.IdleDuration);

        limiter.AttemptAcquire();
        limiter.AttemptAcquire();
        Assert.Null(limiter.IdleDuration);
        var statistics = limiter.GetStatistics()!;
        Assert.Equal(0, statistics.CurrentAvailablePermits);
        Assert.Equal(1, statistics.TotalSuccessfulLeases);
        Assert.Equal(1, statistics.TotalFailedLeases);

        _time.Advance(Minute + TimeSpan.FromSeconds(7));
        Assert.Equal(TimeSpan.FromSeconds(7), limiter.IdleDuration);
        Assert.Equal(1, limiter.GetStatistics()!.CurrentAvailablePermits);
    }

    [Theory]
    [InlineData(null, "unknown")]
    [InlineData("203.0.113.9", "203.0.113.9")]
    [InlineData("::ffff:203.0.113.9", "203.0.113.9")]
    [InlineData("2001:db8:1:2:3:4:5:6", "2001:db8:1:2::/64")]
    [InlineData("2001:db8:1:2::", "2001:db8:1:2::/64")]
    [InlineData("::1", "::/64")]
    public void Clients_are_partitioned_by_address_and_ipv6_by_its_64_bit_prefix(string? address, string partition)
    {
        Assert.Equal(partition, AnonymousTokenRateLimiterPolicy.PartitionKey(address is null ? null : IPAddress.Parse(address)));
    }
}
