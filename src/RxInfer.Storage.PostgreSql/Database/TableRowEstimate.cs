namespace RxInfer.Storage.PostgreSql;

/// <summary>
/// This node's estimate of how many rows one table holds, for a store-wide cap (<c>OpaqueTokenOptions.MaxTokens</c>,
/// <c>InstanceLimits.MaxInstances</c>) that must not cost a catalog read on every add: the table's live-row
/// statistics read in the background by <see cref="CapacityEstimates"/> every
/// <see cref="PostgreSqlStoreOptions.CapacityEstimateInterval"/>, plus the rows this node added since the last two
/// reads (the statistics reach the catalog up to a second or so after a commit, so the adds of the interval before
/// are counted too: the estimate errs high). An add far below the cap (<see cref="IsFarBelow"/>) is a plain insert;
/// closer to it, or when the estimate is unknown or stale, the store counts the rows exactly. What other nodes added
/// since the last read is not in the estimate: the margin must cover it.
/// </summary>
internal sealed class TableRowEstimate
{
    /// <summary>How many intervals without a successful read make the estimate stale (then every add counts exactly).</summary>
    internal const int StaleAfterIntervals = 5;

    private readonly TimeProvider _timeProvider;
    private readonly long _staleAfterTicks;
    private long _read = -1;
    private long _readAtTicks;
    private long _addedSinceRead;
    private long _addedBeforeRead;

    public TableRowEstimate(string qualifiedTable, TimeSpan interval, TimeProvider timeProvider)
    {
        QualifiedTable = qualifiedTable;
        _timeProvider = timeProvider;
        _staleAfterTicks = interval.Ticks * StaleAfterIntervals;

        // pg_class.reltuples (VACUUM and ANALYZE) or the live-row counter of the statistics (every commit), the higher:
        // two reads by object id, no view, no join. -1 (unknown) if the table is missing.
        Query = $"SELECT coalesce((SELECT greatest(pg_stat_get_live_tuples(c.oid), c.reltuples::bigint) FROM pg_class c WHERE c.oid = to_regclass('{qualifiedTable}')), -1)";
    }

    /// <summary>The table, schema-qualified.</summary>
    public string QualifiedTable { get; }

    /// <summary>The statement that reads the table's row estimate from the catalog (one <c>bigint</c>).</summary>
    public string Query { get; }

    /// <summary>The current estimate: the last read plus this node's adds since the two last reads; -1 when never read.</summary>
    public long Rows
    {
        get
        {
            var read = Volatile.Read(ref _read);
            return read < 0 ? -1 : read + Volatile.Read(ref _addedSinceRead) + Volatile.Read(ref _addedBeforeRead);
        }
    }

    /// <summary>
    /// Whether an add may skip the exact count: the estimate is known, fresh, and more than <paramref name="margin"/>
    /// rows below <paramref name="cap"/>.
    /// </summary>
    public bool IsFarBelow(long cap, long margin)
    {
        var rows = Rows;
        return rows >= 0
            && rows < cap - margin
            && _timeProvider.GetUtcNow().UtcTicks - Volatile.Read(ref _readAtTicks) < _staleAfterTicks;
    }

    /// <summary>Counts one row this node added.</summary>
    public void Added() => Interlocked.Increment(ref _addedSinceRead);

    /// <summary>Records a read of the catalog (<see cref="Query"/>) taken now; a negative count makes the estimate unknown.</summary>
    public void Set(long rows)
    {
        // The adds of the interval that ended now may not be in this read yet; those of the one before are.
        Volatile.Write(ref _addedBeforeRead, Interlocked.Exchange(ref _addedSinceRead, 0));
        Volatile.Write(ref _readAtTicks, _timeProvider.GetUtcNow().UtcTicks);
        Volatile.Write(ref _read, rows < 0 ? -1 : rows);
    }
}
