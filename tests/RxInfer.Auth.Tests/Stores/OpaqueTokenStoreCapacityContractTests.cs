using System.Collections.Concurrent;
using System.Security.Cryptography;
using Microsoft.Extensions.Time.Testing;

namespace RxInfer.Auth.Tests.Stores;

/// <summary>
/// The capacity part of the <see cref="IOpaqueTokenStore"/> contract (<see cref="IOpaqueTokenStore.TryAddAsync"/>),
/// written once against the public interface and run on each store: in memory here, PostgreSQL in
/// RxInfer.Storage.PostgreSql.Tests (which compiles this file in). The cap counts every token of the store, so each
/// test needs a new, empty store.
/// </summary>
public abstract class OpaqueTokenStoreCapacityContractTests : IAsyncLifetime
{
    /// <summary>How many adds the concurrency test runs at once.</summary>
    protected const int Parallelism = 8;

    private IOpaqueTokenStore? _store;

    protected FakeTimeProvider Time { get; } = TestClock.NewTimeProvider();

    protected IOpaqueTokenStore Store => _store ?? throw new InvalidOperationException("The store is made in InitializeAsync.");

    /// <summary>Makes a new, empty store under test, reading time from <paramref name="time"/>.</summary>
    protected abstract Task<IOpaqueTokenStore> CreateEmptyStoreAsync(FakeTimeProvider time);

    /// <summary>Releases what <see cref="CreateEmptyStoreAsync"/> made.</summary>
    protected virtual Task DisposeStoreAsync() => Task.CompletedTask;

    public async Task InitializeAsync() => _store = await CreateEmptyStoreAsync(Time);

    public Task DisposeAsync() => DisposeStoreAsync();

    protected static (TokenHash Hash, TokenIdentity Identity) Token(string subject = "alice")
    {
        var id = Convert.ToHexStringLower(RandomNumberGenerator.GetBytes(8));
        return (TokenHash.Compute("rxi_" + id), new TokenIdentity(subject, id, ["user"], TestClock.Start.AddDays(30), "opaque"));
    }

    [Fact]
    public async Task The_store_takes_tokens_up_to_its_cap_and_refuses_the_next_without_storing_it()
    {
        for (var i = 0; i < 3; i++)
        {
            var (hash, identity) = Token();
            Assert.True(await Store.TryAddAsync(hash, identity, maxTokens: 3));
            Assert.NotNull(await Store.FindAsync(hash));
        }

        var refused = Token();
        Assert.False(await Store.TryAddAsync(refused.Hash, refused.Identity, maxTokens: 3));

        Assert.Null(await Store.FindAsync(refused.Hash));
    }

    [Fact]
    public async Task A_removed_token_frees_its_place()
    {
        var first = Token();
        Assert.True(await Store.TryAddAsync(first.Hash, first.Identity, maxTokens: 1));
        var second = Token();
        Assert.False(await Store.TryAddAsync(second.Hash, second.Identity, maxTokens: 1));

        Assert.True(await Store.RemoveByIdAsync(first.Identity.TokenId));

        Assert.True(await Store.TryAddAsync(second.Hash, second.Identity, maxTokens: 1));
        Assert.NotNull(await Store.FindAsync(second.Hash));
    }

    [Fact]
    public async Task Tokens_added_without_a_cap_count_against_it()
    {
        var configured = Token("configured");
        await Store.AddAsync(configured.Hash, configured.Identity);

        var issued = Token();
        Assert.False(await Store.TryAddAsync(issued.Hash, issued.Identity, maxTokens: 1));
        Assert.True(await Store.TryAddAsync(issued.Hash, issued.Identity, maxTokens: 2));
    }

    [Fact]
    public async Task Zero_means_no_cap()
    {
        for (var i = 0; i < 50; i++)
        {
            var (hash, identity) = Token();
            Assert.True(await Store.TryAddAsync(hash, identity, maxTokens: 0));
        }
    }

    [Fact]
    public async Task A_duplicate_hash_throws_and_takes_no_place()
    {
        var token = Token();
        Assert.True(await Store.TryAddAsync(token.Hash, token.Identity, maxTokens: 2));

        await Assert.ThrowsAsync<InvalidOperationException>(async () => await Store.TryAddAsync(token.Hash, token.Identity, maxTokens: 2));

        var second = Token();
        Assert.True(await Store.TryAddAsync(second.Hash, second.Identity, maxTokens: 2));
    }

    [Fact]
    public async Task Concurrent_adds_pass_the_cap_by_at_most_the_adds_in_flight()
    {
        const int Cap = 40;
        var stored = new ConcurrentBag<TokenHash>();

        await Parallel.ForAsync(0, 200, new ParallelOptions { MaxDegreeOfParallelism = Parallelism }, async (_, ct) =>
        {
            var (hash, identity) = Token();
            if (await Store.TryAddAsync(hash, identity, Cap, ct))
            {
                stored.Add(hash);
            }
        });

        Assert.InRange(stored.Count, Cap, Cap + Parallelism - 1);
        AssertStoredCount(stored.Count, Cap);
        foreach (var hash in stored)
        {
            Assert.NotNull(await Store.FindAsync(hash));
        }
    }

    /// <summary>What a store promises beyond the bound under concurrency (the in-memory store: exactly the cap).</summary>
    protected virtual void AssertStoredCount(int stored, int cap)
    {
    }
}
