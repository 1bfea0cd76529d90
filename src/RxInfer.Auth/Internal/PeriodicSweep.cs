namespace RxInfer.Auth;

/// <summary>
/// Runs an in-memory store's sweep of expired entries at most once per <see cref="Interval"/>, on the thread of
/// a write that finds it due, never two at once; no timer and no real clock (time from the <see cref="TimeProvider"/>).
/// </summary>
internal sealed class PeriodicSweep(TimeProvider timeProvider)
{
    /// <summary>The shortest time between two sweeps: one minute.</summary>
    public static readonly TimeSpan Interval = TimeSpan.FromMinutes(1);

    private long _nextTicks;
    private int _running;

    /// <summary>Runs <paramref name="sweep"/> with the current time when a sweep is due and none is running.</summary>
    public void RunIfDue<TState>(Action<DateTimeOffset, TState> sweep, TState state)
    {
        var now = timeProvider.GetUtcNow();
        if (now.UtcTicks < Interlocked.Read(ref _nextTicks) || Interlocked.Exchange(ref _running, 1) == 1)
        {
            return;
        }

        try
        {
            Interlocked.Exchange(ref _nextTicks, (now + Interval).UtcTicks);
            sweep(now, state);
        }
        finally
        {
            Volatile.Write(ref _running, 0);
        }
    }
}
