using System.Collections.Concurrent;
using System.Security.Cryptography;
using Microsoft.Extensions.Time.Testing;

namespace RxInfer.Auth.Tests.Opaque;

/// <summary>
/// The capacity part of the <see cref="IOpaqueTokenStore"/> contract (<see cref="IOpaqueTokenStore.TryAddAsync"/>),
/// written once: every store derives from it and supplies a fresh, empty store.
/// </summary>
public abstract class OpaqueTokenStoreCapacityContractTests
{
    protected static readonly DateTimeOffset Expiry = TestServices.Start.AddDays(30);

    /// <summary>A new store with no tokens.</summary>
    protected abstract IOpaqueTokenStore CreateStore();

    private static (TokenHash Hash, TokenIdentity Identity) Token(string subject = "alice")
    {
        var id = Convert.ToHexString(RandomNumberGenerator.GetBytes(8));
        return (TokenHash.Compute("rxi_" + id), new TokenIdentity(subject, id, ["user"], Expiry, "opaque"));
    }

    [Fact]
    public async Task The_store_takes_tokens_up_to_its_cap_and_refuses_the_next_without_storing_it()
    {
        var store = CreateStore();
        for (var i = 0; i < 3; i++)
        {
            var (hash, identity) = Token();
            Assert.True(await store.TryAddAsync(hash, identity, maxTokens: 3));
        }

        var refused = Token();
        Assert.False(await store.TryAddAsync(refused.Hash, refused.Identity, maxTokens: 3));

        Assert.Null(await store.FindAsync(refused.Hash));
    }

    [Fact]
    public async Task A_removed_token_frees_its_place()
    {
        var store = CreateStore();
        var first = Token();
        Assert.True(await store.TryAddAsync(first.Hash, first.Identity, maxTokens: 1));
        var second = Token();
        Assert.False(await store.TryAddAsync(second.Hash, second.Identity, maxTokens: 1));

        Assert.True(await store.RemoveByIdAsync(first.Identity.TokenId));

        Assert.True(await store.TryAddAsync(second.Hash, second.Identity, maxTokens: 1));
        Assert.NotNull(await store.FindAsync(second.Hash));
    }

    [Fact]
    public async Task Zero_means_no_cap()
    {
        var store = CreateStore();
        for (var i = 0; i < 100; i++)
        {
            var (hash, identity) = Token();
            Assert.True(await store.TryAddAsync(hash, identity, maxTokens: 0));
        }
    }

    [Fact]
    public async Task A_duplicate_hash_throws_and_takes_no_place()
    {
        var store = CreateStore();
        var token = Token();
        Assert.True(await store.TryAddAsync(token.Hash, token.Identity, maxTokens: 2));

        await Assert.ThrowsAsync<InvalidOperationException>(async () => await store.TryAddAsync(token.Hash, token.Identity, maxTokens: 2));

        var second = Token();
        Assert.True(await store.TryAddAsync(second.Hash, second.Identity, maxTokens: 2));
    }

    [Fact]
    public async Task Concurrent_adds_never_pass_the_cap()
    {
        var store = CreateStore();
        var stored = new ConcurrentBag<TokenHash>();

        await Parallel.ForAsync(0, 500, async (_, ct) =>
        {
            var (hash, identity) = Token();
            if (await store.TryAddAsync(hash, identity, maxTokens: 40, ct))
            {
                stored.Add(hash);
            }
        });

        Assert.Equal(40, stored.Count);
        foreach (var hash in stored)
        {
            Assert.NotNull(await store.FindAsync(hash));
        }
    }
}

/// <summary>The capacity contract on the in-memory store.</summary>
public sealed class InMemoryOpaqueTokenStoreCapacityContractTests : OpaqueTokenStoreCapacityContractTests
{
    protected override IOpaqueTokenStore CreateStore() => new InMemoryOpaqueTokenStore(new FakeTimeProvider(TestServices.Start));
}
