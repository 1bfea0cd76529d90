using System.Text.Json;
using Microsoft.Extensions.Logging;
using Microsoft.Extensions.Options;
using RxInfer.Auth;

namespace RxInfer.Models;

/// <summary>
/// Inference and learning (docs/protocol.md, part 2): one call at a time per instance in this process (an
/// <see cref="InstanceLocks"/> lock held from the read to the write), and a result is stored only against the
/// version it was computed from; when another process changed the instance in between, the call runs again on the
/// new version, a few times at most. A new state that would make the instance pass its stored-size quota
/// (<see cref="RxInferModelsOptions.MaxInstanceSize"/>) is refused with a 400, and nothing is stored.
/// </summary>
internal sealed class ModelInferenceService(
    IModelCatalog catalog,
    IModelInstanceStore store,
    ModelRuntimes runtimes,
    InstanceLocks locks,
    InstanceRetention retention,
    TimeProvider timeProvider,
    IOptions<RxInferModelsOptions> options,
    ILogger<ModelInferenceService> logger) : IModelInferenceService
{
    /// <summary>How many times a call runs when the instance keeps changing under it (only across processes).</summary>
    internal const int MaxAttempts = 5;

    private static readonly string[] NoErrors = [];

    private readonly RxInferModelsOptions _options = options.Value;
    private readonly InstanceQuotas _quotas = new(options.Value, logger);

    public async ValueTask<ModelResult<ModelInference>> InferAsync(ModelCaller caller, Guid instanceId, JsonElement data, DateTimeOffset? timestamp = null, string? episodeName = null, CancellationToken cancellationToken = default)
    {
        CallerChecks.Check(caller);
        await retention.RecordAsync(caller, cancellationToken).ConfigureAwait(false);
        if (data.ValueKind != JsonValueKind.Object)
        {
            return Outcome.Invalid(ModelErrors.DataNotObject).As<ModelInference>();
        }

        if (EventValues.Size(data) > _options.MaxEventDataSize)
        {
            return Outcome.Invalid(ModelErrors.DataTooLarge(_options.MaxEventDataSize)).As<ModelInference>();
        }

        var target = episodeName ?? ModelInstance.DefaultEpisode;
        await using var held = (await locks.AcquireAsync(caller.Subject, instanceId, cancellationToken).ConfigureAwait(false)).ConfigureAwait(false);
        for (var attempt = 1; attempt <= MaxAttempts; attempt++)
        {
            var read = await store.GetParametersAsync(caller.Subject, instanceId, episodeName: null, cancellationToken).ConfigureAwait(false);
            if (read.Instance is not { } instance)
            {
                return Outcome.NotFound(ModelErrors.InstanceNotFound).As<ModelInference>();
            }

            if (Resolve(instance, "inference", out var model) is { } unavailable)
            {
                return unavailable.As<ModelInference>();
            }

            if (read.Parameters is not { } parameters)
            {
                return Outcome.Invalid(ModelErrors.InferenceFailed).As<ModelInference>(); // the store broke its invariant
            }

            var request = new ModelInferenceRequest(model.Definition, instance.Arguments, instance.State, parameters, data);
            var inferred = await runtimes.InferAsync(model.Runtime, request, instanceId, cancellationToken).ConfigureAwait(false);
            if (inferred.Value is not { } result)
            {
                return Outcome.Invalid(inferred.Error(ModelErrors.InferenceFailed)).As<ModelInference>();
            }

            if (StateOverLimit(instance, result.State, "inference") is { } tooLarge)
            {
                return tooLarge.As<ModelInference>();
            }

            var inferenceEvent = new ModelEvent(0, timestamp ?? timeProvider.GetUtcNow(), data, Metadata: null, Processed: false);
            var commit = await store.CommitInferenceAsync(caller.Subject, instanceId, instance.Version, result.State, target, inferenceEvent, _options.MaxEventsPerEpisode, cancellationToken).ConfigureAwait(false);
            switch (commit.Outcome)
            {
                case ModelStoreOutcome.Done:
                    return Outcome.Success(commit.EventOutcome switch
                    {
                        ModelStoreOutcome.Done => new ModelInference(commit.EventId, result.Results, NoErrors),
                        ModelStoreOutcome.LimitReached => new ModelInference(null, result.Results, [ModelErrors.InferenceEventEpisodeFull(_options.MaxEventsPerEpisode)]),
                        _ => new ModelInference(null, result.Results, [ModelErrors.InferenceEventNotRecorded]),
                    });
                case ModelStoreOutcome.VersionConflict:
                    Log.VersionConflict(logger, instanceId, "inference", attempt);
                    continue;
                default:
                    return Outcome.NotFound(ModelErrors.InstanceNotFound).As<ModelInference>();
            }
        }

        throw Busy();
    }

    public async ValueTask<ModelResult<JsonElement>> LearnAsync(ModelCaller caller, Guid instanceId, IReadOnlyList<string> episodes, bool relearn = false, CancellationToken cancellationToken = default)
    {
        CallerChecks.Check(caller);
        await retention.RecordAsync(caller, cancellationToken).ConfigureAwait(false);
        ArgumentNullException.ThrowIfNull(episodes);
        await using var held = (await locks.AcquireAsync(caller.Subject, instanceId, cancellationToken).ConfigureAwait(false)).ConfigureAwait(false);
        for (var attempt = 1; attempt <= MaxAttempts; attempt++)
        {
            if (await store.GetAsync(caller.Subject, instanceId, cancellationToken).ConfigureAwait(false) is not { } found)
            {
                return Outcome.NotFound(ModelErrors.InstanceNotFound).As<JsonElement>();
            }

            if (episodes.Count != 1 || episodes[0] is not { } episodeName)
            {
                return Outcome.Invalid(ModelErrors.OneEpisodeAtATime).As<JsonElement>();
            }

            if (Resolve(found, "learning", out var model) is { } unavailable)
            {
                return unavailable.As<JsonElement>();
            }

            var read = await store.GetEpisodeAsync(caller.Subject, instanceId, episodeName, cancellationToken).ConfigureAwait(false);
            if (read.Instance is not { } instance)
            {
                return Outcome.NotFound(ModelErrors.InstanceNotFound).As<JsonElement>();
            }

            if (read.Episode is not { } episode)
            {
                return Outcome.NotFound(ModelErrors.EpisodeNotFound).As<JsonElement>();
            }

            IReadOnlyList<ModelEvent> fed = relearn ? episode.Events : [.. episode.Events.Where(static e => !e.Processed)];
            var request = new ModelLearningRequest(model.Definition, instance.Arguments, instance.State, episode.Parameters, fed);
            var learned = await runtimes.LearnAsync(model.Runtime, request, instanceId, cancellationToken).ConfigureAwait(false);
            if (learned.Value is not { } result)
            {
                return Outcome.Invalid(learned.Error(ModelErrors.LearningFailed)).As<JsonElement>();
            }

            if (StateOverLimit(instance, result.State, "learning") is { } tooLarge)
            {
                return tooLarge.As<JsonElement>();
            }

            var ids = new long[fed.Count];
            for (var i = 0; i < ids.Length; i++)
            {
                ids[i] = fed[i].EventId;
            }

            var outcome = await store.CommitLearningAsync(caller.Subject, instanceId, instance.Version, result.State, episodeName, result.Parameters, ids, cancellationToken).ConfigureAwait(false);
            switch (outcome)
            {
                case ModelStoreOutcome.Done:
                    return Outcome.Success(result.LearnedParameters);
                case ModelStoreOutcome.VersionConflict:
                    Log.VersionConflict(logger, instanceId, "learning", attempt);
                    continue;
                case ModelStoreOutcome.EpisodeNotFound:
                    return Outcome.NotFound(ModelErrors.EpisodeNotFound).As<JsonElement>();
                default:
                    return Outcome.NotFound(ModelErrors.InstanceNotFound).As<JsonElement>();
            }
        }

        throw Busy();
    }

    private static ServiceUnavailableException Busy() =>
        new("The model instance kept changing while the call ran, try again", TimeSpan.FromSeconds(1));

    /// <summary>
    /// The quota on what an instance keeps (<see cref="RxInferModelsOptions.MaxInstanceSize"/>: its arguments and its
    /// state), checked before the new state is stored: a 400 that stores nothing (no state, no event, no parameters).
    /// </summary>
    private ModelResult? StateOverLimit(ModelInstance instance, JsonElement newState, string operation)
    {
        if (_quotas.SizeOverLimit(instance.Arguments, newState) is not { } size)
        {
            return null;
        }

        Log.InstanceSizeLimitReached(logger, operation, instance.InstanceId, size, _quotas.MaxInstanceSize);
        return Outcome.Invalid(ModelErrors.StateTooLarge(operation, size, _quotas.MaxInstanceSize));
    }

    /// <summary>The model's definition and runtime, or why the operation is not available.</summary>
    private ModelResult? Resolve(ModelInstance instance, string operation, out (ModelDefinition Definition, IModelRuntime Runtime) model)
    {
        model = default;
        if (runtimes.Find(instance.ModelName) is not { } runtime)
        {
            return Outcome.Invalid(ModelErrors.NoRuntime(instance.ModelName, operation));
        }

        if (catalog.FindModelByName(instance.ModelName) is not { } definition)
        {
            return Outcome.Invalid(ModelErrors.ModelGone(instance.ModelName));
        }

        model = (definition, runtime);
        return null;
    }
}
