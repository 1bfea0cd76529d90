namespace RxInfer.Models;

/// <summary>
/// Serialises the calls on one instance across every process that shares one <see cref="IModelInstanceStore"/>: a
/// store on a database shared by several nodes registers one (RxInfer.Storage.PostgreSql does). The model services
/// take the process's own lock of the instance first, then this one, and hold both from reading the instance to
/// storing the result. Without one (the in-memory default), calls are serialised within the process, and the store's
/// version check keeps the results of other processes from overwriting each other (a call that keeps losing that race
/// ends in a 503).
/// </summary>
public interface IModelInstanceLockProvider
{
    /// <summary>
    /// Waits until no other process holds the lock of the instance <paramref name="instanceId"/> of
    /// <paramref name="ownerSubject"/>, and takes it. Locks are per owner and id, so a caller that names another owner's
    /// instance never waits for it.
    /// </summary>
    /// <param name="ownerSubject">The caller's subject.</param>
    /// <param name="instanceId">The instance.</param>
    /// <param name="cancellationToken">Cancels the wait.</param>
    /// <returns>The lock; disposing it releases it.</returns>
    ValueTask<IAsyncDisposable> AcquireAsync(string ownerSubject, Guid instanceId, CancellationToken cancellationToken = default);
}
