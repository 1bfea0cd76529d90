using System.Text.Json;

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

/// <summary>A read of one episode with its instance, from the same moment.</summary>
/// <param name="Instance">The instance, or <see langword="null"/> when the owner has no such instance.</param>
/// <param name="Episode">The episode, or <see langword="null"/> when the instance is missing or has no live episode of that name.</param>
public readonly record struct ModelEpisodeRead(ModelInstance? Instance, ModelEpisode? Episode);

/// <summary>A read of one episode's parameters with its instance, from the same moment.</summary>
/// <param name="Instance">The instance, or <see langword="null"/> when the owner has no such instance.</param>
/// <param name="Parameters">The episode's parameters, or <see langword="null"/> when the instance is missing or has no live episode of that name.</param>
public readonly record struct ModelParametersRead(ModelInstance? Instance, JsonElement? Parameters);

/// <summary>What <see cref="IModelInstanceStore.CommitInferenceAsync"/> did.</summary>
/// <param name="Outcome">
/// <see cref="ModelStoreOutcome.Done"/> when the new state was stored; otherwise <see cref="ModelStoreOutcome.InstanceNotFound"/>
/// or <see cref="ModelStoreOutcome.VersionConflict"/>, and nothing changed.
/// </param>
/// <param name="EventOutcome">
/// When the state was stored: <see cref="ModelStoreOutcome.Done"/> when the event was appended too, or why it was not
/// (<see cref="ModelStoreOutcome.EpisodeNotFound"/>, <see cref="ModelStoreOutcome.LimitReached"/>).
/// </param>
/// <param name="EventId">The appended event's id, when <paramref name="EventOutcome"/> is <see cref="ModelStoreOutcome.Done"/>; otherwise 0.</param>
public readonly record struct ModelInferenceCommit(ModelStoreOutcome Outcome, ModelStoreOutcome EventOutcome, long EventId);
