using System.Buffers.Binary;
using System.Security.Cryptography;
using System.Text;
using Microsoft.Extensions.Logging;
using Microsoft.Extensions.Options;
using Npgsql;
using RxInfer.Auth;

namespace RxInfer.Storage.PostgreSql;

/// <summary>
/// The application's one <see cref="NpgsqlDataSource"/> (a singleton, disposed with the container), the schema's
/// qualified names, and the one place that turns a database failure into <see cref="ServiceUnavailableException"/>.
/// </summary>
internal sealed class PostgreSqlDatabase : IAsyncDisposable, IDisposable
{
    /// <summary>The message clients get when the database cannot serve (no detail: that goes to the log).</summary>
    public const string UnavailableMessage = "The database is temporarily unavailable, try again later";

    /// <summary>The <c>Application Name</c> given to connections when the connection string names none.</summary>
    public const string DefaultApplicationName = "rxinfer";

    public PostgreSqlDatabase(IOptions<PostgreSqlStoreOptions> options, ILoggerFactory loggerFactory)
    {
        var settings = options.Value;
        Schema = settings.Schema;
        var connection = new NpgsqlConnectionStringBuilder(settings.ConnectionString);
        if (string.IsNullOrEmpty(connection.ApplicationName))
        {
            connection.ApplicationName = DefaultApplicationName;
        }

        MaxPoolSize = connection.MaxPoolSize;
        DataSource = new NpgsqlDataSourceBuilder(connection.ConnectionString).UseLoggerFactory(loggerFactory).Build();
        NotificationChannel = Schema + "_revocations";
    }

    /// <summary>The application's data source: one pool for every store.</summary>
    public NpgsqlDataSource DataSource { get; }

    /// <summary>The schema (a validated lowercase identifier, safe to put in SQL unquoted).</summary>
    public string Schema { get; }

    /// <summary>The pool's <c>Maximum Pool Size</c>.</summary>
    public int MaxPoolSize { get; }

    /// <summary>The channel of <c>LISTEN/NOTIFY</c> for revocations, one per schema.</summary>
    public string NotificationChannel { get; }

    /// <summary>The advisory lock that serialises writers of the revocation log, so its sequence follows commit order.</summary>
    public long RevocationLogLock => LockKey("revocation-log");

    /// <summary>The advisory lock held while the schema is migrated.</summary>
    public long MigrationLock => LockKey("migrations");

    /// <summary>The advisory lock that adds of instances take near <c>InstanceLimits.MaxInstances</c>, so concurrent adds never pass it.</summary>
    public long InstanceCapacityLock => LockKey("instance-capacity");

    /// <summary>The advisory lock that serialises the calls on one model instance across nodes (per owner, so a stranger never waits on it).</summary>
    public long InstanceLockKey(string ownerSubject, Guid instanceId) => LockKey($"instance:{instanceId:N}:{ownerSubject}");

    /// <summary>Whether <paramref name="exception"/> means the database cannot serve now (down, unreachable, overloaded).</summary>
    public static bool IsUnavailable(Exception exception) =>
        exception is NpgsqlException or TimeoutException or System.Net.Sockets.SocketException or IOException;

    /// <summary>The exception to throw for a database failure: 503 for the client, the cause for the log.</summary>
    public static ServiceUnavailableException Unavailable(Exception cause) =>
        new(UnavailableMessage, ServiceUnavailableException.DefaultRetryAfter, cause);

    /// <summary>Opens a pooled connection, or throws <see cref="ServiceUnavailableException"/>.</summary>
    public async ValueTask<NpgsqlConnection> OpenAsync(CancellationToken cancellationToken)
    {
        try
        {
            return await DataSource.OpenConnectionAsync(cancellationToken).ConfigureAwait(false);
        }
        catch (Exception e) when (IsUnavailable(e) && !cancellationToken.IsCancellationRequested)
        {
            throw Unavailable(e);
        }
    }

    public ValueTask DisposeAsync() => DataSource.DisposeAsync();

    public void Dispose() => DataSource.Dispose();

    /// <summary>A stable 64-bit advisory lock key for this schema and purpose.</summary>
    private long LockKey(string purpose)
    {
        Span<byte> hash = stackalloc byte[SHA256.HashSizeInBytes];
        SHA256.HashData(Encoding.UTF8.GetBytes($"RxInfer.Storage.PostgreSql:{Schema}:{purpose}"), hash);
        return BinaryPrimitives.ReadInt64BigEndian(hash);
    }
}
