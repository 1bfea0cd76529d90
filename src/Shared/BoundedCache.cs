using System.Collections.Concurrent;
using System.Diagnostics.CodeAnalysis;
using System.Security.Cryptography;

namespace RxInfer.Caching;

/// <summary>
/// A bounded cache for hot-path lookups: a <see cref="ConcurrentDictionary{TKey,TValue}"/> for hits (no lock, no
/// allocation) and, for the bound, an array of <c>capacity</c> slots (allocated as it fills). While the cache fills,
/// each add takes the next free slot; once full, each add takes a slot at random and drops the entry that slot held,
/// if it is still cached (random replacement): one removal and one insertion per add whatever the cache holds, with
/// no scan of the entries, no timer and no clock. Random rather than first-in-first-out: when clients cycle through
/// more tokens than the cache holds, oldest-first keeps none of them (every request a miss), and every entry lives
/// exactly long enough to reach the oldest GC generation before it dies (measured end to end: several microseconds of
/// GC pause per request); a random victim keeps part of the cycle cached and lets many entries die young. Adds are
/// serialised by one lock; lookups and removals take none. The count never exceeds the capacity.
/// </summary>
/// <typeparam name="TKey">The key.</typeparam>
/// <typeparam name="TValue">The value: a reference, compared by identity when its slot is taken (a key removed and
/// cached again since has another slot, so its first slot does not drop it).</typeparam>
internal sealed class BoundedCache<TKey, TValue>
    where TKey : notnull
    where TValue : class
{
    private const int FirstSize = 1024;

    private readonly ConcurrentDictionary<TKey, TValue> _entries;
    private readonly int _capacity;
    private readonly Lock _addLock = new();
    private KeyValuePair<TKey, TValue>[] _slots;
    private int _next;
    private int _count;

    public BoundedCache(int capacity, IEqualityComparer<TKey>? comparer = null)
    {
        ArgumentOutOfRangeException.ThrowIfLessThan(capacity, 1);
        _capacity = capacity;
        _slots = new KeyValuePair<TKey, TValue>[Math.Min(capacity, FirstSize)];
        _entries = new ConcurrentDictionary<TKey, TValue>(Environment.ProcessorCount, Math.Min(capacity, 1 << 16), comparer);
    }

    /// <summary>The number of entries held.</summary>
    public int Count => Volatile.Read(ref _count);

    public bool TryGetValue(TKey key, [MaybeNullWhen(false)] out TValue value) => _entries.TryGetValue(key, out value);

    /// <summary>Adds an entry in the next free slot, or when full in a random one whose entry it drops; a key cached already keeps its entry.</summary>
    /// <returns>Whether the entry was added.</returns>
    public bool Add(TKey key, TValue value)
    {
        lock (_addLock)
        {
            int slot;
            if (_next < _slots.Length)
            {
                slot = _next++;
            }
            else if (_slots.Length < _capacity)
            {
                Array.Resize(ref _slots, (int)Math.Min(2L * _slots.Length, _capacity)); // still filling: nothing to drop yet
                slot = _next++;
            }
            else
            {
                slot = RandomNumberGenerator.GetInt32(_slots.Length); // full: a victim nobody can predict or steer
            }

            var victim = _slots[slot];
            if (victim.Value is not null && _entries.TryRemove(victim))
            {
                Interlocked.Decrement(ref _count);
            }

            if (!_entries.TryAdd(key, value))
            {
                _slots[slot] = default; // cached already: its entry has a slot of its own
                return false;
            }

            Interlocked.Increment(ref _count);
            _slots[slot] = new(key, value);
            return true;
        }
    }

    /// <summary>Removes the entry of <paramref name="key"/>, if any (its slot keeps a stale pair until an add takes it).</summary>
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
            Array.Clear(_slots);
            _next = 0;
            foreach (var entry in _entries)
            {
                Remove(entry.Key);
            }
        }
    }
}
