using System.Collections.Concurrent;

namespace RxInfer.Models;

/// <summary>
/// The default store: instances in memory, lost when the process ends. Safe under concurrent use; every operation
/// completes synchronously and costs in proportion to the owner's own instances.
/// </summary>
internal sealed class InMemoryModelInstanceStore : IModelInstanceStore
{
    private readonly ConcurrentDictionary<Guid, Entry> _byId = new();
    private readonly ConcurrentDictionary<string, ConcurrentDictionary<Guid, Entry>> _byOwner = new(StringComparer.Ordinal);
    private long _sequence;

    public ValueTask AddAsync(ModelInstance instance, CancellationToken cancellationToken = default)
    {
        ArgumentNullException.ThrowIfNull(instance);
        cancellationToken.ThrowIfCancellationRequested();
        var entry = new Entry(Interlocked.Increment(ref _sequence), instance);
        if (!_byId.TryAdd(instance.InstanceId, entry))
        {
            throw new InvalidOperationException($"An instance with id {instance.InstanceId} is stored already.");
        }

        _byOwner.GetOrAdd(instance.OwnerSubject, static _ => new ConcurrentDictionary<Guid, Entry>())
            .TryAdd(instance.InstanceId, entry);
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
        if (_byOwner.TryGetValue(ownerSubject, out var instances) && instances.TryRemove(instanceId, out _))
        {
            _byId.TryRemove(instanceId, out _);
            return ValueTask.FromResult(true);
        }

        return ValueTask.FromResult(false);
    }

    private sealed record Entry(long Sequence, ModelInstance Instance);
}
