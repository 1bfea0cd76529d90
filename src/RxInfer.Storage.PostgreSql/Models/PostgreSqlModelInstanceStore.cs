using System.Data;
using System.Text.Json;
using Npgsql;
using NpgsqlTypes;
using RxInfer.Models;

namespace RxInfer.Storage.PostgreSql;

/// <summary>
/// Model instances, their episodes and the episodes' events in PostgreSQL (<c>model_instances</c>,
/// <c>model_episodes</c>, <c>model_events</c>). Every statement is scoped to the owner (<c>owner_subject</c>), so another
/// owner's instance is a missing one. Every write is one transaction that first locks the instance's row
/// (<c>FOR UPDATE</c>), then reads what it checks and writes, and bumps the instance's version: writes to one instance
/// are serialised on every node, and a commit against a stale version changes nothing. Reads of an instance with an
/// episode are one statement, or one repeatable-read transaction when they also read events, so they see one moment.
/// JSON is kept as <c>json</c>: the exact text written is the text read back. A database that cannot answer is a
/// <see cref="RxInfer.Auth.ServiceUnavailableException"/> (503).
/// </summary>
internal sealed class PostgreSqlModelInstanceStore : IModelInstanceStore
{
    /// <summary>The instance columns, in the order <see cref="ReadInstance"/> reads them (alias <c>i</c>).</summary>
    private const string InstanceColumns = "i.instance_id, i.owner_subject, i.model_name, i.created_at, i.description, i.arguments, i.state, i.current_episode, i.version";

    private const int InstanceColumnCount = 9;

    /// <summary>The first statement of a write's locking read (<see cref="WriteAsync"/>).</summary>
    private const string BeginReadCommitted = "BEGIN ISOLATION LEVEL READ COMMITTED";

    /// <summary>The last statement of a write's batch (<see cref="WriteAsync"/>).</summary>
    private const string Commit = "COMMIT";

    /// <summary>Ends a write that does not commit (<see cref="RollBackAsync"/>).</summary>
    private const string Rollback = "ROLLBACK";

    /// <summary>How close to <see cref="InstanceLimits.MaxInstances"/> the instances are counted rather than estimated: 10,000.</summary>
    internal const int CapacityExactMargin = 10_000;

    /// <summary>How many owners one statement of <see cref="RemoveExpiredAsync"/> removes at most.</summary>
    internal const int ExpiredOwnersPerStatement = 50;

    private readonly PostgreSqlDatabase _database;
    private readonly long _capacityLock;
    private readonly string _claimOwner;
    private readonly string _countOwned;
    private readonly TableRowEstimate? _estimate;
    private readonly string _countAll;
    private readonly string _lockOwner;
    private readonly string _dropOwnerIfEmpty;
    private readonly string _extendRetention;
    private readonly string _removeExpired;
    private readonly string _add;
    private readonly string _get;
    private readonly string _list;
    private readonly string _remove;
    private readonly string _parameters;
    private readonly string _episode;
    private readonly string _episodeEvents;
    private readonly string _episodes;
    private readonly string _allEvents;
    private readonly string _lockInstance;
    private readonly string _lockEpisodes;
    private readonly string _bumpVersion;
    private readonly string _addEpisode;
    private readonly string _removeEpisode;
    private readonly string _resetEvents;
    private readonly string _resetEpisode;
    private readonly string _appendEvents;
    private readonly string _countEvents;
    private readonly string _setMetadata;
    private readonly string _setState;
    private readonly string _markProcessed;
    private readonly string _setParameters;

