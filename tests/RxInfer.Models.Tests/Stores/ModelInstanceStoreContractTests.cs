using System.Collections.Concurrent;
using System.Text.Json;

namespace RxInfer.Models.Tests;

/// <summary>
/// The contract of <see cref="IModelInstanceStore"/>, written once and run on every store: a subclass supplies a
/// fresh store. Each test uses its own owners and ids, so a store shared between tests (one database) works too.
/// </summary>
public abstract class ModelInstanceStoreContractTests
{
    private static readonly DateTimeOffset Created = new(2026, 2, 3, 4, 5, 6, TimeSpan.Zero);
    private static readonly DateTimeOffset Later = Created.AddMinutes(5);

    /// <summary>A store to test; it may hold data of other tests.</summary>
    protected abstract Task<IModelInstanceStore> CreateStoreAsync();

    private static string NewOwner() => "owner-" + Guid.NewGuid().ToString("N");

    private static JsonElement J(string json) => Json.Parse(json);

    private static void AssertJson(string expected, JsonElement actual) =>
        Assert.True(JsonElement.DeepEquals(J(expected), actual), $"Expected {expected}, got {actual.GetRawText()}");

    private static ModelInstance NewInstance(string owner, string state = """{"n": 0}""") =>
        new(Guid.NewGuid(), "Model-v1", owner, Created, "d", J("""{"a": 1}"""), J(state));

    private static ModelEvent Event(string data, string? metadata = null, bool processed = false, DateTimeOffset? at = null) =>
        new(0, at ?? Later, J(data), metadata is null ? null : J(metadata), processed);

    private async Task<(IModelInstanceStore Store, ModelInstance Instance)> StoreWithInstanceAsync(string parameters = """{"p": 0}""")
    {
        var store = await CreateStoreAsync();
        var instance = NewInstance(NewOwner());
        await store.AddAsync(instance, J(parameters));
        return (store, instance);
    }

    private static async Task<ModelEpisode> EpisodeAsync(IModelInstanceStore store, ModelInstance instance, string? name = null)
    {
        var read = await store.GetEpisodeAsync(instance.OwnerSubject, instance.InstanceId, name);
        Assert.NotNull(read.Instance);
        return Assert.IsType<ModelEpisode>(read.Episode);
    }

    private static async Task<ModelInstance> ReadAsync(IModelInstanceStore store, ModelInstance instance) =>
        Assert.IsType<ModelInstance>(await store.GetAsync(instance.OwnerSubject, instance.InstanceId));

    [Fact]
    public async Task A_new_instance_has_a_current_default_episode_with_its_parameters_and_no_events()
    {
        var (store, instance) = await StoreWithInstanceAsync("""{"p": 7}""");

        var stored = await ReadAsync(store, instance);
        Assert.Equal(ModelInstance.DefaultEpisode, stored.CurrentEpisode);
        AssertJson("""{"n": 0}""", stored.State);

        var episodes = Assert.IsAssignableFrom<IReadOnlyList<ModelEpisode>>(await store.ListEpisodesAsync(instance.OwnerSubject, instance.InstanceId));
        var only = Assert.Single(episodes);
        Assert.Equal("default", only.Name);
        Assert.Equal(instance.InstanceId, only.InstanceId);
        Assert.Equal(Created, only.CreatedAt);
        Assert.Empty(only.Events);
        AssertJson("""{"p": 7}""", only.Parameters);

        var current = await store.GetEpisodeAsync(instance.OwnerSubject, instance.InstanceId, null);
        Assert.Equal("default", current.Episode!.Name);
        var parameters = await store.GetParametersAsync(instance.OwnerSubject, instance.InstanceId, null);
        Assert.Equal(instance.InstanceId, parameters.Instance!.InstanceId);
        AssertJson("""{"p": 7}""", parameters.Parameters!.Value);
    }

