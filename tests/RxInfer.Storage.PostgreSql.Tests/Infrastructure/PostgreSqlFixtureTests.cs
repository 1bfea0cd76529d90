using Npgsql;

namespace RxInfer.Storage.PostgreSql.Tests.Infrastructure;

/// <summary>The test infrastructure itself: a real server, one database per fixture, nothing shared between them.</summary>
public sealed class PostgreSqlFixtureTests(PostgreSqlDatabaseFixture fixture) : IClassFixture<PostgreSqlDatabaseFixture>
{
    [Fact]
    public async Task The_fixture_connects_to_its_own_database_on_a_real_server()
    {
        await using var connection = new NpgsqlConnection(fixture.ConnectionString);
        await connection.OpenAsync();
        await using var command = new NpgsqlCommand("SELECT current_database(), current_setting('server_version_num')::int", connection);
        await using var reader = await command.ExecuteReaderAsync();
        Assert.True(await reader.ReadAsync());

        Assert.Equal(new NpgsqlConnectionStringBuilder(fixture.ConnectionString).Database, reader.GetString(0));
        Assert.StartsWith("rxinfer_test_", reader.GetString(0), StringComparison.Ordinal);
        Assert.True(reader.GetInt32(1) >= 130000, "PostgreSQL 13 or later is needed (DROP DATABASE ... WITH (FORCE)).");
    }

    [Fact]
    public async Task A_table_made_in_one_database_is_not_seen_from_another()
    {
        var other = await fixture.CreateDatabaseAsync("other");
        await using (var connection = new NpgsqlConnection(other))
        {
            await connection.OpenAsync();
            await using var create = new NpgsqlCommand("CREATE TABLE only_here (id int)", connection);
            await create.ExecuteNonQueryAsync();
        }

        await using var mine = new NpgsqlConnection(fixture.ConnectionString);
        await mine.OpenAsync();
        await using var probe = new NpgsqlCommand("SELECT to_regclass('public.only_here') IS NULL", mine);
        Assert.True((bool)(await probe.ExecuteScalarAsync())!);
    }

    [Fact]
    public async Task A_dropped_database_is_gone_from_the_server()
    {
        var doomed = await PostgreSqlServer.CreateDatabaseAsync("doomed");
        var name = new NpgsqlConnectionStringBuilder(doomed).Database;

        await PostgreSqlServer.DropDatabaseAsync(doomed);

        await using var admin = new NpgsqlConnection(await PostgreSqlServer.GetAdminConnectionStringAsync());
        await admin.OpenAsync();
        await using var probe = new NpgsqlCommand("SELECT count(*) FROM pg_database WHERE datname = $1", admin) { Parameters = { new() { Value = name } } };
        Assert.Equal(0L, (long)(await probe.ExecuteScalarAsync())!);
    }
}
