using System.Diagnostics.CodeAnalysis;
using RxInfer.Auth;
using RxInfer.Caching;

namespace RxInfer.Storage.PostgreSql;

/// <summary>
/// The node-local bounded cache of access tokens found in the database, by hash. A hit is one dictionary lookup; the
/// token provider re-checks expiry on every hit. Every removal (a revocation applied, or the whole cache emptied)
/// advances <see cref="Epoch"/>, and a lookup adds its result only if the epoch is still the one it read before asking
/// the database (<see cref="AddIfUnchanged"/>): a lookup in flight when a revocation was applied can never put the
/// revoked token back. Adds and removals take one lock (both are rare next to hits); hits take none.
/// </summary>
/// <remarks>
/// At most <c>capacity</c> tokens (<see cref="BoundedCache{TKey,TValue}"/>): an add to a full cache drops one entry
/// chosen at random, with no scan of the others; an expired entry leaves on its next hit or when an add picks it. A
/// capacity of 0 caches nothing.
/// </remarks>
internal sealed class TokenHashCache(int capacity)
{
    private readonly BoundedCache<TokenHash, TokenIdentity>? _entries = capacity > 0 ? new(capacity) : null;
    private readonly Lock _lock = new();
    private long _epoch;

    /// <summary>The number of cached tokens.</summary>
    public int Count => _entries?.Count ?? 0;

    /// <summary>Advances with every removal; read it before a lookup and pass it to <see cref="AddIfUnchanged"/>.</summary>
    public long Epoch => Volatile.Read(ref _epoch);

    public bool TryGet(TokenHash hash, [MaybeNullWhen(false)] out TokenIdentity identity)
    {
        if (_entries is null)
        {
            identity = null;
            return false;
        }

        return _entries.TryGetValue(hash, out identity);
    }

    /// <summary>Adds a token found in the database, unless something was removed since <paramref name="epoch"/> was read.</summary>
    /// <returns>Whether it was added (a token cached already keeps its entry: a hash's identity never changes).</returns>
    public bool AddIfUnchanged(TokenHash hash, TokenIdentity identity, long epoch, DateTimeOffset now)
    {
        lock (_lock)
        {
            if (_entries is null || _epoch != epoch || identity.IsExpiredAt(now))
            {
                return false;
            }

            return _entries.Add(hash, identity);
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
                _entries?.Remove(hash);
            }
        }
    }

    /// <summary>Removes every token and advances the epoch.</summary>
    public void Clear()
    {
        lock (_lock)
        {
            _epoch++;
            _entries?.Clear();
        }
    }
}