    [Fact]
    public async Task Parameters_are_read_for_the_current_or_a_named_episode_with_the_same_instance_version()
    {
        var (store, instance) = await StoreWithInstanceAsync();
        var owner = instance.OwnerSubject;
        await store.AddEpisodeAsync(owner, instance.InstanceId, "e1", J("""{"p": 1}"""), Later, 10);
        await store.AddEpisodeAsync(owner, instance.InstanceId, "e2", J("""{"p": 2}"""), Later, 10);

        var current = await store.GetParametersAsync(owner, instance.InstanceId, null);
        AssertJson("""{"p": 2}""", current.Parameters!.Value);
        Assert.Equal((await ReadAsync(store, instance)).Version, current.Instance!.Version);
        AssertJson("""{"p": 1}""", (await store.GetParametersAsync(owner, instance.InstanceId, "e1")).Parameters!.Value);
        AssertJson("""{"p": 0}""", (await store.GetParametersAsync(owner, instance.InstanceId, "default")).Parameters!.Value);

        var missing = await store.GetParametersAsync(owner, instance.InstanceId, "nope");
        Assert.NotNull(missing.Instance);
        Assert.Null(missing.Parameters);
        Assert.Equal(default, await store.GetParametersAsync(NewOwner(), instance.InstanceId, null));
    }

    [Fact]
    public async Task Adding_an_instance_id_twice_is_refused()
    {
        var (store, instance) = await StoreWithInstanceAsync();
        await Assert.ThrowsAsync<InvalidOperationException>(async () => await store.AddAsync(instance, J("{}")));
    }

    [Fact]
    public async Task Another_owner_finds_nothing_and_changes_nothing_with_any_operation()
    {
        var (store, instance) = await StoreWithInstanceAsync();
        await store.AppendEventsAsync(instance.OwnerSubject, instance.InstanceId, "default", [Event("""{"x": 1}""")], 10);
        var before = await ReadAsync(store, instance);
        var stranger = NewOwner();
        var id = instance.InstanceId;

        Assert.Null(await store.GetAsync(stranger, id));
        Assert.Empty(await store.ListAsync(stranger));
        Assert.Null(await store.ListEpisodesAsync(stranger, id));
        Assert.Equal(default, await store.GetEpisodeAsync(stranger, id, "default"));
        Assert.Equal(default, await store.GetParametersAsync(stranger, id, null));
        Assert.Equal(ModelStoreOutcome.InstanceNotFound, await store.AddEpisodeAsync(stranger, id, "e", J("{}"), Later, 10));
        Assert.Equal(ModelStoreOutcome.InstanceNotFound, await store.RemoveEpisodeAsync(stranger, id, "e"));
        Assert.Equal(ModelStoreOutcome.InstanceNotFound, await store.ResetEpisodeAsync(stranger, id, "default"));
        Assert.Equal(ModelStoreOutcome.InstanceNotFound, await store.AppendEventsAsync(stranger, id, "default", [Event("{}")], 10));
        Assert.Equal(ModelStoreOutcome.InstanceNotFound, await store.SetEventMetadataAsync(stranger, id, "default", 1, J("{}")));
        Assert.Equal(ModelStoreOutcome.InstanceNotFound, (await store.CommitInferenceAsync(stranger, id, before.Version, J("{}"), "default", Event("{}"), 10)).Outcome);
        Assert.Equal(ModelStoreOutcome.InstanceNotFound, await store.CommitLearningAsync(stranger, id, before.Version, J("{}"), "default", J("{}"), [1]));
        Assert.False(await store.RemoveAsync(stranger, id));

        var after = await ReadAsync(store, instance);
        Assert.Equal(before.Version, after.Version);
        var episode = await EpisodeAsync(store, instance, "default");
        AssertJson("""{"x": 1}""", Assert.Single(episode.Events).Data);
        Assert.Null(episode.Events[0].Metadata);
    }

