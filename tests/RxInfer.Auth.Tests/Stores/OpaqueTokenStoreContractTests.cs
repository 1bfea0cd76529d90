using System.Security.Cryptography;
using Microsoft.Extensions.Time.Testing;

namespace RxInfer.Auth.Tests.Stores;

/// <summary>
/// The contract every <see cref="IOpaqueTokenStore"/> (and <see cref="IApiKeyStore"/>) keeps, written once against
/// the public interface and run on each store: in memory here, PostgreSQL in RxInfer.Storage.PostgreSql.Tests
/// (which compiles this file in). Every test uses subjects and ids of its own, so stores may share a database.
/// </summary>
public abstract class OpaqueTokenStoreContractTests : IAsyncLifetime
{
    /// <summary>The instant the fake clock starts at (whole seconds).</summary>
    private readonly string _run = Convert.ToHexStringLower(RandomNumberGenerator.GetBytes(6));
    private IOpaqueTokenStore? _store;

    protected FakeTimeProvider Time { get; } = TestClock.NewTimeProvider();

    protected IOpaqueTokenStore Store => _store ?? throw new InvalidOperationException("The store is made in InitializeAsync.");

    /// <summary>Makes the store under test, reading time from <paramref name="time"/>.</summary>
    protected abstract Task<IOpaqueTokenStore> CreateStoreAsync(FakeTimeProvider time);

    /// <summary>Releases what <see cref="CreateStoreAsync"/> made.</summary>
    protected virtual Task DisposeStoreAsync() => Task.CompletedTask;

    public async Task InitializeAsync() => _store = await CreateStoreAsync(Time);

    public Task DisposeAsync() => DisposeStoreAsync();

    protected string Subject(string name) => $"{name}-{_run}";

    protected TokenIdentity Identity(string subject = "alice", string? tokenId = null, IEnumerable<string>? roles = null, DateTimeOffset? expiresAt = null, TokenKind kind = TokenKind.AccessToken) =>
        new(Subject(subject), tokenId ?? "id-" + Convert.ToHexStringLower(RandomNumberGenerator.GetBytes(8)), roles ?? ["user"], expiresAt ?? TestClock.Start + TimeSpan.FromHours(1), "opaque", kind);

    protected static TokenHash NewHash() => TokenHash.Compute(Convert.ToBase64String(RandomNumberGenerator.GetBytes(32)));

    [Fact]
    public async Task An_added_token_is_found_by_its_hash_with_every_field()
    {
        var hash = NewHash();
        var identity = Identity("alice", roles: ["user", "admin"], expiresAt: TestClock.Start + TimeSpan.FromMinutes(30), kind: TokenKind.ApiKey);

        await Store.AddAsync(hash, identity);
        var found = await Store.FindAsync(hash);

        Assert.NotNull(found);
        Assert.Equal(identity.Subject, found.Subject);
        Assert.Equal(identity.TokenId, found.TokenId);
        Assert.Equal(["user", "admin"], found.Roles);
        Assert.Equal(TestClock.Start + TimeSpan.FromMinutes(30), found.ExpiresAt);
        Assert.Equal("opaque", found.IssuedBy);
        Assert.Equal(TokenKind.ApiKey, found.Kind);
    }

    [Fact]
    public async Task An_unknown_hash_is_not_found()
    {
        await Store.AddAsync(NewHash(), Identity());

        Assert.Null(await Store.FindAsync(NewHash()));
    }

    [Fact]
    public async Task A_token_that_never_expires_round_trips_as_NeverExpires()
    {
        var hash = NewHash();

        await Store.AddAsync(hash, Identity(expiresAt: TokenIdentity.NeverExpires));

        Assert.Equal(TokenIdentity.NeverExpires, (await Store.FindAsync(hash))?.ExpiresAt);
    }

    [Fact]
    public async Task Roles_keep_their_order_and_text_including_none_and_unicode()
    {
        var none = NewHash();
        var many = NewHash();
        string[] roles = ["z-last", "a-first", "caf\u00e9", "\u4e2d\u6587", "with space", "quote'\"", "comma,semi;colon"];

        await Store.AddAsync(none, Identity(roles: []));
        await Store.AddAsync(many, Identity("\u00fcber-\ud83d\ude00", roles: roles));

        Assert.Empty((await Store.FindAsync(none))!.Roles);
        var found = await Store.FindAsync(many);
        Assert.Equal(roles, found!.Roles);
        Assert.Equal(Subject("\u00fcber-\ud83d\ude00"), found.Subject);
    }

