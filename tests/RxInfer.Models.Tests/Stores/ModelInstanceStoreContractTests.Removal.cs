using System.Text.Json;

namespace RxInfer.Models.Tests;

/// <summary>Removed instances, and stored values independent of the caller's documents.</summary>
public abstract partial class ModelInstanceStoreContractTests
{
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
            Assert.Equal(InstanceAddResult.Added, await store.AddAsync(instance, parameters.RootElement, InstanceLimits.None, DateTimeOffset.MaxValue));
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
}
