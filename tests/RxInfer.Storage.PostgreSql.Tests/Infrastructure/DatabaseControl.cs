using Npgsql;

namespace RxInfer.Storage.PostgreSql.Tests.Infrastructure;

/// <summary>
/// What a test does to the database behind the nodes' backs: lock a table, end a backend, refuse new connections
/// (an outage as the nodes see it: existing connections ended and no new one accepted).
/// </summary>
internal sealed class DatabaseControl(string connectionString)
{
    private readonly string _database = new NpgsqlConnectionStringBuilder(connectionString).Database!;

    /// <summary>Holds <c>ACCESS EXCLUSIVE</c> locks on the tables until the result is disposed: every query on them waits.</summary>
    public async Task<IAsyncDisposable> LockAsync(params string[] tables)
    {
        var connection = new NpgsqlConnection(new NpgsqlConnectionStringBuilder(connectionString) { Pooling = false }.ConnectionString);
        await connection.OpenAsync();
        var transaction = await connection.BeginTransactionAsync();
        await using (var command = new NpgsqlCommand($"LOCK TABLE {string.Join(", ", tables.Select(t => "rxinfer." + t))} IN ACCESS EXCLUSIVE MODE", connection, transaction))
        {
            await command.ExecuteNonQueryAsync();
        }

        return new Held(connection, transaction);
    }

    /// <summary>Ends one backend (its client sees the connection drop).</summary>
    public Task TerminateAsync(int processId) =>
        AdminAsync("SELECT pg_terminate_backend($1)", processId);

    /// <summary>Refuses new connections to the database and ends every existing one: the database is down for the nodes.</summary>
    public async Task TakeDownAsync()
    {
        await AdminAsync($"ALTER DATABASE \"{_database}\" ALLOW_CONNECTIONS false");
        await AdminAsync("SELECT pg_terminate_backend(pid) FROM pg_stat_activity WHERE datname = $1 AND pid <> pg_backend_pid()", _database);
    }

    /// <summary>Refuses new connections without ending existing ones.</summary>
    public Task RefuseNewConnectionsAsync() => AdminAsync($"ALTER DATABASE \"{_database}\" ALLOW_CONNECTIONS false");

    /// <summary>Accepts connections again.</summary>
    public Task BringUpAsync() => AdminAsync($"ALTER DATABASE \"{_database}\" ALLOW_CONNECTIONS true");

    /// <summary>How many backends are connected to the database with the given <c>application_name</c>.</summary>
    public async Task<long> CountConnectionsAsync(string applicationName)
    {
        await using var connection = new NpgsqlConnection(await PostgreSqlServer.GetAdminConnectionStringAsync());
        await connection.OpenAsync();
        await using var command = new NpgsqlCommand("SELECT count(*) FROM pg_stat_activity WHERE datname = $1 AND application_name = $2", connection)
        {
            Parameters = { new() { Value = _database }, new() { Value = applicationName } },
        };
        return (long)(await command.ExecuteScalarAsync())!;
    }

    private static async Task AdminAsync(string sql, params object[] parameters)
    {
        await using var connection = new NpgsqlConnection(await PostgreSqlServer.GetAdminConnectionStringAsync());
        await connection.OpenAsync();
        await using var command = new NpgsqlCommand(sql, connection);
        foreach (var parameter in parameters)
        {
            command.Parameters.Add(new NpgsqlParameter { Value = parameter });
        }

        await command.ExecuteNonQueryAsync();
    }

    private sealed class Held(NpgsqlConnection connection, NpgsqlTransaction transaction) : IAsyncDisposable
    {
        public async ValueTask DisposeAsync()
        {
            await transaction.RollbackAsync();
            await connection.DisposeAsync();
        }
    }
}
