using System.Collections.Concurrent;

namespace RxInfer.Models;

/// <summary>
/// The default store: instances in memory, lost when the process ends. Safe under concurrent use; every operation
/// completes synchronously and costs in proportion to the owner's own instances. Reads take no lock; adds and
/// removals take one, so an owner's entry can be dropped with its last instance without losing a concurrent add.
/// </summary>
internal sealed class InMemoryModelInstanceStore : IModelInstanceStore
{
    private readonly ConcurrentDictionary<Guid, Entry> _byId = new();
    private readonly ConcurrentDictionary<string, ConcurrentDictionary<Guid, Entry>> _byOwner = new(StringComparer.Ordinal);
    private readonly Lock _writes = new();
    private long _sequence;

    public ValueTask AddAsync(ModelInstance instance, CancellationToken cancellationToken = default)
    {
        ArgumentNullException.ThrowIfNull(instance);
        cancellationToken.ThrowIfCancellationRequested();
        lock (_writes)
        {
            var entry = new Entry(++_sequence, instance);
            if (!_byId.TryAdd(instance.InstanceId, entry))
            {
                throw new InvalidOperationException($"An instance with id {instance.InstanceId} is stored already.");
            }

            _byOwner.GetOrAdd(instance.OwnerSubject, static _ => new ConcurrentDictionary<Guid, Entry>())
                .TryAdd(instance.InstanceId, entry);
        }

        return ValueTask.CompletedTask;
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
            }
        }

        return ValueTask.FromResult(true);
    }

    /// <summary>How many owners have at least one instance (for tests: owners leave with their last instance).</summary>
    internal int OwnerCount => _byOwner.Count;

    private sealed record Entry(long Sequence, ModelInstance Instance);
}