    [Fact]
    public async Task An_added_episode_becomes_current_and_a_live_name_cannot_be_added_twice()
    {
        var (store, instance) = await StoreWithInstanceAsync();
        var owner = instance.OwnerSubject;

        Assert.Equal(ModelStoreOutcome.Done, await store.AddEpisodeAsync(owner, instance.InstanceId, "e1", J("""{"p": 1}"""), Later, 10));
        Assert.Equal("e1", (await ReadAsync(store, instance)).CurrentEpisode);
        var episode = await EpisodeAsync(store, instance);
        Assert.Equal("e1", episode.Name);
        Assert.Equal(Later, episode.CreatedAt);
        AssertJson("""{"p": 1}""", episode.Parameters);

        Assert.Equal(ModelStoreOutcome.EpisodeExists, await store.AddEpisodeAsync(owner, instance.InstanceId, "e1", J("{}"), Later, 10));
        Assert.Equal(ModelStoreOutcome.EpisodeExists, await store.AddEpisodeAsync(owner, instance.InstanceId, "default", J("{}"), Later, 10));
        Assert.Equal(
            ["default", "e1"],
            (await store.ListEpisodesAsync(owner, instance.InstanceId))!.Select(e => e.Name));
    }

    [Fact]
    public async Task The_episode_limit_counts_live_episodes_and_refuses_without_changing_anything()
    {
        var (store, instance) = await StoreWithInstanceAsync();
        var owner = instance.OwnerSubject;
        Assert.Equal(ModelStoreOutcome.Done, await store.AddEpisodeAsync(owner, instance.InstanceId, "e1", J("{}"), Later, 2));
        var before = await ReadAsync(store, instance);

        Assert.Equal(ModelStoreOutcome.LimitReached, await store.AddEpisodeAsync(owner, instance.InstanceId, "e2", J("{}"), Later, 2));
        var after = await ReadAsync(store, instance);
        Assert.Equal(before.Version, after.Version);
        Assert.Equal("e1", after.CurrentEpisode);

        Assert.Equal(ModelStoreOutcome.Done, await store.RemoveEpisodeAsync(owner, instance.InstanceId, "e1"));
        Assert.Equal(ModelStoreOutcome.Done, await store.AddEpisodeAsync(owner, instance.InstanceId, "e2", J("{}"), Later, 2));
    }

    [Fact]
    public async Task Removing_the_current_episode_makes_default_current_and_a_removed_name_can_be_used_again()
    {
        var (store, instance) = await StoreWithInstanceAsync();
        var owner = instance.OwnerSubject;
        await store.AddEpisodeAsync(owner, instance.InstanceId, "old", J("""{"p": 1}"""), Later, 10);
        await store.AppendEventsAsync(owner, instance.InstanceId, "old", [Event("""{"x": 1}""")], 10);
        await store.AddEpisodeAsync(owner, instance.InstanceId, "current", J("{}"), Later, 10);

        Assert.Equal(ModelStoreOutcome.Done, await store.RemoveEpisodeAsync(owner, instance.InstanceId, "old"));
        Assert.Equal("current", (await ReadAsync(store, instance)).CurrentEpisode);
        Assert.Null((await store.GetEpisodeAsync(owner, instance.InstanceId, "old")).Episode);
        Assert.Equal(ModelStoreOutcome.EpisodeNotFound, await store.RemoveEpisodeAsync(owner, instance.InstanceId, "old"));

        Assert.Equal(ModelStoreOutcome.Done, await store.RemoveEpisodeAsync(owner, instance.InstanceId, "current"));
        Assert.Equal("default", (await ReadAsync(store, instance)).CurrentEpisode);

        Assert.Equal(ModelStoreOutcome.Done, await store.AddEpisodeAsync(owner, instance.InstanceId, "old", J("""{"p": 2}"""), Later, 10));
        var reused = await EpisodeAsync(store, instance, "old");
        Assert.Empty(reused.Events);
        AssertJson("""{"p": 2}""", reused.Parameters);
    }

    [Fact]
    public async Task The_default_episode_is_never_removed()
    {
        var (store, instance) = await StoreWithInstanceAsync();
        await Assert.ThrowsAsync<ArgumentException>(async () => await store.RemoveEpisodeAsync(instance.OwnerSubject, instance.InstanceId, "default"));
        Assert.NotNull((await store.GetEpisodeAsync(instance.OwnerSubject, instance.InstanceId, "default")).Episode);
    }

