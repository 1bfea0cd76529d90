using System.Text.Json;

namespace RxInfer.Models.Tests;

public sealed class InMemoryModelInstanceStoreTests
{
    private static readonly JsonElement Empty = JsonDocument.Parse("{}").RootElement;

    private static ModelInstance Instance(string owner) => new(
        Guid.NewGuid(), "m", owner, TestClock.Start, null,
        JsonDocument.Parse("{}").RootElement, JsonDocument.Parse("{}").RootElement);

    [Fact]
    public async Task An_owner_leaves_the_store_with_its_last_instance()
    {
        var store = new InMemoryModelInstanceStore();
        var first = Instance("alice");
        var second = Instance("alice");
        await store.AddAsync(first, Empty, InstanceLimits.None, DateTimeOffset.MaxValue);
        await store.AddAsync(second, Empty, InstanceLimits.None, DateTimeOffset.MaxValue);
        await store.AddAsync(Instance("bob"), Empty, InstanceLimits.None, DateTimeOffset.MaxValue);

        Assert.True(await store.RemoveAsync("alice", first.InstanceId));
        Assert.Equal(2, store.OwnerCount);
        Assert.True(await store.RemoveAsync("alice", second.InstanceId));

        Assert.Equal(1, store.OwnerCount);
        Assert.Empty(await store.ListAsync("alice"));
    }

    [Fact]
    public async Task Concurrent_adds_and_removes_of_one_owner_lose_nothing()
    {
        var store = new InMemoryModelInstanceStore();
        var kept = new System.Collections.Concurrent.ConcurrentBag<Guid>();

        await Parallel.ForAsync(0, 2_000, async (i, ct) =>
        {
            var instance = Instance("alice");
            await store.AddAsync(instance, Empty, InstanceLimits.None, DateTimeOffset.MaxValue, ct);
            if (i % 2 == 0)
            {
                Assert.True(await store.RemoveAsync("alice", instance.InstanceId, ct));
            }
            else
            {
                kept.Add(instance.InstanceId);
            }
        });

        var listed = (await store.ListAsync("alice")).Select(instance => instance.InstanceId).ToHashSet();
        Assert.Equal(kept.ToHashSet(), listed);
        foreach (var id in kept)
        {
            Assert.NotNull(await store.GetAsync("alice", id));
        }
    }

    [Fact]
    public async Task An_owner_leaves_the_store_with_its_retention_at_the_sweep()
    {
        var store = new InMemoryModelInstanceStore();
        var until = TestClock.Start.AddDays(30);
        await store.AddAsync(Instance("alice"), Empty, InstanceLimits.None, until);
        await store.AddAsync(Instance("bob"), Empty, InstanceLimits.None, DateTimeOffset.MaxValue);

        Assert.Equal(1, await store.RemoveExpiredAsync(until.AddTicks(1)));

        Assert.Equal(1, store.OwnerCount);
        Assert.Empty(await store.ListAsync("alice"));
    }

    [Fact]
    public void Every_quota_operation_completes_synchronously()
    {
        var store = new InMemoryModelInstanceStore();
        var instance = Instance("alice");
        var until = TestClock.Start.AddDays(30);

        Assert.Equal(InstanceAddResult.Added, Sync.Run(store.AddAsync(instance, Empty, new InstanceLimits(1, 1), until)));
        Assert.Equal(InstanceAddResult.OwnerLimitReached, Sync.Run(store.AddAsync(Instance("alice"), Empty, new InstanceLimits(1, 1), until)));
        Assert.True(store.ExtendRetentionAsync("alice", until.AddDays(1)).IsCompletedSuccessfully);
        Assert.Equal(0, Sync.Run(store.RemoveExpiredAsync(until)));
    }
}
