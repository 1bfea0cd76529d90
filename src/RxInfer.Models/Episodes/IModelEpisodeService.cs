using System.Text.Json;

namespace RxInfer.Models;

/// <summary>
/// The episodes of an instance, their events and parameters, always scoped to the instance's owner: another owner's
/// instance behaves exactly as a missing one for every operation (same status, same message). Each result carries
/// the protocol's exact message (docs/protocol.md) when it did not succeed; a request that does not succeed
/// changes nothing.
/// </summary>
public interface IModelEpisodeService
{
    /// <summary>The parameters of the instance's current episode.</summary>
    /// <param name="caller">Who is asking.</param>
    /// <param name="instanceId">The instance.</param>
    /// <param name="cancellationToken">Cancels the operation.</param>
    /// <returns>The parameters; <see cref="ModelResultStatus.NotFound"/> with <c>The requested model instance could not be found</c>.</returns>
    ValueTask<ModelResult<JsonElement>> GetParametersAsync(ModelCaller caller, Guid instanceId, CancellationToken cancellationToken = default);

    /// <summary>The instance's live episodes, in the order they were created (<c>default</c> first), each with its events.</summary>
    /// <param name="caller">Who is asking.</param>
    /// <param name="instanceId">The instance.</param>
    /// <param name="cancellationToken">Cancels the operation.</param>
    /// <returns>The episodes; <see cref="ModelResultStatus.NotFound"/> with <c>The requested model instance could not be found</c>.</returns>
    ValueTask<ModelResult<IReadOnlyList<ModelEpisode>>> ListEpisodesAsync(ModelCaller caller, Guid instanceId, CancellationToken cancellationToken = default);

    /// <summary>One episode with its events.</summary>
    /// <param name="caller">Who is asking.</param>
    /// <param name="instanceId">The instance.</param>
    /// <param name="episodeName">The episode's name.</param>
    /// <param name="cancellationToken">Cancels the operation.</param>
    /// <returns>The episode; <see cref="ModelResultStatus.NotFound"/> with <c>The requested model instance could not be found</c> or <c>The requested episode could not be found</c>.</returns>
    ValueTask<ModelResult<ModelEpisode>> GetEpisodeAsync(ModelCaller caller, Guid instanceId, string episodeName, CancellationToken cancellationToken = default);

    /// <summary>
    /// Creates an episode with fresh initial parameters (from the model's runtime) and makes it the current one. A
    /// name used by a deleted episode may be used again.
    /// </summary>
    /// <param name="caller">Who is asking.</param>
    /// <param name="instanceId">The instance.</param>
    /// <param name="episodeName">The new episode's name: any non-empty text.</param>
    /// <param name="cancellationToken">Cancels the operation.</param>
    /// <returns>
    /// The new episode; <see cref="ModelResultStatus.NotFound"/> with <c>The requested model instance could not be found</c>;
    /// <see cref="ModelResultStatus.Invalid"/> for an empty name, a name in use (<c>The requested episode already exists</c>),
    /// the limit of episodes per instance, or a failed runtime.
    /// </returns>
    ValueTask<ModelResult<ModelEpisode>> CreateEpisodeAsync(ModelCaller caller, Guid instanceId, string episodeName, CancellationToken cancellationToken = default);

    /// <summary>
    /// Deletes an episode with its events; when it was current, <c>default</c> becomes current. The default episode
    /// cannot be deleted, which is checked before anything else (so a missing instance gets the same answer).
    /// </summary>
    /// <param name="caller">Who is asking.</param>
    /// <param name="instanceId">The instance.</param>
    /// <param name="episodeName">The episode.</param>
    /// <param name="cancellationToken">Cancels the operation.</param>
    /// <returns>
    /// Success; <see cref="ModelResultStatus.Invalid"/> with <c>Default episode cannot be deleted, wipe data instead</c>;
    /// <see cref="ModelResultStatus.NotFound"/> with <c>The requested model could not be found</c> or <c>The requested episode could not be found</c>.
    /// </returns>
    ValueTask<ModelResult> DeleteEpisodeAsync(ModelCaller caller, Guid instanceId, string episodeName, CancellationToken cancellationToken = default);

    /// <summary>
    /// Appends events to an episode, numbered from one more than its last event id. The defaults: data and metadata
    /// <c>{}</c>, timestamp now, not processed. All of them or none: the checks of every event (objects, sizes) and
    /// the limits (events per call, events per episode) come first.
    /// </summary>
    /// <param name="caller">Who is asking.</param>
    /// <param name="instanceId">The instance.</param>
    /// <param name="episodeName">The episode.</param>
    /// <param name="events">The events.</param>
    /// <param name="cancellationToken">Cancels the operation.</param>
    /// <returns>
    /// Success; <see cref="ModelResultStatus.NotFound"/> with <c>The requested model could not be found</c> or
    /// <c>The requested episode could not be found</c>; <see cref="ModelResultStatus.Invalid"/> for an event or a limit.
    /// </returns>
    ValueTask<ModelResult> AttachEventsAsync(ModelCaller caller, Guid instanceId, string episodeName, IReadOnlyList<ModelEventInput> events, CancellationToken cancellationToken = default);

    /// <summary>Wipes an episode: no events (ids start again at 1) and its initial parameters back. Succeeds on an empty episode too.</summary>
    /// <param name="caller">Who is asking.</param>
    /// <param name="instanceId">The instance.</param>
    /// <param name="episodeName">The episode.</param>
    /// <param name="cancellationToken">Cancels the operation.</param>
    /// <returns>Success; <see cref="ModelResultStatus.NotFound"/> with <c>The requested model could not be found</c> or <c>The requested episode could not be found</c>.</returns>
    ValueTask<ModelResult> WipeEpisodeAsync(ModelCaller caller, Guid instanceId, string episodeName, CancellationToken cancellationToken = default);

    /// <summary>Replaces the metadata of one event.</summary>
    /// <param name="caller">Who is asking.</param>
    /// <param name="instanceId">The instance.</param>
    /// <param name="episodeName">The episode.</param>
    /// <param name="eventId">The event's id.</param>
    /// <param name="metadata">The metadata: a JSON object.</param>
    /// <param name="cancellationToken">Cancels the operation.</param>
    /// <returns>
    /// Success; <see cref="ModelResultStatus.NotFound"/> with <c>The requested model could not be found</c> or
    /// <c>The requested episode could not be found or the event with the specified ID does not exist</c>; <see cref="ModelResultStatus.Invalid"/> for metadata that
    /// is not an object or too large, or a missing event (<c>Unable to attach metadata to the event due to internal error</c>).
    /// </returns>
    ValueTask<ModelResult> AttachMetadataAsync(ModelCaller caller, Guid instanceId, string episodeName, long eventId, JsonElement metadata, CancellationToken cancellationToken = default);
}
