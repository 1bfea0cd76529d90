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
    public async Task Cache_drops_expired_entries_before_live_ones_when_full()
    {
        const int size = 10;
        using var jwt = JwtHarness.Hs256(options => options.CacheSize = size);
        var cache = CacheOf(jwt);
        var (shortLived, longLived) = await FillHalfShortLivedAsync(jwt, size);
        jwt.Time.Advance(TimeSpan.FromMinutes(2));

        var next = await CacheAsync(jwt, "next");

        Assert.All(shortLived, token => Assert.False(cache.TryGetValue(token, out _)));
        Assert.All(longLived, token => Assert.True(cache.TryGetValue(token, out _)));
        Assert.True(cache.TryGetValue(next, out _));
    }

    [Fact]
    public async Task An_expired_entry_leaves_the_cache_on_its_next_hit()
    {
        using var jwt = JwtHarness.Hs256(options => options.CacheSize = 4);
        var cache = CacheOf(jwt);
        var shortLived = await CacheShortLivedAsync(jwt, "short");
        var longLived = await CacheAsync(jwt, "long");
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
        var cache = new ValidatedTokenCache(size, jwt.Time, TimeSpan.FromSeconds(30));
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
                var entry = random.Next(2) == 0 ? validated : new ValidatedToken(validated.Identity, validated.IssuedAt);
                cache.Add(key, entry);
                Assert.True(cache.TryGetValue(key, out _));
            }

            Assert.InRange(cache.Count, 0, size);
            Assert.Equal(keys.Count(k => cache.TryGetValue(k, out _)), cache.Count);
        }
    }

    [Fact]
    public async Task A_full_cache_looks_for_expired_entries_at_most_once_a_minute()
    {
        const int size = 10;
        using var jwt = JwtHarness.Hs256(options => options.CacheSize = size);
        var cache = CacheOf(jwt);
        var (shortLived, _) = await FillHalfShortLivedAsync(jwt, size);

        jwt.Time.Advance(TimeSpan.FromSeconds(50));
        await CacheAsync(jwt, "a"); // full: a pass over every entry (none expired yet: 60 s of lifetime + 30 s of skew), one dropped

        jwt.Time.Advance(TimeSpan.FromSeconds(45)); // 95 s: the short-lived ones are expired; 45 s since the pass
        await CacheAsync(jwt, "b"); // full: no pass yet, one dropped

        Assert.Equal(size, cache.Count);
        Assert.InRange(shortLived.Count(token => cache.TryGetValue(token, out _)), 3, 5); // expired, still held

        jwt.Time.Advance(TimeSpan.FromSeconds(20)); // 65 s since the pass
        await CacheAsync(jwt, "c"); // full: a pass, every expired entry goes

        Assert.All(shortLived, token => Assert.False(cache.TryGetValue(token, out _)));
        Assert.InRange(cache.Count, 4, size);
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

    /// <summary>Issues <paramref name="subject"/> a token that expires in a minute and validates it, so it is cached.</summary>
    /// <summary>Fills a cache of <paramref name="size"/> entries: half tokens of one minute, half of the default lifetime.</summary>
    private static async Task<(List<string> ShortLived, List<string> LongLived)> FillHalfShortLivedAsync(JwtHarness jwt, int size)
    {
        var shortLived = new List<string>();
        var longLived = new List<string>();
        for (var i = 0; i < size / 2; i++)
        {
            shortLived.Add(await CacheShortLivedAsync(jwt, $"short-{i}"));
            longLived.Add(await CacheAsync(jwt, $"long-{i}"));
        }

        Assert.Equal(size, CacheOf(jwt).Count);
        return (shortLived, longLived);
    }

    /// <summary>Issues a token of the default lifetime and validates it, which caches it.</summary>
    private static async Task<string> CacheAsync(JwtHarness jwt, string subject)
    {
        var token = (await jwt.IssueAsync(subject)).Token;
        Assert.True((await jwt.ValidateAsync(token)).IsValid);
        return token;
    }

    private static async Task<string> CacheShortLivedAsync(JwtHarness jwt, string subject)
    {
        var token = (await jwt.Issuer.IssueAsync(new TokenRequest(subject, ["user"]) { Lifetime = TimeSpan.FromMinutes(1) })).Token;
        Assert.True((await jwt.ValidateAsync(token)).IsValid);
        return token;
    }

    private static ValidatedTokenCache CacheOf(JwtHarness jwt) =>
        ((JwtTokenProvider)jwt.Services.GetRequiredService<ITokenProvider>()).Cache ?? throw new InvalidOperationException("The provider has no cache.");
}
