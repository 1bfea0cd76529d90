
namespace RxInfer.Models.Tests;

/// <summary>Adding and removing episodes, the current one, the limit.</summary>
public abstract partial class ModelInstanceStoreContractTests
{
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
}
