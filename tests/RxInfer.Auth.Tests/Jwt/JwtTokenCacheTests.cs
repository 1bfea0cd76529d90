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
        var shortLived = new List<string>();
        for (var i = 0; i < size / 2; i++)
        {
            var issued = await jwt.Issuer.IssueAsync(new TokenRequest($"short-{i}", ["user"]) { Lifetime = TimeSpan.FromMinutes(1) });
            shortLived.Add(issued.Token);
            Assert.True((await jwt.ValidateAsync(issued.Token)).IsValid);
        }

        var longLived = new List<string>();
        for (var i = 0; i < size / 2; i++)
        {
            longLived.Add((await jwt.IssueAsync($"long-{i}")).Token);
            Assert.True((await jwt.ValidateAsync(longLived[^1])).IsValid);
        }

        Assert.Equal(size, cache.Count);
        jwt.Time.Advance(TimeSpan.FromMinutes(2));

        var next = (await jwt.IssueAsync("next")).Token;
        Assert.True((await jwt.ValidateAsync(next)).IsValid);

        Assert.All(shortLived, token => Assert.False(cache.TryGetValue(token, out _)));
        Assert.All(longLived, token => Assert.True(cache.TryGetValue(token, out _)));
        Assert.True(cache.TryGetValue(next, out _));
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
