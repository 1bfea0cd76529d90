
namespace RxInfer.Models.Tests;

/// <summary>Appending events, their limit, resets and metadata.</summary>
public abstract partial class ModelInstanceStoreContractTests
{
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
}
