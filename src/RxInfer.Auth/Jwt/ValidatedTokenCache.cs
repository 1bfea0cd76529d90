using System.Diagnostics.CodeAnalysis;
using RxInfer.Caching;

namespace RxInfer.Auth;

/// <summary>
/// The JWT provider's bounded cache of validated tokens, keyed by the full token text: a
/// <see cref="BoundedCache{TKey,TValue}"/> whose key comparer hashes only the signature segment (the text after
/// the last '.', with the per-process randomized string hash) and compares the whole text, ordinal: a token that
/// differs from a cached one in any character, header and payload included, never hits and goes through the full
/// validation. Hashing the signature alone is enough to spread the keys: entries are only tokens whose signature was
/// verified, so nobody without the signing key can choose colliding ones.
/// </summary>
/// <remarks>
/// <para>Bound and eviction: at most <c>capacity</c> entries; an add to a full cache drops one entry chosen at random
/// (why random, not oldest-first: see <see cref="BoundedCache{TKey,TValue}"/>), one removal and one insertion whatever
/// the cache holds (no scan, no timer, no clock read). An expired entry leaves on its next hit (the provider re-checks
/// expiry and revocation on every hit and removes what fails) or when an add picks it.</para>
/// <para>A hit (<see cref="TryGetValue"/>) is one dictionary lookup: no clock read, no lock, no allocation.</para>
/// </remarks>
internal sealed class ValidatedTokenCache(int capacity)
{
    private readonly BoundedCache<string, ValidatedToken> _entries = new(capacity, SignatureHashComparer.Instance);

    /// <summary>The number of entries held.</summary>
    public int Count => _entries.Count;

    public bool TryGetValue(string token, [MaybeNullWhen(false)] out ValidatedToken value) => _entries.TryGetValue(token, out value);

    /// <summary>Adds a validated token, dropping one entry at random when the cache is full.</summary>
    public void Add(string token, ValidatedToken value) => _entries.Add(token, value);

    public void Remove(string token) => _entries.Remove(token);

    public void Clear() => _entries.Clear();

    /// <summary>Hashes the signature segment only; equality is ordinal over the whole text.</summary>
    private sealed class SignatureHashComparer : IEqualityComparer<string>
    {
        public static readonly SignatureHashComparer Instance = new();

        public bool Equals(string? x, string? y) => string.Equals(x, y, StringComparison.Ordinal);

        public int GetHashCode(string obj) => string.GetHashCode(obj.AsSpan(obj.LastIndexOf('.') + 1));
    }
}
