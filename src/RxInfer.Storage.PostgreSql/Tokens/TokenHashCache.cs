using System.Collections.Concurrent;
using System.Diagnostics.CodeAnalysis;
using RxInfer.Auth;

namespace RxInfer.Storage.PostgreSql;

/// <summary>
/// The node-local bounded cache of access tokens found in the database, by hash. A hit is one dictionary lookup; the
/// token provider re-checks expiry on every hit. Every removal (a revocation applied, or the whole cache emptied)
/// advances <see cref="Epoch"/>, and a lookup adds its result only if the epoch is still the one it read before asking
/// the database (<see cref="AddIfUnchanged"/>): a lookup in flight when a revocation was applied can never put the
/// revoked token back. Adds and removals take one lock (both are rare next to hits); hits take none.
/// </summary>
/// <remarks>
/// When an add finds the cache full, entries expired by then are dropped first, then arbitrary ones until a tenth of
/// the capacity is free.
/// </remarks>
internal sealed class TokenHashCache(int capacity)
{
    private readonly ConcurrentDictionary<TokenHash, TokenIdentity> _entries = new(Environment.ProcessorCount, Math.Min(Math.Max(capacity, 1), 1 << 16));
    private readonly Lock _lock = new();
    private long _epoch;
    private int _count; // kept under _lock: ConcurrentDictionary.Count takes every one of its locks

    /// <summary>The number of cached tokens.</summary>
    public int Count => Volatile.Read(ref _count);

    /// <summary>Advances with every removal; read it before a lookup and pass it to <see cref="AddIfUnchanged"/>.</summary>
    public long Epoch => Volatile.Read(ref _epoch);

    public bool TryGet(TokenHash hash, [MaybeNullWhen(false)] out TokenIdentity identity) => _entries.TryGetValue(hash, out identity);

    /// <summary>Adds a token found in the database, unless something was removed since <paramref name="epoch"/> was read.</summary>
    /// <returns>Whether it was added.</returns>
    public bool AddIfUnchanged(TokenHash hash, TokenIdentity identity, long epoch, DateTimeOffset now)
    {
        lock (_lock)
        {
            if (capacity == 0 || _epoch != epoch || identity.IsExpiredAt(now))
            {
                return false;
            }

            if (_count >= capacity)
            {
                Evict(now);
            }

            if (_entries.TryAdd(hash, identity))
            {
                Volatile.Write(ref _count, _count + 1);
            }
            else
            {
                _entries[hash] = identity;
            }

            return true;
        }
    }

    /// <summary>Removes the given tokens (revoked) and advances the epoch.</summary>
    public void Remove(IEnumerable<TokenHash> hashes)
    {
        lock (_lock)
        {
            _epoch++;
            foreach (var hash in hashes)
            {
                RemoveOne(hash);
            }
        }
    }

    /// <summary>Removes every token and advances the epoch.</summary>
    public void Clear()
    {
        lock (_lock)
        {
            _epoch++;
            _entries.Clear();
            Volatile.Write(ref _count, 0);
        }
    }

    private void Evict(DateTimeOffset now)
    {
        var target = capacity - Math.Max(1, capacity / 10);
        foreach (var entry in _entries)
        {
            if (entry.Value.IsExpiredAt(now))
            {
                RemoveOne(entry.Key);
            }
        }

        foreach (var entry in _entries)
        {
            if (_count <= target)
            {
                return;
            }

            RemoveOne(entry.Key);
        }
    }

    /// <summary>Removes one token; the caller holds <c>_lock</c>.</summary>
    private void RemoveOne(TokenHash hash)
    {
        if (_entries.TryRemove(hash, out _))
        {
            Volatile.Write(ref _count, _count - 1);
        }
    }
}
