using System.Text.Json;

namespace RxInfer.Models;

/// <summary>
/// Where instances, their episodes and the episodes' events live, keyed by owner subject and instance id. The default
/// is in memory; durable and shared stores implement the same contract. Implementations must be safe under
/// concurrent use.
/// </summary>
/// <remarks>
/// <para>
/// Every method is scoped to an owner: an instance of another owner is a missing one. Every write is atomic (it is
/// applied whole or not at all) and changes the instance's <see cref="ModelInstance.Version"/>, so a result computed
/// from a snapshot is committed only when nothing changed since (<see cref="CommitInferenceAsync"/>,
/// <see cref="CommitLearningAsync"/>). A store on a database implements each write as one transaction of a few
/// statements (an insert, or an update guarded by the owner and, for commits, the version).
/// </para>
/// <para>
/// Each instance has a live <see cref="ModelInstance.DefaultEpisode"/> episode from creation to deletion, and its
/// <see cref="ModelInstance.CurrentEpisode"/> always names a live episode. Event ids are per episode: 1 for the
/// first event, then one more than the last, starting again at 1 after a reset.
/// </para>
/// </remarks>
public interface IModelInstanceStore
{
    /// <summary>
    /// Stores a new instance under its <see cref="ModelInstance.OwnerSubject"/>, together with its
    /// <see cref="ModelInstance.DefaultEpisode"/> episode (no events, <paramref name="defaultParameters"/> as its
    /// initial parameters, created at <see cref="ModelInstance.CreatedAt"/>), which is current.
    /// </summary>
    /// <param name="instance">The instance.</param>
    /// <param name="defaultParameters">The initial parameters of its default episode.</param>
    /// <param name="cancellationToken">Cancels the operation.</param>
    /// <returns>A task that completes when the instance is stored.</returns>
    /// <exception cref="InvalidOperationException">An instance with the same id is stored already.</exception>
    ValueTask AddAsync(ModelInstance instance, JsonElement defaultParameters, CancellationToken cancellationToken = default);

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

    /// <summary>Removes the instance <paramref name="instanceId"/> of <paramref name="ownerSubject"/> with its episodes and events.</summary>
    /// <param name="ownerSubject">The owner.</param>
    /// <param name="instanceId">The id.</param>
    /// <param name="cancellationToken">Cancels the operation.</param>
    /// <returns>Whether it was removed; <see langword="false"/> when the owner has no such instance.</returns>
    ValueTask<bool> RemoveAsync(string ownerSubject, Guid instanceId, CancellationToken cancellationToken = default);

    /// <summary>The live episodes of an instance, in the order they were created, each with its events.</summary>
    /// <param name="ownerSubject">The owner.</param>
    /// <param name="instanceId">The instance.</param>
    /// <param name="cancellationToken">Cancels the operation.</param>
    /// <returns>The episodes, or <see langword="null"/> when the owner has no such instance.</returns>
    ValueTask<IReadOnlyList<ModelEpisode>?> ListEpisodesAsync(string ownerSubject, Guid instanceId, CancellationToken cancellationToken = default);

    /// <summary>An instance and one of its live episodes, read at the same moment.</summary>
    /// <param name="ownerSubject">The owner.</param>
    /// <param name="instanceId">The instance.</param>
    /// <param name="episodeName">The episode, or <see langword="null"/> for the instance's current episode.</param>
    /// <param name="cancellationToken">Cancels the operation.</param>
    /// <returns>The instance (<see langword="null"/> when missing) and the episode (<see langword="null"/> when missing).</returns>
    ValueTask<ModelEpisodeRead> GetEpisodeAsync(string ownerSubject, Guid instanceId, string? episodeName, CancellationToken cancellationToken = default);

