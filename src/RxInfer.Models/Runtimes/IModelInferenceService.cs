using System.Text.Json;

namespace RxInfer.Models;

/// <summary>
/// Inference and learning on an instance, through its model's <see cref="IModelRuntime"/>, always scoped to the
/// instance's owner (another owner's instance behaves exactly as a missing one). Calls on one instance run one at a
/// time; a runtime that throws, is cancelled or takes longer than <see cref="RxInferModelsOptions.RuntimeTimeout"/>
/// leaves the state, the parameters and the events as they were.
/// </summary>
public interface IModelInferenceService
{
    /// <summary>
    /// Runs inference with the instance's state and the current episode's parameters, stores the new state, and
    /// records <paramref name="data"/> as an event of <paramref name="episodeName"/>. When the event cannot be recorded
    /// (no such episode, or it is full) the inference still succeeds, with no event id and one message in
    /// <see cref="ModelInference.Errors"/>.
    /// </summary>
    /// <param name="caller">Who is asking.</param>
    /// <param name="instanceId">The instance.</param>
    /// <param name="data">The data: a JSON object, at most <see cref="RxInferModelsOptions.MaxEventDataSize"/> bytes.</param>
    /// <param name="timestamp">The event's time; <see langword="null"/> for now.</param>
    /// <param name="episodeName">The episode that records the event; <see langword="null"/> for <c>default</c>.</param>
    /// <param name="cancellationToken">Cancels the operation.</param>
    /// <returns>
    /// The results; <see cref="ModelResultStatus.NotFound"/> with <c>The requested model instance could not be found</c>;
    /// <see cref="ModelResultStatus.Invalid"/> for data that is not an object or too large, a model without a runtime,
    /// or a failed runtime (<c>Unable to run inference due to internal error</c>).
    /// </returns>
    ValueTask<ModelResult<ModelInference>> InferAsync(ModelCaller caller, Guid instanceId, JsonElement data, DateTimeOffset? timestamp = null, string? episodeName = null, CancellationToken cancellationToken = default);

    /// <summary>
    /// Learns from one episode: feeds its unprocessed events (all of them when <paramref name="relearn"/> is set; the
    /// parameters are not reset) to the runtime with the instance's state and the episode's parameters, then stores the
    /// new state and the episode's new parameters and marks the fed events processed.
    /// </summary>
    /// <param name="caller">Who is asking.</param>
    /// <param name="instanceId">The instance.</param>
    /// <param name="episodes">The episodes to learn from: exactly one.</param>
    /// <param name="relearn">Whether to feed every event rather than only the unprocessed ones.</param>
    /// <param name="cancellationToken">Cancels the operation.</param>
    /// <returns>
    /// The learned parameters; <see cref="ModelResultStatus.NotFound"/> with <c>The requested model instance could not be found</c>
    /// or <c>The requested episode could not be found</c>; <see cref="ModelResultStatus.Invalid"/> for other than one
    /// episode (<c>Learning is supported only for one episode at a time</c>), a model without a runtime, or a failed runtime.
    /// </returns>
    ValueTask<ModelResult<JsonElement>> LearnAsync(ModelCaller caller, Guid instanceId, IReadOnlyList<string> episodes, bool relearn = false, CancellationToken cancellationToken = default);
}
