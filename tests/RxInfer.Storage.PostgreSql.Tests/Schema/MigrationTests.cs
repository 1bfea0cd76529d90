using Microsoft.Extensions.Hosting;
using Npgsql;
using RxInfer.Auth;
using RxInfer.Storage.PostgreSql.Tests.Infrastructure;

namespace RxInfer.Storage.PostgreSql.Tests.Schema;

/// <summary>The schema: created at start by the embedded migrations under an advisory lock, or applied by hand.</summary>
public sealed class MigrationTests(PostgreSqlDatabaseFixture fixture) : IClassFixture<PostgreSqlDatabaseFixture>
{
    private static readonly string[] Tables = ["access_tokens", "api_keys", "revoked_tokens", "revoked_subjects", "revocation_log", "revocation_log_state", "schema_version", "model_instances", "model_episodes", "model_events", "model_owners"];

    [Fact]
    public async Task Start_creates_the_schema_with_every_table_and_records_each_migration()
    {
        var database = await fixture.CreateDatabaseAsync("fresh");

        await using (await StoreNode.StartAsync(database))
        {
        }

        Assert.Equal(Tables.Order(), await TablesAsync(database, "rxinfer"));
        Assert.Equal(Enumerable.Range(1, PostgreSqlStoreSchema.Version), await VersionsAsync(database, "rxinfer"));
    }

    [Fact]
    public async Task Nodes_starting_together_on_an_empty_database_all_start_and_apply_each_migration_once()
    {
        var database = await fixture.CreateDatabaseAsync("race");
        var hosts = Enumerable.Range(0, 6).Select(_ => StoreNode.Build(database)).ToList();
        try
        {
            await Task.WhenAll(hosts.Select(host => Task.Run(() => host.StartAsync())));

            var applied = hosts
                .SelectMany(host => host.Services.GetFakeLogCollector().GetSnapshot())
                .Where(record => record.Id.Name == "MigrationApplied")
                .ToList();
            Assert.Equal(PostgreSqlStoreSchema.Version, applied.Count);
            Assert.Equal(Enumerable.Range(1, PostgreSqlStoreSchema.Version), await VersionsAsync(database, "rxinfer"));
        }
        finally
        {
            foreach (var host in hosts)
            {
                await host.StopAsync();
                host.Dispose();
            }
        }
    }

    [Fact]
    public async Task A_second_start_applies_nothing_and_keeps_the_data()
    {
        var database = await fixture.CreateDatabaseAsync("again");
        await using (var first = await StoreNode.StartAsync(database))
        {
            await first.Get<IApiKeyService>().CreateAsync("alice", ["user"]);
        }

        await using var second = await StoreNode.StartAsync(database);

        Assert.DoesNotContain(second.Logs.GetSnapshot(), record => record.Id.Name == "MigrationApplied");
        Assert.Equal(1L, await ScalarAsync<long>(database, "SELECT count(*) FROM rxinfer.api_keys"));
    }

    [Fact]
    public async Task The_schema_name_is_configurable_and_nothing_lands_in_the_default_one()
    {
        var database = await fixture.CreateDatabaseAsync("schema");

        await using (await StoreNode.StartAsync(database, options => options.Schema = "tenant_a"))
        {
        }

        Assert.Equal(Tables.Order(), await TablesAsync(database, "tenant_a"));
        Assert.Empty(await TablesAsync(database, "rxinfer"));
    }

    [Fact]
    public async Task With_migration_off_an_empty_database_fails_start_with_what_to_do()
    {
        var database = await fixture.CreateDatabaseAsync("off");
        using var host = StoreNode.Build(database, options => options.MigrateOnStart = false);

        var error = await Assert.ThrowsAsync<InvalidOperationException>(() => host.StartAsync());

        Assert.Contains("version 0", error.Message, StringComparison.Ordinal);
        Assert.Contains("GetMigrationScript", error.Message, StringComparison.Ordinal);
        Assert.Contains("MigrateOnStart", error.Message, StringComparison.Ordinal);
        Assert.Empty(await TablesAsync(database, "rxinfer"));
    }

