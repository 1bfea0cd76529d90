using System.ComponentModel.DataAnnotations;
using Npgsql;

namespace RxInfer.Storage.PostgreSql;

/// <summary>
/// Options of the PostgreSQL stores, bound from <c>RxInfer:PostgreSql</c> with the connection string from
/// <c>ConnectionStrings:RxInfer</c> (environment <c>ConnectionStrings__RxInfer</c>) when the host's configuration is
/// registered, then configured in code. Validated at start.
/// </summary>
public sealed class PostgreSqlStoreOptions
{
    /// <summary>The name of the connection string read from configuration: <c>RxInfer</c> (<c>ConnectionStrings:RxInfer</c>).</summary>
    public const string ConnectionStringName = "RxInfer";

    /// <summary>The configuration section the options bind from: <c>RxInfer:PostgreSql</c>.</summary>
    public const string ConfigurationSection = "RxInfer:PostgreSql";

    /// <summary>
    /// The Npgsql connection string. Defaults to <c>ConnectionStrings:RxInfer</c> from the host's configuration.
    /// Never logged: logs and banners show <see cref="DescribeServer"/> instead.
    /// </summary>
    public string? ConnectionString { get; set; }

    /// <summary>
    /// The PostgreSQL schema that holds every table: a lowercase identifier of at most 50 characters (its notification
    /// channel is <c>&lt;schema&gt;_revocations</c>). Defaults to <c>rxinfer</c>.
    /// </summary>
    public string Schema { get; set; } = "rxinfer";

    /// <summary>
    /// Whether the schema is created and upgraded at start (under an advisory lock, so nodes that start together do
    /// not race). When off, start fails unless the schema is already at the version this package needs.
    /// Defaults to <see langword="true"/>.
    /// </summary>
    public bool MigrateOnStart { get; set; } = true;

    /// <summary>How many validated access tokens (by hash) each node remembers; <c>0</c> turns the cache off. Defaults to 100 000.</summary>
    [Range(0, int.MaxValue)]
    public int TokenCacheSize { get; set; } = 100_000;

    /// <summary>
    /// How long a node keeps honouring its cached tokens and its copy of the JWT revocations after its notification
    /// connection dropped (it cannot hear of revocations meanwhile); <see cref="TimeSpan.Zero"/> fails safe at once.
    /// After that every validation asks the database. Defaults to 10 seconds.
    /// </summary>
    [Range(typeof(TimeSpan), "00:00:00", "00:10:00")]
    public TimeSpan CacheGracePeriod { get; set; } = TimeSpan.FromSeconds(10);

    /// <summary>
    /// How many token lookups one node sends to the database at once; a lookup that finds no free slot within
    /// <see cref="LookupQueueTimeout"/> fails with 503, so a flood of forged tokens cannot take the whole connection
    /// pool. Must be less than the pool's <c>Maximum Pool Size</c>. Defaults to 16.
    /// </summary>
    public int MaxConcurrentLookups { get; set; } = 16;

    /// <summary>How long a lookup waits for a slot before it fails with 503. Defaults to 200 milliseconds.</summary>
    [Range(typeof(TimeSpan), "00:00:00", "00:00:30")]
    public TimeSpan LookupQueueTimeout { get; set; } = TimeSpan.FromMilliseconds(200);

    /// <summary>How often each node deletes expired rows. Defaults to 1 minute.</summary>
    public TimeSpan SweepInterval { get; set; } = TimeSpan.FromMinutes(1);

    /// <summary>
    /// How often each node reads the row estimates of the tables with a store-wide cap (access tokens,
    /// <c>OpaqueTokenOptions.MaxTokens</c>; model instances, <c>InstanceLimits.MaxInstances</c>). Adds far below a cap
    /// trust this node's estimate (the last read plus its own adds) instead of reading the catalog; within 10,000 rows
    /// of the cap, or when no read succeeded for five intervals, they count the rows. Defaults to 1 second.
    /// </summary>
    [Range(typeof(TimeSpan), "00:00:00.010", "00:01:00")]
    public TimeSpan CapacityEstimateInterval { get; set; } = TimeSpan.FromSeconds(1);

    /// <summary>How many rows one sweep statement deletes at most, so no statement holds locks for long. Defaults to 500.</summary>
    [Range(1, 100_000)]
    public int SweepBatchSize { get; set; } = 500;

    /// <summary>
    /// How long entries of the revocation log are kept. A node whose notification connection was down for longer
    /// reloads every revocation and empties its token cache when it reconnects. Defaults to 1 day.
    /// </summary>
    public TimeSpan RevocationLogRetention { get; set; } = TimeSpan.FromDays(1);

    /// <summary>
    /// How often a node reads the revocation log when no notification came, which also proves its notification
    /// connection alive. Defaults to 5 seconds.
    /// </summary>
    [Range(typeof(TimeSpan), "00:00:00", "00:05:00", MinimumIsExclusive = true)]
    public TimeSpan HeartbeatInterval { get; set; } = TimeSpan.FromSeconds(5);

    /// <summary>
    /// Where <see cref="ConnectionString"/> points, for logs and banners: <c>host:port/database as user</c>, never the
    /// password or any other setting.
    /// </summary>
    /// <returns>The description, or <c>(invalid connection string)</c>.</returns>
    public string DescribeServer()
    {
        try
        {
            var builder = new NpgsqlConnectionStringBuilder(ConnectionString ?? "");
            var user = string.IsNullOrEmpty(builder.Username) ? "" : $" as {builder.Username}";
            return $"{builder.Host}:{builder.Port}/{builder.Database}{user}";
        }
        catch (ArgumentException)
        {
            return "(invalid connection string)";
        }
    }
}
