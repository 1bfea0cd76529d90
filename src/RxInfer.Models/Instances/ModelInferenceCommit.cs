namespace RxInfer.Models;

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
