using System.Text.RegularExpressions;
using Microsoft.Extensions.Options;
using Npgsql;

namespace RxInfer.Storage.PostgreSql;

/// <summary>Checks <see cref="PostgreSqlStoreOptions"/> at start; every message names the setting and never shows the connection string.</summary>
internal sealed partial class PostgreSqlStoreOptionsValidator : IValidateOptions<PostgreSqlStoreOptions>
{
    private const string Section = PostgreSqlStoreOptions.ConfigurationSection;

    public ValidateOptionsResult Validate(string? name, PostgreSqlStoreOptions options)
    {
        var problems = new List<string>();
        var maxPoolSize = 100;
        if (string.IsNullOrWhiteSpace(options.ConnectionString))
        {
            problems.Add($"No connection string: set ConnectionStrings:{PostgreSqlStoreOptions.ConnectionStringName} (environment ConnectionStrings__{PostgreSqlStoreOptions.ConnectionStringName}) or {nameof(PostgreSqlStoreOptions.ConnectionString)} in code.");
        }
        else
        {
            try
            {
                maxPoolSize = new NpgsqlConnectionStringBuilder(options.ConnectionString).MaxPoolSize;
            }
            catch (ArgumentException)
            {
                // The exception's message may quote the connection string: it is not repeated.
                problems.Add($"ConnectionStrings:{PostgreSqlStoreOptions.ConnectionStringName} is not a valid Npgsql connection string (Host=...;Database=...;Username=...;Password=...).");
            }
        }

        if (options.Schema is null || !SchemaName().IsMatch(options.Schema))
        {
            problems.Add($"{Section}:Schema must be a lowercase PostgreSQL identifier (a letter or '_', then letters, digits or '_', at most 50 characters: the notification channel adds a suffix), not '{options.Schema}'.");
        }

        if (options.TokenCacheSize < 0)
        {
            problems.Add($"{Section}:TokenCacheSize must be 0 (no cache) or more.");
        }

        if (options.CacheGracePeriod < TimeSpan.Zero || options.CacheGracePeriod > TimeSpan.FromMinutes(10))
        {
            problems.Add($"{Section}:CacheGracePeriod must be from 0 (fail safe) to 10 minutes.");
        }

        if (options.MaxConcurrentLookups < 1 || options.MaxConcurrentLookups >= maxPoolSize)
        {
            problems.Add($"{Section}:MaxConcurrentLookups must be at least 1 and less than the connection pool's Maximum Pool Size ({maxPoolSize}), so connections stay free for other work.");
        }

        if (options.LookupQueueTimeout < TimeSpan.Zero || options.LookupQueueTimeout > TimeSpan.FromSeconds(30))
        {
            problems.Add($"{Section}:LookupQueueTimeout must be from 0 to 30 seconds.");
        }

        if (options.SweepInterval <= TimeSpan.Zero)
        {
            problems.Add($"{Section}:SweepInterval must be greater than 0.");
        }

        if (options.SweepBatchSize is < 1 or > 100_000)
        {
            problems.Add($"{Section}:SweepBatchSize must be from 1 to 100000.");
        }

        if (options.RevocationLogRetention < TimeSpan.FromMinutes(1))
        {
            problems.Add($"{Section}:RevocationLogRetention must be at least 1 minute.");
        }

        if (options.HeartbeatInterval <= TimeSpan.Zero || options.HeartbeatInterval > TimeSpan.FromMinutes(5))
        {
            problems.Add($"{Section}:HeartbeatInterval must be greater than 0 and at most 5 minutes.");
        }

        return problems.Count == 0 ? ValidateOptionsResult.Success : ValidateOptionsResult.Fail(problems);
    }

    [GeneratedRegex("^[a-z_][a-z0-9_]{0,49}$", RegexOptions.CultureInvariant)]
    private static partial Regex SchemaName();
}
