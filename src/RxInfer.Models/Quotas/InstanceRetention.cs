using Microsoft.Extensions.Logging;

namespace RxInfer.Models;

/// <summary>
/// Retention of the instances of abandoned subjects, applied by the instance service so that every store gets it.
/// Every instance operation records, for the caller's subject, "keep its instances at least until the caller's token
/// expires plus <see cref="RxInferModelsOptions.InstanceRetention"/>" (the store keeps the latest such time); a sweep,
/// run at most once per <see cref="RxInferModelsOptions.RetentionSweepInterval"/> by the first instance operation that
/// finds it due (no timer, time from the <see cref="TimeProvider"/>, as the in-memory token stores sweep), removes the
/// instances of every subject whose time has passed. A sweep never fails or delays the operation that starts it beyond
/// the store's own call: a store that completes asynchronously sweeps in the background, and a failure is logged.
/// </summary>
internal sealed class InstanceRetention
{
    private readonly IModelInstanceStore _store;
    private readonly TimeProvider _timeProvider;
    private readonly TimeSpan _retention;
    private readonly TimeSpan _interval;
    private readonly ILogger _logger;
    private long _nextSweepTicks;
    private int _sweeping;

    public InstanceRetention(IModelInstanceStore store, TimeProvider timeProvider, RxInferModelsOptions options, ILogger logger)
    {
        _store = store;
        _timeProvider = timeProvider;
        _retention = options.InstanceRetention;
        _interval = options.RetentionSweepInterval;
        _logger = logger;
    }

    /// <summary>
    /// Until when the caller's instances are kept: its token's expiry plus the retention, or, when the expiry is not
    /// known, now plus the retention. A token that never expires keeps them for ever (<see cref="DateTimeOffset.MaxValue"/>).
    /// </summary>
    public DateTimeOffset RetainUntil(ModelCaller caller) =>
        SaturatingAdd(caller.TokenExpiresAt ?? _timeProvider.GetUtcNow(), _retention);

    /// <summary>Sweeps when due, then records <see cref="RetainUntil"/> for the caller's subject.</summary>
    public ValueTask RecordAsync(ModelCaller caller, CancellationToken cancellationToken)
    {
        SweepIfDue();
        return _store.ExtendRetentionAsync(caller.Subject, RetainUntil(caller), cancellationToken);
    }

    /// <summary>Starts a sweep when one is due and none is running.</summary>
    public void SweepIfDue()
    {
        var now = _timeProvider.GetUtcNow();
        if (now.UtcTicks < Interlocked.Read(ref _nextSweepTicks) || Interlocked.Exchange(ref _sweeping, 1) == 1)
        {
            return;
        }

        Interlocked.Exchange(ref _nextSweepTicks, SaturatingAdd(now, _interval).UtcTicks);
        ValueTask<int> sweep;
        try
        {
            sweep = _store.RemoveExpiredAsync(now, CancellationToken.None);
        }
#pragma warning disable CA1031 // A sweep runs on behalf of every owner: no failure of it may fail the caller's operation. It is logged.
        catch (Exception exception)
#pragma warning restore CA1031
        {
            Log.RetentionSweepFailed(_logger, exception);
            Volatile.Write(ref _sweeping, 0);
            return;
        }

        if (sweep.IsCompletedSuccessfully)
        {
            var removed = sweep.Result;
            Volatile.Write(ref _sweeping, 0);
            Report(removed);
        }
        else
        {
            _ = FinishAsync(sweep);
        }
    }

    private static DateTimeOffset SaturatingAdd(DateTimeOffset time, TimeSpan span) =>
        time > DateTimeOffset.MaxValue - span ? DateTimeOffset.MaxValue : time + span;

    private async Task FinishAsync(ValueTask<int> sweep)
    {
        var removed = 0;
        Exception? failure = null;
        try
        {
            removed = await sweep.ConfigureAwait(false);
        }
#pragma warning disable CA1031 // see SweepIfDue
        catch (Exception exception)
#pragma warning restore CA1031
        {
            failure = exception;
        }

        Volatile.Write(ref _sweeping, 0); // before the log line, so whoever sees the line may start the next sweep
        if (failure is not null)
        {
            Log.RetentionSweepFailed(_logger, failure);
        }
        else
        {
            Report(removed);
        }
    }

    private void Report(int removed)
    {
        if (removed > 0)
        {
            Log.InstancesSwept(_logger, removed, _retention);
        }
    }
}
