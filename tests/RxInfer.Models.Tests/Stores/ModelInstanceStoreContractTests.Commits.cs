
namespace RxInfer.Models.Tests;

/// <summary>Inference and learning commits against the instance's version.</summary>
public abstract partial class ModelInstanceStoreContractTests
{
    [Fact]
    public async Task An_inference_commit_stores_the_state_and_appends_its_event()
    {
        var (store, instance) = await StoreWithInstanceAsync();
        var owner = instance.OwnerSubject;
        await store.AppendEventsAsync(owner, instance.InstanceId, "default", [Event("{}")], 10);
        var read = await ReadAsync(store, instance);

        var commit = await store.CommitInferenceAsync(owner, instance.InstanceId, read.Version, J("""{"n": 1}"""), "default", Event("""{"obs": 5}"""), 10);

        Assert.Equal(new ModelInferenceCommit(ModelStoreOutcome.Done, ModelStoreOutcome.Done, 2), commit);
        var after = await ReadAsync(store, instance);
        AssertJson("""{"n": 1}""", after.State);
        Assert.NotEqual(read.Version, after.Version);
        var added = (await EpisodeAsync(store, instance, "default")).Events[1];
        AssertJson("""{"obs": 5}""", added.Data);
        Assert.Null(added.Metadata);
        Assert.False(added.Processed);
    }

    [Fact]
    public async Task An_inference_commit_for_a_missing_or_full_episode_stores_the_state_without_the_event()
    {
        var (store, instance) = await StoreWithInstanceAsync();
        var owner = instance.OwnerSubject;

        var missing = await store.CommitInferenceAsync(owner, instance.InstanceId, (await ReadAsync(store, instance)).Version, J("""{"n": 1}"""), "nope", Event("{}"), 10);
        Assert.Equal(ModelStoreOutcome.Done, missing.Outcome);
        Assert.Equal(ModelStoreOutcome.EpisodeNotFound, missing.EventOutcome);
        AssertJson("""{"n": 1}""", (await ReadAsync(store, instance)).State);

        await store.AppendEventsAsync(owner, instance.InstanceId, "default", [Event("{}")], 1);
        var full = await store.CommitInferenceAsync(owner, instance.InstanceId, (await ReadAsync(store, instance)).Version, J("""{"n": 2}"""), "default", Event("{}"), 1);
        Assert.Equal(ModelStoreOutcome.Done, full.Outcome);
        Assert.Equal(ModelStoreOutcome.LimitReached, full.EventOutcome);
        AssertJson("""{"n": 2}""", (await ReadAsync(store, instance)).State);
        Assert.Single((await EpisodeAsync(store, instance, "default")).Events);
    }

    [Fact]
    public async Task A_commit_against_a_stale_version_changes_nothing()
    {
        var (store, instance) = await StoreWithInstanceAsync();
        var owner = instance.OwnerSubject;
        var stale = (await ReadAsync(store, instance)).Version;
        await store.AppendEventsAsync(owner, instance.InstanceId, "default", [Event("{}")], 10);
        var current = await ReadAsync(store, instance);
        Assert.NotEqual(stale, current.Version);

        var inference = await store.CommitInferenceAsync(owner, instance.InstanceId, stale, J("""{"n": 9}"""), "default", Event("{}"), 10);
        var learning = await store.CommitLearningAsync(owner, instance.InstanceId, stale, J("""{"n": 9}"""), "default", J("""{"p": 9}"""), [1]);

        Assert.Equal(ModelStoreOutcome.VersionConflict, inference.Outcome);
        Assert.Equal(ModelStoreOutcome.VersionConflict, learning);
        var after = await ReadAsync(store, instance);
        Assert.Equal(current.Version, after.Version);
        AssertJson("""{"n": 0}""", after.State);
        var episode = await EpisodeAsync(store, instance, "default");
        AssertJson("""{"p": 0}""", episode.Parameters);
        Assert.False(Assert.Single(episode.Events).Processed);
    }

    [Fact]
    public async Task A_learning_commit_stores_state_and_parameters_and_marks_only_the_fed_events()
    {
        var (store, instance) = await StoreWithInstanceAsync();
        var owner = instance.OwnerSubject;
        await store.AddEpisodeAsync(owner, instance.InstanceId, "other", J("""{"p": 0}"""), Later, 10);
        await store.AppendEventsAsync(owner, instance.InstanceId, "default", [Event("{}"), Event("{}"), Event("{}")], 10);
        var read = await ReadAsync(store, instance);

        Assert.Equal(ModelStoreOutcome.Done, await store.CommitLearningAsync(owner, instance.InstanceId, read.Version, J("""{"n": 3}"""), "default", J("""{"p": 55}"""), [1, 3]));

        var episode = await EpisodeAsync(store, instance, "default");
        Assert.Equal([true, false, true], episode.Events.Select(e => e.Processed));
        AssertJson("""{"p": 55}""", episode.Parameters);
        AssertJson("""{"p": 0}""", (await EpisodeAsync(store, instance, "other")).Parameters);
        var after = await ReadAsync(store, instance);
        AssertJson("""{"n": 3}""", after.State);
        Assert.Equal("other", after.CurrentEpisode);

        Assert.Equal(ModelStoreOutcome.EpisodeNotFound, await store.CommitLearningAsync(owner, instance.InstanceId, after.Version, J("{}"), "nope", J("{}"), []));
    }

    [Fact]
    public async Task Every_write_changes_the_version()
    {
        var (store, instance) = await StoreWithInstanceAsync();
        var owner = instance.OwnerSubject;
        var id = instance.InstanceId;
        var versions = new List<long> { (await ReadAsync(store, instance)).Version };

        async Task Next() => versions.Add((await ReadAsync(store, instance)).Version);

        await store.AddEpisodeAsync(owner, id, "e", J("{}"), Later, 10);
        await Next();
        await store.AppendEventsAsync(owner, id, "e", [Event("{}")], 10);
        await Next();
        await store.SetEventMetadataAsync(owner, id, "e", 1, J("{}"));
        await Next();
        await store.CommitInferenceAsync(owner, id, versions[^1], J("{}"), "e", Event("{}"), 10);
        await Next();
        await store.CommitLearningAsync(owner, id, versions[^1], J("{}"), "e", J("{}"), [1]);
        await Next();
        await store.ResetEpisodeAsync(owner, id, "e");
        await Next();
        await store.RemoveEpisodeAsync(owner, id, "e");
        await Next();

        Assert.Equal(versions.Count, versions.Distinct().Count());
    }
}