    public PostgreSqlModelInstanceStore(PostgreSqlDatabase database, TableRowEstimate? estimate = null)
    {
        _database = database;
        _estimate = estimate;
        _capacityLock = database.InstanceCapacityLock;
        var s = database.Schema;

        // The owner's row, created or its retention extended, and locked until the transaction ends.
        _claimOwner = $"""
            INSERT INTO {s}.model_owners AS o (owner_subject, retain_until) VALUES ($1, $2)
            ON CONFLICT (owner_subject) DO UPDATE SET retain_until = greatest(o.retain_until, EXCLUDED.retain_until)
            RETURNING 1
            """;
        _countOwned = $"SELECT count(*) FROM {s}.model_instances WHERE owner_subject = $1";

        // The store-wide cap: far below it this node's estimate of the table's rows answers (no statement); within
        // CapacityExactMargin of it (or with no fresh estimate), adds take an advisory lock and count the rows (at most
        // the cap of them), so concurrent adds never pass it.
        _countAll = $"SELECT count(*) FROM (SELECT FROM {s}.model_instances LIMIT $1) AS held";
        _lockOwner = $"SELECT 1 FROM {s}.model_owners WHERE owner_subject = $1 FOR UPDATE";
        _dropOwnerIfEmpty = $"DELETE FROM {s}.model_owners WHERE owner_subject = $1 AND NOT EXISTS (SELECT 1 FROM {s}.model_instances WHERE owner_subject = $1)";
        _extendRetention = $"UPDATE {s}.model_owners SET retain_until = $2 WHERE owner_subject = $1 AND retain_until < $2";

        // Owners whose retention ended before $1, a batch at a time (skipping owners another node or an add holds),
        // removed with their instances (and so their episodes and events).
        _removeExpired = $"""
            WITH expired AS (
                DELETE FROM {s}.model_owners WHERE owner_subject IN (
                    SELECT owner_subject FROM {s}.model_owners WHERE retain_until < $1 ORDER BY retain_until LIMIT $2 FOR UPDATE SKIP LOCKED)
                AND retain_until < $1
                RETURNING owner_subject),
            removed AS (DELETE FROM {s}.model_instances WHERE owner_subject IN (SELECT owner_subject FROM expired) RETURNING 1)
            SELECT (SELECT count(*) FROM expired), (SELECT count(*) FROM removed)
            """;
        _add = $"""
            WITH added AS (
                INSERT INTO {s}.model_instances (instance_id, owner_subject, model_name, created_at, description, arguments, state, current_episode, version)
                VALUES ($1, $2, $3, $4, $5, $6, $7, $8, $9) RETURNING instance_id)
            INSERT INTO {s}.model_episodes (instance_id, name, created_at, initial_parameters, parameters)
            SELECT instance_id, $8, $4, $10, $10 FROM added
            """;
        _get = $"SELECT {InstanceColumns} FROM {s}.model_instances i WHERE i.instance_id = $1 AND i.owner_subject = $2";
        _list = $"SELECT {InstanceColumns} FROM {s}.model_instances i WHERE i.owner_subject = $1 ORDER BY i.seq";
        _remove = $"DELETE FROM {s}.model_instances WHERE instance_id = $1 AND owner_subject = $2";

        // $3: the episode's name, or NULL for none (a name PostgreSQL cannot hold, so no episode has it); $4: true for
        // the instance's current episode instead.
        const string Wanted = "CROSS JOIN LATERAL (SELECT CASE WHEN $4 THEN i.current_episode ELSE $3 END AS name) w";
        var episodeOfWanted = $"{s}.model_episodes e ON e.instance_id = i.instance_id AND e.name_hash = md5(w.name) AND e.name = w.name";
        _parameters = $"""
            SELECT {InstanceColumns}, e.parameters FROM {s}.model_instances i {Wanted}
            LEFT JOIN {episodeOfWanted}
            WHERE i.instance_id = $1 AND i.owner_subject = $2
            """;
        _episode = $"""
            SELECT {InstanceColumns}, e.parameters, e.name, e.created_at FROM {s}.model_instances i {Wanted}
            LEFT JOIN {episodeOfWanted}
            WHERE i.instance_id = $1 AND i.owner_subject = $2
            """;
        _episodeEvents = $"""
            SELECT ev.event_id, ev."timestamp", ev.data, ev.metadata, ev.processed FROM {s}.model_instances i {Wanted}
            JOIN {episodeOfWanted}
            JOIN {s}.model_events ev ON ev.episode_seq = e.seq
            WHERE i.instance_id = $1 AND i.owner_subject = $2
            ORDER BY ev.event_id
            """;
        _episodes = $"""
            SELECT e.name, e.created_at, e.parameters, e.seq FROM {s}.model_episodes e
            JOIN {s}.model_instances i ON i.instance_id = e.instance_id
            WHERE e.instance_id = $1 AND i.owner_subject = $2
            ORDER BY e.seq
            """;
        _allEvents = $"""
            SELECT ev.episode_seq, ev.event_id, ev."timestamp", ev.data, ev.metadata, ev.processed FROM {s}.model_events ev
            JOIN {s}.model_episodes e ON e.seq = ev.episode_seq
            JOIN {s}.model_instances i ON i.instance_id = e.instance_id
            WHERE e.instance_id = $1 AND i.owner_subject = $2
            ORDER BY ev.episode_seq, ev.event_id
            """;

        // The first statement of every write: the instance's row, locked until the transaction ends.
        _lockInstance = $"SELECT version, current_episode FROM {s}.model_instances WHERE instance_id = $1 AND owner_subject = $2 FOR UPDATE";

        // Read under that lock: how many live episodes, and the key and event count of episode $3 (NULL when it does not exist).
        _lockEpisodes = $"""
            SELECT count(*), max(e.seq) FILTER (WHERE e.name = $3), max(e.event_count) FILTER (WHERE e.name = $3) FROM {s}.model_episodes e
            JOIN {s}.model_instances i ON i.instance_id = e.instance_id
            WHERE e.instance_id = $1 AND i.owner_subject = $2
            """;

        // $3: the new current episode, or NULL to keep it.
        _bumpVersion = $"UPDATE {s}.model_instances SET version = version + 1, current_episode = coalesce($3, current_episode) WHERE instance_id = $1 AND owner_subject = $2";
        _setState = $"UPDATE {s}.model_instances SET version = version + 1, state = $3 WHERE instance_id = $1 AND owner_subject = $2";
        _addEpisode = $"""
            INSERT INTO {s}.model_episodes (instance_id, name, created_at, initial_parameters, parameters)
            SELECT instance_id, $3, $4, $5, $5 FROM {s}.model_instances WHERE instance_id = $1 AND owner_subject = $2
            """;

        // By the episode's key ($3, read under the lock); the instance's current episode falls back to the default one
        // ($4) when it is the episode removed.
        _removeEpisode = $"""
            WITH removed AS (
                DELETE FROM {s}.model_episodes e USING {s}.model_instances i
                WHERE e.seq = $3 AND e.instance_id = $1 AND i.instance_id = e.instance_id AND i.owner_subject = $2
                RETURNING e.name)
            UPDATE {s}.model_instances SET version = version + 1,
                current_episode = CASE WHEN current_episode = (SELECT name FROM removed) THEN $4 ELSE current_episode END
            WHERE instance_id = $1 AND owner_subject = $2 AND EXISTS (SELECT 1 FROM removed)
            """;
        const string OwnedEpisode = "e.seq = $3 AND e.instance_id = $1 AND i.instance_id = e.instance_id AND i.owner_subject = $2";
        _resetEvents = $"""
            DELETE FROM {s}.model_events ev USING {s}.model_episodes e, {s}.model_instances i
            WHERE ev.episode_seq = e.seq AND {OwnedEpisode}
            """;
        _resetEpisode = $"""
            UPDATE {s}.model_episodes e SET parameters = e.initial_parameters, event_count = 0 FROM {s}.model_instances i
            WHERE {OwnedEpisode}
            """;

        // $4: the id of the last event so far; the new ones follow it in the order of the arrays.
        _appendEvents = $"""
            INSERT INTO {s}.model_events (episode_seq, event_id, "timestamp", data, metadata, processed)
            SELECT e.seq, $4 + x.n, x.t, x.d, x.m, x.p
            FROM {s}.model_episodes e JOIN {s}.model_instances i ON i.instance_id = e.instance_id,
                unnest($5::timestamptz[], $6::json[], $7::json[], $8::boolean[]) WITH ORDINALITY AS x(t, d, m, p, n)
            WHERE {OwnedEpisode}
            """;
        _countEvents = $"""
            UPDATE {s}.model_episodes e SET event_count = $4 FROM {s}.model_instances i
            WHERE {OwnedEpisode}
            """;
        _setMetadata = $"""
            WITH changed AS (
                UPDATE {s}.model_events ev SET metadata = $5 FROM {s}.model_episodes e, {s}.model_instances i
                WHERE ev.episode_seq = e.seq AND ev.event_id = $4 AND {OwnedEpisode}
                RETURNING ev.event_id)
            UPDATE {s}.model_instances SET version = version + 1
            WHERE instance_id = $1 AND owner_subject = $2 AND EXISTS (SELECT 1 FROM changed)
            """;
        _markProcessed = $"""
            UPDATE {s}.model_events ev SET processed = true FROM {s}.model_episodes e, {s}.model_instances i
            WHERE ev.episode_seq = e.seq AND ev.event_id = ANY($4) AND NOT ev.processed AND {OwnedEpisode}
            """;
        _setParameters = $"""
            UPDATE {s}.model_episodes e SET parameters = $4 FROM {s}.model_instances i
            WHERE {OwnedEpisode}
            """;
    }

