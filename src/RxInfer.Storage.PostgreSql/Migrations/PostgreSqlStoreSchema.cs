using System.Globalization;
using System.Text;
using System.Text.RegularExpressions;

namespace RxInfer.Storage.PostgreSql;

/// <summary>
/// The schema of the PostgreSQL stores: versioned migrations, plain SQL embedded in this assembly, recorded in the
/// schema's <c>schema_version</c> table. Applied at start unless <see cref="PostgreSqlStoreOptions.MigrateOnStart"/>
/// is off; <see cref="GetMigrationScript"/> gives the same SQL to apply by hand.
/// </summary>
public static partial class PostgreSqlStoreSchema
{
    private const string ResourcePrefix = "RxInfer.Storage.PostgreSql.Migrations.";

    private static readonly Lazy<IReadOnlyList<Migration>> AllMigrations = new(Load);

    /// <summary>The schema version this package needs: the number of its newest migration.</summary>
    public static int Version => Migrations[^1].Version;

    internal static IReadOnlyList<Migration> Migrations => AllMigrations.Value;

    /// <summary>
    /// The SQL that brings <paramref name="schema"/> from <paramref name="fromVersion"/> to <see cref="Version"/>:
    /// creates the schema, sets the search path for the transaction, then each newer migration in order (each records
    /// itself in <c>schema_version</c>). Run it in one transaction, for example
    /// <c>psql "$CONNECTION" -v ON_ERROR_STOP=1 --single-transaction -f rxinfer.sql</c>.
    /// </summary>
    /// <param name="schema">The schema name, as in <see cref="PostgreSqlStoreOptions.Schema"/>.</param>
    /// <param name="fromVersion">The version the schema is at now (<c>SELECT max(version) FROM rxinfer.schema_version</c>); 0 for an empty database.</param>
    /// <returns>The script; only comments when there is nothing to apply.</returns>
    /// <exception cref="ArgumentException"><paramref name="schema"/> is not a lowercase identifier.</exception>
    public static string GetMigrationScript(string schema = "rxinfer", int fromVersion = 0)
    {
        if (schema is null || !SchemaName().IsMatch(schema))
        {
            throw new ArgumentException("The schema must be a lowercase PostgreSQL identifier.", nameof(schema));
        }

        ArgumentOutOfRangeException.ThrowIfNegative(fromVersion);
        var script = new StringBuilder()
            .Append(CultureInfo.InvariantCulture, $"-- RxInfer.Storage.PostgreSql: schema {schema} from version {fromVersion} to {Version}.\n")
            .Append("-- Run in one transaction: psql -v ON_ERROR_STOP=1 --single-transaction -f this-file.sql\n");
        var pending = Migrations.Where(m => m.Version > fromVersion).ToList();
        if (pending.Count == 0)
        {
            return script.Append("-- Nothing to apply.\n").ToString();
        }

        script.Append(CultureInfo.InvariantCulture, $"CREATE SCHEMA IF NOT EXISTS {schema};\nSET LOCAL search_path TO {schema};\n");
        foreach (var migration in pending)
        {
            script.Append('\n').Append(migration.Sql);
        }

        return script.ToString();
    }

    private static List<Migration> Load()
    {
        var assembly = typeof(PostgreSqlStoreSchema).Assembly;
        var migrations = new List<Migration>();
        foreach (var name in assembly.GetManifestResourceNames().Where(static n => n.StartsWith(ResourcePrefix, StringComparison.Ordinal) && n.EndsWith(".sql", StringComparison.Ordinal)))
        {
            var file = name[ResourcePrefix.Length..];
            var version = int.Parse(file.AsSpan(0, file.IndexOf('_', StringComparison.Ordinal)), NumberStyles.None, CultureInfo.InvariantCulture);
            using var stream = assembly.GetManifestResourceStream(name)!;
            using var reader = new StreamReader(stream, Encoding.UTF8);
            migrations.Add(new Migration(version, file, reader.ReadToEnd()));
        }

        migrations.Sort(static (a, b) => a.Version.CompareTo(b.Version));
        for (var i = 0; i < migrations.Count; i++)
        {
            if (migrations[i].Version != i + 1)
            {
                throw new InvalidOperationException($"The embedded migrations must be numbered 1, 2, 3, ... without gaps; found {migrations[i].Name}.");
            }
        }

        return migrations;
    }

    [GeneratedRegex("^[a-z_][a-z0-9_]{0,49}$", RegexOptions.CultureInvariant)]
    private static partial Regex SchemaName();

    /// <summary>One embedded migration.</summary>
    internal sealed record Migration(int Version, string Name, string Sql);
}
