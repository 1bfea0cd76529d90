using System.Text.Json;
using Microsoft.Extensions.Logging;
using Microsoft.Extensions.Options;

namespace RxInfer.Models;

/// <summary>The rules of instances (docs/protocol.md, "Creating an instance" and "Ownership") over an <see cref="IModelInstanceStore"/>.</summary>
internal sealed class ModelInstanceService(
    IModelCatalog catalog,
    IModelInstanceStore store,
    ModelRuntimes runtimes,
    TimeProvider timeProvider,
    IOptions<RxInferModelsOptions> options,
    ILogger<ModelInstanceService> logger) : IModelInstanceService
{
    private readonly int _maxDescriptionLength = options.Value.MaxDescriptionLength;

    public async ValueTask<ModelInstanceCreation> CreateAsync(ModelCaller caller, string modelName, JsonElement? arguments, string? description, CancellationToken cancellationToken = default)
    {
        CheckCaller(caller);
        ArgumentNullException.ThrowIfNull(modelName);

        var given = arguments is { ValueKind: not JsonValueKind.Undefined } element ? element : (JsonElement?)null;
        if (given is { ValueKind: not JsonValueKind.Object })
        {
            return ModelInstanceCreation.InvalidRequest(ModelErrors.ArgumentsNotObject);
        }

        if (description is not null && CountCharacters(description, _maxDescriptionLength) > _maxDescriptionLength)
        {
            return ModelInstanceCreation.InvalidRequest(ModelErrors.DescriptionTooLong(_maxDescriptionLength));
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

        // The runtime gives the state and the default episode's parameters; when it fails, nothing is stored.
        var state = await runtimes.CreateInitialStateAsync(model, merged, cancellationToken).ConfigureAwait(false);
        if (state.Value is null)
        {
            return ModelInstanceCreation.InvalidRequest(state.Error(ModelErrors.InstanceCreationFailed));
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
            state.Value.Value);
        await store.AddAsync(instance, parameters.Value.Value, cancellationToken).ConfigureAwait(false);
        Log.InstanceCreated(logger, instance.InstanceId, instance.ModelName, caller.Subject);
        return ModelInstanceCreation.Created(instance);
    }

    public ValueTask<IReadOnlyList<ModelInstance>> ListAsync(ModelCaller caller, CancellationToken cancellationToken = default)
    {
        CheckCaller(caller);
        return store.ListAsync(caller.Subject, cancellationToken);
    }

    public ValueTask<ModelInstance?> GetAsync(ModelCaller caller, Guid instanceId, CancellationToken cancellationToken = default)
    {
        CheckCaller(caller);
        return store.GetAsync(caller.Subject, instanceId, cancellationToken);
    }

    public async ValueTask<JsonElement?> GetStateAsync(ModelCaller caller, Guid instanceId, CancellationToken cancellationToken = default)
    {
        CheckCaller(caller);
        var instance = await store.GetAsync(caller.Subject, instanceId, cancellationToken).ConfigureAwait(false);
        return instance?.State;
    }

    public async ValueTask<bool> DeleteAsync(ModelCaller caller, Guid instanceId, CancellationToken cancellationToken = default)
    {
        CheckCaller(caller);
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
        if (string.IsNullOrEmpty(caller.Subject))
        {
            throw new ArgumentException("The caller must have a subject.", nameof(caller));
        }

        if (caller.Roles is null)
        {
            throw new ArgumentException("The caller must have a role list (it may be empty).", nameof(caller));
        }
    }
}