    public async ValueTask<InstanceAddResult> AddAsync(ModelInstance instance, JsonElement defaultParameters, InstanceLimits limits, DateTimeOffset retainUntil, CancellationToken cancellationToken = default)
    {
        ArgumentNullException.ThrowIfNull(instance);
        CheckValue(defaultParameters, nameof(defaultParameters));
        if (instance.CurrentEpisode != ModelInstance.DefaultEpisode)
        {
            throw new ArgumentException("A new instance starts in the default episode.", nameof(instance));
        }

        if (instance.Description.Contains('\0', StringComparison.Ordinal) || instance.OwnerSubject.Contains('\0', StringComparison.Ordinal) || instance.ModelName.Contains('\0', StringComparison.Ordinal))
        {
            throw new ArgumentException("PostgreSQL cannot keep the character U+0000 in text.", nameof(instance));
        }

        try
        {
            await using var connection = await _database.OpenAsync(cancellationToken).ConfigureAwait(false);
            await using var transaction = await connection.BeginTransactionAsync(IsolationLevel.ReadCommitted, cancellationToken).ConfigureAwait(false);

            // The owner's row first (so the owner's adds and removals take turns), then its count; then the store's.
            long owned;
            await using (var claim = new NpgsqlBatch(connection, transaction)
            {
                BatchCommands =
                {
                    Statement(_claimOwner, Text(instance.OwnerSubject), Ticks(retainUntil)),
                    Statement(_countOwned, Text(instance.OwnerSubject)),
                },
            })
            {
                await using var reader = await claim.ExecuteReaderAsync(cancellationToken).ConfigureAwait(false);
                await reader.NextResultAsync(cancellationToken).ConfigureAwait(false);
                await reader.ReadAsync(cancellationToken).ConfigureAwait(false);
                owned = reader.GetInt64(0);
            }

            if (limits.MaxInstancesPerOwner > 0 && owned >= limits.MaxInstancesPerOwner)
            {
                return InstanceAddResult.OwnerLimitReached; // rolled back: the owner's row as it was
            }

            if (limits.MaxInstances > 0 && _estimate?.IsFarBelow(limits.MaxInstances, CapacityExactMargin) != true)
            {
                // The count is a statement of its own, after the lock: its snapshot sees every add committed before.
                await using var count = new NpgsqlBatch(connection, transaction)
                {
                    BatchCommands =
                    {
                        Statement("SELECT pg_advisory_xact_lock($1)", new NpgsqlParameter<long> { TypedValue = _capacityLock }),
                        Statement(_countAll, new NpgsqlParameter<int> { TypedValue = limits.MaxInstances }),
                    },
                };
                await using var reader = await count.ExecuteReaderAsync(cancellationToken).ConfigureAwait(false);
                await reader.NextResultAsync(cancellationToken).ConfigureAwait(false);
                await reader.ReadAsync(cancellationToken).ConfigureAwait(false);
                if (reader.GetInt64(0) >= limits.MaxInstances)
                {
                    return InstanceAddResult.StoreFull;
                }
            }

            await using (var command = new NpgsqlCommand(_add, connection, transaction)
            {
                Parameters =
                {
                    Id(instance.InstanceId),
                    Text(instance.OwnerSubject),
                    Text(instance.ModelName),
                    RevocationFeed.Timestamp(instance.CreatedAt),
                    Text(instance.Description),
                    Json(instance.Arguments),
                    Json(instance.State),
                    Text(instance.CurrentEpisode),
                    new NpgsqlParameter<long> { TypedValue = instance.Version },
                    Json(defaultParameters),
                },
            })
            {
                await command.ExecuteNonQueryAsync(cancellationToken).ConfigureAwait(false);
            }

            await transaction.CommitAsync(cancellationToken).ConfigureAwait(false);
            _estimate?.Added();
            return InstanceAddResult.Added;
        }
        catch (PostgresException e) when (e.SqlState == PostgresErrorCodes.UniqueViolation)
        {
            throw new InvalidOperationException($"An instance with id {instance.InstanceId} is stored already.", e);
        }
        catch (Exception e) when (PostgreSqlDatabase.IsUnavailable(e) && !cancellationToken.IsCancellationRequested)
        {
            throw PostgreSqlDatabase.Unavailable(e);
        }
    }

