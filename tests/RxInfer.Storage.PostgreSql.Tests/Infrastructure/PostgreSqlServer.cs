using System.Security.Cryptography;
using Npgsql;

namespace RxInfer.Storage.PostgreSql.Tests.Infrastructure;

/// <summary>
/// The PostgreSQL server the tests of this assembly share: the one named by <see cref="ConnectionStringVariable"/>
/// when it is set, else one <see cref="PostgreSqlCluster"/> started on first use and removed when the test process
/// exits. Tests never share a database: each fixture creates its own (<see cref="CreateDatabaseAsync"/>) and drops
/// it afterwards. When neither is available the tests fail with <see cref="PostgreSqlCluster.InstallHint"/>.
/// </summary>
internal static class PostgreSqlServer
{
    /// <summary>Points the tests at an existing server: a connection string whose user may create databases.</summary>
    public const string ConnectionStringVariable = "RXINFER_TEST_POSTGRES";

    private static readonly Lazy<Task<string>> Admin = new(StartAsync);
    private static PostgreSqlCluster? s_cluster;

    /// <summary>The connection string of a user who may create databases, to the server's maintenance database.</summary>
    public static Task<string> GetAdminConnectionStringAsync() => Admin.Value;

    /// <summary>Creates an empty database with a unique name and returns a connection string to it.</summary>
    /// <param name="purpose">A short word for the name (letters and digits), to recognise it on the server.</param>
    public static async Task<string> CreateDatabaseAsync(string purpose)
    {
        var admin = await GetAdminConnectionStringAsync();
        var name = $"rxinfer_test_{new string([.. purpose.ToLowerInvariant().Where(char.IsAsciiLetterOrDigit).Take(24)])}_{Convert.ToHexStringLower(RandomNumberGenerator.GetBytes(4))}";
        await using (var connection = new NpgsqlConnection(admin))
        {
            await connection.OpenAsync();
            await using var create = new NpgsqlCommand($"CREATE DATABASE \"{name}\"", connection);
            await create.ExecuteNonQueryAsync();
        }

        return new NpgsqlConnectionStringBuilder(admin) { Database = name, Pooling = true }.ConnectionString;
    }

    /// <summary>Drops a database made by <see cref="CreateDatabaseAsync"/>, closing its connections first.</summary>
    public static async Task DropDatabaseAsync(string connectionString)
    {
        var name = new NpgsqlConnectionStringBuilder(connectionString).Database!;
        NpgsqlConnection.ClearAllPools();
        await using var connection = new NpgsqlConnection(await GetAdminConnectionStringAsync());
        await connection.OpenAsync();
        await using var drop = new NpgsqlCommand($"DROP DATABASE IF EXISTS \"{name}\" WITH (FORCE)", connection);
        await drop.ExecuteNonQueryAsync();
    }

    private static async Task<string> StartAsync()
    {
        var external = Environment.GetEnvironmentVariable(ConnectionStringVariable);
        if (!string.IsNullOrWhiteSpace(external))
        {
            try
            {
                await using var connection = new NpgsqlConnection(external);
                await connection.OpenAsync();
            }
            catch (Exception e) when (e is NpgsqlException or ArgumentException)
            {
                throw new InvalidOperationException($"{ConnectionStringVariable} is set but no connection could be opened with it ({e.GetType().Name}: {e.Message}).", e);
            }

            return new NpgsqlConnectionStringBuilder(external) { Pooling = false }.ConnectionString;
        }

        var cluster = await PostgreSqlCluster.StartAsync();
        s_cluster = cluster;
        AppDomain.CurrentDomain.ProcessExit += static (_, _) => s_cluster?.DisposeAtExit();
        return cluster.AdminConnectionString;
    }
}
