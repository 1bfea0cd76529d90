using System.Text.Json;
using Microsoft.Extensions.Logging;
using Microsoft.Extensions.Options;

namespace RxInfer.Models;

/// <summary>
/// The rules of episodes and events (docs/protocol.md, part 2) over an <see cref="IModelInstanceStore"/>; every operation
/// records the caller's retention first (<see cref="InstanceRetention"/>), as the instance service does.
/// </summary>
internal sealed class ModelEpisodeService(
    IModelCatalog catalog,
    IModelInstanceStore store,
    ModelRuntimes runtimes,
    InstanceLocks locks,
    InstanceRetention retention,
    TimeProvider timeProvider,
    IOptions<RxInferModelsOptions> options,
    ILogger<ModelEpisodeService> logger) : IModelEpisodeService
{
    private readonly RxInferModelsOptions _options = options.Value;

    public async ValueTask<ModelResult<JsonElement>> GetParametersAsync(ModelCaller caller, Guid instanceId, CancellationToken cancellationToken = default)
    {
        CallerChecks.Check(caller);
        await retention.RecordAsync(caller, cancellationToken).ConfigureAwait(false);
        var read = await store.GetParametersAsync(caller.Subject, instanceId, episodeName: null, cancellationToken).ConfigureAwait(false);
        return read switch
        {
            { Instance: null } => Outcome.NotFound(ModelErrors.InstanceNotFound).As<JsonElement>(),
            { Parameters: { } parameters } => Outcome.Success(parameters),
            _ => Outcome.NotFound(ModelErrors.EpisodeNotFound).As<JsonElement>(), // the store broke its invariant: the current episode always exists
        };
    }

    public async ValueTask<ModelResult<IReadOnlyList<ModelEpisode>>> ListEpisodesAsync(ModelCaller caller, Guid instanceId, CancellationToken cancellationToken = default)
    {
        CallerChecks.Check(caller);
        await retention.RecordAsync(caller, cancellationToken).ConfigureAwait(false);
        var episodes = await store.ListEpisodesAsync(caller.Subject, instanceId, cancellationToken).ConfigureAwait(false);
        return episodes is null
            ? Outcome.NotFound(ModelErrors.InstanceNotFound).As<IReadOnlyList<ModelEpisode>>()
            : Outcome.Success(episodes);
    }

    public async ValueTask<ModelResult<ModelEpisode>> GetEpisodeAsync(ModelCaller caller, Guid instanceId, string episodeName, CancellationToken cancellationToken = default)
    {
        CallerChecks.Check(caller);
        await retention.RecordAsync(caller, cancellationToken).ConfigureAwait(false);
        ArgumentNullException.ThrowIfNull(episodeName);
        var read = await store.GetEpisodeAsync(caller.Subject, instanceId, episodeName, cancellationToken).ConfigureAwait(false);
        return read switch
        {
            { Instance: null } => Outcome.NotFound(ModelErrors.InstanceNotFound).As<ModelEpisode>(),
            { Episode: { } episode } => Outcome.Success(episode),
            _ => Outcome.NotFound(ModelErrors.EpisodeNotFound).As<ModelEpisode>(),
        };
    }

    public async ValueTask<ModelResult<ModelEpisode>> CreateEpisodeAsync(ModelCaller caller, Guid instanceId, string episodeName, CancellationToken cancellationToken = default)
    {
        CallerChecks.Check(caller);
        await retention.RecordAsync(caller, cancellationToken).ConfigureAwait(false);
        ArgumentNullException.ThrowIfNull(episodeName);
        if (episodeName.Length == 0)
        {
            return Outcome.Invalid(ModelErrors.EpisodeNameEmpty).As<ModelEpisode>();
        }

        if (episodeName.Contains('\0', StringComparison.Ordinal))
        {
            return Outcome.Invalid(ModelErrors.EpisodeNameHasNul).As<ModelEpisode>();
        }

        await using var held = (await locks.AcquireAsync(caller.Subject, instanceId, cancellationToken).ConfigureAwait(false)).ConfigureAwait(false);
        var read = await store.GetEpisodeAsync(caller.Subject, instanceId, episodeName, cancellationToken).ConfigureAwait(false);
        if (read.Instance is not { } instance)
        {
            return Outcome.NotFound(ModelErrors.InstanceNotFound).As<ModelEpisode>();
        }

        // Checked before the runtime runs, and again by the store when it adds the episode.
        if (read.Episode is not null)
        {
            return Outcome.Invalid(ModelErrors.EpisodeExists).As<ModelEpisode>();
        }

        RuntimeOutcome<JsonElement> parameters;
        if (catalog.FindModelByName(instance.ModelName) is { } model)
        {
            parameters = await runtimes.CreateInitialParametersAsync(model, instance.Arguments, instanceId, cancellationToken).ConfigureAwait(false);
        }
        else
        {
            parameters = runtimes.Find(instance.ModelName) is null ? new(instance.Arguments, null) : new(null, ModelErrors.ModelGone(instance.ModelName));
        }

        if (parameters.Value is not { } initial)
        {
            return Outcome.Invalid(parameters.Error(ModelErrors.EpisodeCreationFailed)).As<ModelEpisode>();
        }

        var createdAt = timeProvider.GetUtcNow();
        var outcome = await store.AddEpisodeAsync(caller.Subject, instanceId, episodeName, initial, createdAt, _options.MaxEpisodesPerInstance, cancellationToken).ConfigureAwait(false);
        switch (outcome)
        {
            case ModelStoreOutcome.Done:
                Log.EpisodeCreated(logger, episodeName, instanceId);
                return Outcome.Success(new ModelEpisode(instanceId, episodeName, createdAt, initial, []));
            case ModelStoreOutcome.EpisodeExists:
                return Outcome.Invalid(ModelErrors.EpisodeExists).As<ModelEpisode>();
            case ModelStoreOutcome.LimitReached:
                return Outcome.Invalid(ModelErrors.TooManyEpisodes(_options.MaxEpisodesPerInstance)).As<ModelEpisode>();
            default:
                return Outcome.NotFound(ModelErrors.InstanceNotFound).As<ModelEpisode>();
        }
    }

    public async ValueTask<ModelResult> DeleteEpisodeAsync(ModelCaller caller, Guid instanceId, string episodeName, CancellationToken cancellationToken = default)
    {
        CallerChecks.Check(caller);
        await retention.RecordAsync(caller, cancellationToken).ConfigureAwait(false);
        ArgumentNullException.ThrowIfNull(episodeName);
        if (episodeName == ModelInstance.DefaultEpisode)
        {
            return Outcome.Invalid(ModelErrors.DefaultEpisodeNotDeletable);
        }

        await using var held = (await locks.AcquireAsync(caller.Subject, instanceId, cancellationToken).ConfigureAwait(false)).ConfigureAwait(false);
        var outcome = await store.RemoveEpisodeAsync(caller.Subject, instanceId, episodeName, cancellationToken).ConfigureAwait(false);
        if (outcome == ModelStoreOutcome.Done)
        {
            Log.EpisodeDeleted(logger, episodeName, instanceId);
        }

        return EpisodeWrite(outcome, ModelErrors.EpisodeNotFound);
    }

    public async ValueTask<ModelResult> AttachEventsAsync(ModelCaller caller, Guid instanceId, string episodeName, IReadOnlyList<ModelEventInput> events, CancellationToken cancellationToken = default)
    {
        CallerChecks.Check(caller);
        await retention.RecordAsync(caller, cancellationToken).ConfigureAwait(false);
        ArgumentNullException.ThrowIfNull(episodeName);
        ArgumentNullException.ThrowIfNull(events);
        if (events.Count > _options.MaxEventsPerAttach)
        {
            return Outcome.Invalid(ModelErrors.TooManyEventsInCall(_options.MaxEventsPerAttach));
        }

        var now = timeProvider.GetUtcNow();
        var complete = new ModelEvent[events.Count];
        for (var i = 0; i < complete.Length; i++)
        {
            var input = events[i] ?? throw new ArgumentException("An event is null.", nameof(events));
            var error = EventValues.Check(input.Data, _options.MaxEventDataSize, ModelErrors.DataNotObject, ModelErrors.DataTooLarge, out var data);
            JsonElement metadata = default;
            error ??= EventValues.Check(input.Metadata, _options.MaxEventMetadataSize, ModelErrors.MetadataNotObject, ModelErrors.MetadataTooLarge, out metadata);
            if (error is not null)
            {
                return Outcome.Invalid(events.Count == 1 ? error : $"{error} (event {i + 1} of {events.Count})");
            }

            complete[i] = new ModelEvent(0, input.Timestamp ?? now, data, metadata, input.Processed);
        }

        await using var held = (await locks.AcquireAsync(caller.Subject, instanceId, cancellationToken).ConfigureAwait(false)).ConfigureAwait(false);
        var outcome = await store.AppendEventsAsync(caller.Subject, instanceId, episodeName, complete, _options.MaxEventsPerEpisode, cancellationToken).ConfigureAwait(false);
        return outcome == ModelStoreOutcome.LimitReached
            ? Outcome.Invalid(ModelErrors.TooManyEventsInEpisode(_options.MaxEventsPerEpisode))
            : EpisodeWrite(outcome, ModelErrors.EpisodeNotFound);
    }

    public async ValueTask<ModelResult> WipeEpisodeAsync(ModelCaller caller, Guid instanceId, string episodeName, CancellationToken cancellationToken = default)
    {
        CallerChecks.Check(caller);
        await retention.RecordAsync(caller, cancellationToken).ConfigureAwait(false);
        ArgumentNullException.ThrowIfNull(episodeName);
        await using var held = (await locks.AcquireAsync(caller.Subject, instanceId, cancellationToken).ConfigureAwait(false)).ConfigureAwait(false);
        var outcome = await store.ResetEpisodeAsync(caller.Subject, instanceId, episodeName, cancellationToken).ConfigureAwait(false);
        return EpisodeWrite(outcome, ModelErrors.EpisodeNotFound);
    }

    public async ValueTask<ModelResult> AttachMetadataAsync(ModelCaller caller, Guid instanceId, string episodeName, long eventId, JsonElement metadata, CancellationToken cancellationToken = default)
    {
        CallerChecks.Check(caller);
        await retention.RecordAsync(caller, cancellationToken).ConfigureAwait(false);
        ArgumentNullException.ThrowIfNull(episodeName);
        if (metadata.ValueKind != JsonValueKind.Object)
        {
            return Outcome.Invalid(ModelErrors.MetadataNotObject);
        }

        if (EventValues.Size(metadata) > _options.MaxEventMetadataSize)
        {
            return Outcome.Invalid(ModelErrors.MetadataTooLarge(_options.MaxEventMetadataSize));
        }

        await using var held = (await locks.AcquireAsync(caller.Subject, instanceId, cancellationToken).ConfigureAwait(false)).ConfigureAwait(false);
        var outcome = await store.SetEventMetadataAsync(caller.Subject, instanceId, episodeName, eventId, metadata, cancellationToken).ConfigureAwait(false);
        return outcome == ModelStoreOutcome.EventNotFound
            ? Outcome.Invalid(ModelErrors.EventNotFound)
            : EpisodeWrite(outcome, ModelErrors.EpisodeOrEventNotFound);
    }

    /// <summary>The answer to a write on an episode: delete, wipe, attach-events and attach-metadata share the instance's 404 wording.</summary>
    private static ModelResult EpisodeWrite(ModelStoreOutcome outcome, string episodeNotFound) => outcome switch
    {
        ModelStoreOutcome.Done => Outcome.Done,
        ModelStoreOutcome.EpisodeNotFound => Outcome.NotFound(episodeNotFound),
        _ => Outcome.NotFound(ModelErrors.ModelOfEpisodeNotFound),
    };
}
