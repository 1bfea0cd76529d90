using Npgsql;
using NpgsqlTypes;
using RxInfer.Auth;

namespace RxInfer.Storage.PostgreSql;

/// <summary>
/// Opaque tokens in a table of their own (<c>access_tokens</c> or <c>api_keys</c>), by the SHA-256 of their text,
/// never the text. Writes return once committed. With a <see cref="TokenHashCache"/> (access tokens), a hit while the
/// <see cref="RevocationFeed"/> is trusted costs no round trip, and every removal is written to the revocation log in
/// the same transaction (under the log's advisory lock) with a notification, so every node drops the token within a
/// second. Lookups go through the <see cref="LookupLimiter"/>; a database that cannot answer is a
/// <see cref="ServiceUnavailableException"/>, never "unknown token".
/// </summary>
internal sealed class PostgreSqlOpaqueTokenStore : IApiKeyStore
{
    /// <summary>How close to the cap of <see cref="TryAddAsync"/> the rows are counted rather than estimated: 10,000.</summary>
    internal const int CapacityExactMargin = 10_000;

    private readonly PostgreSqlDatabase _database;
    private readonly LookupLimiter _limiter;
    private readonly RevocationFeed? _feed;
    private readonly TokenHashCache? _cache;
    private readonly TimeProvider _timeProvider;
    private readonly string _find;
    private readonly string _add;
    private readonly string _insert;
    private readonly string _tryAdd;
    private readonly TableRowEstimate? _estimate;
    private readonly string _exists;
    private readonly string _removeById;
    private readonly string _removeBySubject;
    private readonly string _list;

    /// <summary>
    /// Creates the store of one table (<c>access_tokens</c> or <c>api_keys</c>); with a feed and a cache, lookups are
    /// cached and removals logged for the other nodes; with an estimate of the table's rows, adds far below the cap of
    /// <see cref="TryAddAsync"/> are plain inserts (else every capped add counts the rows).
    /// </summary>
    public PostgreSqlOpaqueTokenStore(
        PostgreSqlDatabase database,
        LookupLimiter limiter,
        TimeProvider timeProvider,
        string table,
        RevocationFeed? feed = null,
        TokenHashCache? cache = null,
        TableRowEstimate? estimate = null)
    {
        _database = database;
        _estimate = estimate;
        _limiter = limiter;
        _timeProvider = timeProvider;
        _feed = feed;
        _cache = feed is null ? null : cache;
        var t = $"{database.Schema}.{table}";
        _find = $"SELECT token_id, subject, roles, expires_at, issued_by, kind FROM {t} WHERE hash = $1";
        // Adding a hash again under the same token id refreshes it (configured API keys are loaded at every start);
        // under another token id it is refused, as in memory.
        _add = $"""
            INSERT INTO {t} AS existing (hash, token_id, subject, roles, expires_at, issued_by, kind, created_at) VALUES ($1, $2, $3, $4, $5, $6, $7, $8)
            ON CONFLICT (hash) DO UPDATE SET subject = EXCLUDED.subject, roles = EXCLUDED.roles, expires_at = EXCLUDED.expires_at,
                issued_by = EXCLUDED.issued_by, kind = EXCLUDED.kind
            WHERE existing.token_id = EXCLUDED.token_id
            """;
        // TryAddAsync far below the cap (by this node's estimate) or with no cap: the row alone, as a bare insert.
        _insert = $"INSERT INTO {t} (hash, token_id, subject, roles, expires_at, issued_by, kind, created_at) VALUES ($1, $2, $3, $4, $5, $6, $7, $8) ON CONFLICT (hash) DO NOTHING";
        // TryAddAsync within CapacityExactMargin rows of the cap ($9), or with no fresh estimate: the rows are counted (at
        // most the cap of them) in the insert's own statement. Adds one at a time never pass the cap; concurrent adds may
        // pass it by those in flight.
        _tryAdd = $"""
            INSERT INTO {t} (hash, token_id, subject, roles, expires_at, issued_by, kind, created_at)
            SELECT $1, $2, $3, $4, $5, $6, $7, $8
            WHERE (SELECT count(*) FROM (SELECT FROM {t} LIMIT $9) AS held) < $9
            ON CONFLICT (hash) DO NOTHING
            """;
        _exists = $"SELECT EXISTS (SELECT FROM {t} WHERE hash = $1)";
        _list = $"SELECT token_id, subject, roles, expires_at, created_at FROM {t} WHERE $1::text IS NULL OR subject = $1 ORDER BY created_at, token_id";
        if (_feed is null)
        {
            _removeById = $"DELETE FROM {t} WHERE token_id = $1 RETURNING hash";
            _removeBySubject = $"DELETE FROM {t} WHERE subject = $1 RETURNING hash";
        }
        else
        {
            _removeById = Logged($"DELETE FROM {t} WHERE token_id = $1 RETURNING hash", database);
            _removeBySubject = Logged($"DELETE FROM {t} WHERE subject = $1 RETURNING hash", database);
        }
    }

