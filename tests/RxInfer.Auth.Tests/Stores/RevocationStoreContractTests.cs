using System.Security.Cryptography;
using Microsoft.Extensions.Time.Testing;

namespace RxInfer.Auth.Tests.Stores;

/// <summary>
/// The contract every <see cref="IRevocationStore"/> keeps, written once against the public interface and run on
/// each store: in memory here, PostgreSQL in RxInfer.Storage.PostgreSql.Tests (which compiles this file in). Every
/// test uses ids and subjects of its own, so stores may share a database.
/// </summary>
public abstract class RevocationStoreContractTests : IAsyncLifetime
{
    /// <summary>The instant the fake clock starts at (whole seconds).</summary>
    private readonly string _run = Convert.ToHexStringLower(RandomNumberGenerator.GetBytes(6));
    private IRevocationStore? _store;

    protected FakeTimeProvider Time { get; } = TestClock.NewTimeProvider();

    protected IRevocationStore Store => _store ?? throw new InvalidOperationException("The store is made in InitializeAsync.");

    /// <summary>Makes the store under test, reading time from <paramref name="time"/>.</summary>
    protected abstract Task<IRevocationStore> CreateStoreAsync(FakeTimeProvider time);

    /// <summary>Releases what <see cref="CreateStoreAsync"/> made.</summary>
    protected virtual Task DisposeStoreAsync() => Task.CompletedTask;

    public async Task InitializeAsync() => _store = await CreateStoreAsync(Time);

    public Task DisposeAsync() => DisposeStoreAsync();

    protected string Id(string name) => $"{name}-{_run}";

    [Fact]
    public async Task A_revoked_id_is_revoked_and_no_other_is()
    {
        Assert.False(await Store.IsRevokedAsync(Id("jti-1")));

        await Store.RevokeAsync(Id("jti-1"), TestClock.Start + TimeSpan.FromHours(1));

        Assert.True(await Store.IsRevokedAsync(Id("jti-1")));
        Assert.False(await Store.IsRevokedAsync(Id("jti-2")));
    }

    [Fact]
    public async Task A_revoked_id_is_forgotten_at_keep_until_and_not_a_second_before()
    {
        await Store.RevokeAsync(Id("jti"), TestClock.Start + TimeSpan.FromMinutes(10));

        Time.Advance(TimeSpan.FromMinutes(10) - TimeSpan.FromSeconds(1));
        Assert.True(await Store.IsRevokedAsync(Id("jti")));

        Time.Advance(TimeSpan.FromSeconds(1));
        Assert.False(await Store.IsRevokedAsync(Id("jti")));
    }

    [Fact]
    public async Task Revoking_again_with_an_earlier_keep_until_does_not_shorten_it()
    {
        await Store.RevokeAsync(Id("jti"), TestClock.Start + TimeSpan.FromMinutes(10));
        await Store.RevokeAsync(Id("jti"), TestClock.Start + TimeSpan.FromMinutes(1));

        Time.Advance(TimeSpan.FromMinutes(5));

        Assert.True(await Store.IsRevokedAsync(Id("jti")));
    }

    [Fact]
    public async Task A_subject_without_a_cutoff_has_none()
    {
        await Store.RevokeSubjectAsync(Id("alice"), TestClock.Start, TestClock.Start + TimeSpan.FromHours(1));

        Assert.Null(await Store.GetSubjectCutoffAsync(Id("bob")));
    }

    [Fact]
    public async Task A_subject_cutoff_is_returned_as_stored()
    {
        var cutoff = TestClock.Start - TimeSpan.FromSeconds(30);

        await Store.RevokeSubjectAsync(Id("alice"), cutoff, TestClock.Start + TimeSpan.FromHours(1));

        Assert.Equal(cutoff, await Store.GetSubjectCutoffAsync(Id("alice")));
    }

    [Fact]
    public async Task A_later_cutoff_replaces_an_earlier_one_and_never_the_reverse()
    {
        await Store.RevokeSubjectAsync(Id("alice"), TestClock.Start, TestClock.Start + TimeSpan.FromHours(1));
        await Store.RevokeSubjectAsync(Id("alice"), TestClock.Start + TimeSpan.FromMinutes(5), TestClock.Start + TimeSpan.FromHours(1));
        Assert.Equal(TestClock.Start + TimeSpan.FromMinutes(5), await Store.GetSubjectCutoffAsync(Id("alice")));

        await Store.RevokeSubjectAsync(Id("alice"), TestClock.Start + TimeSpan.FromMinutes(1), TestClock.Start + TimeSpan.FromHours(1));

        Assert.Equal(TestClock.Start + TimeSpan.FromMinutes(5), await Store.GetSubjectCutoffAsync(Id("alice")));
    }

    [Fact]
    public async Task A_subject_cutoff_is_forgotten_at_keep_until()
    {
        await Store.RevokeSubjectAsync(Id("alice"), TestClock.Start, TestClock.Start + TimeSpan.FromMinutes(10));

        Time.Advance(TimeSpan.FromMinutes(10) - TimeSpan.FromSeconds(1));
        Assert.Equal(TestClock.Start, await Store.GetSubjectCutoffAsync(Id("alice")));

        Time.Advance(TimeSpan.FromSeconds(1));
        Assert.Null(await Store.GetSubjectCutoffAsync(Id("alice")));
    }

    [Fact]
    public async Task A_later_keep_until_for_a_subject_extends_it()
    {
        await Store.RevokeSubjectAsync(Id("alice"), TestClock.Start, TestClock.Start + TimeSpan.FromMinutes(10));
        await Store.RevokeSubjectAsync(Id("alice"), TestClock.Start, TestClock.Start + TimeSpan.FromMinutes(20));

        Time.Advance(TimeSpan.FromMinutes(15));

        Assert.Equal(TestClock.Start, await Store.GetSubjectCutoffAsync(Id("alice")));
    }

    [Fact]
    public async Task Concurrent_revocations_are_all_kept()
    {
        const int Count = 100;

        await Parallel.ForAsync(0, Count, new ParallelOptions { MaxDegreeOfParallelism = 8 }, async (i, ct) =>
        {
            await Store.RevokeAsync(Id($"jti-{i}"), TestClock.Start + TimeSpan.FromHours(1), ct);
            await Store.RevokeSubjectAsync(Id($"subject-{i % 10}"), TestClock.Start + TimeSpan.FromSeconds(i), TestClock.Start + TimeSpan.FromHours(1), ct);
        });

        for (var i = 0; i < Count; i++)
        {
            Assert.True(await Store.IsRevokedAsync(Id($"jti-{i}")));
        }

        for (var s = 0; s < 10; s++)
        {
            Assert.Equal(TestClock.Start + TimeSpan.FromSeconds(90 + s), await Store.GetSubjectCutoffAsync(Id($"subject-{s}")));
        }
    }
}
