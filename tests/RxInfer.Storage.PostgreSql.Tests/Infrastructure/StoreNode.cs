using Microsoft.Extensions.Configuration;
using Microsoft.Extensions.Hosting;
using Microsoft.Extensions.Logging;
using Microsoft.Extensions.Logging.Testing;
using RxInfer.Auth;

namespace RxInfer.Storage.PostgreSql.Tests.Infrastructure;

/// <summary>
/// One node: a real generic host with RxInfer.Auth on the PostgreSQL stores, started (schema migrated, revocation
/// feed connected) and stopped by the test. Several nodes on one database are several application servers.
/// </summary>
internal sealed class StoreNode : IAsyncDisposable
{
    public static readonly TimeSpan FeedTimeout = TimeSpan.FromSeconds(30);

    private StoreNode(IHost host) => Host = host;

    public IHost Host { get; }

    public IServiceProvider Services => Host.Services;

    public FakeLogCollector Logs => Services.GetFakeLogCollector();

    internal RevocationFeed Feed => Services.GetRequiredService<RevocationFeed>();

    public T Get<T>() where T : notnull => Services.GetRequiredService<T>();

    /// <summary>Builds the node's host without starting it.</summary>
    public static IHost Build(
        string? connectionString,
        Action<PostgreSqlStoreOptions>? options = null,
        TimeProvider? time = null,
        Action<RxInferAuthBuilder>? auth = null,
        IDictionary<string, string?>? configuration = null,
        Action<IServiceCollection>? services = null)
    {
        var builder = new HostApplicationBuilder(new HostApplicationBuilderSettings { DisableDefaults = true });
        if (configuration is not null)
        {
            builder.Configuration.AddInMemoryCollection(configuration);
        }

        builder.Logging.SetMinimumLevel(LogLevel.Trace).AddFakeLogging();
        if (time is not null)
        {
            builder.Services.AddSingleton(time);
        }

        var rxinfer = builder.Services.AddRxInferAuth();
        auth?.Invoke(rxinfer);
        rxinfer.AddPostgreSqlStores(o =>
        {
            if (connectionString is not null)
            {
                o.ConnectionString = connectionString;
            }

            options?.Invoke(o);
        });
        services?.Invoke(builder.Services);
        return builder.Build();
    }

    /// <summary>Starts a node and waits until its revocation feed is connected.</summary>
    public static async Task<StoreNode> StartAsync(
        string connectionString,
        Action<PostgreSqlStoreOptions>? options = null,
        TimeProvider? time = null,
        Action<RxInferAuthBuilder>? auth = null,
        Action<IServiceCollection>? services = null)
    {
        var host = Build(connectionString, options, time, auth, services: services);
        await host.StartAsync();
        var node = new StoreNode(host);
        await node.WaitUntilConnectedAsync();
        return node;
    }

    public Task WaitUntilConnectedAsync() =>
        Feed.WaitUntilAsync(static feed => feed.IsConnected, new CancellationTokenSource(FeedTimeout).Token);

    public async ValueTask DisposeAsync()
    {
        await Host.StopAsync();
        Host.Dispose();
    }
}
