using System.Security.Cryptography;
using Microsoft.Extensions.Time.Testing;

namespace RxInfer.Auth.Tests.Stores;

/// <summary>
/// What every <see cref="IApiKeyStore"/> keeps beyond the opaque-token contract: listing, for the API key management
/// endpoints. Written once, run on each store: in memory here, PostgreSQL in RxInfer.Storage.PostgreSql.Tests (which
/// compiles this file in). Every test uses subjects of its own, so stores may share a database.
/// </summary>
public abstract class ApiKeyStoreContractTests : IAsyncLifetime
{
    /// <summary>The instant the fake clock starts at (whole seconds).</summary>
    private readonly string _run = Convert.ToHexStringLower(RandomNumberGenerator.GetBytes(6));
    private IApiKeyStore? _store;

    protected FakeTimeProvider Time { get; } = TestClock.NewTimeProvider();

    protected IApiKeyStore Store => _store ?? throw new InvalidOperationException("The store is made in InitializeAsync.");

    /// <summary>Makes the store under test, reading time from <paramref name="time"/>.</summary>
    protected abstract Task<IApiKeyStore> CreateStoreAsync(FakeTimeProvider time);

    /// <summary>Releases what <see cref="CreateStoreAsync"/> made.</summary>
    protected virtual Task DisposeStoreAsync() => Task.CompletedTask;

    public async Task InitializeAsync() => _store = await CreateStoreAsync(Time);

    public Task DisposeAsync() => DisposeStoreAsync();

    private string Subject(string name) => $"{name}-{_run}";

    private TokenIdentity Key(string subject, string id, string[] roles, DateTimeOffset expiresAt) =>
        new(Subject(subject), $"{id}-{_run}", roles, expiresAt, "opaque", TokenKind.ApiKey);

    private static TokenHash NewHash() => TokenHash.Compute(Convert.ToBase64String(RandomNumberGenerator.GetBytes(32)));

    [Fact]
    public async Task A_subject_lists_its_keys_oldest_first_with_id_roles_creation_and_expiry_and_nobody_elses()
    {
        await Store.AddAsync(NewHash(), Key("carol", "k1", ["user", "reader"], TestClock.Start + TimeSpan.FromDays(30)));
        Time.Advance(TimeSpan.FromMinutes(5));
        await Store.AddAsync(NewHash(), Key("carol", "k2", ["user"], TokenIdentity.NeverExpires));
        await Store.AddAsync(NewHash(), Key("dave", "k3", ["admin"], TestClock.Start + TimeSpan.FromDays(1)));

        var carol = await Store.ListAsync(Subject("carol"));

        Assert.Equal(
            [
                new ApiKeyInfo($"k1-{_run}", Subject("carol"), ["user", "reader"], TestClock.Start, TestClock.Start + TimeSpan.FromDays(30)),
                new ApiKeyInfo($"k2-{_run}", Subject("carol"), ["user"], TestClock.Start + TimeSpan.FromMinutes(5), TokenIdentity.NeverExpires),
            ],
            carol.Select(static k => k with { Roles = [.. k.Roles] }),
            ApiKeyInfoComparer.Instance);
    }

    [Fact]
    public async Task Listing_every_key_includes_each_subject_and_a_removed_key_is_no_longer_listed()
    {
        await Store.AddAsync(NewHash(), Key("erin", "k1", ["user"], TestClock.Start + TimeSpan.FromDays(1)));
        await Store.AddAsync(NewHash(), Key("frank", "k2", ["user"], TestClock.Start + TimeSpan.FromDays(1)));

        var before = (await Store.ListAsync()).Select(static k => k.Id).ToList();
        Assert.True(await Store.RemoveByIdAsync($"k1-{_run}"));
        var after = (await Store.ListAsync()).Select(static k => k.Id).ToList();

        Assert.Contains($"k1-{_run}", before);
        Assert.Contains($"k2-{_run}", before);
        Assert.DoesNotContain($"k1-{_run}", after);
        Assert.Contains($"k2-{_run}", after);
    }

    [Fact]
    public async Task A_subject_without_keys_lists_nothing()
    {
        await Store.AddAsync(NewHash(), Key("gina", "k1", ["user"], TestClock.Start + TimeSpan.FromDays(1)));

        Assert.Empty(await Store.ListAsync(Subject("nobody")));
    }

    private sealed class ApiKeyInfoComparer : IEqualityComparer<ApiKeyInfo>
    {
        public static readonly ApiKeyInfoComparer Instance = new();

        public bool Equals(ApiKeyInfo? x, ApiKeyInfo? y) =>
            x is not null && y is not null && x.Id == y.Id && x.Subject == y.Subject && x.Roles.SequenceEqual(y.Roles)
            && x.CreatedAt == y.CreatedAt && x.ExpiresAt == y.ExpiresAt;

        public int GetHashCode(ApiKeyInfo obj) => obj.Id.GetHashCode(StringComparison.Ordinal);
    }
}