    public async ValueTask ExtendRetentionAsync(string ownerSubject, DateTimeOffset retainUntil, CancellationToken cancellationToken = default)
    {
        ArgumentNullException.ThrowIfNull(ownerSubject);
        try
        {
            await using var connection = await _database.OpenAsync(cancellationToken).ConfigureAwait(false);
            await using var command = new NpgsqlCommand(_extendRetention, connection) { Parameters = { Owner(ownerSubject), Ticks(retainUntil) } };
            await command.ExecuteNonQueryAsync(cancellationToken).ConfigureAwait(false);
        }
        catch (Exception e) when (PostgreSqlDatabase.IsUnavailable(e) && !cancellationToken.IsCancellationRequested)
        {
            throw PostgreSqlDatabase.Unavailable(e);
        }
    }

    public async ValueTask<int> RemoveExpiredAsync(DateTimeOffset now, CancellationToken cancellationToken = default)
    {
        var removed = 0;
        try
        {
            await using var connection = await _database.OpenAsync(cancellationToken).ConfigureAwait(false);
            while (true)
            {
                await using var command = new NpgsqlCommand(_removeExpired, connection)
                {
                    Parameters = { Ticks(now), new NpgsqlParameter<int> { TypedValue = ExpiredOwnersPerStatement } },
                };
                await using var reader = await command.ExecuteReaderAsync(CommandBehavior.SingleRow, cancellationToken).ConfigureAwait(false);
                await reader.ReadAsync(cancellationToken).ConfigureAwait(false);
                var owners = reader.GetInt64(0);
                removed += (int)reader.GetInt64(1);
                if (owners < ExpiredOwnersPerStatement)
                {
                    return removed;
                }
            }
        }
        catch (Exception e) when (PostgreSqlDatabase.IsUnavailable(e) && !cancellationToken.IsCancellationRequested)
        {
            throw PostgreSqlDatabase.Unavailable(e);
        }
    }

    public async ValueTask<ModelInstance?> GetAsync(string ownerSubject, Guid instanceId, CancellationToken cancellationToken = default)
    {
        ArgumentNullException.ThrowIfNull(ownerSubject);
        try
        {
            await using var connection = await _database.OpenAsync(cancellationToken).ConfigureAwait(false);
            await using var command = new NpgsqlCommand(_get, connection) { Parameters = { Id(instanceId), Owner(ownerSubject) } };
            await using var reader = await command.ExecuteReaderAsync(CommandBehavior.SingleRow, cancellationToken).ConfigureAwait(false);
            return await reader.ReadAsync(cancellationToken).ConfigureAwait(false) ? ReadInstance(reader) : null;
        }
        catch (Exception e) when (PostgreSqlDatabase.IsUnavailable(e) && !cancellationToken.IsCancellationRequested)
        {
            throw PostgreSqlDatabase.Unavailable(e);
        }
    }

    public async ValueTask<IReadOnlyList<ModelInstance>> ListAsync(string ownerSubject, CancellationToken cancellationToken = default)
    {
        ArgumentNullException.ThrowIfNull(ownerSubject);
        try
        {
            await using var connection = await _database.OpenAsync(cancellationToken).ConfigureAwait(false);
            await using var command = new NpgsqlCommand(_list, connection) { Parameters = { Owner(ownerSubject) } };
            await using var reader = await command.ExecuteReaderAsync(cancellationToken).ConfigureAwait(false);
            var instances = new List<ModelInstance>();
            while (await reader.ReadAsync(cancellationToken).ConfigureAwait(false))
            {
                instances.Add(ReadInstance(reader));
            }

            return instances;
        }
        catch (Exception e) when (PostgreSqlDatabase.IsUnavailable(e) && !cancellationToken.IsCancellationRequested)
        {
            throw PostgreSqlDatabase.Unavailable(e);
        }
    }

    public async ValueTask<bool> RemoveAsync(string ownerSubject, Guid instanceId, CancellationToken cancellationToken = default)
    {
        ArgumentNullException.ThrowIfNull(ownerSubject);
        try
        {
            // One batch, one implicit transaction: the owner's row locked (adds of the owner wait), the instance deleted
            // with its episodes and events, and the owner's row dropped with its last instance.
            await using var connection = await _database.OpenAsync(cancellationToken).ConfigureAwait(false);
            await using var batch = new NpgsqlBatch(connection)
            {
                BatchCommands =
                {
                    Statement(_lockOwner, Owner(ownerSubject)),
                    Statement(_remove, Id(instanceId), Owner(ownerSubject)),
                    Statement(_dropOwnerIfEmpty, Owner(ownerSubject)),
                },
            };
            await batch.ExecuteNonQueryAsync(cancellationToken).ConfigureAwait(false);
            return batch.BatchCommands[1].RecordsAffected > 0;
        }
        catch (Exception e) when (PostgreSqlDatabase.IsUnavailable(e) && !cancellationToken.IsCancellationRequested)
        {
            throw PostgreSqlDatabase.Unavailable(e);
        }
    }

