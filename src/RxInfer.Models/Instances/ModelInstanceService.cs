using System.Text.Json;
using Microsoft.Extensions.Logging;
using Microsoft.Extensions.Options;

namespace RxInfer.Models;

/// <summary>
/// The rules of instances (docs/protocol.md, "Creating an instance" and "Ownership") over an <see cref="IModelInstanceStore"/>, with the quotas and
/// retention of <c>Quotas/</c>: every operation records the caller's retention first (<see cref="InstanceRetention"/>),
/// and creation checks the stored size and passes the instance limits to the store (<see cref="InstanceQuotas"/>).
/// </summary>
internal sealed class ModelInstanceService(
    IModelCatalog catalog,
    IModelInstanceStore store,
    ModelRuntimes runtimes,
    InstanceRetention retention,
    TimeProvider timeProvider,
    IOptions<RxInferModelsOptions> options,
    ILogger<ModelInstanceService> logger) : IModelInstanceService
{
    private readonly int _maxDescriptionLength = options.Value.MaxDescriptionLength;
    private readonly InstanceQuotas _quotas = new(options.Value, logger);

    public async ValueTask<ModelInstanceCreation> CreateAsync(ModelCaller caller, string modelName, JsonElement? arguments, string? description, CancellationToken cancellationToken = default)
    {
        CheckCaller(caller);
        ArgumentNullException.ThrowIfNull(modelName);
        await retention.RecordAsync(caller, cancellationToken).ConfigureAwait(false);

        var given = arguments is { ValueKind: not JsonValueKind.Undefined } element ? element : (JsonElement?)null;
        if (given is { ValueKind: not JsonValueKind.Object })
        {
            return ModelInstanceCreation.InvalidRequest(ModelErrors.ArgumentsNotObject);
        }

        if (description is not null && CountCharacters(description, _maxDescriptionLength) > _maxDescriptionLength)
        {
            return ModelInstanceCreation.InvalidRequest(ModelErrors.DescriptionTooLong(_maxDescriptionLength));
        }

        if (description is not null && description.Contains('\0', StringComparison.Ordinal))
        {
            return ModelInstanceCreation.InvalidRequest(ModelErrors.DescriptionHasNul);
        }

        var model = catalog.FindModel(modelName, caller.Roles);
        if (model is null)
        {
            return ModelInstanceCreation.ModelNotFound(modelName);
        }

        var merged = ModelArgumentMerger.Merge(model, given, out var missing);
        if (missing is not null)
        {
            return ModelInstanceCreation.InvalidRequest(ModelErrors.ArgumentRequired(missing));
        }

        if (_quotas.SizeOverLimit(merged) is { } argumentsSize)
        {
            return ModelInstanceCreation.InvalidRequest(ModelErrors.InstanceTooLarge(argumentsSize, _quotas.MaxInstanceSize));
        }

        // The runtime gives the state and the default episode's parameters; when it fails, nothing is stored.
        var state = await runtimes.CreateInitialStateAsync(model, merged, cancellationToken).ConfigureAwait(false);
        if (state.Value is not { } initialState)
        {
            return ModelInstanceCreation.InvalidRequest(state.Error(ModelErrors.InstanceCreationFailed));
        }

        if (_quotas.SizeOverLimit(merged, initialState) is { } size)
        {
            return ModelInstanceCreation.InvalidRequest(ModelErrors.InstanceTooLarge(size, _quotas.MaxInstanceSize));
        }

        var parameters = await runtimes.CreateInitialParametersAsync(model, merged, instanceId: null, cancellationToken).ConfigureAwait(false);
        if (parameters.Value is null)
        {
            return ModelInstanceCreation.InvalidRequest(parameters.Error(ModelErrors.InstanceCreationFailed));
        }

        var instance = new ModelInstance(
            Guid.NewGuid(),
            model.Name,
            caller.Subject,
            timeProvider.GetUtcNow(),
            description,
            merged,
            initialState);
        var added = await store.AddAsync(instance, parameters.Value.Value, _quotas.Limits, retention.RetainUntil(caller), cancellationToken).ConfigureAwait(false);
        if (added != InstanceAddResult.Added)
        {
            return _quotas.Refuse(added, caller.Subject);
        }

        Log.InstanceCreated(logger, instance.InstanceId, instance.ModelName, caller.Subject);
        return ModelInstanceCreation.Created(instance);
    }

    public async ValueTask<IReadOnlyList<ModelInstance>> ListAsync(ModelCaller caller, CancellationToken cancellationToken = default)
    {
        CheckCaller(caller);
        await retention.RecordAsync(caller, cancellationToken).ConfigureAwait(false);
        return await store.ListAsync(caller.Subject, cancellationToken).ConfigureAwait(false);
    }

    public async ValueTask<ModelInstance?> GetAsync(ModelCaller caller, Guid instanceId, CancellationToken cancellationToken = default)
    {
        CheckCaller(caller);
        await retention.RecordAsync(caller, cancellationToken).ConfigureAwait(false);
        return await store.GetAsync(caller.Subject, instanceId, cancellationToken).ConfigureAwait(false);
    }

    public async ValueTask<JsonElement?> GetStateAsync(ModelCaller caller, Guid instanceId, CancellationToken cancellationToken = default)
    {
        CheckCaller(caller);
        await retention.RecordAsync(caller, cancellationToken).ConfigureAwait(false);
        var instance = await store.GetAsync(caller.Subject, instanceId, cancellationToken).ConfigureAwait(false);
        return instance?.State;
    }

    public async ValueTask<bool> DeleteAsync(ModelCaller caller, Guid instanceId, CancellationToken cancellationToken = default)
    {
        CheckCaller(caller);
        await retention.RecordAsync(caller, cancellationToken).ConfigureAwait(false);
        var removed = await store.RemoveAsync(caller.Subject, instanceId, cancellationToken).ConfigureAwait(false);
        if (removed)
        {
            Log.InstanceDeleted(logger, instanceId, caller.Subject);
        }

        return removed;
    }

    /// <summary>The length in Unicode code points (as JSON Schema's <c>maxLength</c> counts), stopping once past <paramref name="limit"/>.</summary>
    private static int CountCharacters(string text, int limit)
    {
        // A UTF-16 length within the limit is a code-point count within it too: skip the walk.
        if (text.Length <= limit)
        {
            return text.Length;
        }

        var count = 0;
        foreach (var _ in text.EnumerateRunes())
        {
            if (++count > limit)
            {
                break;
            }
        }

        return count;
    }

    private static void CheckCaller(ModelCaller caller)
    {
        CallerChecks.Check(caller); // a subject, and an owner key (no control character but the external separator)

        if (caller.Roles is null)
        {
            throw new ArgumentException("The caller must have a role list (it may be empty).", nameof(caller));
        }
    }
}
