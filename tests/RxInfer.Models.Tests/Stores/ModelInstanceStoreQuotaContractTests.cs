using System.Collections.Concurrent;

namespace RxInfer.Models.Tests;

/// <summary>
/// The quota part of the <see cref="IModelInstanceStore"/> contract, written once: the limits that
/// <see cref="IModelInstanceStore.AddAsync"/> checks in the same step as the add, and each owner's retention
/// (<see cref="IModelInstanceStore.ExtendRetentionAsync"/>, <see cref="IModelInstanceStore.RemoveExpiredAsync"/>).
/// Every store (in memory, PostgreSQL, ...) derives from it. The store must be new and empty for each test: the
/// store-wide limit and the sweep see every owner.
/// </summary>
public abstract class ModelInstanceStoreQuotaContractTests
{
    protected static readonly DateTimeOffset T0 = TestClock.Start;

    private static readonly DateTimeOffset Forever = DateTimeOffset.MaxValue;

    private static readonly System.Text.Json.JsonElement Parameters = J("{}");

    /// <summary>A JSON value of its own (the file stands alone, so the PostgreSQL tests compile it too).</summary>
    protected static System.Text.Json.JsonElement J(string json)
    {
        using var document = System.Text.Json.JsonDocument.Parse(json);
        return document.RootElement.Clone();
    }

    /// <summary>A new store with no instances.</summary>
    protected abstract Task<IModelInstanceStore> CreateStoreAsync();

    protected static ModelInstance Instance(string owner) => new(
        Guid.NewGuid(), "m", owner, T0, "d", J("{}"), J("{}"));

    private static async Task<ModelInstance> AddAsync(IModelInstanceStore store, string owner, DateTimeOffset? retainUntil = null)
    {
        var instance = Instance(owner);
        Assert.Equal(InstanceAddResult.Added, await store.AddAsync(instance, Parameters, InstanceLimits.None, retainUntil ?? Forever));
        return instance;
    }

    private static async Task<Guid[]> IdsAsync(IModelInstanceStore store, string owner) =>
        [.. (await store.ListAsync(owner)).Select(static i => i.InstanceId)];

    // ---- limits --------------------------------------------------------------------------------------------------

    [Fact]
    public async Task An_owner_at_its_limit_is_refused_and_nothing_is_stored()
    {
        var store = await CreateStoreAsync();
        var limits = new InstanceLimits(MaxInstancesPerOwner: 3, MaxInstances: 0);
        for (var i = 0; i < 3; i++)
        {
            Assert.Equal(InstanceAddResult.Added, await store.AddAsync(Instance("alice"), Parameters, limits, Forever));
        }

        var refused = Instance("alice");
        Assert.Equal(InstanceAddResult.OwnerLimitReached, await store.AddAsync(refused, Parameters, limits, Forever));

        Assert.Equal(3, (await store.ListAsync("alice")).Count);
        Assert.Null(await store.GetAsync("alice", refused.InstanceId));
        Assert.Equal(InstanceAddResult.Added, await store.AddAsync(Instance("bob"), Parameters, limits, Forever));
    }

    [Fact]
    public async Task A_refused_add_stores_no_episode_either()
    {
        var store = await CreateStoreAsync();
        var limits = new InstanceLimits(MaxInstancesPerOwner: 1, MaxInstances: 2);
        Assert.Equal(InstanceAddResult.Added, await store.AddAsync(Instance("alice"), Parameters, limits, Forever));
        var overOwner = Instance("alice");
        Assert.Equal(InstanceAddResult.Added, await store.AddAsync(Instance("bob"), Parameters, limits, Forever));
        var overStore = Instance("carol");

        Assert.Equal(InstanceAddResult.OwnerLimitReached, await store.AddAsync(overOwner, Parameters, limits, Forever));
        Assert.Equal(InstanceAddResult.StoreFull, await store.AddAsync(overStore, Parameters, limits, Forever));

        Assert.Null(await store.ListEpisodesAsync("alice", overOwner.InstanceId));
        Assert.Equal(default, await store.GetParametersAsync("alice", overOwner.InstanceId, null));
        Assert.Null(await store.ListEpisodesAsync("carol", overStore.InstanceId));
        Assert.Equal(ModelStoreOutcome.InstanceNotFound, await store.AddEpisodeAsync("carol", overStore.InstanceId, "e", Parameters, T0, 10));
    }