    [Fact]
    public async Task Appended_events_are_numbered_from_one_in_order_and_keep_their_fields()
    {
        var (store, instance) = await StoreWithInstanceAsync();
        var owner = instance.OwnerSubject;

        Assert.Equal(ModelStoreOutcome.Done, await store.AppendEventsAsync(owner, instance.InstanceId, "default",
            [Event("""{"x": 1}""", """{"m": 1}""", processed: true, at: Created), Event("""{"x": 2}""")], 10));
        Assert.Equal(ModelStoreOutcome.Done, await store.AppendEventsAsync(owner, instance.InstanceId, "default", [Event("""{"x": 3}""")], 10));

        var events = (await EpisodeAsync(store, instance, "default")).Events;
        Assert.Equal([1L, 2L, 3L], events.Select(e => e.EventId));
        AssertJson("""{"x": 1}""", events[0].Data);
        AssertJson("""{"m": 1}""", events[0].Metadata!.Value);
        Assert.True(events[0].Processed);
        Assert.Equal(Created, events[0].Timestamp);
        Assert.Null(events[1].Metadata);
        Assert.False(events[1].Processed);
        Assert.Equal(Later, events[2].Timestamp);
    }

    [Fact]
    public async Task Events_past_the_limit_are_refused_whole()
    {
        var (store, instance) = await StoreWithInstanceAsync();
        var owner = instance.OwnerSubject;
        await store.AppendEventsAsync(owner, instance.InstanceId, "default", [Event("{}"), Event("{}")], 3);

        Assert.Equal(ModelStoreOutcome.LimitReached, await store.AppendEventsAsync(owner, instance.InstanceId, "default", [Event("{}"), Event("{}")], 3));
        Assert.Equal(2, (await EpisodeAsync(store, instance, "default")).Events.Count);
        Assert.Equal(ModelStoreOutcome.Done, await store.AppendEventsAsync(owner, instance.InstanceId, "default", [Event("{}")], 3));
        Assert.Equal(ModelStoreOutcome.EpisodeNotFound, await store.AppendEventsAsync(owner, instance.InstanceId, "nope", [Event("{}")], 3));
    }

    [Fact]
    public async Task A_reset_empties_the_episode_restores_its_initial_parameters_and_restarts_ids_at_one()
    {
        var (store, instance) = await StoreWithInstanceAsync("""{"p": 0}""");
        var owner = instance.OwnerSubject;
        await store.AppendEventsAsync(owner, instance.InstanceId, "default", [Event("{}"), Event("{}")], 10);
        var read = await ReadAsync(store, instance);
        await store.CommitLearningAsync(owner, instance.InstanceId, read.Version, J("""{"n": 1}"""), "default", J("""{"p": 55}"""), [1, 2]);

        Assert.Equal(ModelStoreOutcome.Done, await store.ResetEpisodeAsync(owner, instance.InstanceId, "default"));
        var episode = await EpisodeAsync(store, instance, "default");
        Assert.Empty(episode.Events);
        AssertJson("""{"p": 0}""", episode.Parameters);
        AssertJson("""{"n": 1}""", (await ReadAsync(store, instance)).State);

        Assert.Equal(ModelStoreOutcome.Done, await store.ResetEpisodeAsync(owner, instance.InstanceId, "default"));
        await store.AppendEventsAsync(owner, instance.InstanceId, "default", [Event("{}")], 10);
        Assert.Equal(1, Assert.Single((await EpisodeAsync(store, instance, "default")).Events).EventId);
        Assert.Equal(ModelStoreOutcome.EpisodeNotFound, await store.ResetEpisodeAsync(owner, instance.InstanceId, "nope"));
    }

