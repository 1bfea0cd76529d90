using System.Collections.Concurrent;
using System.Runtime.CompilerServices;

namespace RxInfer.Models;

/// <summary>
/// The default store: instances in memory, lost when the process ends. Safe under concurrent use; every operation
/// completes synchronously and costs in proportion to the owner's own instances (the retention sweep, to the owners).
/// Reads and retention extensions take no lock; adds and removals take one, so the limits hold under concurrent adds
/// and an owner's entries (instances and retention) can be dropped with its last instance without losing a concurrent add.
/// </summary>
internal sealed class InMemoryModelInstanceStore : IModelInstanceStore
{
    private readonly ConcurrentDictionary<Guid, Entry> _byId = new();
    private readonly ConcurrentDictionary<string, ConcurrentDictionary<Guid, Entry>> _byOwner = new(StringComparer.Ordinal);
    private readonly ConcurrentDictionary<string, StrongBox<long>> _retainUntil = new(StringComparer.Ordinal); // UTC ticks, per owner with instances
    private readonly Lock _writes = new();
    private long _sequence;

    public ValueTask<InstanceAddResult> AddAsync(ModelInstance instance, InstanceLimits limits, DateTimeOffset retainUntil, CancellationToken cancellationToken = default)
    {
        ArgumentNullException.ThrowIfNull(instance);
        cancellationToken.ThrowIfCancellationRequested();
        lock (_writes)
        {
            if (_byId.ContainsKey(instance.InstanceId))
            {
                throw new InvalidOperationException($"An instance with id {instance.InstanceId} is stored already.");
            }

            _byOwner.TryGetValue(instance.OwnerSubject, out var owned);
            if (limits.MaxInstancesPerOwner > 0 && owned is not null && owned.Count >= limits.MaxInstancesPerOwner)
            {
                return ValueTask.FromResult(InstanceAddResult.OwnerLimitReached);
            }

            if (limits.MaxInstances > 0 && _byId.Count >= limits.MaxInstances)
            {
                return ValueTask.FromResult(InstanceAddResult.StoreFull);
            }

            var entry = new Entry(++_sequence, instance);
            _byId[instance.InstanceId] = entry;
            _byOwner.GetOrAdd(instance.OwnerSubject, static _ => new ConcurrentDictionary<Guid, Entry>())
                .TryAdd(instance.InstanceId, entry);
            ExtendTo(_retainUntil.GetOrAdd(instance.OwnerSubject, static _ => new StrongBox<long>(long.MinValue)), retainUntil.UtcTicks);
        }

        return ValueTask.FromResult(InstanceAddResult.Added);
    }

    public ValueTask<ModelInstance?> GetAsync(string ownerSubject, Guid instanceId, CancellationToken cancellationToken = default)
    {
        ArgumentNullException.ThrowIfNull(ownerSubject);
        cancellationToken.ThrowIfCancellationRequested();
        return ValueTask.FromResult(
            _byOwner.TryGetValue(ownerSubject, out var instances) && instances.TryGetValue(instanceId, out var entry)
                ? entry.Instance
                : null);
    }

    public ValueTask<IReadOnlyList<ModelInstance>> ListAsync(string ownerSubject, CancellationToken cancellationToken = default)
    {
        ArgumentNullException.ThrowIfNull(ownerSubject);
        cancellationToken.ThrowIfCancellationRequested();
        if (!_byOwner.TryGetValue(ownerSubject, out var instances))
        {
            return ValueTask.FromResult<IReadOnlyList<ModelInstance>>([]);
        }

        var entries = instances.Values.ToArray();
        Array.Sort(entries, static (a, b) => a.Sequence.CompareTo(b.Sequence));
        var result = new ModelInstance[entries.Length];
        for (var i = 0; i < entries.Length; i++)
        {
            result[i] = entries[i].Instance;
        }

        return ValueTask.FromResult<IReadOnlyList<ModelInstance>>(result);
    }

    public ValueTask<bool> RemoveAsync(string ownerSubject, Guid instanceId, CancellationToken cancellationToken = default)
    {
        ArgumentNullException.ThrowIfNull(ownerSubject);
        cancellationToken.ThrowIfCancellationRequested();
        lock (_writes)
        {
            if (!_byOwner.TryGetValue(ownerSubject, out var instances) || !instances.TryRemove(instanceId, out _))
            {
                return ValueTask.FromResult(false);
            }

            _byId.TryRemove(instanceId, out _);
            if (instances.IsEmpty)
            {
                _byOwner.TryRemove(ownerSubject, out _);
                _retainUntil.TryRemove(ownerSubject, out _);
            }
        }

        return ValueTask.FromResult(true);
    }

    public ValueTask ExtendRetentionAsync(string ownerSubject, DateTimeOffset retainUntil, CancellationToken cancellationToken = default)
    {
        ArgumentNullException.ThrowIfNull(ownerSubject);
        cancellationToken.ThrowIfCancellationRequested();
        if (_retainUntil.TryGetValue(ownerSubject, out var recorded))
        {
            ExtendTo(recorded, retainUntil.UtcTicks);
        }

        return ValueTask.CompletedTask;
    }

    public ValueTask<int> RemoveExpiredAsync(DateTimeOffset now, CancellationToken cancellationToken = default)
    {
        cancellationToken.ThrowIfCancellationRequested();
        var nowTicks = now.UtcTicks;
        var removed = 0;
        foreach (var (owner, recorded) in _retainUntil)
        {
            if (Volatile.Read(ref recorded.Value) >= nowTicks)
            {
                continue;
            }

            lock (_writes)
            {
                // Checked again under the lock (the owner's last removal and a new first add may have come in between),
                // and claimed with a compare-and-swap, so an extension that lands first keeps the owner's instances and
                // one that lands later finds the owner gone (as if it came after the removal).
                var observed = Volatile.Read(ref recorded.Value);
                if (!_retainUntil.TryGetValue(owner, out var current) || current != recorded || observed >= nowTicks
                    || Interlocked.CompareExchange(ref recorded.Value, long.MinValue, observed) != observed)
                {
                    continue;
                }

                _retainUntil.TryRemove(owner, out _);
                if (_byOwner.TryRemove(owner, out var instances))
                {
                    foreach (var id in instances.Keys)
                    {
                        _byId.TryRemove(id, out _);
                        removed++;
                    }
                }
            }
        }

        return ValueTask.FromResult(removed);
    }

    /// <summary>How many owners have at least one instance (for tests: owners leave with their last instance).</summary>
    internal int OwnerCount => _byOwner.Count;

    /// <summary>Raises <paramref name="recorded"/> to <paramref name="ticks"/> unless it is later already (lock-free).</summary>
    private static void ExtendTo(StrongBox<long> recorded, long ticks)
    {
        var current = Volatile.Read(ref recorded.Value);
        while (current < ticks)
        {
            var seen = Interlocked.CompareExchange(ref recorded.Value, ticks, current);
            if (seen == current)
            {
                return;
            }

            current = seen;
        }
    }

    private sealed record Entry(long Sequence, ModelInstance Instance);
}
