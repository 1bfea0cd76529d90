using System.Text.Json;
using BenchmarkDotNet.Attributes;
using BenchmarkDotNet.Configs;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.DependencyInjection.Extensions;
using Microsoft.Extensions.Hosting;
using RxInfer.Benchmarks.Infrastructure;
using RxInfer.Models;
using RxInfer.Storage.PostgreSql.Tests.Infrastructure;

namespace RxInfer.Benchmarks.PostgreSql;

/// <summary>
/// One inference call (read the instance, run a trivial runtime, store the new state and the event) on the PostgreSQL
/// instance store, by category:
/// <list type="bullet">
/// <item><c>infer-postgresql</c>: with the cross-node advisory lock (the default) against the version check alone
/// (the lock provider removed): what serialising inference across nodes costs one call.</item>
/// <item><c>infer-memory</c>: the in-memory store, for scale.</item>
/// </list>
/// The server is a throwaway cluster on loopback (or <c>RXINFER_TEST_POSTGRES</c>).
/// </summary>
[MemoryDiagnoser]
[GroupBenchmarksBy(BenchmarkLogicalGroupRule.ByCategory)]
[CategoriesColumn]
public class PostgreSqlInferenceBenchmarks
{
    private const string ModelName = "counter-v1";
    private static readonly ModelCaller Caller = new("bench-owner", ["user"]);
    private static readonly JsonElement Data = JsonSerializer.SerializeToElement(new { x = 1 });

    private readonly List<IHost> _hosts = [];
    private string _database = null!;
    private (IModelInferenceService Service, Guid Id) _locked;
    private (IModelInferenceService Service, Guid Id) _versionOnly;
    private (IModelInferenceService Service, Guid Id) _memory;

    [GlobalSetup]
    public void Setup() => SetupAsync().GetAwaiter().GetResult();

    [GlobalCleanup]
    public void Cleanup()
    {
        foreach (var host in _hosts)
        {
            host.StopAsync().GetAwaiter().GetResult();
            host.Dispose();
        }

        PostgreSqlServer.DropDatabaseAsync(_database).GetAwaiter().GetResult();
    }

    [Benchmark(Baseline = true, Description = "PostgreSQL: version check only")]
    [BenchmarkCategory("infer-postgresql")]
    public long? PostgreSql_version_check_only() => Run(_versionOnly);

    [Benchmark(Description = "PostgreSQL: advisory lock + version check")]
    [BenchmarkCategory("infer-postgresql")]
    public long? PostgreSql_with_lock() => Run(_locked);

    [Benchmark(Baseline = true, Description = "in memory")]
    [BenchmarkCategory("infer-memory")]
    public long? Memory() => Run(_memory);

    private static long? Run((IModelInferenceService Service, Guid Id) target)
    {
        var result = target.Service.InferAsync(Caller, target.Id, Data).AsTask().GetAwaiter().GetResult();
        return result.Value!.EventId;
    }

    private async Task SetupAsync()
    {
        _database = await PostgreSqlServer.CreateDatabaseAsync("benchinfer");
        _locked = await StartAsync(postgres: true, lockAcrossNodes: true);
        _versionOnly = await StartAsync(postgres: true, lockAcrossNodes: false);
        _memory = await StartAsync(postgres: false, lockAcrossNodes: false);
        Check.Valid(PostgreSql_with_lock() is not null && PostgreSql_version_check_only() is not null && Memory() is not null, "inference");
    }

    private async Task<(IModelInferenceService, Guid)> StartAsync(bool postgres, bool lockAcrossNodes)
    {
        var builder = new HostApplicationBuilder(new HostApplicationBuilderSettings { DisableDefaults = true });
        var auth = builder.Services.AddRxInferAuth();
        if (postgres)
        {
            auth.AddPostgreSqlStores(o => o.ConnectionString = _database);
            if (!lockAcrossNodes)
            {
                builder.Services.RemoveAll<IModelInstanceLockProvider>();
            }
        }

        builder.Services.AddRxInferModels(o => o.MaxEventsPerEpisode = int.MaxValue)
            .AddModel(ModelDefinition.Create(ModelName, "counts", "bench", ["user"]))
            .AddModelRuntime(ModelName, new CounterRuntime());
        var host = builder.Build();
        await host.StartAsync();
        _hosts.Add(host);
        var created = await host.Services.GetRequiredService<IModelInstanceService>().CreateAsync(Caller, ModelName, null, null);
        return (host.Services.GetRequiredService<IModelInferenceService>(), created.Instance!.InstanceId);
    }

    /// <summary>State <c>{"calls": n}</c>, one more per inference; answers its data.</summary>
    private sealed class CounterRuntime : IModelRuntime
    {
        public ValueTask<JsonElement> CreateInitialStateAsync(ModelDefinition model, JsonElement arguments, CancellationToken cancellationToken) =>
            ValueTask.FromResult(JsonSerializer.SerializeToElement(new { calls = 0L }));

        public ValueTask<JsonElement> CreateInitialParametersAsync(ModelDefinition model, JsonElement arguments, CancellationToken cancellationToken) =>
            ValueTask.FromResult(JsonSerializer.SerializeToElement(new { sum = 0L }));

        public ValueTask<ModelInferenceResult> InferAsync(ModelInferenceRequest request, CancellationToken cancellationToken) =>
            ValueTask.FromResult(new ModelInferenceResult(request.Data, JsonSerializer.SerializeToElement(new { calls = request.State.GetProperty("calls").GetInt64() + 1 })));

        public ValueTask<ModelLearningResult> LearnAsync(ModelLearningRequest request, CancellationToken cancellationToken) =>
            throw new NotSupportedException();
    }
}