    [Fact]
    public async Task Metadata_replaces_the_events_metadata_and_a_missing_event_or_episode_is_reported()
    {
        var (store, instance) = await StoreWithInstanceAsync();
        var owner = instance.OwnerSubject;
        await store.AppendEventsAsync(owner, instance.InstanceId, "default", [Event("{}", """{"old": 1}"""), Event("{}")], 10);

        Assert.Equal(ModelStoreOutcome.Done, await store.SetEventMetadataAsync(owner, instance.InstanceId, "default", 2, J("""{"new": 2}""")));
        Assert.Equal(ModelStoreOutcome.Done, await store.SetEventMetadataAsync(owner, instance.InstanceId, "default", 1, J("""{"b": 1}""")));
        var events = (await EpisodeAsync(store, instance, "default")).Events;
        AssertJson("""{"b": 1}""", events[0].Metadata!.Value);
        AssertJson("""{"new": 2}""", events[1].Metadata!.Value);

        Assert.Equal(ModelStoreOutcome.EventNotFound, await store.SetEventMetadataAsync(owner, instance.InstanceId, "default", 3, J("{}")));
        Assert.Equal(ModelStoreOutcome.EventNotFound, await store.SetEventMetadataAsync(owner, instance.InstanceId, "default", 0, J("{}")));
        Assert.Equal(ModelStoreOutcome.EventNotFound, await store.SetEventMetadataAsync(owner, instance.InstanceId, "default", -1, J("{}")));
        Assert.Equal(ModelStoreOutcome.EpisodeNotFound, await store.SetEventMetadataAsync(owner, instance.InstanceId, "nope", 1, J("{}")));
    }

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

    [Fact]
    public async Task A_removed_instance_is_gone_with_its_episodes_for_every_operation()
    {
        var (store, instance) = await StoreWithInstanceAsync();
        var owner = instance.OwnerSubject;
        var id = instance.InstanceId;
        await store.AppendEventsAsync(owner, id, "default", [Event("{}")], 10);
        var version = (await ReadAsync(store, instance)).Version;

        Assert.True(await store.RemoveAsync(owner, id));

        Assert.Null(await store.GetAsync(owner, id));
        Assert.Null(await store.ListEpisodesAsync(owner, id));
        Assert.Null((await store.GetEpisodeAsync(owner, id, "default")).Instance);
        Assert.Null((await store.GetParametersAsync(owner, id, null)).Instance);
        Assert.Equal(ModelStoreOutcome.InstanceNotFound, await store.AppendEventsAsync(owner, id, "default", [Event("{}")], 10));
        Assert.Equal(ModelStoreOutcome.InstanceNotFound, await store.AddEpisodeAsync(owner, id, "e", J("{}"), Later, 10));
        Assert.Equal(ModelStoreOutcome.InstanceNotFound, (await store.CommitInferenceAsync(owner, id, version, J("{}"), "default", Event("{}"), 10)).Outcome);
        Assert.Equal(ModelStoreOutcome.InstanceNotFound, await store.CommitLearningAsync(owner, id, version, J("{}"), "default", J("{}"), []));
        Assert.False(await store.RemoveAsync(owner, id));
    }

    [Fact]
    public async Task Stored_values_do_not_depend_on_the_callers_documents()
    {
        var store = await CreateStoreAsync();
        var owner = NewOwner();
        ModelInstance instance;
        using (var state = JsonDocument.Parse("""{"n": 1}"""))
        using (var parameters = JsonDocument.Parse("""{"p": 1}"""))
        {
            instance = new ModelInstance(Guid.NewGuid(), "Model-v1", owner, Created, null, J("{}"), state.RootElement);
            await store.AddAsync(instance, parameters.RootElement);
        }

        using (var data = JsonDocument.Parse("""{"events": [{"x": 1}], "meta": {"m": 2}}"""))
        {
            var element = data.RootElement.GetProperty("events")[0];
            await store.AppendEventsAsync(owner, instance.InstanceId, "default", [new ModelEvent(0, Later, element, data.RootElement.GetProperty("meta"), false)], 10);
        }

        var episode = await EpisodeAsync(store, instance, "default");
        AssertJson("""{"p": 1}""", episode.Parameters);
        AssertJson("""{"x": 1}""", episode.Events[0].Data);
        AssertJson("""{"m": 2}""", episode.Events[0].Metadata!.Value);
        AssertJson("""{"n": 1}""", (await ReadAsync(store, instance)).State);
    }

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

public sealed class InMemoryModelInstanceStoreContractTests : ModelInstanceStoreContractTests
{
    protected override Task<IModelInstanceStore> CreateStoreAsync() => Task.FromResult<IModelInstanceStore>(new InMemoryModelInstanceStore());
}
