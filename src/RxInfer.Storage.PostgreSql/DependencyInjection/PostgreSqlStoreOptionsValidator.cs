using System.Text.RegularExpressions;
using Microsoft.Extensions.Options;
using Npgsql;
using RxInfer.OptionsValidation;

namespace RxInfer.Storage.PostgreSql;

/// <summary>
/// Checks at start the <see cref="PostgreSqlStoreOptions"/> rules a data annotation does not state (the one-value
/// rules are annotations, checked by <see cref="PostgreSqlStoreOptionsDataValidator"/>): the connection string, the
/// schema name, the lookup limit against the pool size, and the unbounded times. Every message names the property
/// (<c>PostgreSqlStoreOptions.Schema</c>), the configuration path too when the host's configuration was bound, and
/// never the connection string.
/// </summary>
/// <param name="source">Where the options came from, for the wording of the messages.</param>
internal sealed partial class PostgreSqlStoreOptionsValidator(OptionsSource<PostgreSqlStoreOptions> source) : IValidateOptions<PostgreSqlStoreOptions>
{
    public ValidateOptionsResult Validate(string? name, PostgreSqlStoreOptions options)
    {
        ArgumentNullException.ThrowIfNull(options);
        var problems = new List<string>();
        var maxPoolSize = 100;
        if (string.IsNullOrWhiteSpace(options.ConnectionString))
        {
            problems.Add($"No connection string: set ConnectionStrings:{PostgreSqlStoreOptions.ConnectionStringName} (environment ConnectionStrings__{PostgreSqlStoreOptions.ConnectionStringName}) or {source.Name(nameof(options.ConnectionString))} in code.");
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
                problems.Add($"{typeof(PostgreSqlStoreOptions).Name}.{nameof(options.ConnectionString)} (ConnectionStrings:{PostgreSqlStoreOptions.ConnectionStringName} when configured) is not a valid Npgsql connection string (Host=...;Database=...;Username=...;Password=...).");
            }
        }

        if (options.Schema is null || !SchemaName().IsMatch(options.Schema))
        {
            problems.Add($"{source.Name(nameof(options.Schema))} must be a lowercase PostgreSQL identifier (a letter or '_', then letters, digits or '_', at most 50 characters: the notification channel adds a suffix), not '{options.Schema}'.");
        }

        if (options.MaxConcurrentLookups < 1 || options.MaxConcurrentLookups >= maxPoolSize)
        {
            problems.Add($"{source.Name(nameof(options.MaxConcurrentLookups))} must be at least 1 and less than the connection pool's Maximum Pool Size ({maxPoolSize}), so connections stay free for other work (was {options.MaxConcurrentLookups}).");
        }

        if (options.SweepInterval <= TimeSpan.Zero)
        {
            problems.Add($"{source.Name(nameof(options.SweepInterval))} must be greater than zero (was {options.SweepInterval}).");
        }

        if (options.RevocationLogRetention < TimeSpan.FromMinutes(1))
        {
            problems.Add($"{source.Name(nameof(options.RevocationLogRetention))} must be at least 1 minute (was {options.RevocationLogRetention}).");
        }

        return problems.Count == 0 ? ValidateOptionsResult.Success : ValidateOptionsResult.Fail(problems);
    }

    [GeneratedRegex("^[a-z_][a-z0-9_]{0,49}$", RegexOptions.CultureInvariant)]
    private static partial Regex SchemaName();
}
