using Npgsql;
using RxInfer.Models;

namespace RxInfer.Storage.PostgreSql;

/// <summary>
/// Serialises the calls on one model instance across every node on the database: a session-level PostgreSQL advisory
/// lock per owner and instance (<c>pg_advisory_lock</c>), held on a pooled connection of its own from reading the
/// instance to storing the result, and released with <c>pg_advisory_unlock</c>. A node takes it only after its own
/// lock of the instance, so it holds at most one such connection per instance; at most half the pool's
/// <c>Maximum Pool Size</c> are held at once per node (further calls wait for one), so the other half stays free for
/// the statements themselves. A connection that drops releases its locks with it; the store's version check still
/// guards every commit. A database that cannot answer is a <see cref="RxInfer.Auth.ServiceUnavailableException"/>.
/// </summary>
internal sealed class PostgreSqlInstanceLockProvider : IModelInstanceLockProvider, IDisposable
{
    private const string Lock = "SELECT pg_advisory_lock($1)";
    private const string Unlock = "SELECT pg_advisory_unlock($1)";

    private readonly PostgreSqlDatabase _database;
    private readonly SemaphoreSlim _connections;

    public PostgreSqlInstanceLockProvider(PostgreSqlDatabase database)
    {
        _database = database;
        MaxHeld = Math.Max(1, database.MaxPoolSize / 2);
        _connections = new SemaphoreSlim(MaxHeld, MaxHeld);
    }

    /// <summary>How many locks one node holds (or waits for on the database) at most at once.</summary>
    public int MaxHeld { get; }

    public async ValueTask<IAsyncDisposable> AcquireAsync(string ownerSubject, Guid instanceId, CancellationToken cancellationToken = default)
    {
        ArgumentNullException.ThrowIfNull(ownerSubject);
        await _connections.WaitAsync(cancellationToken).ConfigureAwait(false);
        var key = _database.InstanceLockKey(ownerSubject, instanceId);
        NpgsqlConnection? connection = null;
        try
        {
            connection = await _database.OpenAsync(cancellationToken).ConfigureAwait(false);
            await using (var command = new NpgsqlCommand(Lock, connection) { Parameters = { new NpgsqlParameter<long> { TypedValue = key } } })
            {
                await command.ExecuteNonQueryAsync(cancellationToken).ConfigureAwait(false);
            }

            return new Held(this, connection, key);
        }
        catch (Exception e)
        {
            if (connection is not null)
            {
                // Cancelled or failed while waiting: the lock may have been granted at that very moment, so it is
                // released before the connection goes back to the pool (a broken connection is not pooled again).
                await ReleaseAsync(connection, key).ConfigureAwait(false);
            }
            else
            {
                _connections.Release();
            }

            if (PostgreSqlDatabase.IsUnavailable(e) && !cancellationToken.IsCancellationRequested)
            {
                throw PostgreSqlDatabase.Unavailable(e);
            }

            throw;
        }
    }

    public void Dispose() => _connections.Dispose();

    private async ValueTask ReleaseAsync(NpgsqlConnection connection, long key)
    {
        try
        {
            await using var command = new NpgsqlCommand(Unlock, connection) { Parameters = { new NpgsqlParameter<long> { TypedValue = key } } };
            await command.ExecuteNonQueryAsync(CancellationToken.None).ConfigureAwait(false);
        }
        catch (Exception e) when (PostgreSqlDatabase.IsUnavailable(e) || e is InvalidOperationException)
        {
            // The connection is broken: the session, and the lock with it, ended on the server.
        }
        finally
        {
            await connection.DisposeAsync().ConfigureAwait(false);
            _connections.Release();
        }
    }

    /// <summary>One lock held; disposing it releases the lock and its connection (once).</summary>
    private sealed class Held(PostgreSqlInstanceLockProvider owner, NpgsqlConnection connection, long key) : IAsyncDisposable
    {
        private int _released;

        public ValueTask DisposeAsync() =>
            Interlocked.Exchange(ref _released, 1) == 0 ? owner.ReleaseAsync(connection, key) : ValueTask.CompletedTask;
    }
}
