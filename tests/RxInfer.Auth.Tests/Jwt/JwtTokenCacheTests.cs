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
    public async Task A_full_cache_drops_one_entry_for_each_new_one_and_keeps_the_new_one()
    {
        const int size = 4;
        using var jwt = JwtHarness.Hs256(options => options.CacheSize = size);
        var cache = CacheOf(jwt);
        var tokens = new List<string>();
        for (var i = 0; i < size + 2; i++)
        {
            tokens.Add((await jwt.IssueAsync($"user-{i}")).Token);
            Assert.True((await jwt.ValidateAsync(tokens[i])).IsValid);
            Assert.True(cache.TryGetValue(tokens[i], out _)); // the token just validated is always cached
        }

        // Six first sights through four places: two entries went, whichever the random choice picked.
        Assert.Equal(size, cache.Count);
        Assert.Equal(2, tokens.Count(token => !cache.TryGetValue(token, out _)));
    }

    [Fact]
    public async Task A_cache_larger_than_its_first_allocation_fills_to_its_size_and_stays_there()
    {
        const int size = 2_500; // above the first allocation of places (1,024): it grows twice, then replaces
        using var jwt = JwtHarness.Hs256();
        var token = (await jwt.IssueAsync("alice")).Token;
        Assert.True((await jwt.ValidateAsync(token)).IsValid);
        Assert.True(CacheOf(jwt).TryGetValue(token, out var validated));
        var cache = new ValidatedTokenCache(size);
        var keys = Enumerable.Range(0, 6_000).Select(static i => $"header.payload.{i}").ToList();

        for (var i = 0; i < keys.Count; i++)
        {
            cache.Add(keys[i], validated);
            Assert.True(cache.TryGetValue(keys[i], out _));
            Assert.Equal(Math.Min(i + 1, size), cache.Count); // every place is used before any entry is dropped
        }

        Assert.Equal(size, keys.Count(key => cache.TryGetValue(key, out _)));
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
    public async Task Under_random_adds_and_removals_the_count_is_what_the_cache_holds_and_never_above_its_size()
    {
        const int size = 8;
        using var jwt = JwtHarness.Hs256();
        var token = (await jwt.IssueAsync("alice")).Token;
        Assert.True((await jwt.ValidateAsync(token)).IsValid);
        Assert.True(CacheOf(jwt).TryGetValue(token, out var validated));
        var cache = new ValidatedTokenCache(size);
        var keys = Enumerable.Range(0, 20).Select(static i => $"header.payload.{i}").ToArray();
        var random = new Random(20261129); // fixed: the same run every time

        for (var step = 0; step < 20_000; step++)
        {
            var key = keys[random.Next(keys.Length)];
            if (random.Next(3) == 0)
            {
                cache.Remove(key);
                Assert.False(cache.TryGetValue(key, out _));
            }
            else
            {
                // A key removed and cached again gets a new entry: a place that held its old one must not drop it.
                var entry = random.Next(2) == 0 ? validated : new ValidatedToken(validated.Identity, validated.IssuedAt);
                cache.Add(key, entry);
                Assert.True(cache.TryGetValue(key, out _));
            }

            Assert.InRange(cache.Count, 0, size);
            Assert.Equal(keys.Count(k => cache.TryGetValue(k, out _)), cache.Count);
        }
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
