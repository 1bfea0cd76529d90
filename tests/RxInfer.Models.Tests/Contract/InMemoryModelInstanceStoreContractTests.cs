namespace RxInfer.Models.Tests;

/// <summary>The store contract on the in-memory store, plus what only the in-memory store promises.</summary>
public sealed class InMemoryModelInstanceStoreContractTests : ModelInstanceStoreContractTests
{
    protected override IModelInstanceStore CreateStore() => new InMemoryModelInstanceStore();

    [Fact]
    public void Every_operation_completes_synchronously()
    {
        var store = new InMemoryModelInstanceStore();
        var instance = Instance("alice");

        Assert.Equal(InstanceAddResult.Added, Sync.Run(store.AddAsync(instance, InstanceLimits.None, T0)));
        Assert.True(store.ExtendRetentionAsync("alice", T0.AddDays(1)).IsCompletedSuccessfully);
        Assert.NotNull(Sync.Run(store.GetAsync("alice", instance.InstanceId)));
        Assert.Single(Sync.Run(store.ListAsync("alice")));
        Assert.Equal(0, Sync.Run(store.RemoveExpiredAsync(T0)));
        Assert.True(Sync.Run(store.RemoveAsync("alice", instance.InstanceId)));
    }

    [Fact]
    public async Task An_owner_leaves_the_store_with_its_last_instance_or_its_retention()
    {
        var store = new InMemoryModelInstanceStore();
        var first = Instance("alice");
        var second = Instance("alice");
        await store.AddAsync(first, InstanceLimits.None, DateTimeOffset.MaxValue);
        await store.AddAsync(second, InstanceLimits.None, DateTimeOffset.MaxValue);
        await store.AddAsync(Instance("bob"), InstanceLimits.None, T0);
        Assert.Equal(2, store.OwnerCount);

        Assert.True(await store.RemoveAsync("alice", first.InstanceId));
        Assert.Equal(2, store.OwnerCount);
        Assert.True(await store.RemoveAsync("alice", second.InstanceId));
        Assert.Equal(1, store.OwnerCount);

        Assert.Equal(1, await store.RemoveExpiredAsync(T0.AddTicks(1)));
        Assert.Equal(0, store.OwnerCount);
    }
}