    public async ValueTask<IReadOnlyList<ModelEpisode>?> ListEpisodesAsync(string ownerSubject, Guid instanceId, CancellationToken cancellationToken = default)
    {
        ArgumentNullException.ThrowIfNull(ownerSubject);
        try
        {
            await using var connection = await _database.OpenAsync(cancellationToken).ConfigureAwait(false);
            await using var transaction = await connection.BeginTransactionAsync(IsolationLevel.RepeatableRead, cancellationToken).ConfigureAwait(false);
            await using var batch = new NpgsqlBatch(connection, transaction)
            {
                BatchCommands =
                {
                    Statement(_episodes, Id(instanceId), Owner(ownerSubject)),
                    Statement(_allEvents, Id(instanceId), Owner(ownerSubject)),
                },
            };
            var headers = new List<(string Name, DateTimeOffset CreatedAt, JsonElement Parameters, long Key)>();
            var events = new Dictionary<long, List<ModelEvent>>();
            await using (var reader = await batch.ExecuteReaderAsync(cancellationToken).ConfigureAwait(false))
            {
                while (await reader.ReadAsync(cancellationToken).ConfigureAwait(false))
                {
                    headers.Add((reader.GetString(0), reader.GetFieldValue<DateTimeOffset>(1), ParseJson(reader.GetString(2)), reader.GetInt64(3)));
                }

                await reader.NextResultAsync(cancellationToken).ConfigureAwait(false);
                while (await reader.ReadAsync(cancellationToken).ConfigureAwait(false))
                {
                    var episode = reader.GetInt64(0);
                    if (!events.TryGetValue(episode, out var list))
                    {
                        events.Add(episode, list = []);
                    }

                    list.Add(ReadEvent(reader, 1));
                }
            }

            await transaction.CommitAsync(cancellationToken).ConfigureAwait(false);
            if (headers.Count == 0)
            {
                return null; // every instance has its default episode: none means no such instance
            }

            var episodes = new ModelEpisode[headers.Count];
            for (var i = 0; i < episodes.Length; i++)
            {
                var (name, createdAt, parameters, key) = headers[i];
                episodes[i] = new ModelEpisode(instanceId, name, createdAt, parameters, events.TryGetValue(key, out var list) ? list : []);
            }

            return episodes;
        }
        catch (Exception e) when (PostgreSqlDatabase.IsUnavailable(e) && !cancellationToken.IsCancellationRequested)
        {
            throw PostgreSqlDatabase.Unavailable(e);
        }
    }

    public async ValueTask<ModelEpisodeRead> GetEpisodeAsync(string ownerSubject, Guid instanceId, string? episodeName, CancellationToken cancellationToken = default)
    {
        ArgumentNullException.ThrowIfNull(ownerSubject);
        try
        {
            await using var connection = await _database.OpenAsync(cancellationToken).ConfigureAwait(false);
            await using var transaction = await connection.BeginTransactionAsync(IsolationLevel.RepeatableRead, cancellationToken).ConfigureAwait(false);
            await using var batch = new NpgsqlBatch(connection, transaction)
            {
                BatchCommands =
                {
                    Statement(_episode, Id(instanceId), Owner(ownerSubject), Name(episodeName), Current(episodeName)),
                    Statement(_episodeEvents, Id(instanceId), Owner(ownerSubject), Name(episodeName), Current(episodeName)),
                },
            };
            ModelInstance? instance = null;
            (string Name, DateTimeOffset CreatedAt, JsonElement Parameters)? header = null;
            var events = new List<ModelEvent>();
            await using (var reader = await batch.ExecuteReaderAsync(cancellationToken).ConfigureAwait(false))
            {
                if (await reader.ReadAsync(cancellationToken).ConfigureAwait(false))
                {
                    instance = ReadInstance(reader);
                    if (!reader.IsDBNull(InstanceColumnCount))
                    {
                        header = (reader.GetString(InstanceColumnCount + 1), reader.GetFieldValue<DateTimeOffset>(InstanceColumnCount + 2), ParseJson(reader.GetString(InstanceColumnCount)));
                    }
                }

                await reader.NextResultAsync(cancellationToken).ConfigureAwait(false);
                while (await reader.ReadAsync(cancellationToken).ConfigureAwait(false))
                {
                    events.Add(ReadEvent(reader, 0));
                }
            }

            await transaction.CommitAsync(cancellationToken).ConfigureAwait(false);
            return new ModelEpisodeRead(
                instance,
                header is var (name, createdAt, parameters) ? new ModelEpisode(instanceId, name, createdAt, parameters, events) : null);
        }
        catch (Exception e) when (PostgreSqlDatabase.IsUnavailable(e) && !cancellationToken.IsCancellationRequested)
        {
            throw PostgreSqlDatabase.Unavailable(e);
        }
    }

    public async ValueTask<ModelParametersRead> GetParametersAsync(string ownerSubject, Guid instanceId, string? episodeName, CancellationToken cancellationToken = default)
    {
        ArgumentNullException.ThrowIfNull(ownerSubject);
        try
        {
            await using var connection = await _database.OpenAsync(cancellationToken).ConfigureAwait(false);
            await using var command = new NpgsqlCommand(_parameters, connection) { Parameters = { Id(instanceId), Owner(ownerSubject), Name(episodeName), Current(episodeName) } };
            await using var reader = await command.ExecuteReaderAsync(CommandBehavior.SingleRow, cancellationToken).ConfigureAwait(false);
            if (!await reader.ReadAsync(cancellationToken).ConfigureAwait(false))
            {
                return default;
            }

            var instance = ReadInstance(reader);
            return new ModelParametersRead(instance, reader.IsDBNull(InstanceColumnCount) ? null : ParseJson(reader.GetString(InstanceColumnCount)));
        }
        catch (Exception e) when (PostgreSqlDatabase.IsUnavailable(e) && !cancellationToken.IsCancellationRequested)
        {
            throw PostgreSqlDatabase.Unavailable(e);
        }
    }

    public ValueTask<ModelStoreOutcome> AddEpisodeAsync(string ownerSubject, Guid instanceId, string episodeName, JsonElement parameters, DateTimeOffset createdAt, int maxEpisodes, CancellationToken cancellationToken = default)
    {
        ArgumentNullException.ThrowIfNull(ownerSubject);
        ArgumentException.ThrowIfNullOrEmpty(episodeName);
        CheckValue(parameters, nameof(parameters));
        if (episodeName.Contains('\0', StringComparison.Ordinal))
        {
            throw new ArgumentException("PostgreSQL cannot keep the character U+0000 in an episode name.", nameof(episodeName));
        }

        return WriteAsync(ownerSubject, instanceId, episodeName, ModelStoreOutcome.InstanceNotFound, (locked, batch) =>
        {
            if (locked.EpisodeEvents is not null)
            {
                return ModelStoreOutcome.EpisodeExists;
            }

            if (locked.Episodes >= maxEpisodes)
            {
                return ModelStoreOutcome.LimitReached;
            }

            batch.Add(Statement(_addEpisode, Id(instanceId), Owner(ownerSubject), Text(episodeName), RevocationFeed.Timestamp(createdAt), Json(parameters)));
            batch.Add(Statement(_bumpVersion, Id(instanceId), Owner(ownerSubject), Text(episodeName)));
            return ModelStoreOutcome.Done;
        }, cancellationToken);
    }