    /// <summary>
    /// Test seam: runs after a lookup has read the database and before it may fill the cache, so a test can apply a
    /// revocation exactly then (the in-flight race).
    /// </summary>
    internal Func<TokenHash, Task>? AfterLookupRead { get; set; }

    public async ValueTask AddAsync(TokenHash hash, TokenIdentity identity, CancellationToken cancellationToken = default)
    {
        ArgumentNullException.ThrowIfNull(identity);
        var epoch = _cache?.Epoch ?? 0;
        int rows;
        try
        {
            await using var connection = await _database.OpenAsync(cancellationToken).ConfigureAwait(false);
            await using var command = new NpgsqlCommand(_add, connection)
            {
                Parameters =
                {
                    Hash(hash),
                    new NpgsqlParameter<string> { TypedValue = identity.TokenId },
                    new NpgsqlParameter<string> { TypedValue = identity.Subject },
                    new NpgsqlParameter<string[]> { TypedValue = [.. identity.Roles] },
                    ExpiresAt(identity.ExpiresAt),
                    new NpgsqlParameter<string> { TypedValue = identity.IssuedBy },
                    new NpgsqlParameter<short> { TypedValue = (short)identity.Kind },
                    RevocationFeed.Timestamp(_timeProvider.GetUtcNow()),
                },
            };
            rows = await command.ExecuteNonQueryAsync(cancellationToken).ConfigureAwait(false);
        }
        catch (Exception e) when (PostgreSqlDatabase.IsUnavailable(e) && !cancellationToken.IsCancellationRequested)
        {
            throw PostgreSqlDatabase.Unavailable(e);
        }

        if (rows == 0)
        {
            throw new InvalidOperationException("A token with the same hash is already stored.");
        }

        if (_feed is { IsConnected: true })
        {
            _cache?.AddIfUnchanged(hash, identity, epoch, _timeProvider.GetUtcNow());
        }
    }

    public async ValueTask<bool> TryAddAsync(TokenHash hash, TokenIdentity identity, int maxTokens, CancellationToken cancellationToken = default)
    {
        ArgumentNullException.ThrowIfNull(identity);
        ArgumentOutOfRangeException.ThrowIfNegative(maxTokens);
        var epoch = _cache?.Epoch ?? 0;
        var counted = maxTokens > 0 && _estimate?.IsFarBelow(maxTokens, CapacityExactMargin) != true;
        try
        {
            await using var connection = await _database.OpenAsync(cancellationToken).ConfigureAwait(false);
            await using (var command = new NpgsqlCommand(counted ? _tryAdd : _insert, connection)
            {
                Parameters =
                {
                    Hash(hash),
                    new NpgsqlParameter<string> { TypedValue = identity.TokenId },
                    new NpgsqlParameter<string> { TypedValue = identity.Subject },
                    new NpgsqlParameter<string[]> { TypedValue = [.. identity.Roles] },
                    ExpiresAt(identity.ExpiresAt),
                    new NpgsqlParameter<string> { TypedValue = identity.IssuedBy },
                    new NpgsqlParameter<short> { TypedValue = (short)identity.Kind },
                    RevocationFeed.Timestamp(_timeProvider.GetUtcNow()),
                },
            })
            {
                if (counted)
                {
                    command.Parameters.Add(new NpgsqlParameter<int> { TypedValue = maxTokens });
                }

                if (await command.ExecuteNonQueryAsync(cancellationToken).ConfigureAwait(false) == 0)
                {
                    // Nothing inserted: the hash is there already (a contract violation, as in memory) or the store is full.
                    if (!counted)
                    {
                        throw new InvalidOperationException("A token with the same hash is already stored.");
                    }

                    await using var exists = new NpgsqlCommand(_exists, connection) { Parameters = { Hash(hash) } };
                    if ((bool)(await exists.ExecuteScalarAsync(cancellationToken).ConfigureAwait(false))!)
                    {
                        throw new InvalidOperationException("A token with the same hash is already stored.");
                    }

                    return false;
                }
            }
        }
        catch (Exception e) when (PostgreSqlDatabase.IsUnavailable(e) && !cancellationToken.IsCancellationRequested)
        {
            throw PostgreSqlDatabase.Unavailable(e);
        }

        _estimate?.Added();
        if (_feed is { IsConnected: true })
        {
            _cache?.AddIfUnchanged(hash, identity, epoch, _timeProvider.GetUtcNow());
        }

        return true;
    }

