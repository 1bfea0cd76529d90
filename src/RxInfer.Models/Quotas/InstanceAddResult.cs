namespace RxInfer.Models;

/// <summary>What <see cref="IModelInstanceStore.AddAsync"/> did.</summary>
public enum InstanceAddResult
{
    /// <summary>Not a result: the default value, which no store returns.</summary>
    None = 0,

    /// <summary>The instance was stored.</summary>
    Added,

    /// <summary>Nothing was stored: the owner holds <see cref="InstanceLimits.MaxInstancesPerOwner"/> instances already.</summary>
    OwnerLimitReached,

    /// <summary>Nothing was stored: the store holds <see cref="InstanceLimits.MaxInstances"/> instances already.</summary>
    StoreFull,
}