    public ValueTask<ModelStoreOutcome> RemoveEpisodeAsync(string ownerSubject, Guid instanceId, string episodeName, CancellationToken cancellationToken = default)
    {
        ArgumentNullException.ThrowIfNull(ownerSubject);
        ArgumentNullException.ThrowIfNull(episodeName);
        if (episodeName == ModelInstance.DefaultEpisode)
        {
            throw new ArgumentException("The default episode is never removed.", nameof(episodeName));
        }

        return WriteAsync(ownerSubject, instanceId, episodeName, ModelStoreOutcome.InstanceNotFound, (locked, batch) =>
        {
            if (locked.EpisodeEvents is null)
            {
                return ModelStoreOutcome.EpisodeNotFound;
            }

            batch.Add(Statement(_removeEpisode, Id(instanceId), Owner(ownerSubject), Key(locked), Text(ModelInstance.DefaultEpisode)));
            return ModelStoreOutcome.Done;
        }, cancellationToken);
    }

    public ValueTask<ModelStoreOutcome> ResetEpisodeAsync(string ownerSubject, Guid instanceId, string episodeName, CancellationToken cancellationToken = default)
    {
        ArgumentNullException.ThrowIfNull(ownerSubject);
        ArgumentNullException.ThrowIfNull(episodeName);
        return WriteAsync(ownerSubject, instanceId, episodeName, ModelStoreOutcome.InstanceNotFound, (locked, batch) =>
        {
            if (locked.EpisodeEvents is null)
            {
                return ModelStoreOutcome.EpisodeNotFound;
            }

            batch.Add(Statement(_resetEvents, Id(instanceId), Owner(ownerSubject), Key(locked)));
            batch.Add(Statement(_resetEpisode, Id(instanceId), Owner(ownerSubject), Key(locked)));
            batch.Add(Statement(_bumpVersion, Id(instanceId), Owner(ownerSubject), OptionalText(null)));
            return ModelStoreOutcome.Done;
        }, cancellationToken);
    }

    public ValueTask<ModelStoreOutcome> AppendEventsAsync(string ownerSubject, Guid instanceId, string episodeName, IReadOnlyList<ModelEvent> events, int maxEvents, CancellationToken cancellationToken = default)
    {
        ArgumentNullException.ThrowIfNull(ownerSubject);
        ArgumentNullException.ThrowIfNull(episodeName);
        ArgumentNullException.ThrowIfNull(events);
        var timestamps = new DateTimeOffset[events.Count];
        var data = new string[events.Count];
        var metadata = new string?[events.Count];
        var processed = new bool[events.Count];
        for (var i = 0; i < events.Count; i++)
        {
            var item = events[i] ?? throw new ArgumentException("An event is null.", nameof(events));
            CheckValue(item.Data, nameof(events));
            timestamps[i] = item.Timestamp.ToUniversalTime();
            data[i] = item.Data.GetRawText();
            metadata[i] = item.Metadata?.GetRawText();
            processed[i] = item.Processed;
        }

        return WriteAsync(ownerSubject, instanceId, episodeName, ModelStoreOutcome.InstanceNotFound, (locked, batch) =>
        {
            if (locked.EpisodeEvents is not { } last)
            {
                return ModelStoreOutcome.EpisodeNotFound;
            }

            if (last + events.Count > maxEvents)
            {
                return ModelStoreOutcome.LimitReached;
            }

            AppendEvents(batch, ownerSubject, instanceId, locked.EpisodeKey, last, timestamps, data, metadata, processed);
            batch.Add(Statement(_bumpVersion, Id(instanceId), Owner(ownerSubject), OptionalText(null)));
            return ModelStoreOutcome.Done;
        }, cancellationToken);
    }

    public ValueTask<ModelStoreOutcome> SetEventMetadataAsync(string ownerSubject, Guid instanceId, string episodeName, long eventId, JsonElement metadata, CancellationToken cancellationToken = default)
    {
        ArgumentNullException.ThrowIfNull(ownerSubject);
        ArgumentNullException.ThrowIfNull(episodeName);
        CheckValue(metadata, nameof(metadata));
        return WriteAsync(ownerSubject, instanceId, episodeName, ModelStoreOutcome.InstanceNotFound, (locked, batch) =>
        {
            if (locked.EpisodeEvents is not { } last)
            {
                return ModelStoreOutcome.EpisodeNotFound;
            }

            if (eventId < 1 || eventId > last)
            {
                return ModelStoreOutcome.EventNotFound; // ids run 1..n without gaps
            }

            batch.Add(Statement(_setMetadata, Id(instanceId), Owner(ownerSubject), Key(locked), new NpgsqlParameter<long> { TypedValue = eventId }, Json(metadata)));
            return ModelStoreOutcome.Done;
        }, cancellationToken);
    }

