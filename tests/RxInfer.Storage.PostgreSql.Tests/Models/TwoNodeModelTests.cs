using System.Diagnostics;
using System.Globalization;
using System.Text.Json;
using RxInfer.Models;
using RxInfer.Storage.PostgreSql.Tests.Infrastructure;
using Xunit.Abstractions;

namespace RxInfer.Storage.PostgreSql.Tests.Models;

/// <summary>
/// Two nodes (separate hosts, one database) serving RxInfer.Models on the PostgreSQL instance store: an instance is
/// one instance on both, owned as on one node, and inference on it is serialised across the nodes.
/// </summary>
public sealed class TwoNodeModelTests(PostgreSqlDatabaseFixture fixture, ITestOutputHelper output) : IClassFixture<PostgreSqlDatabaseFixture>
{
    private static readonly ModelCaller Alice = new("alice-" + Guid.NewGuid().ToString("N"), ["user"]);
    private static readonly ModelCaller Mallory = new("mallory-" + Guid.NewGuid().ToString("N"), ["user"]);

    private Task<StoreNode> StartNodeAsync() => StoreNode.StartAsync(fixture.ConnectionString, services: CountingRuntime.AddTo);

    private static async Task<Guid> CreateAsync(StoreNode node, ModelCaller caller)
    {
        var created = await node.Get<IModelInstanceService>().CreateAsync(caller, CountingRuntime.ModelName, arguments: null, description: "two nodes");
        Assert.Equal(ModelInstanceCreationStatus.Created, created.Status);
        return created.Instance!.InstanceId;
    }

    [Fact]
    public async Task An_instance_created_on_A_is_seen_through_B_by_its_owner_only_and_deleted_on_B_it_is_gone_on_A()
    {
        await using var a = await StartNodeAsync();
        await using var b = await StartNodeAsync();
        var id = await CreateAsync(a, Alice);

        var seen = await b.Get<IModelInstanceService>().GetAsync(Alice, id);
        Assert.NotNull(seen);
        Assert.Equal("two nodes", seen.Description);
        Assert.Equal(CountingRuntime.ModelName, seen.ModelName);
        Assert.Equal([id], (await b.Get<IModelInstanceService>().ListAsync(Alice)).Select(i => i.InstanceId));

        Assert.Null(await b.Get<IModelInstanceService>().GetAsync(Mallory, id));
        Assert.Empty(await b.Get<IModelInstanceService>().ListAsync(Mallory));
        Assert.Equal(ModelResultStatus.NotFound, (await b.Get<IModelInferenceService>().InferAsync(Mallory, id, Data(1))).Status);
        Assert.Equal(ModelResultStatus.NotFound, (await b.Get<IModelEpisodeService>().GetParametersAsync(Mallory, id)).Status);
        Assert.False(await b.Get<IModelInstanceService>().DeleteAsync(Mallory, id));
        Assert.NotNull(await a.Get<IModelInstanceService>().GetAsync(Alice, id));

        Assert.True(await b.Get<IModelInstanceService>().DeleteAsync(Alice, id));

        Assert.Null(await a.Get<IModelInstanceService>().GetAsync(Alice, id));
        Assert.Equal(ModelResultStatus.NotFound, (await a.Get<IModelInferenceService>().InferAsync(Alice, id, Data(1))).Status);
        Assert.Equal(ModelResultStatus.NotFound, (await a.Get<IModelEpisodeService>().ListEpisodesAsync(Alice, id)).Status);
    }

    [Fact]
    public async Task Concurrent_inference_on_one_instance_from_two_nodes_counts_every_call_and_numbers_every_event_once()
    {
        await using var a = await StartNodeAsync();
        await using var b = await StartNodeAsync();
        var id = await CreateAsync(a, Alice);
        const int Calls = 100;

        var clock = Stopwatch.StartNew();
        var results = await Task.WhenAll(Enumerable.Range(1, Calls).Select(i => Task.Run(async () =>
            await (i % 2 == 0 ? a : b).Get<IModelInferenceService>().InferAsync(Alice, id, Data(i)))));
        clock.Stop();

        Assert.All(results, result => Assert.Equal(ModelResultStatus.Succeeded, result.Status));
        Assert.Equal(Enumerable.Range(1, Calls).Select(i => (long)i), results.Select(r => r.Value!.EventId!.Value).Order());
        var state = await b.Get<IModelInstanceService>().GetStateAsync(Alice, id);
        Assert.Equal(Calls, state!.Value.GetProperty("calls").GetInt32());
        var episode = (await a.Get<IModelEpisodeService>().GetEpisodeAsync(Alice, id, ModelInstance.DefaultEpisode)).Value!;
        Assert.Equal(Enumerable.Range(1, Calls).Select(i => (long)i), episode.Events.Select(e => e.EventId));
        Assert.Equal(Enumerable.Range(1, Calls).ToHashSet(), episode.Events.Select(e => e.Data.GetProperty("x").GetInt32()).ToHashSet());

        var conflicts = a.Logs.GetSnapshot().Concat(b.Logs.GetSnapshot()).Count(record => record.Id.Name == "ModelInstanceChangedDuringRuntimeCall");
        output.WriteLine(string.Create(CultureInfo.InvariantCulture, $"{Calls} inferences over two nodes: {clock.Elapsed.TotalMilliseconds:F0} ms, {conflicts} version conflict(s) retried"));
    }

    [Fact]
    public async Task Learning_on_B_folds_the_events_inferred_on_A_and_both_nodes_read_the_learned_parameters()
    {
        await using var a = await StartNodeAsync();
        await using var b = await StartNodeAsync();
        var id = await CreateAsync(a, Alice);
        foreach (var x in new[] { 10, 20, 25 })
        {
            Assert.Equal(ModelResultStatus.Succeeded, (await a.Get<IModelInferenceService>().InferAsync(Alice, id, Data(x))).Status);
        }

        var learned = await b.Get<IModelInferenceService>().LearnAsync(Alice, id, [ModelInstance.DefaultEpisode]);

        Assert.Equal(ModelResultStatus.Succeeded, learned.Status);
        Assert.Equal(55, learned.Value.GetProperty("sum").GetInt32());
        Assert.Equal(55, (await a.Get<IModelEpisodeService>().GetParametersAsync(Alice, id)).Value.GetProperty("sum").GetInt32());
        var events = (await a.Get<IModelEpisodeService>().GetEpisodeAsync(Alice, id, ModelInstance.DefaultEpisode)).Value!.Events;
        Assert.All(events, e => Assert.True(e.Processed));
    }

    private static JsonElement Data(int x) => JsonSerializer.SerializeToElement(new { x });
}
