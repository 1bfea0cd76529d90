using System.Text.Json;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Logging;
using Microsoft.Extensions.Options;

namespace RxInfer.Models;

/// <summary>
/// Finds the runtime of a model (the <see cref="IModelRuntime"/> registered under the model's name as a keyed
/// singleton, see <see cref="RxInferModelsBuilder.AddModelRuntime(string, IModelRuntime)"/>, or none) and calls it
/// under the rules every caller needs: at most <see cref="RxInferModelsOptions.RuntimeTimeout"/>, cancelled with the
/// request, and a call that throws, is cancelled or times out is logged and reported as a failure (<see langword="null"/>),
/// never as an exception. A runtime that ignores cancellation is abandoned, not awaited: its result is never used.
/// </summary>
internal sealed class ModelRuntimes(IServiceProvider services, TimeProvider timeProvider, IOptions<RxInferModelsOptions> options, ILogger logger)
{
    private readonly TimeSpan _timeout = options.Value.RuntimeTimeout;

    /// <summary>The runtime registered for <paramref name="modelName"/>, or <see langword="null"/> when the model has none.</summary>
    public IModelRuntime? Find(string modelName) => services.GetKeyedService<IModelRuntime>(modelName);

    /// <summary>The initial state of a new instance: the runtime's, or the merged arguments when the model has no runtime; <see langword="null"/> when the runtime failed.</summary>
    public ValueTask<JsonElement?> CreateInitialStateAsync(ModelDefinition model, JsonElement arguments, CancellationToken cancellationToken) =>
        Find(model.Name) is { } runtime
            ? CallAsync("initial state", model.Name, null, runtime, (r, ct) => r.CreateInitialStateAsync(model, arguments, ct), static value => Valid(value), cancellationToken)
            : ValueTask.FromResult<JsonElement?>(arguments);

    /// <summary>The initial parameters of a new episode: the runtime's, or the merged arguments when the model has no runtime; <see langword="null"/> when the runtime failed.</summary>
    public ValueTask<JsonElement?> CreateInitialParametersAsync(ModelDefinition model, JsonElement arguments, Guid? instanceId, CancellationToken cancellationToken) =>
        Find(model.Name) is { } runtime
            ? CallAsync("initial parameters", model.Name, instanceId, runtime, (r, ct) => r.CreateInitialParametersAsync(model, arguments, ct), static value => Valid(value), cancellationToken)
            : ValueTask.FromResult<JsonElement?>(arguments);

    /// <summary>Runs inference; <see langword="null"/> when the runtime failed or gave back no results or no state.</summary>
    public async ValueTask<ModelInferenceResult?> InferAsync(IModelRuntime runtime, ModelInferenceRequest request, Guid instanceId, CancellationToken cancellationToken)
    {
        var result = await CallAsync("inference", request.Model.Name, instanceId, runtime, (r, ct) => r.InferAsync(request, ct), static value => Valid(value.Results) && Valid(value.State), cancellationToken).ConfigureAwait(false);
        return result is { } value ? new ModelInferenceResult(value.Results.Clone(), value.State.Clone()) : null;
    }

    /// <summary>Runs learning; <see langword="null"/> when the runtime failed or gave back an incomplete result.</summary>
    public async ValueTask<ModelLearningResult?> LearnAsync(IModelRuntime runtime, ModelLearningRequest request, Guid instanceId, CancellationToken cancellationToken)
    {
        var result = await CallAsync("learning", request.Model.Name, instanceId, runtime, (r, ct) => r.LearnAsync(request, ct), static value => Valid(value.LearnedParameters) && Valid(value.State) && Valid(value.Parameters), cancellationToken).ConfigureAwait(false);
        return result is { } value ? new ModelLearningResult(value.LearnedParameters.Clone(), value.State.Clone(), value.Parameters.Clone()) : null;
    }

    private static bool Valid(JsonElement value) => value.ValueKind != JsonValueKind.Undefined;

    private async ValueTask<T?> CallAsync<T>(
        string operation,
        string modelName,
        Guid? instanceId,
        IModelRuntime runtime,
        Func<IModelRuntime, CancellationToken, ValueTask<T>> call,
        Func<T, bool> isComplete,
        CancellationToken cancellationToken)
        where T : struct
    {
        using var timeout = new CancellationTokenSource(_timeout, timeProvider);
        using var linked = CancellationTokenSource.CreateLinkedTokenSource(cancellationToken, timeout.Token);
        try
        {
            var pending = call(runtime, linked.Token);
            var value = pending.IsCompletedSuccessfully
                ? pending.Result
                : await pending.AsTask().WaitAsync(linked.Token).ConfigureAwait(false);
            if (isComplete(value))
            {
                return value;
            }

            Log.RuntimeIncomplete(logger, operation, modelName, instanceId);
            return null;
        }
        catch (OperationCanceledException) when (timeout.IsCancellationRequested && !cancellationToken.IsCancellationRequested)
        {
            Log.RuntimeTimedOut(logger, operation, modelName, instanceId, _timeout);
            return null;
        }
        catch (OperationCanceledException) when (cancellationToken.IsCancellationRequested)
        {
            Log.RuntimeCancelled(logger, operation, modelName, instanceId);
            return null;
        }
#pragma warning disable CA1031 // A runtime is the host's code: any failure it raises is reported to the client as the contract's 400.
        catch (Exception exception)
#pragma warning restore CA1031
        {
            Log.RuntimeFailed(logger, operation, modelName, instanceId, exception);
            return null;
        }
    }
}