    public async ValueTask<ModelInferenceCommit> CommitInferenceAsync(string ownerSubject, Guid instanceId, long expectedVersion, JsonElement state, string episodeName, ModelEvent inferenceEvent, int maxEvents, CancellationToken cancellationToken = default)
    {
        ArgumentNullException.ThrowIfNull(ownerSubject);
        ArgumentNullException.ThrowIfNull(episodeName);
        ArgumentNullException.ThrowIfNull(inferenceEvent);
        CheckValue(state, nameof(state));
        CheckValue(inferenceEvent.Data, nameof(inferenceEvent));
        var eventOutcome = ModelStoreOutcome.Done;
        long eventId = 0;
        var outcome = await WriteAsync(ownerSubject, instanceId, episodeName, ModelStoreOutcome.InstanceNotFound, (locked, batch) =>
        {
            if (locked.Version != expectedVersion)
            {
                return ModelStoreOutcome.VersionConflict;
            }

            batch.Add(Statement(_setState, Id(instanceId), Owner(ownerSubject), Json(state)));
            if (locked.EpisodeEvents is not { } last)
            {
                eventOutcome = ModelStoreOutcome.EpisodeNotFound;
            }
            else if (last >= maxEvents)
            {
                eventOutcome = ModelStoreOutcome.LimitReached;
            }
            else
            {
                eventId = last + 1;
                AppendEvents(
                    batch,
                    ownerSubject,
                    instanceId,
                    locked.EpisodeKey,
                    last,
                    [inferenceEvent.Timestamp.ToUniversalTime()],
                    [inferenceEvent.Data.GetRawText()],
                    [inferenceEvent.Metadata?.GetRawText()],
                    [inferenceEvent.Processed]);
            }

            return ModelStoreOutcome.Done;
        }, cancellationToken).ConfigureAwait(false);
        return outcome == ModelStoreOutcome.Done
            ? new ModelInferenceCommit(outcome, eventOutcome, eventOutcome == ModelStoreOutcome.Done ? eventId : 0)
            : new ModelInferenceCommit(outcome, outcome, 0);
    }

    public ValueTask<ModelStoreOutcome> CommitLearningAsync(string ownerSubject, Guid instanceId, long expectedVersion, JsonElement state, string episodeName, JsonElement parameters, IReadOnlyList<long> processedEventIds, CancellationToken cancellationToken = default)
    {
        ArgumentNullException.ThrowIfNull(ownerSubject);
        ArgumentNullException.ThrowIfNull(episodeName);
        ArgumentNullException.ThrowIfNull(processedEventIds);
        CheckValue(state, nameof(state));
        CheckValue(parameters, nameof(parameters));
        var ids = processedEventIds.ToArray();
        return WriteAsync(ownerSubject, instanceId, episodeName, ModelStoreOutcome.InstanceNotFound, (locked, batch) =>
        {
            if (locked.Version != expectedVersion)
            {
                return ModelStoreOutcome.VersionConflict;
            }

            if (locked.EpisodeEvents is null)
            {
                return ModelStoreOutcome.EpisodeNotFound;
            }

            if (ids.Length > 0)
            {
                batch.Add(Statement(_markProcessed, Id(instanceId), Owner(ownerSubject), Key(locked), new NpgsqlParameter<long[]> { TypedValue = ids }));
            }

            batch.Add(Statement(_setParameters, Id(instanceId), Owner(ownerSubject), Key(locked), Json(parameters)));
            batch.Add(Statement(_setState, Id(instanceId), Owner(ownerSubject), Json(state)));
            return ModelStoreOutcome.Done;
        }, cancellationToken);
    }

    /// <summary>
    /// One write: in a transaction, locks the instance's row and reads what writes check (<see cref="Locked"/>), lets
    /// <paramref name="decide"/> add the write's statements (and say the outcome), runs them and commits when the
    /// outcome is <see cref="ModelStoreOutcome.Done"/>; otherwise nothing changes. Two round trips: <c>BEGIN</c> with the
    /// locking read, then the writes with <c>COMMIT</c> in the same batch (the statements of a batch run in order and
    /// stop at the first error, so <c>COMMIT</c> runs only after every write succeeded). Any other way out (an outcome
    /// other than done, an error, a cancellation) sends <c>ROLLBACK</c> before the connection returns to the pool (one
    /// more round trip, as the transaction's disposal cost before): nothing is committed and the row lock goes at once.
    /// </summary>
    private async ValueTask<ModelStoreOutcome> WriteAsync(
        string ownerSubject,
        Guid instanceId,
        string episodeName,
        ModelStoreOutcome missing,
        Func<Locked, List<NpgsqlBatchCommand>, ModelStoreOutcome> decide,
        CancellationToken cancellationToken)
    {
        try
        {
            await using var connection = await _database.OpenAsync(cancellationToken).ConfigureAwait(false);
            var committed = false;
            try
            {
                Locked locked;
                await using (var read = new NpgsqlBatch(connection)
                {
                    BatchCommands =
                    {
                        new NpgsqlBatchCommand(BeginReadCommitted),
                        Statement(_lockInstance, Id(instanceId), Owner(ownerSubject)),
                        Statement(_lockEpisodes, Id(instanceId), Owner(ownerSubject), Name(episodeName)),
                    },
                })
                {
                    await using var reader = await read.ExecuteReaderAsync(cancellationToken).ConfigureAwait(false);
                    if (!await reader.ReadAsync(cancellationToken).ConfigureAwait(false))
                    {
                        return missing;
                    }

                    var version = reader.GetInt64(0);
                    await reader.NextResultAsync(cancellationToken).ConfigureAwait(false);
                    await reader.ReadAsync(cancellationToken).ConfigureAwait(false);
                    locked = new Locked(version, reader.GetInt64(0), reader.IsDBNull(1) ? 0 : reader.GetInt64(1), reader.IsDBNull(2) ? null : reader.GetInt64(2));
                }

                var statements = new List<NpgsqlBatchCommand>();
                var outcome = decide(locked, statements);
                if (outcome != ModelStoreOutcome.Done)
                {
                    return outcome; // rolled back below: nothing changed
                }

                await using (var write = new NpgsqlBatch(connection))
                {
                    foreach (var statement in statements)
                    {
                        write.BatchCommands.Add(statement);
                    }

                    write.BatchCommands.Add(new NpgsqlBatchCommand(Commit));
                    await write.ExecuteNonQueryAsync(cancellationToken).ConfigureAwait(false);
                }

                committed = true;
                return ModelStoreOutcome.Done;
            }
            finally
            {
                if (!committed)
                {
                    await RollBackAsync(connection).ConfigureAwait(false);
                }
            }
        }
        catch (Exception e) when (PostgreSqlDatabase.IsUnavailable(e) && !cancellationToken.IsCancellationRequested)
        {
            throw PostgreSqlDatabase.Unavailable(e);
        }
    }

