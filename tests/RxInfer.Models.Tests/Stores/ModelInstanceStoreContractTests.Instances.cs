
namespace RxInfer.Models.Tests;

/// <summary>Adding and reading instances, and owners that see nothing of each other.</summary>
public abstract partial class ModelInstanceStoreContractTests
{
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
        await Assert.ThrowsAsync<InvalidOperationException>(async () => await store.AddAsync(instance, J("{}"), InstanceLimits.None, DateTimeOffset.MaxValue));
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
}
