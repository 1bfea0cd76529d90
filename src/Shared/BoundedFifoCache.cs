using System.Collections.Concurrent;
using System.Diagnostics.CodeAnalysis;

namespace RxInfer.Caching;

/// <summary>
/// A bounded cache for hot-path lookups: a <see cref="ConcurrentDictionary{TKey,TValue}"/> for hits (no lock, no
/// allocation) and, for the bound, a ring of <c>capacity</c> slots in insertion order (allocated as it fills). Every add
/// takes the next slot and drops the entry that slot held, if it is still cached: first in, first out, one removal and
/// one insertion per add whatever the cache holds, with no scan of the entries, no timer and no clock. Adds are
/// serialised by one lock; lookups and removals take none. The count never exceeds the capacity.
/// </summary>
/// <typeparam name="TKey">The key.</typeparam>
/// <typeparam name="TValue">The value: a reference, compared by identity when a slot comes round (a key removed and
/// cached again since holds a later slot, so its first slot does not drop it).</typeparam>
internal sealed class BoundedFifoCache<TKey, TValue>
    where TKey : notnull
    where TValue : class
{
    private const int FirstRingSize = 1024;

    private readonly ConcurrentDictionary<TKey, TValue> _entries;
    private readonly int _capacity;
    private readonly Lock _addLock = new();
    private KeyValuePair<TKey, TValue>[] _ring;
    private int _next;
    private int _count;

    public BoundedFifoCache(int capacity, IEqualityComparer<TKey>? comparer = null)
    {
        ArgumentOutOfRangeException.ThrowIfLessThan(capacity, 1);
        _capacity = capacity;
        _ring = new KeyValuePair<TKey, TValue>[Math.Min(capacity, FirstRingSize)];
        _entries = new ConcurrentDictionary<TKey, TValue>(Environment.ProcessorCount, Math.Min(capacity, 1 << 16), comparer);
    }

    /// <summary>The number of entries held.</summary>
    public int Count => Volatile.Read(ref _count);

    public bool TryGetValue(TKey key, [MaybeNullWhen(false)] out TValue value) => _entries.TryGetValue(key, out value);

    /// <summary>Adds an entry in the next slot, dropping the oldest when full; a key cached already keeps its entry.</summary>
    /// <returns>Whether the entry was added.</returns>
    public bool Add(TKey key, TValue value)
    {
        lock (_addLock)
        {
            var slot = _next;
            if (slot == _ring.Length)
            {
                if (_ring.Length < _capacity)
                {
                    Array.Resize(ref _ring, (int)Math.Min(2L * _ring.Length, _capacity)); // still filling: nothing to drop yet
                }
                else
                {
                    slot = 0; // full: round again, oldest first
                }
            }

            _next = slot + 1;
            var oldest = _ring[slot];
            if (oldest.Value is not null && _entries.TryRemove(oldest))
            {
                Interlocked.Decrement(ref _count);
            }

            if (!_entries.TryAdd(key, value))
            {
                _ring[slot] = default; // cached already: its slot is the earlier one
                return false;
            }

            Interlocked.Increment(ref _count);
            _ring[slot] = new(key, value);
            return true;
        }
    }

    /// <summary>Removes the entry of <paramref name="key"/>, if any (its slot is reused when it comes round).</summary>
    /// <returns>Whether an entry was removed.</returns>
    public bool Remove(TKey key)
    {
        if (!_entries.TryRemove(key, out _))
        {
            return false;
        }

        Interlocked.Decrement(ref _count);
        return true;
    }

    /// <summary>Removes every entry.</summary>
    public void Clear()
    {
        lock (_addLock)
        {
            Array.Clear(_ring);
            _next = 0;
            foreach (var entry in _entries)
            {
                Remove(entry.Key);
            }
        }
    }
}
