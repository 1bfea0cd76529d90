using System.Text.Json;

namespace RxInfer.Models.Tests;

/// <summary>
/// The contract of <see cref="IModelInstanceStore"/>, written once and run on every store: a subclass supplies a
/// fresh store. Each test uses its own owners and ids, so a store shared between tests (one database) works too. Its files
/// (<c>ModelInstanceStoreContractTests*.cs</c>) stand alone (no helper of this project), so other test projects compile
/// them too (the PostgreSQL tests do).
/// </summary>
public abstract partial class ModelInstanceStoreContractTests
{
    private static readonly DateTimeOffset Created = TestClock.Start;
    private static readonly DateTimeOffset Later = Created.AddMinutes(5);

    /// <summary>A store to test; it may hold data of other tests.</summary>
    protected abstract Task<IModelInstanceStore> CreateStoreAsync();

    private static string NewOwner() => "owner-" + Guid.NewGuid().ToString("N");

    private static JsonElement J(string json)
    {
        using var document = JsonDocument.Parse(json);
        return document.RootElement.Clone();
    }

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
        Assert.Equal(InstanceAddResult.Added, await store.AddAsync(instance, J(parameters), InstanceLimits.None, DateTimeOffset.MaxValue));
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

}
