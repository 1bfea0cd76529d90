using Microsoft.Extensions.Hosting;
using Microsoft.Extensions.Logging;
using Microsoft.Extensions.Options;

namespace RxInfer.Storage.PostgreSql;

/// <summary>
/// Starts the PostgreSQL stores with the host: migrates the schema (or checks it, with migration off) before the host
/// serves and reads the row estimates of the capped tables, then runs the revocation feed (which also refreshes the
/// estimates) and the sweep in the background until the host stops.
/// </summary>
internal sealed class PostgreSqlStoreService(
    PostgreSqlMigrator migrator,
    RevocationFeed feed,
    PostgreSqlSweeper sweeper,
    CapacityEstimates estimates,
    IOptions<PostgreSqlStoreOptions> options,
    ILogger<PostgreSqlStoreService> logger) : IHostedService, IDisposable
{
    private readonly CancellationTokenSource _stopping = new();
    private Task _feed = Task.CompletedTask;
    private Task _sweep = Task.CompletedTask;

    public async Task StartAsync(CancellationToken cancellationToken)
    {
        var settings = options.Value;
        PostgreSqlLog.StoresStarting(logger, settings.DescribeServer(), settings.Schema);
        try
        {
            if (settings.MigrateOnStart)
            {
                await migrator.MigrateAsync(cancellationToken).ConfigureAwait(false);
            }
            else
            {
                await migrator.CheckAsync(cancellationToken).ConfigureAwait(false);
            }

            await estimates.RefreshAsync(cancellationToken).ConfigureAwait(false);
        }
        catch (Exception e) when (PostgreSqlDatabase.IsUnavailable(e))
        {
            throw new InvalidOperationException($"The PostgreSQL schema '{settings.Schema}' on {settings.DescribeServer()} could not be {(settings.MigrateOnStart ? "migrated" : "checked")}: {e.Message}", e);
        }

        _feed = Task.Run(() => feed.RunAsync(_stopping.Token), CancellationToken.None);
        _sweep = Task.Run(() => sweeper.RunAsync(_stopping.Token), CancellationToken.None);
    }

    public async Task StopAsync(CancellationToken cancellationToken)
    {
        await _stopping.CancelAsync().ConfigureAwait(false);
        await Task.WhenAll(_feed, _sweep).WaitAsync(cancellationToken).ConfigureAwait(false);
    }

    public void Dispose() => _stopping.Dispose();
}
