using Microsoft.Extensions.Options;
using Npgsql;

namespace RxInfer.Storage.PostgreSql;

/// <summary>
/// The row estimates of the tables with a store-wide cap (<c>access_tokens</c>, <c>model_instances</c>), read once when
/// the stores start and then every <see cref="PostgreSqlStoreOptions.CapacityEstimateInterval"/> in the background, so
/// adds far below a cap are plain inserts with no catalog read (see <see cref="TableRowEstimate"/>). While the node runs,
/// the <see cref="RevocationFeed"/> reads them on its own long-lived connection between notifications (in real time, as
/// its reconnection), so the refresh takes nothing from the pool; while that connection is down the estimates go stale
/// and every capped add counts the rows.
/// </summary>
internal sealed class CapacityEstimates
{
    private readonly PostgreSqlDatabase _database;
    private readonly TimeSpan _interval;
    private readonly string _query;

    public CapacityEstimates(PostgreSqlDatabase database, IOptions<PostgreSqlStoreOptions> options, TimeProvider timeProvider)
    {
        _database = database;
        _interval = options.Value.CapacityEstimateInterval;
        AccessTokens = new TableRowEstimate($"{database.Schema}.access_tokens", _interval, timeProvider);
        ModelInstances = new TableRowEstimate($"{database.Schema}.model_instances", _interval, timeProvider);
        _query = $"{AccessTokens.Query};\n{ModelInstances.Query}";
    }

    /// <summary>The estimate of <c>access_tokens</c> (<c>OpaqueTokenOptions.MaxTokens</c>).</summary>
    public TableRowEstimate AccessTokens { get; }

    /// <summary>The estimate of <c>model_instances</c> (<c>InstanceLimits.MaxInstances</c>).</summary>
    public TableRowEstimate ModelInstances { get; }

    /// <summary>How often the estimates are read: <see cref="PostgreSqlStoreOptions.CapacityEstimateInterval"/>.</summary>
    public TimeSpan Interval => _interval;

    /// <summary>Reads both estimates now on a connection of the pool (at start, before the revocation feed runs).</summary>
    public async Task RefreshAsync(CancellationToken cancellationToken)
    {
        await using var connection = await _database.DataSource.OpenConnectionAsync(cancellationToken).ConfigureAwait(false);
        await RefreshAsync(connection, cancellationToken).ConfigureAwait(false);
    }

    /// <summary>Reads both estimates now on <paramref name="connection"/> (one round trip; the revocation feed's, while it runs).</summary>
    public async Task RefreshAsync(NpgsqlConnection connection, CancellationToken cancellationToken)
    {
        await using var command = new NpgsqlCommand(_query, connection);
        await using var reader = await command.ExecuteReaderAsync(cancellationToken).ConfigureAwait(false);
        await reader.ReadAsync(cancellationToken).ConfigureAwait(false);
        var tokens = reader.GetInt64(0);
        await reader.NextResultAsync(cancellationToken).ConfigureAwait(false);
        await reader.ReadAsync(cancellationToken).ConfigureAwait(false);
        var instances = reader.GetInt64(0);
        AccessTokens.Set(tokens);
        ModelInstances.Set(instances);
    }
}