    [Fact]
    public async Task A_removal_frees_a_place_under_the_owner_limit()
    {
        var store = await CreateStoreAsync();
        var limits = new InstanceLimits(MaxInstancesPerOwner: 1, MaxInstances: 0);
        var first = Instance("alice");
        Assert.Equal(InstanceAddResult.Added, await store.AddAsync(first, Parameters, limits, Forever));
        Assert.Equal(InstanceAddResult.OwnerLimitReached, await store.AddAsync(Instance("alice"), Parameters, limits, Forever));

        Assert.True(await store.RemoveAsync("alice", first.InstanceId));

        Assert.Equal(InstanceAddResult.Added, await store.AddAsync(Instance("alice"), Parameters, limits, Forever));
    }

    [Fact]
    public async Task A_full_store_is_refused_for_every_owner_and_nothing_is_stored()
    {
        var store = await CreateStoreAsync();
        var limits = new InstanceLimits(MaxInstancesPerOwner: 0, MaxInstances: 2);
        Assert.Equal(InstanceAddResult.Added, await store.AddAsync(Instance("alice"), Parameters, limits, Forever));
        Assert.Equal(InstanceAddResult.Added, await store.AddAsync(Instance("bob"), Parameters, limits, Forever));

        var refused = Instance("carol");
        Assert.Equal(InstanceAddResult.StoreFull, await store.AddAsync(refused, Parameters, limits, Forever));

        Assert.Empty(await store.ListAsync("carol"));
        Assert.Null(await store.GetAsync("carol", refused.InstanceId));
    }

    [Fact]
    public async Task The_owner_limit_is_checked_before_the_store_limit()
    {
        var store = await CreateStoreAsync();
        var limits = new InstanceLimits(MaxInstancesPerOwner: 1, MaxInstances: 1);
        Assert.Equal(InstanceAddResult.Added, await store.AddAsync(Instance("alice"), Parameters, limits, Forever));

        Assert.Equal(InstanceAddResult.OwnerLimitReached, await store.AddAsync(Instance("alice"), Parameters, limits, Forever));
        Assert.Equal(InstanceAddResult.StoreFull, await store.AddAsync(Instance("bob"), Parameters, limits, Forever));
    }

    [Fact]
    public async Task Concurrent_adds_never_pass_the_owner_limit()
    {
        var store = await CreateStoreAsync();
        var limits = new InstanceLimits(MaxInstancesPerOwner: 10, MaxInstances: 0);
        var results = new ConcurrentBag<InstanceAddResult>();

        await Parallel.ForAsync(0, 200, async (_, ct) => results.Add(await store.AddAsync(Instance("alice"), Parameters, limits, Forever, ct)));

        Assert.Equal(10, results.Count(static r => r == InstanceAddResult.Added));
        Assert.Equal(190, results.Count(static r => r == InstanceAddResult.OwnerLimitReached));
        Assert.Equal(10, (await store.ListAsync("alice")).Count);
    }

    [Fact]
    public async Task Concurrent_adds_of_many_owners_never_pass_the_store_limit()
    {
        var store = await CreateStoreAsync();
        var limits = new InstanceLimits(MaxInstancesPerOwner: 0, MaxInstances: 25);
        var owners = new ConcurrentBag<string>();

        await Parallel.ForAsync(0, 200, async (i, ct) =>
        {
            var owner = $"owner-{i}";
            if (await store.AddAsync(Instance(owner), Parameters, limits, Forever, ct) == InstanceAddResult.Added)
            {
                owners.Add(owner);
            }
        });

        Assert.Equal(25, owners.Count);
        var stored = 0;
        for (var i = 0; i < 200; i++)
        {
            stored += (await store.ListAsync($"owner-{i}")).Count;
        }

        Assert.Equal(25, stored);
    }

    // ---- retention ---------------------------------------------------------------------------------------------

    [Fact]
    public async Task An_owner_is_kept_until_its_retention_and_removed_by_a_sweep_one_tick_later()
    {
        var store = await CreateStoreAsync();
        var until = T0.AddDays(30);
        await AddAsync(store, "alice", until);
        await AddAsync(store, "alice", until);
        var bob = await AddAsync(store, "bob", until.AddTicks(1));

        Assert.Equal(0, await store.RemoveExpiredAsync(until));
        Assert.Equal(2, (await store.ListAsync("alice")).Count);

        Assert.Equal(2, await store.RemoveExpiredAsync(until.AddTicks(1)));
        Assert.Empty(await store.ListAsync("alice"));
        Assert.Equal([bob.InstanceId], await IdsAsync(store, "bob"));
    }

