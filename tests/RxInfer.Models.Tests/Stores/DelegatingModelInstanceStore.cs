using System.Text.Json;

namespace RxInfer.Models.Tests;

/// <summary>A store that passes every call to another one; tests override the calls they watch or disturb.</summary>
internal class DelegatingModelInstanceStore(IModelInstanceStore inner) : IModelInstanceStore
{
    public IModelInstanceStore Inner { get; } = inner;

    public virtual ValueTask AddAsync(ModelInstance instance, JsonElement defaultParameters, CancellationToken cancellationToken = default) =>
        Inner.AddAsync(instance, defaultParameters, cancellationToken);

    public virtual ValueTask<ModelInstance?> GetAsync(string ownerSubject, Guid instanceId, CancellationToken cancellationToken = default) =>
        Inner.GetAsync(ownerSubject, instanceId, cancellationToken);

    public virtual ValueTask<IReadOnlyList<ModelInstance>> ListAsync(string ownerSubject, CancellationToken cancellationToken = default) =>
        Inner.ListAsync(ownerSubject, cancellationToken);

    public virtual ValueTask<bool> RemoveAsync(string ownerSubject, Guid instanceId, CancellationToken cancellationToken = default) =>
        Inner.RemoveAsync(ownerSubject, instanceId, cancellationToken);

    public virtual ValueTask<IReadOnlyList<ModelEpisode>?> ListEpisodesAsync(string ownerSubject, Guid instanceId, CancellationToken cancellationToken = default) =>
        Inner.ListEpisodesAsync(ownerSubject, instanceId, cancellationToken);

    public virtual ValueTask<ModelEpisodeRead> GetEpisodeAsync(string ownerSubject, Guid instanceId, string? episodeName, CancellationToken cancellationToken = default) =>
        Inner.GetEpisodeAsync(ownerSubject, instanceId, episodeName, cancellationToken);

    public virtual ValueTask<ModelParametersRead> GetParametersAsync(string ownerSubject, Guid instanceId, string? episodeName, CancellationToken cancellationToken = default) =>
        Inner.GetParametersAsync(ownerSubject, instanceId, episodeName, cancellationToken);

    public virtual ValueTask<ModelStoreOutcome> AddEpisodeAsync(string ownerSubject, Guid instanceId, string episodeName, JsonElement parameters, DateTimeOffset createdAt, int maxEpisodes, CancellationToken cancellationToken = default) =>
        Inner.AddEpisodeAsync(ownerSubject, instanceId, episodeName, parameters, createdAt, maxEpisodes, cancellationToken);

    public virtual ValueTask<ModelStoreOutcome> RemoveEpisodeAsync(string ownerSubject, Guid instanceId, string episodeName, CancellationToken cancellationToken = default) =>
        Inner.RemoveEpisodeAsync(ownerSubject, instanceId, episodeName, cancellationToken);

    public virtual ValueTask<ModelStoreOutcome> ResetEpisodeAsync(string ownerSubject, Guid instanceId, string episodeName, CancellationToken cancellationToken = default) =>
        Inner.ResetEpisodeAsync(ownerSubject, instanceId, episodeName, cancellationToken);

    public virtual ValueTask<ModelStoreOutcome> AppendEventsAsync(string ownerSubject, Guid instanceId, string episodeName, IReadOnlyList<ModelEvent> events, int maxEvents, CancellationToken cancellationToken = default) =>
        Inner.AppendEventsAsync(ownerSubject, instanceId, episodeName, events, maxEvents, cancellationToken);

    public virtual ValueTask<ModelStoreOutcome> SetEventMetadataAsync(string ownerSubject, Guid instanceId, string episodeName, long eventId, JsonElement metadata, CancellationToken cancellationToken = default) =>
        Inner.SetEventMetadataAsync(ownerSubject, instanceId, episodeName, eventId, metadata, cancellationToken);

    public virtual ValueTask<ModelInferenceCommit> CommitInferenceAsync(string ownerSubject, Guid instanceId, long expectedVersion, JsonElement state, string episodeName, ModelEvent inferenceEvent, int maxEvents, CancellationToken cancellationToken = default) =>
        Inner.CommitInferenceAsync(ownerSubject, instanceId, expectedVersion, state, episodeName, inferenceEvent, maxEvents, cancellationToken);

    public virtual ValueTask<ModelStoreOutcome> CommitLearningAsync(string ownerSubject, Guid instanceId, long expectedVersion, JsonElement state, string episodeName, JsonElement parameters, IReadOnlyList<long> processedEventIds, CancellationToken cancellationToken = default) =>
        Inner.CommitLearningAsync(ownerSubject, instanceId, expectedVersion, state, episodeName, parameters, processedEventIds, cancellationToken);
}