    public ValueTask<TokenIdentity?> FindAsync(TokenHash hash, CancellationToken cancellationToken = default)
    {
        if (_cache is not null && _cache.TryGet(hash, out var cached) && _feed!.IsTrusted())
        {
            return new(cached);
        }

        return FindInDatabaseAsync(hash, cancellationToken);
    }

    public async ValueTask<bool> RemoveByIdAsync(string tokenId, CancellationToken cancellationToken = default)
    {
        ArgumentNullException.ThrowIfNull(tokenId);
        return await RemoveAsync(_removeById, tokenId, cancellationToken).ConfigureAwait(false) > 0;
    }

    public ValueTask<int> RemoveBySubjectAsync(string subject, CancellationToken cancellationToken = default)
    {
        ArgumentNullException.ThrowIfNull(subject);
        return RemoveAsync(_removeBySubject, subject, cancellationToken);
    }

    public async ValueTask<IReadOnlyList<ApiKeyInfo>> ListAsync(string? subject = null, CancellationToken cancellationToken = default)
    {
        var keys = new List<ApiKeyInfo>();
        try
        {
            await using var connection = await _database.OpenAsync(cancellationToken).ConfigureAwait(false);
            await using var command = new NpgsqlCommand(_list, connection)
            {
                Parameters = { new NpgsqlParameter { Value = (object?)subject ?? DBNull.Value, NpgsqlDbType = NpgsqlDbType.Text } },
            };
            await using var reader = await command.ExecuteReaderAsync(cancellationToken).ConfigureAwait(false);
            while (await reader.ReadAsync(cancellationToken).ConfigureAwait(false))
            {
                keys.Add(new ApiKeyInfo(
                    Id: reader.GetString(0),
                    Subject: reader.GetString(1),
                    Roles: reader.GetFieldValue<string[]>(2),
                    CreatedAt: reader.GetFieldValue<DateTimeOffset>(4),
                    ExpiresAt: reader.IsDBNull(3) ? TokenIdentity.NeverExpires : reader.GetFieldValue<DateTimeOffset>(3)));
            }
        }
        catch (Exception e) when (PostgreSqlDatabase.IsUnavailable(e) && !cancellationToken.IsCancellationRequested)
        {
            throw PostgreSqlDatabase.Unavailable(e);
        }

        return keys;
    }

    /// <summary>The delete as a statement that also logs each removed hash and notifies (once a transaction: same payload).</summary>
    private static string Logged(string delete, PostgreSqlDatabase database) => $"""
        WITH removed AS ({delete}),
        logged AS (INSERT INTO {database.Schema}.revocation_log (kind, token_hash, logged_at) SELECT {(short)RevocationKind.AccessToken}, hash, $2 FROM removed RETURNING token_hash)
        SELECT token_hash, pg_notify('{database.NotificationChannel}', '') FROM logged
        """;

