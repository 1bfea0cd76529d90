namespace RxInfer.Models;

/// <summary>
/// One asynchronous lock per instance (keyed by owner and id, so a caller naming another owner's instance never
/// waits on it), held while an operation reads the instance, runs the runtime and writes the result: calls on one
/// instance run one at a time in this process, calls on different instances in parallel. A lock exists only while
/// someone holds or waits for it. Across processes, the store's version check keeps results from overwriting each other.
/// </summary>
internal sealed class InstanceLocks
{
    private readonly Dictionary<(string Owner, Guid Id), Gate> _gates = [];
    private readonly Lock _sync = new();

    /// <summary>Waits for the instance's lock; dispose the result to release it.</summary>
    public async ValueTask<Releaser> AcquireAsync(string ownerSubject, Guid instanceId, CancellationToken cancellationToken)
    {
        var key = (ownerSubject, instanceId);
        Gate gate;
        lock (_sync)
        {
            if (!_gates.TryGetValue(key, out gate!))
            {
                gate = new Gate();
                _gates.Add(key, gate);
            }

            gate.Users++;
        }

        try
        {
            await gate.Semaphore.WaitAsync(cancellationToken).ConfigureAwait(false);
        }
        catch
        {
            Leave(key, gate);
            throw;
        }

        return new Releaser(this, key, gate);
    }

    /// <summary>How many instances have a lock right now (for tests: locks do not outlive their users).</summary>
    internal int Count
    {
        get
        {
            lock (_sync)
            {
                return _gates.Count;
            }
        }
    }

    private void Leave((string Owner, Guid Id) key, Gate gate)
    {
        lock (_sync)
        {
            if (--gate.Users == 0)
            {
                _gates.Remove(key);
                gate.Semaphore.Dispose();
            }
        }
    }

    /// <summary>Releases the lock once.</summary>
    internal struct Releaser : IDisposable
    {
        private InstanceLocks? _owner;
        private readonly (string Owner, Guid Id) _key;
        private readonly Gate _gate;

        internal Releaser(InstanceLocks owner, (string Owner, Guid Id) key, Gate gate)
        {
            _owner = owner;
            _key = key;
            _gate = gate;
        }

        public void Dispose()
        {
            if (_owner is { } owner)
            {
                _owner = null;
                _gate.Semaphore.Release();
                owner.Leave(_key, _gate);
            }
        }
    }

    internal sealed class Gate
    {
        public SemaphoreSlim Semaphore { get; } = new(1, 1);

        public int Users { get; set; }
    }
}
