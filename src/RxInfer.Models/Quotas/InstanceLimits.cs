namespace RxInfer.Models;

/// <summary>
/// The limits a store checks when it adds an instance, in the same step as the add, so that concurrent adds cannot
/// pass them together (see <see cref="IModelInstanceStore.AddAsync"/>). Zero means no limit.
/// </summary>
/// <param name="MaxInstancesPerOwner">The most instances one owner subject may hold; 0 for no limit.</param>
/// <param name="MaxInstances">The most instances the store may hold for all owners together; 0 for no limit.</param>
public readonly record struct InstanceLimits(int MaxInstancesPerOwner, int MaxInstances)
{
    /// <summary>No limit at all.</summary>
    public static InstanceLimits None => default;
}
