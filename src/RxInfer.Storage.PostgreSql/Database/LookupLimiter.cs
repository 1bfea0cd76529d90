using Microsoft.Extensions.Logging;
using Microsoft.Extensions.Options;
using RxInfer.Auth;

namespace RxInfer.Storage.PostgreSql;

/// <summary>
/// Bounds the token lookups one node sends to the database at once (<see cref="PostgreSqlStoreOptions.MaxConcurrentLookups"/>):
/// a flood of well-formed forged tokens, each a miss, cannot take the whole connection pool. A lookup that gets no
/// slot within <see cref="PostgreSqlStoreOptions.LookupQueueTimeout"/> fails with <see cref="ServiceUnavailableException"/>
/// (503: the token may well be valid), never with a rejection.
/// </summary>
internal sealed class LookupLimiter(IOptions<PostgreSqlStoreOptions> options, ILogger<LookupLimiter> logger) : IDisposable
{
    /// <summary>The message of the 503 for a lookup that got no slot.</summary>
    public const string BusyMessage = "Too many token lookups at once, try again shortly";

    private readonly SemaphoreSlim _slots = new(options.Value.MaxConcurrentLookups, options.Value.MaxConcurrentLookups);
    private readonly TimeSpan _timeout = options.Value.LookupQueueTimeout;
    private readonly int _max = options.Value.MaxConcurrentLookups;

    /// <summary>How many slots are free now.</summary>
    public int Available => _slots.CurrentCount;

    /// <summary>Takes a slot (dispose the result to give it back) or throws <see cref="ServiceUnavailableException"/>.</summary>
    public async ValueTask<Slot> EnterAsync(CancellationToken cancellationToken)
    {
        if (!await _slots.WaitAsync(_timeout, cancellationToken).ConfigureAwait(false))
        {
            PostgreSqlLog.LookupRejected(logger, _max);
            throw new ServiceUnavailableException(BusyMessage, TimeSpan.FromSeconds(1));
        }

        return new Slot(_slots);
    }

    public void Dispose() => _slots.Dispose();

    /// <summary>A slot taken; disposing it frees it.</summary>
    internal readonly struct Slot(SemaphoreSlim slots) : IDisposable
    {
        public void Dispose() => slots.Release();
    }
}