    private async ValueTask<TokenIdentity?> FindInDatabaseAsync(TokenHash hash, CancellationToken cancellationToken)
    {
        var epoch = _cache?.Epoch ?? 0;
        TokenIdentity? identity = null;
        using (await _limiter.EnterAsync(cancellationToken).ConfigureAwait(false))
        {
            try
            {
                await using var connection = await _database.OpenAsync(cancellationToken).ConfigureAwait(false);
                await using var command = new NpgsqlCommand(_find, connection) { Parameters = { Hash(hash) } };
                await using var reader = await command.ExecuteReaderAsync(System.Data.CommandBehavior.SingleRow, cancellationToken).ConfigureAwait(false);
                if (await reader.ReadAsync(cancellationToken).ConfigureAwait(false))
                {
                    identity = new TokenIdentity(
                        subject: reader.GetString(1),
                        tokenId: reader.GetString(0),
                        roles: reader.GetFieldValue<string[]>(2),
                        expiresAt: reader.IsDBNull(3) ? TokenIdentity.NeverExpires : reader.GetFieldValue<DateTimeOffset>(3),
                        issuedBy: reader.GetString(4),
                        kind: (TokenKind)reader.GetInt16(5));
                }
            }
            catch (Exception e) when (PostgreSqlDatabase.IsUnavailable(e) && !cancellationToken.IsCancellationRequested)
            {
                throw PostgreSqlDatabase.Unavailable(e);
            }
        }

        if (AfterLookupRead is { } hook)
        {
            await hook(hash).ConfigureAwait(false);
        }

        // Only while connected (revocations are heard) and only if nothing was removed since the lookup began.
        if (identity is not null && _feed is { IsConnected: true })
        {
            _cache!.AddIfUnchanged(hash, identity, epoch, _timeProvider.GetUtcNow());
        }

        return identity;
    }

    private async ValueTask<int> RemoveAsync(string sql, string key, CancellationToken cancellationToken)
    {
        var removed = new List<TokenHash>();
        try
        {
            await using var connection = await _database.OpenAsync(cancellationToken).ConfigureAwait(false);
            await using var batch = new NpgsqlBatch(connection);
            if (_feed is not null)
            {
                // One implicit transaction: the lock is held until the log entries are committed.
                batch.BatchCommands.Add(new NpgsqlBatchCommand("SELECT pg_advisory_xact_lock($1)") { Parameters = { new NpgsqlParameter<long> { TypedValue = _database.RevocationLogLock } } });
            }

            var delete = new NpgsqlBatchCommand(sql) { Parameters = { new NpgsqlParameter<string> { TypedValue = key } } };
            if (_feed is not null)
            {
                delete.Parameters.Add(RevocationFeed.Timestamp(_timeProvider.GetUtcNow()));
            }

            batch.BatchCommands.Add(delete);
            await using var reader = await batch.ExecuteReaderAsync(cancellationToken).ConfigureAwait(false);
            if (_feed is not null)
            {
                await reader.NextResultAsync(cancellationToken).ConfigureAwait(false);
            }

            while (await reader.ReadAsync(cancellationToken).ConfigureAwait(false))
            {
                removed.Add(TokenHash.FromBytes(reader.GetFieldValue<byte[]>(0)));
            }
        }
        catch (Exception e) when (PostgreSqlDatabase.IsUnavailable(e) && !cancellationToken.IsCancellationRequested)
        {
            throw PostgreSqlDatabase.Unavailable(e);
        }

        if (removed.Count > 0)
        {
            _cache?.Remove(removed); // At once on this node; the others on the notification.
        }

        return removed.Count;
    }

    private static NpgsqlParameter<byte[]> Hash(TokenHash hash)
    {
        var bytes = new byte[TokenHash.Size];
        hash.CopyTo(bytes);
        return new NpgsqlParameter<byte[]> { TypedValue = bytes, NpgsqlDbType = NpgsqlDbType.Bytea };
    }

    private static NpgsqlParameter ExpiresAt(DateTimeOffset expiresAt) => expiresAt == TokenIdentity.NeverExpires
        ? new NpgsqlParameter { Value = DBNull.Value, NpgsqlDbType = NpgsqlDbType.TimestampTz }
        : RevocationFeed.Timestamp(expiresAt);
}
