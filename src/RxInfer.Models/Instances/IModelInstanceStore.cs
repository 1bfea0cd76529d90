namespace RxInfer.Models;

/// <summary>
/// Where instances live, keyed by owner subject and id, with each owner's retention time. The default is in memory;
/// durable and shared stores implement the same contract. Implementations must be safe under concurrent use.
/// </summary>
public interface IModelInstanceStore
{
    /// <summary>
    /// Stores a new instance under its <see cref="ModelInstance.OwnerSubject"/>, unless <paramref name="limits"/> are
    /// reached, checked in the same step as the add (two concurrent adds never pass a limit together): first the
    /// owner's count, then the store's. When it stores the instance, the owner's instances are kept at least until
    /// <paramref name="retainUntil"/> (as <see cref="ExtendRetentionAsync"/>).
    /// </summary>
    /// <param name="instance">The instance.</param>
    /// <param name="limits">The counts not to pass; <see cref="InstanceLimits.None"/> for none.</param>
    /// <param name="retainUntil">Until when the owner's instances are kept at least.</param>
    /// <param name="cancellationToken">Cancels the operation.</param>
    /// <returns><see cref="InstanceAddResult.Added"/>, or which limit kept it out (then nothing was stored).</returns>
    /// <exception cref="InvalidOperationException">An instance with the same id is stored already.</exception>
    ValueTask<InstanceAddResult> AddAsync(ModelInstance instance, InstanceLimits limits, DateTimeOffset retainUntil, CancellationToken cancellationToken = default);

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

    /// <summary>
    /// Keeps every instance of <paramref name="ownerSubject"/> at least until <paramref name="retainUntil"/>: the owner's
    /// retention becomes the later of the one recorded and this one. No effect when the owner has no instances (its
    /// first add records its own); an owner's record leaves with its last instance.
    /// </summary>
    /// <param name="ownerSubject">The owner.</param>
    /// <param name="retainUntil">Until when its instances are kept at least; <see cref="DateTimeOffset.MaxValue"/> for ever.</param>
    /// <param name="cancellationToken">Cancels the operation.</param>
    /// <returns>A task that completes when the retention is recorded.</returns>
    ValueTask ExtendRetentionAsync(string ownerSubject, DateTimeOffset retainUntil, CancellationToken cancellationToken = default);

    /// <summary>
    /// Removes every instance of every owner whose retention ended before <paramref name="now"/> (strictly: an owner
    /// retained until <paramref name="now"/> keeps its instances).
    /// </summary>
    /// <param name="now">The current time.</param>
    /// <param name="cancellationToken">Cancels the operation.</param>
    /// <returns>How many instances were removed.</returns>
    ValueTask<int> RemoveExpiredAsync(DateTimeOffset now, CancellationToken cancellationToken = default);
}
