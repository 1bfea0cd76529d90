using Microsoft.Extensions.Time.Testing;

namespace RxInfer.Auth.Tests.Stores;

/// <summary>The capacity contract on the in-memory access-token store, which keeps the cap exactly even under concurrency.</summary>
public sealed class InMemoryOpaqueTokenStoreCapacityContractTests : OpaqueTokenStoreCapacityContractTests
{
    protected override Task<IOpaqueTokenStore> CreateEmptyStoreAsync(FakeTimeProvider time) =>
        Task.FromResult<IOpaqueTokenStore>(new InMemoryOpaqueTokenStore(time));

    protected override void AssertStoredCount(int stored, int cap) => Assert.Equal(cap, stored);

    [Fact]
    public async Task Thousands_of_concurrent_adds_never_pass_the_cap()
    {
        var stored = 0;
        await Parallel.ForAsync(0, 5_000, async (_, ct) =>
        {
            var (hash, identity) = Token();
            if (await Store.TryAddAsync(hash, identity, maxTokens: 100, ct))
            {
                Interlocked.Increment(ref stored);
            }
        });

        Assert.Equal(100, stored);
        Assert.Equal(100, ((InMemoryOpaqueTokenStore)Store).Count);
    }
}
