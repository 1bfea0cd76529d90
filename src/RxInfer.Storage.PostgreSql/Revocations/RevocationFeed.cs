using System.Data;
using System.Diagnostics;
using Microsoft.Extensions.Logging;
using Microsoft.Extensions.Options;
using Npgsql;
using NpgsqlTypes;
using RxInfer.Auth;

namespace RxInfer.Storage.PostgreSql;

/// <summary>
/// Keeps this node's token cache and its copy of the JWT revocations coherent with every other node: one long-lived
/// connection <c>LISTEN</c>s on the schema's channel, and on each notification (and at least every
/// <see cref="PostgreSqlStoreOptions.HeartbeatInterval"/>) applies the entries of the revocation log past the last one
/// applied, in sequence order. Writers take an advisory lock, so the sequence follows commit order and "everything
/// past N" misses nothing.
/// </summary>
/// <remarks>
/// <para>Trust: while connected and caught up, the cache and the copy answer alone. When the connection drops, they
/// are honoured for <see cref="PostgreSqlStoreOptions.CacheGracePeriod"/> (0: not at all), then every question goes
/// to the database; on reconnect the node applies every revocation logged meanwhile before it trusts them again.
/// A node whose applied sequence fell behind what the sweep pruned reloads every revocation and empties its cache.</para>
/// <para>Reconnection backs off from 250 ms to 5 s, in real time (it is about the network, not the clock tokens are
/// checked against); the grace period is measured with the injected <see cref="TimeProvider"/>.</para>
/// </remarks>
internal sealed class RevocationFeed
{
    /// <summary>The <c>application_name</c> of the listening connection, to find it in <c>pg_stat_activity</c>.</summary>
    public const string ApplicationName = "rxinfer-revocations";

    private const int PageSize = 1000;
    private static readonly TimeSpan FirstRetryDelay = TimeSpan.FromMilliseconds(250);
    private static readonly TimeSpan LastRetryDelay = TimeSpan.FromSeconds(5);

    private readonly PostgreSqlDatabase _database;
    private readonly TokenHashCache _cache;
    private readonly LocalRevocations _revocations;
    private readonly TimeProvider _timeProvider;
    private readonly ILogger _logger;
    private readonly TimeSpan _grace;
    private readonly TimeSpan _heartbeat;
    private readonly string _schema;
    private readonly CapacityEstimates? _estimates;

    private volatile bool _connected;
    private volatile bool _loaded;
    private long _disconnectedAtTicks;
    private long _applied;
    private int _pending;
    private TaskCompletionSource _changed = NewSignal();

    public RevocationFeed(
        PostgreSqlDatabase database,
        TokenHashCache cache,
        LocalRevocations revocations,
        IOptions<PostgreSqlStoreOptions> options,
        TimeProvider timeProvider,
        ILogger<RevocationFeed> logger,
        CapacityEstimates? estimates = null)
    {
        _estimates = estimates;
        _database = database;
        _cache = cache;
        _revocations = revocations;
        _timeProvider = timeProvider;
        _logger = logger;
        _grace = options.Value.CacheGracePeriod;
        _heartbeat = options.Value.HeartbeatInterval;
        _schema = database.Schema;
    }

    /// <summary>Whether the notification connection is up and caught up: only then may lookups fill the cache.</summary>
    public bool IsConnected => _connected;

    /// <summary>The backend process id of the listening connection (0 before the first connection), for operators and tests.</summary>
    public int ListenerProcessId { get; private set; }

    /// <summary>The sequence number of the last log entry applied on this node.</summary>
    public long AppliedSequence => Volatile.Read(ref _applied);

    /// <summary>Whether the cache and the revocation copy may answer alone now (connected, or within the grace period).</summary>
    public bool IsTrusted()
    {
        if (_connected)
        {
            return true;
        }

        if (!_loaded || _grace <= TimeSpan.Zero)
        {
            return false;
        }

        return _timeProvider.GetUtcNow().UtcTicks - Volatile.Read(ref _disconnectedAtTicks) < _grace.Ticks;
    }

    /// <summary>Waits until <paramref name="condition"/> holds, re-checking after every change of the feed (for tests and start-up).</summary>
    public async Task WaitUntilAsync(Func<RevocationFeed, bool> condition, CancellationToken cancellationToken)
    {
        while (true)
        {
            var changed = Volatile.Read(ref _changed).Task;
            if (condition(this))
            {
                return;
            }

            await changed.WaitAsync(cancellationToken).ConfigureAwait(false);
        }
    }

