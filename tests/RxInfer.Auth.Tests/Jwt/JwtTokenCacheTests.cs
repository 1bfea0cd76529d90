using Microsoft.Extensions.DependencyInjection;
using RxInfer.Auth;

namespace RxInfer.Auth.Tests.Jwt;

/// <summary>The validated-token cache of the JWT provider: bounded, and never a hit for a token changed in any character.</summary>
public sealed class JwtTokenCacheTests
{
    private const string Alphabet = "ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz0123456789-_";

    [Fact]
    public async Task Cache_holds_at_most_its_size_and_an_evicted_token_still_validates()
    {
        const int size = 16;
        using var jwt = JwtHarness.Hs256(options => options.CacheSize = size);
        var cache = CacheOf(jwt);
        var tokens = new List<string>();
        for (var i = 0; i < 2 * size; i++)
        {
            tokens.Add((await jwt.IssueAsync($"user-{i}")).Token);
            Assert.True((await jwt.ValidateAsync(tokens[^1])).IsValid);
            Assert.InRange(cache.Count, 1, size);
        }

        Assert.InRange(cache.Count, 1, size);
        var evicted = tokens.First(token => !cache.TryGetValue(token, out _));

        var outcome = await jwt.ValidateAsync(evicted);

        Assert.True(outcome.IsValid);
        Assert.Equal("user-" + tokens.IndexOf(evicted), outcome.Identity.Subject);
        Assert.True(cache.TryGetValue(evicted, out _)); // validated again through the slow path, and cached again
        Assert.InRange(cache.Count, 1, size);
    }

    [Fact]
    public async Task A_full_cache_drops_its_oldest_entry_for_each_new_one()
    {
        const int size = 4;
        using var jwt = JwtHarness.Hs256(options => options.CacheSize = size);
        var cache = CacheOf(jwt);
        var tokens = new List<string>();
        for (var i = 0; i < size + 2; i++)
        {
            tokens.Add((await jwt.IssueAsync($"user-{i}")).Token);
            Assert.True((await jwt.ValidateAsync(tokens[i])).IsValid);
        }

        // Six first sights through four places: the first two in are the two out.
        Assert.Equal(size, cache.Count);
        Assert.False(cache.TryGetValue(tokens[0], out _));
        Assert.False(cache.TryGetValue(tokens[1], out _));
        Assert.All(tokens.Skip(2), token => Assert.True(cache.TryGetValue(token, out _)));
    }

    [Fact]
    public async Task A_cache_larger_than_its_first_ring_grows_to_its_size_then_keeps_the_newest()
    {
        const int size = 2_500; // above the ring's first allocation (1,024): it grows twice, then goes round
        using var jwt = JwtHarness.Hs256();
        var token = (await jwt.IssueAsync("alice")).Token;
        Assert.True((await jwt.ValidateAsync(token)).IsValid);
        Assert.True(CacheOf(jwt).TryGetValue(token, out var validated));
        var cache = new ValidatedTokenCache(size);
        var keys = Enumerable.Range(0, 6_000).Select(static i => $"header.payload.{i}").ToList();

        foreach (var key in keys)
        {
            cache.Add(key, validated);
            Assert.InRange(cache.Count, 1, size);
        }

        Assert.Equal(size, cache.Count);
        Assert.All(keys.Take(keys.Count - size), key => Assert.False(cache.TryGetValue(key, out _)));
        Assert.All(keys.Skip(keys.Count - size), key => Assert.True(cache.TryGetValue(key, out _)));
    }

    [Fact]
    public async Task An_expired_entry_leaves_the_cache_on_its_next_hit()
    {
        using var jwt = JwtHarness.Hs256(options => options.CacheSize = 4);
        var cache = CacheOf(jwt);
        var shortLived = (await jwt.Issuer.IssueAsync(new TokenRequest("short", ["user"]) { Lifetime = TimeSpan.FromMinutes(1) })).Token;
        var longLived = (await jwt.IssueAsync("long")).Token;
        Assert.True((await jwt.ValidateAsync(shortLived)).IsValid);
        Assert.True((await jwt.ValidateAsync(longLived)).IsValid);
        Assert.Equal(2, cache.Count);

        jwt.Time.Advance(TimeSpan.FromMinutes(2)); // past the minute and the default 30 s of skew

        Assert.Equal(TokenRejectionReason.Expired, await jwt.ReasonAsync(shortLived));
        Assert.False(cache.TryGetValue(shortLived, out _));
        Assert.True(cache.TryGetValue(longLived, out _));
        Assert.Equal(1, cache.Count);
    }

    [Fact]
    public async Task A_token_cached_again_after_removal_is_not_dropped_when_its_first_place_comes_round()
    {
        const int size = 3;
        using var jwt = JwtHarness.Hs256(options => options.CacheSize = size);
        var cache = CacheOf(jwt);
        var first = (await jwt.IssueAsync("first")).Token;
        var second = (await jwt.IssueAsync("second")).Token;
        Assert.True((await jwt.ValidateAsync(first)).IsValid);  // place 0
        Assert.True((await jwt.ValidateAsync(second)).IsValid); // place 1
        cache.Remove(first);
        Assert.True((await jwt.ValidateAsync(first)).IsValid);  // a first sight again: place 2

        var third = (await jwt.IssueAsync("third")).Token;
        Assert.True((await jwt.ValidateAsync(third)).IsValid);  // place 0 again: what it held is gone already

        Assert.Equal(size, cache.Count);
        Assert.True(cache.TryGetValue(first, out _));
        Assert.True(cache.TryGetValue(second, out _));
        Assert.True(cache.TryGetValue(third, out _));

        var fourth = (await jwt.IssueAsync("fourth")).Token;
        Assert.True((await jwt.ValidateAsync(fourth)).IsValid); // place 1: the oldest, second, goes

        Assert.False(cache.TryGetValue(second, out _));
        Assert.True(cache.TryGetValue(first, out _));
        Assert.Equal(size, cache.Count);
    }

    [Fact]
    public async Task Cached_token_with_any_one_character_changed_is_rejected()
    {
        using var jwt = JwtHarness.Hs256();
        var cache = CacheOf(jwt);
        var token = (await jwt.IssueAsync("alice", "user", "admin")).Token;
        var first = await jwt.ValidateAsync(token);
        Assert.True(first.IsValid);
        Assert.True(cache.TryGetValue(token, out _));

        for (var index = 0; index < token.Length; index++)
        {
            var chars = token.ToCharArray();
            var original = chars[index];
            // Another base64url character; the top bit of the last signature character is always significant.
            chars[index] = original == '.' ? 'A' : Alphabet[Alphabet.IndexOf(original, StringComparison.Ordinal) ^ 0b10_0000];
            var changed = new string(chars);

            var outcome = await jwt.ValidateAsync(changed);

            Assert.False(outcome.IsValid, $"changed at {index} of {token.Length}: still valid");
            Assert.NotEqual(TokenRejectionReason.None, outcome.Reason);
            Assert.False(cache.TryGetValue(changed, out _));
        }

        var again = await jwt.ValidateAsync(token);
        Assert.True(again.IsValid);
        Assert.Same(first.Identity, again.Identity); // the original is still a hit
    }

    private static ValidatedTokenCache CacheOf(JwtHarness jwt) =>
        ((JwtTokenProvider)jwt.Services.GetRequiredService<ITokenProvider>()).Cache ?? throw new InvalidOperationException("The provider has no cache.");
}