    /// <summary>
    /// An instance and the parameters of one of its live episodes, read at the same moment, without the events (what
    /// inference and the parameters operation need).
    /// </summary>
    /// <param name="ownerSubject">The owner.</param>
    /// <param name="instanceId">The instance.</param>
    /// <param name="episodeName">The episode, or <see langword="null"/> for the instance's current episode.</param>
    /// <param name="cancellationToken">Cancels the operation.</param>
    /// <returns>The instance (<see langword="null"/> when missing) and the episode's parameters (<see langword="null"/> when missing).</returns>
    ValueTask<ModelParametersRead> GetParametersAsync(string ownerSubject, Guid instanceId, string? episodeName, CancellationToken cancellationToken = default);

    /// <summary>
    /// Adds an episode with no events and <paramref name="parameters"/> as its initial parameters, and makes it the
    /// instance's current episode. A name used by a deleted episode may be used again.
    /// </summary>
    /// <param name="ownerSubject">The owner.</param>
    /// <param name="instanceId">The instance.</param>
    /// <param name="episodeName">The new episode's name (not empty).</param>
    /// <param name="parameters">Its initial parameters.</param>
    /// <param name="createdAt">When it is created.</param>
    /// <param name="maxEpisodes">The most live episodes the instance may have afterwards.</param>
    /// <param name="cancellationToken">Cancels the operation.</param>
    /// <returns>
    /// <see cref="ModelStoreOutcome.Done"/>, <see cref="ModelStoreOutcome.InstanceNotFound"/>,
    /// <see cref="ModelStoreOutcome.EpisodeExists"/> or <see cref="ModelStoreOutcome.LimitReached"/>.
    /// </returns>
    ValueTask<ModelStoreOutcome> AddEpisodeAsync(string ownerSubject, Guid instanceId, string episodeName, JsonElement parameters, DateTimeOffset createdAt, int maxEpisodes, CancellationToken cancellationToken = default);

    /// <summary>
    /// Removes an episode with its events; when it was the current episode, <see cref="ModelInstance.DefaultEpisode"/>
    /// becomes current. The default episode is never removed.
    /// </summary>
    /// <param name="ownerSubject">The owner.</param>
    /// <param name="instanceId">The instance.</param>
    /// <param name="episodeName">The episode (not <see cref="ModelInstance.DefaultEpisode"/>).</param>
    /// <param name="cancellationToken">Cancels the operation.</param>
    /// <returns><see cref="ModelStoreOutcome.Done"/>, <see cref="ModelStoreOutcome.InstanceNotFound"/> or <see cref="ModelStoreOutcome.EpisodeNotFound"/>.</returns>
    /// <exception cref="ArgumentException"><paramref name="episodeName"/> is the default episode.</exception>
    ValueTask<ModelStoreOutcome> RemoveEpisodeAsync(string ownerSubject, Guid instanceId, string episodeName, CancellationToken cancellationToken = default);

    /// <summary>Wipes an episode: no events (the next event id is 1 again) and its initial parameters back.</summary>
    /// <param name="ownerSubject">The owner.</param>
    /// <param name="instanceId">The instance.</param>
    /// <param name="episodeName">The episode.</param>
    /// <param name="cancellationToken">Cancels the operation.</param>
    /// <returns><see cref="ModelStoreOutcome.Done"/> (also when it was empty), <see cref="ModelStoreOutcome.InstanceNotFound"/> or <see cref="ModelStoreOutcome.EpisodeNotFound"/>.</returns>
    ValueTask<ModelStoreOutcome> ResetEpisodeAsync(string ownerSubject, Guid instanceId, string episodeName, CancellationToken cancellationToken = default);

    /// <summary>
    /// Appends events to an episode, numbered from one more than its last event id in the order given (the
    /// <see cref="ModelEvent.EventId"/> of each given event is ignored). All of them or none.
    /// </summary>
    /// <param name="ownerSubject">The owner.</param>
    /// <param name="instanceId">The instance.</param>
    /// <param name="episodeName">The episode.</param>
    /// <param name="events">The events, complete but for their ids.</param>
    /// <param name="maxEvents">The most events the episode may hold afterwards.</param>
    /// <param name="cancellationToken">Cancels the operation.</param>
    /// <returns>
    /// <see cref="ModelStoreOutcome.Done"/>, <see cref="ModelStoreOutcome.InstanceNotFound"/>,
    /// <see cref="ModelStoreOutcome.EpisodeNotFound"/> or <see cref="ModelStoreOutcome.LimitReached"/>.
    /// </returns>
    ValueTask<ModelStoreOutcome> AppendEventsAsync(string ownerSubject, Guid instanceId, string episodeName, IReadOnlyList<ModelEvent> events, int maxEvents, CancellationToken cancellationToken = default);