    /// <summary>Listens until <paramref name="stopping"/> is cancelled, reconnecting after every failure.</summary>
    public async Task RunAsync(CancellationToken stopping)
    {
        var delay = FirstRetryDelay;
        while (!stopping.IsCancellationRequested)
        {
            try
            {
                await ListenAsync(stopping).ConfigureAwait(false);
            }
            catch (OperationCanceledException) when (stopping.IsCancellationRequested)
            {
                break;
            }
#pragma warning disable CA1031 // Any failure of the connection means: not connected, retry.
            catch (Exception e)
#pragma warning restore CA1031
            {
                if (_connected)
                {
                    Volatile.Write(ref _disconnectedAtTicks, _timeProvider.GetUtcNow().UtcTicks);
                    _connected = false;
                    Signal();
                    PostgreSqlLog.RevocationFeedLost(_logger, _grace, e);
                    delay = FirstRetryDelay;
                }
                else
                {
                    PostgreSqlLog.RevocationFeedRetry(_logger, delay, e);
                }
            }

            try
            {
                await Task.Delay(delay, stopping).ConfigureAwait(false);
            }
            catch (OperationCanceledException)
            {
                break;
            }

            delay = delay * 2 < LastRetryDelay ? delay * 2 : LastRetryDelay;
        }

        if (_connected)
        {
            Volatile.Write(ref _disconnectedAtTicks, _timeProvider.GetUtcNow().UtcTicks);
            _connected = false;
            Signal();
        }
    }

    private async Task ListenAsync(CancellationToken stopping)
    {
        await using var connection = await _database.DataSource.OpenConnectionAsync(stopping).ConfigureAwait(false);
        connection.Notification += (_, _) => Volatile.Write(ref _pending, 1);
        ListenerProcessId = connection.ProcessID;
        await using (var listen = new NpgsqlCommand($"SET application_name = '{ApplicationName}'; LISTEN {_database.NotificationChannel}", connection))
        {
            await listen.ExecuteNonQueryAsync(stopping).ConfigureAwait(false);
        }

        Volatile.Write(ref _pending, 0);
        var reloaded = await CatchUpAsync(connection, stopping).ConfigureAwait(false);
        if (_estimates is not null)
        {
            await _estimates.RefreshAsync(connection, stopping).ConfigureAwait(false);
        }

        _connected = true;
        Signal();
        PostgreSqlLog.RevocationFeedConnected(_logger, _database.NotificationChannel, AppliedSequence, reloaded ? "full load" : "caught up");

        // Between notifications the connection also reads the capacity estimates, each on its own period (real time).
        var heartbeat = _heartbeat;
        var estimateInterval = _estimates?.Interval ?? Timeout.InfiniteTimeSpan;
        var nextCatchUp = Stopwatch.GetTimestamp() + (long)(heartbeat.TotalSeconds * Stopwatch.Frequency);
        var nextEstimate = _estimates is null ? long.MaxValue : Stopwatch.GetTimestamp() + (long)(estimateInterval.TotalSeconds * Stopwatch.Frequency);
        while (true)
        {
            var now = Stopwatch.GetTimestamp();
            if (_estimates is not null && now >= nextEstimate)
            {
                await _estimates.RefreshAsync(connection, stopping).ConfigureAwait(false);
                nextEstimate = now + (long)(estimateInterval.TotalSeconds * Stopwatch.Frequency);
                now = Stopwatch.GetTimestamp();
            }

            // A notification consumed while a catch-up query ran sets _pending: catch up again without waiting.
            if (Volatile.Read(ref _pending) == 0)
            {
                var until = Math.Min(nextCatchUp, nextEstimate);
                var wait = Stopwatch.GetElapsedTime(now, Math.Max(until, now));
                if (wait > TimeSpan.Zero && !await connection.WaitAsync(wait, stopping).ConfigureAwait(false) && Stopwatch.GetTimestamp() < nextCatchUp)
                {
                    continue; // woken for the estimates only
                }
            }

            Volatile.Write(ref _pending, 0);
            await CatchUpAsync(connection, stopping).ConfigureAwait(false);
            nextCatchUp = Stopwatch.GetTimestamp() + (long)(heartbeat.TotalSeconds * Stopwatch.Frequency);
        }
    }

