using System.Collections.Concurrent;

namespace RxInfer.Models.Tests;

/// <summary>Concurrent appends and commits.</summary>
public abstract partial class ModelInstanceStoreContractTests
{
    [Fact]
    public async Task Concurrent_appends_number_every_event_once()
    {
        var (store, instance) = await StoreWithInstanceAsync();
        var owner = instance.OwnerSubject;

        await Parallel.ForAsync(0, 200, async (i, ct) =>
            Assert.Equal(ModelStoreOutcome.Done, await store.AppendEventsAsync(owner, instance.InstanceId, "default", [Event($$"""{"i": {{i}}}""")], 1000, ct)));

        var events = (await EpisodeAsync(store, instance, "default")).Events;
        Assert.Equal(Enumerable.Range(1, 200).Select(i => (long)i), events.Select(e => e.EventId));
        Assert.Equal(Enumerable.Range(0, 200).ToHashSet(), events.Select(e => e.Data.GetProperty("i").GetInt32()).ToHashSet());
    }

    [Fact]
    public async Task Concurrent_commits_on_one_version_let_exactly_one_through()
    {
        var (store, instance) = await StoreWithInstanceAsync();
        var version = (await ReadAsync(store, instance)).Version;
        var outcomes = new ConcurrentBag<ModelStoreOutcome>();

        await Parallel.ForAsync(0, 50, async (i, ct) =>
            outcomes.Add((await store.CommitInferenceAsync(instance.OwnerSubject, instance.InstanceId, version, J($$"""{"n": {{i}}}"""), "default", Event("{}"), 1000, ct)).Outcome));

        Assert.Equal(1, outcomes.Count(o => o == ModelStoreOutcome.Done));
        Assert.Equal(49, outcomes.Count(o => o == ModelStoreOutcome.VersionConflict));
        Assert.Single((await EpisodeAsync(store, instance, "default")).Events);
    }
}
