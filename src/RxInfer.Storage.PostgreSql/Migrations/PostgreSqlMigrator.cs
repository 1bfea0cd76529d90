using Microsoft.Extensions.Logging;
using Npgsql;

namespace RxInfer.Storage.PostgreSql;

/// <summary>
/// Applies the pending migrations in one transaction under an advisory lock, so nodes that start together wait for
/// each other and each migration is applied once; or, with migration off, checks that the schema is current.
/// </summary>
internal sealed class PostgreSqlMigrator(PostgreSqlDatabase database, ILogger<PostgreSqlMigrator> logger)
{
    /// <summary>Brings the schema to <see cref="PostgreSqlStoreSchema.Version"/>.</summary>
    /// <returns>The versions this call applied (none when another node had already done it).</returns>
    public async Task<IReadOnlyList<int>> MigrateAsync(CancellationToken cancellationToken)
    {
        var schema = database.Schema;
        await using var connection = await database.DataSource.OpenConnectionAsync(cancellationToken).ConfigureAwait(false);
        await using var transaction = await connection.BeginTransactionAsync(cancellationToken).ConfigureAwait(false);
        await ExecuteAsync(connection, "SELECT pg_advisory_xact_lock($1)", cancellationToken, database.MigrationLock).ConfigureAwait(false);
        await ExecuteAsync(connection, $"CREATE SCHEMA IF NOT EXISTS {schema}; SET LOCAL search_path TO {schema}", cancellationToken).ConfigureAwait(false);
        var current = await ReadVersionAsync(connection, schema, cancellationToken).ConfigureAwait(false);
        var applied = new List<int>();
        foreach (var migration in PostgreSqlStoreSchema.Migrations.Where(m => m.Version > current))
        {
            await ExecuteAsync(connection, migration.Sql, cancellationToken).ConfigureAwait(false);
            applied.Add(migration.Version);
            PostgreSqlLog.MigrationApplied(logger, migration.Name, schema);
        }

        await transaction.CommitAsync(cancellationToken).ConfigureAwait(false);
        PostgreSqlLog.SchemaReady(logger, schema, PostgreSqlStoreSchema.Version, applied.Count);
        return applied;
    }

    /// <summary>With migration off: fails with what to do unless the schema is at least at the needed version.</summary>
    public async Task CheckAsync(CancellationToken cancellationToken)
    {
        await using var connection = await database.DataSource.OpenConnectionAsync(cancellationToken).ConfigureAwait(false);
        var version = await ReadVersionAsync(connection, database.Schema, cancellationToken).ConfigureAwait(false);
        if (version < PostgreSqlStoreSchema.Version)
        {
            throw new InvalidOperationException(
                $"The PostgreSQL schema '{database.Schema}' is at version {version}, and this RxInfer.Storage.PostgreSql needs version {PostgreSqlStoreSchema.Version}. " +
                $"Apply the migrations by hand (PostgreSqlStoreSchema.GetMigrationScript(\"{database.Schema}\", {version}), see the package README) " +
                $"or set {PostgreSqlStoreOptions.ConfigurationSection}:MigrateOnStart to true.");
        }

        PostgreSqlLog.SchemaReady(logger, database.Schema, version, 0);
    }

    private static async Task<int> ReadVersionAsync(NpgsqlConnection connection, string schema, CancellationToken cancellationToken)
    {
        // Two statements: a query naming a table that does not exist fails (and would abort the transaction).
        await using (var exists = new NpgsqlCommand($"SELECT to_regclass('{schema}.schema_version') IS NOT NULL", connection))
        {
            if (!(bool)(await exists.ExecuteScalarAsync(cancellationToken).ConfigureAwait(false))!)
            {
                return 0;
            }
        }

        await using var version = new NpgsqlCommand($"SELECT coalesce(max(version), 0) FROM {schema}.schema_version", connection);
        return (int)(await version.ExecuteScalarAsync(cancellationToken).ConfigureAwait(false))!;
    }

    private static async Task ExecuteAsync(NpgsqlConnection connection, string sql, CancellationToken cancellationToken, params object[] parameters)
    {
        await using var command = new NpgsqlCommand(sql, connection);
        foreach (var parameter in parameters)
        {
            command.Parameters.Add(new NpgsqlParameter { Value = parameter });
        }

        await command.ExecuteNonQueryAsync(cancellationToken).ConfigureAwait(false);
    }
}
