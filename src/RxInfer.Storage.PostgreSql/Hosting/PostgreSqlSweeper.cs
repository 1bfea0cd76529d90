using Microsoft.Extensions.Logging;
using Microsoft.Extensions.Options;
using Npgsql;

namespace RxInfer.Storage.PostgreSql;

/// <summary>
/// Deletes expired rows in small batches (<see cref="PostgreSqlStoreOptions.SweepBatchSize"/> a statement, skipping rows
/// another node is deleting), so no statement holds locks for long: tokens and keys past their expiry, revocations
/// past their <c>keep_until</c>, and log entries older than <see cref="PostgreSqlStoreOptions.RevocationLogRetention"/>
/// (recording how far the log was pruned). Also forgets expired entries of this node's revocation copy.
/// </summary>
internal sealed class PostgreSqlSweeper(
    PostgreSqlDatabase database,
    LocalRevocations local,
    IOptions<PostgreSqlStoreOptions> options,
    TimeProvider timeProvider,
    ILogger<PostgreSqlSweeper> logger)
{
    private readonly int _batch = options.Value.SweepBatchSize;
    private readonly TimeSpan _interval = options.Value.SweepInterval;
    private readonly TimeSpan _retention = options.Value.RevocationLogRetention;

    /// <summary>Sweeps every <see cref="PostgreSqlStoreOptions.SweepInterval"/> (on the injected clock) until stopped.</summary>
    public async Task RunAsync(CancellationToken stopping)
    {
        while (!stopping.IsCancellationRequested)
        {
            try
            {
                await Task.Delay(_interval, timeProvider, stopping).ConfigureAwait(false);
                await SweepOnceAsync(stopping).ConfigureAwait(false);
            }
            catch (OperationCanceledException) when (stopping.IsCancellationRequested)
            {
                return;
            }
            catch (Exception e) when (PostgreSqlDatabase.IsUnavailable(e))
            {
                PostgreSqlLog.SweepFailed(logger, _interval, e);
            }
        }
    }

    /// <summary>One sweep of every table.</summary>
    /// <returns>How many rows were deleted.</returns>
    public async Task<int> SweepOnceAsync(CancellationToken cancellationToken)
    {
        var now = timeProvider.GetUtcNow();
        local.RemoveExpired(now);
        var s = database.Schema;
        var total = 0;
        total += await SweepAsync("access_tokens", $"DELETE FROM {s}.access_tokens WHERE hash IN (SELECT hash FROM {s}.access_tokens WHERE expires_at <= $1 LIMIT $2 FOR UPDATE SKIP LOCKED)", now, cancellationToken).ConfigureAwait(false);
        total += await SweepAsync("api_keys", $"DELETE FROM {s}.api_keys WHERE hash IN (SELECT hash FROM {s}.api_keys WHERE expires_at <= $1 LIMIT $2 FOR UPDATE SKIP LOCKED)", now, cancellationToken).ConfigureAwait(false);
        total += await SweepAsync("revoked_tokens", $"DELETE FROM {s}.revoked_tokens WHERE token_id IN (SELECT token_id FROM {s}.revoked_tokens WHERE keep_until <= $1 LIMIT $2 FOR UPDATE SKIP LOCKED)", now, cancellationToken).ConfigureAwait(false);
        total += await SweepAsync("revoked_subjects", $"DELETE FROM {s}.revoked_subjects WHERE subject IN (SELECT subject FROM {s}.revoked_subjects WHERE keep_until <= $1 LIMIT $2 FOR UPDATE SKIP LOCKED)", now, cancellationToken).ConfigureAwait(false);
        total += await SweepAsync(
            "revocation_log",
            $"""
            WITH gone AS (
                DELETE FROM {s}.revocation_log WHERE seq IN (SELECT seq FROM {s}.revocation_log WHERE logged_at <= $1 ORDER BY seq LIMIT $2 FOR UPDATE SKIP LOCKED)
                RETURNING seq),
            bumped AS (
                UPDATE {s}.revocation_log_state SET pruned_through = GREATEST(pruned_through, (SELECT max(seq) FROM gone))
                WHERE EXISTS (SELECT 1 FROM gone))
            SELECT count(*) FROM gone
            """,
            now - _retention,
            cancellationToken).ConfigureAwait(false);
        return total;
    }

    private async Task<int> SweepAsync(string table, string sql, DateTimeOffset before, CancellationToken cancellationToken)
    {
        var total = 0;
        await using var connection = await database.DataSource.OpenConnectionAsync(cancellationToken).ConfigureAwait(false);
        while (true)
        {
            await using var command = new NpgsqlCommand(sql, connection)
            {
                Parameters = { RevocationFeed.Timestamp(before), new NpgsqlParameter<int> { TypedValue = _batch } },
            };
            int deleted;
            if (sql.StartsWith("WITH", StringComparison.Ordinal))
            {
                deleted = (int)(long)(await command.ExecuteScalarAsync(cancellationToken).ConfigureAwait(false))!;
            }
            else
            {
                deleted = await command.ExecuteNonQueryAsync(cancellationToken).ConfigureAwait(false);
            }

            total += deleted;
            if (deleted < _batch)
            {
                break;
            }
        }

        if (total > 0)
        {
            PostgreSqlLog.Swept(logger, total, table);
        }

        return total;
    }
}