    [Fact]
    public async Task A_sweep_removes_the_expired_instances_with_their_episodes_and_events()
    {
        var store = await CreateStoreAsync();
        var until = T0.AddDays(30);
        var expired = await AddAsync(store, "alice", until);
        Assert.Equal(ModelStoreOutcome.Done, await store.AddEpisodeAsync("alice", expired.InstanceId, "second", J("""{"p": 2}"""), T0, 10));
        Assert.Equal(ModelStoreOutcome.Done, await store.AppendEventsAsync("alice", expired.InstanceId, "second", [new ModelEvent(0, T0, J("""{"x": 1}"""), null, false)], 10));
        var kept = await AddAsync(store, "bob", Forever);
        Assert.Equal(ModelStoreOutcome.Done, await store.AppendEventsAsync("bob", kept.InstanceId, ModelInstance.DefaultEpisode, [new ModelEvent(0, T0, J("""{"x": 2}"""), null, false)], 10));

        Assert.Equal(1, await store.RemoveExpiredAsync(until.AddTicks(1)));

        Assert.Null(await store.ListEpisodesAsync("alice", expired.InstanceId));
        Assert.Equal(default, await store.GetEpisodeAsync("alice", expired.InstanceId, "second"));
        Assert.Equal(ModelStoreOutcome.InstanceNotFound, await store.AppendEventsAsync("alice", expired.InstanceId, "second", [new ModelEvent(0, T0, J("{}"), null, false)], 10));
        Assert.Equal(ModelStoreOutcome.InstanceNotFound, await store.ResetEpisodeAsync("alice", expired.InstanceId, ModelInstance.DefaultEpisode));
        var bobs = await store.ListEpisodesAsync("bob", kept.InstanceId);
        Assert.Equal([1L], Assert.Single(bobs!).Events.Select(static e => e.EventId));
    }

    [Fact]
    public async Task Extending_keeps_the_later_of_two_times()
    {
        var store = await CreateStoreAsync();
        await AddAsync(store, "alice", T0.AddDays(10));

        await store.ExtendRetentionAsync("alice", T0.AddDays(20));
        await store.ExtendRetentionAsync("alice", T0.AddDays(5));

        Assert.Equal(0, await store.RemoveExpiredAsync(T0.AddDays(20)));
        Assert.Single(await store.ListAsync("alice"));
        Assert.Equal(1, await store.RemoveExpiredAsync(T0.AddDays(20).AddTicks(1)));
    }

    [Fact]
    public async Task A_later_add_raises_the_owners_retention_and_an_earlier_one_does_not_lower_it()
    {
        var store = await CreateStoreAsync();
        await AddAsync(store, "alice", T0.AddDays(10));
        await AddAsync(store, "alice", T0.AddDays(20));
        await AddAsync(store, "alice", T0.AddDays(1));

        Assert.Equal(0, await store.RemoveExpiredAsync(T0.AddDays(15)));
        Assert.Equal(3, await store.RemoveExpiredAsync(T0.AddDays(21)));
    }

    [Fact]
    public async Task Extending_an_owner_without_instances_has_no_effect()
    {
        var store = await CreateStoreAsync();
        await store.ExtendRetentionAsync("alice", T0.AddDays(100));

        await AddAsync(store, "alice", T0.AddDays(1));

        Assert.Equal(1, await store.RemoveExpiredAsync(T0.AddDays(2)));
    }

    [Fact]
    public async Task An_owners_retention_leaves_with_its_last_instance()
    {
        var store = await CreateStoreAsync();
        var first = await AddAsync(store, "alice", T0.AddDays(100));
        Assert.True(await store.RemoveAsync("alice", first.InstanceId));

        await AddAsync(store, "alice", T0.AddDays(1));

        Assert.Equal(1, await store.RemoveExpiredAsync(T0.AddDays(2)));
    }

    [Fact]
    public async Task An_owner_retained_for_ever_is_never_removed()
    {
        var store = await CreateStoreAsync();
        await AddAsync(store, "dev-token", DateTimeOffset.MaxValue);

        Assert.Equal(0, await store.RemoveExpiredAsync(DateTimeOffset.MaxValue));
        Assert.Single(await store.ListAsync("dev-token"));
    }

    [Fact]
    public async Task A_sweep_frees_places_under_the_store_limit()
    {
        var store = await CreateStoreAsync();
        var limits = new InstanceLimits(MaxInstancesPerOwner: 0, MaxInstances: 1);
        Assert.Equal(InstanceAddResult.Added, await store.AddAsync(Instance("alice"), Parameters, limits, T0));
        Assert.Equal(InstanceAddResult.StoreFull, await store.AddAsync(Instance("bob"), Parameters, limits, Forever));

        Assert.Equal(1, await store.RemoveExpiredAsync(T0.AddTicks(1)));

        Assert.Equal(InstanceAddResult.Added, await store.AddAsync(Instance("bob"), Parameters, limits, Forever));
    }
}
