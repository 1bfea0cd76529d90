using Npgsql;
using RxInfer.Auth;

namespace RxInfer.Storage.PostgreSql;

/// <summary>
/// JWT revocations in <c>revoked_tokens</c> and <c>revoked_subjects</c>. Each write is logged and notified in the same
/// transaction (under the log's advisory lock) and applied at once to this node's <see cref="LocalRevocations"/>; the
/// other nodes apply it from the <see cref="RevocationFeed"/>. Reads answer from the local copy while the feed is
/// trusted (the JWT hot path stays off the database), else from the database through the <see cref="LookupLimiter"/>.
/// </summary>
internal sealed class PostgreSqlRevocationStore(
    PostgreSqlDatabase database,
    LookupLimiter limiter,
    RevocationFeed feed,
    LocalRevocations local,
    TimeProvider timeProvider) : IRevocationStore
{
    private readonly string _revoke = $"""
        WITH up AS (
            INSERT INTO {database.Schema}.revoked_tokens AS r (token_id, keep_until) VALUES ($1, $2)
            ON CONFLICT (token_id) DO UPDATE SET keep_until = GREATEST(r.keep_until, EXCLUDED.keep_until)
            RETURNING token_id, keep_until),
        logged AS (
            INSERT INTO {database.Schema}.revocation_log (kind, token_id, keep_until, logged_at)
            SELECT {(short)RevocationKind.TokenId}, token_id, keep_until, $3 FROM up RETURNING seq)
        SELECT pg_notify('{database.NotificationChannel}', '') FROM logged
        """;

    private readonly string _revokeSubject = $"""
        WITH up AS (
            INSERT INTO {database.Schema}.revoked_subjects AS r (subject, issued_at_or_before, keep_until) VALUES ($1, $2, $3)
            ON CONFLICT (subject) DO UPDATE SET issued_at_or_before = GREATEST(r.issued_at_or_before, EXCLUDED.issued_at_or_before),
                keep_until = GREATEST(r.keep_until, EXCLUDED.keep_until)
            RETURNING subject, issued_at_or_before, keep_until),
        logged AS (
            INSERT INTO {database.Schema}.revocation_log (kind, subject, cutoff, keep_until, logged_at)
            SELECT {(short)RevocationKind.Subject}, subject, issued_at_or_before, keep_until, $4 FROM up RETURNING seq)
        SELECT pg_notify('{database.NotificationChannel}', '') FROM logged
        """;

    private readonly string _isRevoked = $"SELECT EXISTS (SELECT 1 FROM {database.Schema}.revoked_tokens WHERE token_id = $1 AND keep_until > $2)";

    private readonly string _cutoff = $"SELECT issued_at_or_before FROM {database.Schema}.revoked_subjects WHERE subject = $1 AND keep_until > $2";

    public async ValueTask RevokeAsync(string tokenId, DateTimeOffset keepUntil, CancellationToken cancellationToken = default)
    {
        ArgumentException.ThrowIfNullOrEmpty(tokenId);
        await WriteAsync(
            new NpgsqlBatchCommand(_revoke)
            {
                Parameters =
                {
                    new NpgsqlParameter<string> { TypedValue = tokenId },
                    RevocationFeed.Timestamp(keepUntil),
                    RevocationFeed.Timestamp(timeProvider.GetUtcNow()),
                },
            },
            cancellationToken).ConfigureAwait(false);
        local.RevokeToken(tokenId, keepUntil);
    }

    public ValueTask<bool> IsRevokedAsync(string tokenId, CancellationToken cancellationToken = default)
    {
        ArgumentNullException.ThrowIfNull(tokenId);
        return feed.IsTrusted()
            ? new(local.IsRevoked(tokenId, timeProvider))
            : QueryAsync(_isRevoked, tokenId, static value => (bool)value!, cancellationToken);
    }

    public async ValueTask RevokeSubjectAsync(string subject, DateTimeOffset issuedAtOrBefore, DateTimeOffset keepUntil, CancellationToken cancellationToken = default)
    {
        ArgumentException.ThrowIfNullOrEmpty(subject);
        await WriteAsync(
            new NpgsqlBatchCommand(_revokeSubject)
            {
                Parameters =
                {
                    new NpgsqlParameter<string> { TypedValue = subject },
                    RevocationFeed.Timestamp(issuedAtOrBefore),
                    RevocationFeed.Timestamp(keepUntil),
                    RevocationFeed.Timestamp(timeProvider.GetUtcNow()),
                },
            },
            cancellationToken).ConfigureAwait(false);
        local.RevokeSubject(subject, issuedAtOrBefore, keepUntil);
    }

    public ValueTask<DateTimeOffset?> GetSubjectCutoffAsync(string subject, CancellationToken cancellationToken = default)
    {
        ArgumentNullException.ThrowIfNull(subject);
        return feed.IsTrusted()
            ? new(local.GetSubjectCutoff(subject, timeProvider))
            : QueryAsync(_cutoff, subject, static value => value is DateTime cutoff ? new DateTimeOffset(DateTime.SpecifyKind(cutoff, DateTimeKind.Utc)) : (DateTimeOffset?)null, cancellationToken);
    }

    private async ValueTask WriteAsync(NpgsqlBatchCommand write, CancellationToken cancellationToken)
    {
        try
        {
            await using var connection = await database.OpenAsync(cancellationToken).ConfigureAwait(false);
            await using var batch = new NpgsqlBatch(connection)
            {
                BatchCommands =
                {
                    // One implicit transaction: the lock is held until the log entry is committed.
                    new NpgsqlBatchCommand("SELECT pg_advisory_xact_lock($1)") { Parameters = { new NpgsqlParameter<long> { TypedValue = database.RevocationLogLock } } },
                    write,
                },
            };
            await batch.ExecuteNonQueryAsync(cancellationToken).ConfigureAwait(false);
        }
        catch (Exception e) when (PostgreSqlDatabase.IsUnavailable(e) && !cancellationToken.IsCancellationRequested)
        {
            throw PostgreSqlDatabase.Unavailable(e);
        }
    }

    private async ValueTask<T> QueryAsync<T>(string sql, string key, Func<object?, T> read, CancellationToken cancellationToken)
    {
        using (await limiter.EnterAsync(cancellationToken).ConfigureAwait(false))
        {
            try
            {
                await using var connection = await database.OpenAsync(cancellationToken).ConfigureAwait(false);
                await using var command = new NpgsqlCommand(sql, connection)
                {
                    Parameters = { new NpgsqlParameter<string> { TypedValue = key }, RevocationFeed.Timestamp(timeProvider.GetUtcNow()) },
                };
                return read(await command.ExecuteScalarAsync(cancellationToken).ConfigureAwait(false));
            }
            catch (Exception e) when (PostgreSqlDatabase.IsUnavailable(e) && !cancellationToken.IsCancellationRequested)
            {
                throw PostgreSqlDatabase.Unavailable(e);
            }
        }
    }
}