    [Fact]
    public async Task The_same_hash_under_another_token_id_is_refused_and_the_first_stays()
    {
        var hash = NewHash();
        var first = Identity("alice");
        await Store.AddAsync(hash, first);

        await Assert.ThrowsAsync<InvalidOperationException>(async () => await Store.AddAsync(hash, Identity("mallory")));

        Assert.Equal(first.Subject, (await Store.FindAsync(hash))?.Subject);
        Assert.Equal(first.TokenId, (await Store.FindAsync(hash))?.TokenId);
    }

    [Fact]
    public async Task Removing_by_id_removes_that_token_only_and_says_so_once()
    {
        var removed = NewHash();
        var kept = NewHash();
        var identity = Identity("alice");
        await Store.AddAsync(removed, identity);
        await Store.AddAsync(kept, Identity("alice"));

        Assert.True(await Store.RemoveByIdAsync(identity.TokenId));
        Assert.False(await Store.RemoveByIdAsync(identity.TokenId));

        Assert.Null(await Store.FindAsync(removed));
        Assert.NotNull(await Store.FindAsync(kept));
    }

    [Fact]
    public async Task Removing_an_unknown_id_removes_nothing()
    {
        var hash = NewHash();
        await Store.AddAsync(hash, Identity());

        Assert.False(await Store.RemoveByIdAsync("no-such-id-" + Subject("x")));
        Assert.NotNull(await Store.FindAsync(hash));
    }

    [Fact]
    public async Task A_token_found_once_is_not_found_after_its_removal()
    {
        var hash = NewHash();
        var identity = Identity();
        await Store.AddAsync(hash, identity);
        Assert.NotNull(await Store.FindAsync(hash));
        Assert.NotNull(await Store.FindAsync(hash));

        await Store.RemoveByIdAsync(identity.TokenId);

        Assert.Null(await Store.FindAsync(hash));
    }

    [Fact]
    public async Task Removing_by_subject_removes_all_its_tokens_counts_them_and_keeps_the_others()
    {
        var alice = new[] { NewHash(), NewHash(), NewHash() };
        var bob = NewHash();
        foreach (var hash in alice)
        {
            await Store.AddAsync(hash, Identity("alice"));
            Assert.NotNull(await Store.FindAsync(hash));
        }

        await Store.AddAsync(bob, Identity("bob"));

        Assert.Equal(3, await Store.RemoveBySubjectAsync(Subject("alice")));
        Assert.Equal(0, await Store.RemoveBySubjectAsync(Subject("alice")));

        foreach (var hash in alice)
        {
            Assert.Null(await Store.FindAsync(hash));
        }

        Assert.NotNull(await Store.FindAsync(bob));
    }

    [Fact]
    public async Task A_subject_with_no_tokens_removes_nothing()
    {
        Assert.Equal(0, await Store.RemoveBySubjectAsync(Subject("nobody")));
    }

    [Fact]
    public async Task Concurrent_adds_finds_and_removals_leave_every_token_in_its_state()
    {
        const int Count = 200;
        var hashes = Enumerable.Range(0, Count).Select(_ => NewHash()).ToArray();
        var identities = Enumerable.Range(0, Count).Select(i => Identity($"s{i % 5}")).ToArray();

        await Parallel.ForAsync(0, Count, new ParallelOptions { MaxDegreeOfParallelism = 8 }, async (i, ct) =>
        {
            await Store.AddAsync(hashes[i], identities[i], ct);
            Assert.NotNull(await Store.FindAsync(hashes[i], ct));
            if (i % 4 == 0)
            {
                Assert.True(await Store.RemoveByIdAsync(identities[i].TokenId, ct));
            }
        });

        for (var i = 0; i < Count; i++)
        {
            var found = await Store.FindAsync(hashes[i]);
            Assert.Equal(i % 4 == 0 ? null : identities[i].TokenId, found?.TokenId);
        }
    }
}