    /// <summary>Applies every log entry past <see cref="AppliedSequence"/>; reloads everything first when needed.</summary>
    /// <returns>Whether everything was reloaded.</returns>
    private async Task<bool> CatchUpAsync(NpgsqlConnection connection, CancellationToken cancellationToken)
    {
        var reloaded = false;
        if (!_loaded)
        {
            await LoadAllAsync(connection, cancellationToken).ConfigureAwait(false);
            reloaded = true;
        }

        while (true)
        {
            var applied = AppliedSequence;
            await using var batch = new NpgsqlBatch(connection)
            {
                BatchCommands =
                {
                    new NpgsqlBatchCommand($"SELECT pruned_through FROM {_schema}.revocation_log_state"),
                    new NpgsqlBatchCommand($"SELECT seq, kind, token_hash, token_id, subject, cutoff, keep_until FROM {_schema}.revocation_log WHERE seq > $1 ORDER BY seq LIMIT {PageSize}")
                    {
                        Parameters = { new NpgsqlParameter<long> { TypedValue = applied } },
                    },
                },
            };
            await using var reader = await batch.ExecuteReaderAsync(cancellationToken).ConfigureAwait(false);
            await reader.ReadAsync(cancellationToken).ConfigureAwait(false);
            var prunedThrough = reader.GetInt64(0);
            if (prunedThrough > applied)
            {
                await reader.DisposeAsync().ConfigureAwait(false);
                PostgreSqlLog.RevocationsReloaded(_logger);
                await LoadAllAsync(connection, cancellationToken).ConfigureAwait(false);
                reloaded = true;
                continue;
            }

            await reader.NextResultAsync(cancellationToken).ConfigureAwait(false);
            var count = 0;
            var last = applied;
            List<TokenHash>? removed = null;
            while (await reader.ReadAsync(cancellationToken).ConfigureAwait(false))
            {
                count++;
                last = reader.GetInt64(0);
                switch ((RevocationKind)reader.GetInt16(1))
                {
                    case RevocationKind.AccessToken:
                        (removed ??= []).Add(TokenHash.FromBytes(reader.GetFieldValue<byte[]>(2)));
                        break;
                    case RevocationKind.TokenId:
                        _revocations.RevokeToken(reader.GetString(3), reader.GetFieldValue<DateTimeOffset>(6));
                        break;
                    case RevocationKind.Subject:
                        _revocations.RevokeSubject(reader.GetString(4), reader.GetFieldValue<DateTimeOffset>(5), reader.GetFieldValue<DateTimeOffset>(6));
                        break;
                    default:
                        break; // A kind from a newer version of this package: nothing this node caches.
                }
            }

            if (removed is not null)
            {
                _cache.Remove(removed);
            }

            if (last != applied)
            {
                Volatile.Write(ref _applied, last);
                Signal();
            }

            if (count < PageSize)
            {
                return reloaded;
            }
        }
    }

    /// <summary>Replaces the revocation copy with the database's, empties the token cache, in one snapshot with the log's position.</summary>
    private async Task LoadAllAsync(NpgsqlConnection connection, CancellationToken cancellationToken)
    {
        var now = _timeProvider.GetUtcNow();
        await using var transaction = await connection.BeginTransactionAsync(IsolationLevel.RepeatableRead, cancellationToken).ConfigureAwait(false);
        await using var batch = new NpgsqlBatch(connection, transaction)
        {
            BatchCommands =
            {
                new NpgsqlBatchCommand($"SELECT GREATEST(coalesce((SELECT max(seq) FROM {_schema}.revocation_log), 0), (SELECT pruned_through FROM {_schema}.revocation_log_state))"),
                new NpgsqlBatchCommand($"SELECT token_id, keep_until FROM {_schema}.revoked_tokens WHERE keep_until > $1") { Parameters = { Timestamp(now) } },
                new NpgsqlBatchCommand($"SELECT subject, issued_at_or_before, keep_until FROM {_schema}.revoked_subjects WHERE keep_until > $1") { Parameters = { Timestamp(now) } },
            },
        };
        long position;
        var tokens = new List<KeyValuePair<string, DateTimeOffset>>();
        var subjects = new List<(string, DateTimeOffset, DateTimeOffset)>();
        await using (var reader = await batch.ExecuteReaderAsync(cancellationToken).ConfigureAwait(false))
        {
            await reader.ReadAsync(cancellationToken).ConfigureAwait(false);
            position = reader.GetInt64(0);
            await reader.NextResultAsync(cancellationToken).ConfigureAwait(false);
            while (await reader.ReadAsync(cancellationToken).ConfigureAwait(false))
            {
                tokens.Add(new(reader.GetString(0), reader.GetFieldValue<DateTimeOffset>(1)));
            }

            await reader.NextResultAsync(cancellationToken).ConfigureAwait(false);
            while (await reader.ReadAsync(cancellationToken).ConfigureAwait(false))
            {
                subjects.Add((reader.GetString(0), reader.GetFieldValue<DateTimeOffset>(1), reader.GetFieldValue<DateTimeOffset>(2)));
            }
        }

        await transaction.CommitAsync(cancellationToken).ConfigureAwait(false);
        _revocations.Replace(tokens, subjects);
        _cache.Clear();
        Volatile.Write(ref _applied, position);
        _loaded = true;
        Signal();
    }

    internal static NpgsqlParameter<DateTimeOffset> Timestamp(DateTimeOffset value) =>
        new() { TypedValue = value.ToUniversalTime(), NpgsqlDbType = NpgsqlDbType.TimestampTz };

    private static TaskCompletionSource NewSignal() => new(TaskCreationOptions.RunContinuationsAsynchronously);

    private void Signal() => Interlocked.Exchange(ref _changed, NewSignal()).TrySetResult();
}

/// <summary>The kinds of entry in the revocation log (its <c>kind</c> column).</summary>
internal enum RevocationKind : short
{
    /// <summary>An access token was removed: <c>token_hash</c>.</summary>
    AccessToken = 1,

    /// <summary>A JWT id was revoked: <c>token_id</c>, <c>keep_until</c>.</summary>
    TokenId = 2,

    /// <summary>A subject's JWTs up to a cut-off were revoked: <c>subject</c>, <c>cutoff</c>, <c>keep_until</c>.</summary>
    Subject = 3,
}
