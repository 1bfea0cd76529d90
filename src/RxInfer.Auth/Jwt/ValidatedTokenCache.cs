using System.Collections.Concurrent;
using System.Diagnostics.CodeAnalysis;

namespace RxInfer.Auth;

/// <summary>
/// The JWT provider's bounded cache of validated tokens, keyed by the full token text. A
/// <see cref="ConcurrentDictionary{TKey,TValue}"/> whose key comparer hashes only the signature segment (the text
/// after the last '.', with the per-process randomized string hash) and compares the whole text, ordinal: a token
/// that differs from a cached one in any character, header and payload included, never hits and goes through the
/// full validation. Hashing the signature alone is enough to spread the keys: entries are only tokens whose
/// signature was verified, so nobody without the signing key can choose colliding ones.
/// </summary>
/// <remarks>
/// <para>Bound and eviction: at most <c>capacity</c> entries. When an add finds the cache full, the entries
/// expired at that moment (the cached <c>exp</c> plus the skew, against the injected <see cref="TimeProvider"/>) are
/// dropped first, but that pass over every entry runs at most once per <see cref="ExpiredScanInterval"/>; then, if
/// less than a tenth of the capacity is free, arbitrary entries (the first ones the dictionary enumerates) are dropped
/// until a tenth is free. That second pass stops as soon as a tenth is free, and as it empties the start of the
/// dictionary's buckets, it tends to drop entries added since the last eviction and keep the long-held ones: under a
/// flood of tokens seen once, the newcomers churn (and die young, cheap for the GC) while the entries that were hit
/// stay. Measured end to end (benchmarks/README.md), first-in-first-out and random replacement both did worse: with
/// more rotating tokens than places they kept almost none, and every entry lived long enough to reach the oldest GC
/// generation, several microseconds of GC pause per request. No timer, no background work, no real clock; the eviction runs
/// on the thread of the add that found the cache full, one at a time. Under concurrent adds the count can pass the
/// capacity by at most the number of threads adding at that moment.</para>
/// <para>A hit (<see cref="TryGetValue"/>) is one dictionary lookup: no clock read, no allocation. Expiry and
/// revocation are the provider's to re-check on every hit.</para>
/// </remarks>
internal sealed class ValidatedTokenCache
{
    private readonly ConcurrentDictionary<string, ValidatedToken> _entries;
    private readonly int _capacity;
    private readonly int _batch;
    private readonly TimeProvider _timeProvider;
    private readonly TimeSpan _skew;
    private readonly Lock _evictionLock = new();
    private DateTimeOffset _lastExpiredScan = DateTimeOffset.MinValue;
    private int _count;

    /// <summary>How often at most an eviction looks at every entry for expired ones: 1 minute.</summary>
    internal static readonly TimeSpan ExpiredScanInterval = TimeSpan.FromMinutes(1);

    public ValidatedTokenCache(int capacity, TimeProvider timeProvider, TimeSpan skew)
    {
        ArgumentOutOfRangeException.ThrowIfLessThan(capacity, 1);
        _capacity = capacity;
        _batch = Math.Max(1, capacity / 10);
        _timeProvider = timeProvider;
        _skew = skew;
        _entries = new ConcurrentDictionary<string, ValidatedToken>(
            Environment.ProcessorCount, Math.Min(capacity, 1 << 16), SignatureHashComparer.Instance);
    }

    /// <summary>The number of entries held.</summary>
    public int Count => Volatile.Read(ref _count);

    public bool TryGetValue(string token, [MaybeNullWhen(false)] out ValidatedToken value) =>
        _entries.TryGetValue(token, out value);

    /// <summary>Adds a validated token, evicting first when the cache is full (see the remarks on the type).</summary>
    public void Add(string token, ValidatedToken value)
    {
        if (Volatile.Read(ref _count) >= _capacity)
        {
            Evict();
        }

        if (_entries.TryAdd(token, value))
        {
            Interlocked.Increment(ref _count);
        }
    }

    public void Remove(string token)
    {
        if (_entries.TryRemove(token, out _))
        {
            Interlocked.Decrement(ref _count);
        }
    }

    public void Clear()
    {
        foreach (var entry in _entries)
        {
            Remove(entry.Key);
        }
    }

    private void Evict()
    {
        lock (_evictionLock)
        {
            var target = _capacity - _batch;
            if (Volatile.Read(ref _count) <= target)
            {
                return; // Another thread has just evicted.
            }

            // Every entry is read here, so not on every eviction: at 1,000 adds an eviction (the default size), a pass
            // per eviction cost more end to end than the validations it saved.
            var now = _timeProvider.GetUtcNow();
            if (now - _lastExpiredScan >= ExpiredScanInterval)
            {
                _lastExpiredScan = now;
                foreach (var entry in _entries)
                {
                    if (now >= entry.Value.Identity.ExpiresAt + _skew)
                    {
                        Remove(entry.Key);
                    }
                }
            }

            if (Volatile.Read(ref _count) <= target)
            {
                return;
            }

            foreach (var entry in _entries)
            {
                Remove(entry.Key);
                if (Volatile.Read(ref _count) <= target)
                {
                    return;
                }
            }
        }
    }

    /// <summary>Hashes the signature segment only; equality is ordinal over the whole text.</summary>
    private sealed class SignatureHashComparer : IEqualityComparer<string>
    {
        public static readonly SignatureHashComparer Instance = new();

        public bool Equals(string? x, string? y) => string.Equals(x, y, StringComparison.Ordinal);

        public int GetHashCode(string obj) => string.GetHashCode(obj.AsSpan(obj.LastIndexOf('.') + 1));
    }
}
