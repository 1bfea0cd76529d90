namespace RxInfer.Models;

/// <summary>
/// One asynchronous lock per instance (keyed by owner and id, so a caller naming another owner's instance never
/// waits on it), held while an operation reads the instance, runs the runtime and writes the result: calls on one
/// instance run one at a time in this process, calls on different instances in parallel. A lock exists only while
/// someone holds or waits for it. With an <see cref="IModelInstanceLockProvider"/> (a store shared by several processes),
/// the holder of the process's lock then takes that one too, so calls on one instance run one at a time on every node;
/// without one, the store's version check keeps results of other processes from overwriting each other.
/// </summary>
internal sealed class InstanceLocks(IModelInstanceLockProvider? shared = null)
{
    private readonly Dictionary<(string Owner, Guid Id), Gate> _gates = [];
    private readonly Lock _sync = new();

    /// <summary>Waits for the instance's lock (and then for the shared one, if any); dispose the result to release both.</summary>
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

        IAsyncDisposable? sharedLock = null;
        if (shared is not null)
        {
            try
            {
                sharedLock = await shared.AcquireAsync(ownerSubject, instanceId, cancellationToken).ConfigureAwait(false);
            }
            catch
            {
                gate.Semaphore.Release();
                Leave(key, gate);
                throw;
            }
        }

        return new Releaser(this, key, gate, sharedLock);
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

    /// <summary>Releases the locks once: the shared one first, then the process's.</summary>
    internal sealed class Releaser : IAsyncDisposable
    {
        private readonly (string Owner, Guid Id) _key;
        private readonly Gate _gate;
        private readonly IAsyncDisposable? _shared;
        private InstanceLocks? _owner;

        internal Releaser(InstanceLocks owner, (string Owner, Guid Id) key, Gate gate, IAsyncDisposable? shared)
        {
            _owner = owner;
            _key = key;
            _gate = gate;
            _shared = shared;
        }

        public async ValueTask DisposeAsync()
        {
            if (Interlocked.Exchange(ref _owner, null) is not { } owner)
            {
                return;
            }

            try
            {
                if (_shared is not null)
                {
                    await _shared.DisposeAsync().ConfigureAwait(false);
                }
            }
            finally
            {
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
