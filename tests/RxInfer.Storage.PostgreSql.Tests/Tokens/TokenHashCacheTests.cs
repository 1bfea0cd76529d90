using RxInfer.Auth;

namespace RxInfer.Storage.PostgreSql.Tests.Tokens;

/// <summary>The node's token cache on its own (no database): its bound and the epoch rule.</summary>
public sealed class TokenHashCacheTests
{
    private static readonly TokenIdentity Identity = new("s", "id", ["user"], TokenIdentity.NeverExpires, "opaque");

    [Fact]
    public void A_full_cache_drops_one_token_for_each_new_one_and_never_holds_more_than_its_size()
    {
        var cache = new TokenHashCache(3);
        var hashes = Enumerable.Range(0, 5).Select(static i => TokenHash.Compute($"token-{i}")).ToList();

        foreach (var hash in hashes)
        {
            Assert.True(cache.AddIfUnchanged(hash, Identity, cache.Epoch, TestClock.Start));
            Assert.True(cache.TryGet(hash, out _));
            Assert.InRange(cache.Count, 1, 3);
        }

        // Five tokens through three places: two went, whichever the random choice picked.
        Assert.Equal(3, cache.Count);
        Assert.Equal(2, hashes.Count(hash => !cache.TryGet(hash, out _)));
    }

    [Fact]
    public void A_lookup_that_read_the_epoch_before_a_removal_adds_nothing_and_a_size_of_0_caches_nothing()
    {
        var cache = new TokenHashCache(3);
        var hash = TokenHash.Compute("token");
        var epoch = cache.Epoch;
        cache.Remove([TokenHash.Compute("revoked")]);

        Assert.False(cache.AddIfUnchanged(hash, Identity, epoch, TestClock.Start));
        Assert.False(cache.TryGet(hash, out _));

        var off = new TokenHashCache(0);
        Assert.False(off.AddIfUnchanged(hash, Identity, off.Epoch, TestClock.Start));
        Assert.Equal(0, off.Count);
    }
}