    /// <summary>
    /// Ends a write's transaction without committing, before the connection returns to the pool, so its row locks go
    /// at once. A connection that is broken has lost its session (and the transaction with it) on the server.
    /// </summary>
    private static async ValueTask RollBackAsync(NpgsqlConnection connection)
    {
        if (connection.FullState != ConnectionState.Open)
        {
            return;
        }

        try
        {
            await using var rollback = new NpgsqlCommand(Rollback, connection);
            await rollback.ExecuteNonQueryAsync(CancellationToken.None).ConfigureAwait(false);
        }
        catch (Exception e) when (PostgreSqlDatabase.IsUnavailable(e) || e is InvalidOperationException)
        {
            // The connection broke meanwhile: the server ended the session and rolled the transaction back.
        }
    }

    private void AppendEvents(List<NpgsqlBatchCommand> batch, string ownerSubject, Guid instanceId, long episodeKey, long last, DateTimeOffset[] timestamps, string[] data, string?[] metadata, bool[] processed)
    {
        batch.Add(Statement(
            _appendEvents,
            Id(instanceId),
            Owner(ownerSubject),
            new NpgsqlParameter<long> { TypedValue = episodeKey },
            new NpgsqlParameter<long> { TypedValue = last },
            new NpgsqlParameter<DateTimeOffset[]> { TypedValue = timestamps, NpgsqlDbType = NpgsqlDbType.Array | NpgsqlDbType.TimestampTz },
            new NpgsqlParameter<string[]> { TypedValue = data, NpgsqlDbType = NpgsqlDbType.Array | NpgsqlDbType.Json },
            new NpgsqlParameter<string?[]> { TypedValue = metadata, NpgsqlDbType = NpgsqlDbType.Array | NpgsqlDbType.Json },
            new NpgsqlParameter<bool[]> { TypedValue = processed }));
        batch.Add(Statement(_countEvents, Id(instanceId), Owner(ownerSubject), new NpgsqlParameter<long> { TypedValue = episodeKey }, new NpgsqlParameter<long> { TypedValue = last + data.Length }));
    }

    private static NpgsqlBatchCommand Statement(string sql, params NpgsqlParameter[] parameters)
    {
        var command = new NpgsqlBatchCommand(sql);
        command.Parameters.AddRange(parameters);
        return command;
    }

    private static NpgsqlParameter<Guid> Id(Guid id) => new() { TypedValue = id };

    /// <summary>A time as UTC ticks (the retention column: exact to the tick).</summary>
    private static NpgsqlParameter<long> Ticks(DateTimeOffset time) => new() { TypedValue = time.UtcTicks };

    private static NpgsqlParameter<string> Text(string value) => new() { TypedValue = value, NpgsqlDbType = NpgsqlDbType.Text };

    /// <summary>An episode name as a parameter: NULL for none and for a name with U+0000, which PostgreSQL cannot hold (so no episode has it).</summary>
    private static NpgsqlParameter Name(string? name) => OptionalText(name is not null && name.Contains('\0', StringComparison.Ordinal) ? null : name);

    /// <summary>
    /// An owner as a parameter: NULL for a subject with U+0000, which PostgreSQL cannot hold in text (so it owns
    /// nothing); the statement still runs, so a probe with such a subject still proves the database answers.
    /// </summary>
    private static NpgsqlParameter Owner(string ownerSubject) => OptionalText(ownerSubject.Contains('\0', StringComparison.Ordinal) ? null : ownerSubject);

    /// <summary>Whether a read is of the instance's current episode (no name given).</summary>
    private static NpgsqlParameter<bool> Current(string? name) => new() { TypedValue = name is null };

    private static NpgsqlParameter<long> Key(Locked locked) => new() { TypedValue = locked.EpisodeKey };

    private static NpgsqlParameter OptionalText(string? value) => new() { Value = (object?)value ?? DBNull.Value, NpgsqlDbType = NpgsqlDbType.Text };

    private static NpgsqlParameter<string> Json(JsonElement value) => new() { TypedValue = value.GetRawText(), NpgsqlDbType = NpgsqlDbType.Json };

    private static JsonElement ParseJson(string text)
    {
        using var document = JsonDocument.Parse(text);
        return document.RootElement.Clone();
    }

    private static ModelInstance ReadInstance(NpgsqlDataReader reader) => new(
        instanceId: reader.GetGuid(0),
        modelName: reader.GetString(2),
        ownerSubject: reader.GetString(1),
        createdAt: reader.GetFieldValue<DateTimeOffset>(3),
        description: reader.GetString(4),
        arguments: ParseJson(reader.GetString(5)),
        state: ParseJson(reader.GetString(6)),
        currentEpisode: reader.GetString(7),
        version: reader.GetInt64(8));

    /// <summary>An event from columns <c>event_id, timestamp, data, metadata, processed</c> starting at <paramref name="first"/>.</summary>
    private static ModelEvent ReadEvent(NpgsqlDataReader reader, int first) => new(
        reader.GetInt64(first),
        reader.GetFieldValue<DateTimeOffset>(first + 1),
        ParseJson(reader.GetString(first + 2)),
        reader.IsDBNull(first + 3) ? null : ParseJson(reader.GetString(first + 3)),
        reader.GetBoolean(first + 4));

    private static void CheckValue(JsonElement value, string name)
    {
        if (value.ValueKind == JsonValueKind.Undefined)
        {
            throw new ArgumentException("The value must be a JSON value.", name);
        }
    }

    /// <summary>
    /// What a write read under the instance's lock: its version, how many live episodes it has, and the named episode's
    /// key and event count (<see langword="null"/>: no such episode).
    /// </summary>
    private readonly record struct Locked(long Version, long Episodes, long EpisodeKey, long? EpisodeEvents);
}