    [Fact]
    public async Task The_script_applied_by_hand_in_one_transaction_lets_a_node_start_with_migration_off()
    {
        var database = await fixture.CreateDatabaseAsync("byhand");
        await using (var connection = new NpgsqlConnection(database))
        {
            await connection.OpenAsync();
            await using var transaction = await connection.BeginTransactionAsync();
            await using var script = new NpgsqlCommand(PostgreSqlStoreSchema.GetMigrationScript("by_hand"), connection, transaction);
            await script.ExecuteNonQueryAsync();
            await transaction.CommitAsync();
        }

        await using var node = await StoreNode.StartAsync(database, options =>
        {
            options.Schema = "by_hand";
            options.MigrateOnStart = false;
        });
        var issued = await node.Get<ITokenIssuer>().IssueAsync(new TokenRequest("alice", ["user"]));

        Assert.True((await node.Get<ITokenValidator>().ValidateAsync(issued.Token)).IsValid);
        Assert.Equal(Enumerable.Range(1, PostgreSqlStoreSchema.Version), await VersionsAsync(database, "by_hand"));
    }

    [Fact]
    public async Task A_schema_at_version_1_is_upgraded_at_start_by_the_later_migrations_only_and_keeps_its_data()
    {
        var database = await fixture.CreateDatabaseAsync("upgrade");
        await using (var connection = new NpgsqlConnection(database))
        {
            await connection.OpenAsync();
            await using var transaction = await connection.BeginTransactionAsync();
            await using var script = new NpgsqlCommand("CREATE SCHEMA rxinfer; SET LOCAL search_path TO rxinfer;\n" + PostgreSqlStoreSchema.Migrations[0].Sql, connection, transaction);
            await script.ExecuteNonQueryAsync();
            await using var token = new NpgsqlCommand("INSERT INTO api_keys VALUES (decode(repeat('ab', 32), 'hex'), 'k1', 'alice', '{user}', NULL, 'opaque', 1)", connection, transaction);
            await token.ExecuteNonQueryAsync();
            await transaction.CommitAsync();
        }

        await using var node = await StoreNode.StartAsync(database);

        var applied = node.Logs.GetSnapshot().Where(record => record.Id.Name == "MigrationApplied").Select(record => record.Message).ToList();
        Assert.Equal(PostgreSqlStoreSchema.Version - 1, applied.Count);
        Assert.DoesNotContain(applied, message => message.Contains("0001_", StringComparison.Ordinal));
        Assert.Equal(Enumerable.Range(1, PostgreSqlStoreSchema.Version), await VersionsAsync(database, "rxinfer"));
        Assert.Equal(1L, await ScalarAsync<long>(database, "SELECT count(*) FROM rxinfer.api_keys"));
        Assert.Equal(Tables.Order(), await TablesAsync(database, "rxinfer"));
    }

    [Fact]
    public void The_script_from_the_current_version_applies_nothing_and_a_bad_schema_name_is_refused()
    {
        var script = PostgreSqlStoreSchema.GetMigrationScript("rxinfer", PostgreSqlStoreSchema.Version);

        Assert.DoesNotContain("CREATE", script, StringComparison.Ordinal);
        Assert.Throws<ArgumentException>(() => PostgreSqlStoreSchema.GetMigrationScript("x; DROP TABLE y"));
        Assert.Throws<ArgumentException>(() => PostgreSqlStoreSchema.GetMigrationScript("Upper"));
    }

    private static async Task<List<string>> TablesAsync(string database, string schema)
    {
        await using var connection = new NpgsqlConnection(database);
        await connection.OpenAsync();
        await using var command = new NpgsqlCommand("SELECT table_name FROM information_schema.tables WHERE table_schema = $1 ORDER BY table_name", connection)
        {
            Parameters = { new() { Value = schema } },
        };
        var tables = new List<string>();
        await using var reader = await command.ExecuteReaderAsync();
        while (await reader.ReadAsync())
        {
            tables.Add(reader.GetString(0));
        }

        return tables;
    }

    private static async Task<List<int>> VersionsAsync(string database, string schema)
    {
        await using var connection = new NpgsqlConnection(database);
        await connection.OpenAsync();
        await using var command = new NpgsqlCommand($"SELECT version FROM {schema}.schema_version ORDER BY version", connection);
        var versions = new List<int>();
        await using var reader = await command.ExecuteReaderAsync();
        while (await reader.ReadAsync())
        {
            versions.Add(reader.GetInt32(0));
        }

        return versions;
    }

    internal static async Task<T> ScalarAsync<T>(string database, string sql)
    {
        await using var connection = new NpgsqlConnection(database);
        await connection.OpenAsync();
        await using var command = new NpgsqlCommand(sql, connection);
        return (T)(await command.ExecuteScalarAsync())!;
    }
}