    /// <summary>Replaces the metadata of one event.</summary>
    /// <param name="ownerSubject">The owner.</param>
    /// <param name="instanceId">The instance.</param>
    /// <param name="episodeName">The episode.</param>
    /// <param name="eventId">The event.</param>
    /// <param name="metadata">The new metadata (a JSON object).</param>
    /// <param name="cancellationToken">Cancels the operation.</param>
    /// <returns>
    /// <see cref="ModelStoreOutcome.Done"/>, <see cref="ModelStoreOutcome.InstanceNotFound"/>,
    /// <see cref="ModelStoreOutcome.EpisodeNotFound"/> or <see cref="ModelStoreOutcome.EventNotFound"/>.
    /// </returns>
    ValueTask<ModelStoreOutcome> SetEventMetadataAsync(string ownerSubject, Guid instanceId, string episodeName, long eventId, JsonElement metadata, CancellationToken cancellationToken = default);

    /// <summary>
    /// Stores the result of an inference computed from the instance at <paramref name="expectedVersion"/>: the new
    /// state and, when the episode exists and has room, the inference's event appended to it (its id assigned as in
    /// <see cref="AppendEventsAsync"/>). The state is stored even when the event cannot be; all of it happens at once.
    /// </summary>
    /// <param name="ownerSubject">The owner.</param>
    /// <param name="instanceId">The instance.</param>
    /// <param name="expectedVersion">The <see cref="ModelInstance.Version"/> the inference read.</param>
    /// <param name="state">The instance's new state.</param>
    /// <param name="episodeName">The episode that records the event.</param>
    /// <param name="inferenceEvent">The event, complete but for its id.</param>
    /// <param name="maxEvents">The most events the episode may hold afterwards.</param>
    /// <param name="cancellationToken">Cancels the operation.</param>
    /// <returns>What was stored, and the event's id.</returns>
    ValueTask<ModelInferenceCommit> CommitInferenceAsync(string ownerSubject, Guid instanceId, long expectedVersion, JsonElement state, string episodeName, ModelEvent inferenceEvent, int maxEvents, CancellationToken cancellationToken = default);

    /// <summary>
    /// Stores the result of learning computed from the instance at <paramref name="expectedVersion"/>: the new state,
    /// the episode's new parameters, and the fed events marked processed. All of it at once.
    /// </summary>
    /// <param name="ownerSubject">The owner.</param>
    /// <param name="instanceId">The instance.</param>
    /// <param name="expectedVersion">The <see cref="ModelInstance.Version"/> the learning read.</param>
    /// <param name="state">The instance's new state.</param>
    /// <param name="episodeName">The episode learned from.</param>
    /// <param name="parameters">The episode's new parameters.</param>
    /// <param name="processedEventIds">The ids of the events fed to learning; they become processed.</param>
    /// <param name="cancellationToken">Cancels the operation.</param>
    /// <returns>
    /// <see cref="ModelStoreOutcome.Done"/>, <see cref="ModelStoreOutcome.InstanceNotFound"/>,
    /// <see cref="ModelStoreOutcome.EpisodeNotFound"/> or <see cref="ModelStoreOutcome.VersionConflict"/>.
    /// </returns>
    ValueTask<ModelStoreOutcome> CommitLearningAsync(string ownerSubject, Guid instanceId, long expectedVersion, JsonElement state, string episodeName, JsonElement parameters, IReadOnlyList<long> processedEventIds, CancellationToken cancellationToken = default);
}
