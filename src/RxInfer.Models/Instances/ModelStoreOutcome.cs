namespace RxInfer.Models;

/// <summary>What a write to an <see cref="IModelInstanceStore"/> did.</summary>
public enum ModelStoreOutcome
{
    /// <summary>The write was applied.</summary>
    Done,

    /// <summary>The owner has no such instance (it never existed, was deleted, or belongs to someone else); nothing changed.</summary>
    InstanceNotFound,

    /// <summary>The instance has no live episode of that name; nothing changed.</summary>
    EpisodeNotFound,

    /// <summary>The instance has a live episode of that name already; nothing changed.</summary>
    EpisodeExists,

    /// <summary>The episode has no event with that id; nothing changed.</summary>
    EventNotFound,

    /// <summary>The write would pass a limit the caller gave (episodes per instance, events per episode); nothing changed.</summary>
    LimitReached,

    /// <summary>The instance's <see cref="ModelInstance.Version"/> is no longer the one the caller expected; nothing changed.</summary>
    VersionConflict,
}
