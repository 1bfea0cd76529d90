namespace RxInfer.Models;

/// <summary>
/// Where instances live, keyed by owner subject and id. The default is in memory; durable and shared stores
/// implement the same contract. Implementations must be safe under concurrent use.
/// </summary>
public interface IModelInstanceStore
{
    /// <summary>Stores a new instance under its <see cref="ModelInstance.OwnerSubject"/>.</summary>
    /// <param name="instance">The instance.</param>
    /// <param name="cancellationToken">Cancels the operation.</param>
    /// <returns>A task that completes when the instance is stored.</returns>
    /// <exception cref="InvalidOperationException">An instance with the same id is stored already.</exception>
    ValueTask AddAsync(ModelInstance instance, CancellationToken cancellationToken = default);

    /// <summary>The instance <paramref name="instanceId"/> of <paramref name="ownerSubject"/>.</summary>
    /// <param name="ownerSubject">The owner.</param>
    /// <param name="instanceId">The id.</param>
    /// <param name="cancellationToken">Cancels the operation.</param>
    /// <returns>The instance, or <see langword="null"/> when the owner has no such instance.</returns>
    ValueTask<ModelInstance?> GetAsync(string ownerSubject, Guid instanceId, CancellationToken cancellationToken = default);

    /// <summary>Every instance of <paramref name="ownerSubject"/>, in the order they were added.</summary>
    /// <param name="ownerSubject">The owner.</param>
    /// <param name="cancellationToken">Cancels the operation.</param>
    /// <returns>The instances.</returns>
    ValueTask<IReadOnlyList<ModelInstance>> ListAsync(string ownerSubject, CancellationToken cancellationToken = default);

    /// <summary>Removes the instance <paramref name="instanceId"/> of <paramref name="ownerSubject"/>.</summary>
    /// <param name="ownerSubject">The owner.</param>
    /// <param name="instanceId">The id.</param>
    /// <param name="cancellationToken">Cancels the operation.</param>
    /// <returns>Whether it was removed; <see langword="false"/> when the owner has no such instance.</returns>
    ValueTask<bool> RemoveAsync(string ownerSubject, Guid instanceId, CancellationToken cancellationToken = default);
}
