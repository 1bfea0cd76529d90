using System.Text.Json;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Logging;
using Microsoft.Extensions.Options;

namespace RxInfer.Models;

/// <summary>
/// Finds the runtime of a model (the <see cref="IModelRuntime"/> registered under the model's name as a keyed
/// singleton, see <see cref="RxInferModelsBuilder.AddModelRuntime(string, IModelRuntime)"/>, or none) and calls it
/// under the rules every caller needs: at most <see cref="RxInferModelsOptions.RuntimeTimeout"/>, cancelled with the
/// request, and a call that throws, is cancelled or times out is logged and reported as a failure, never as an
/// exception; a <see cref="ModelDataException"/> carries its message to the client. A runtime that ignores
/// cancellation is abandoned, not awaited: its result is never used.
/// </summary>
internal sealed class ModelRuntimes(IServiceProvider services, TimeProvider timeProvider, IOptions<RxInferModelsOptions> options, ILogger logger)
{
    private readonly TimeSpan _timeout = options.Value.RuntimeTimeout;

    /// <summary>The runtime registered for <paramref name="modelName"/>, or <see langword="null"/> when the model has none.</summary>
    public IModelRuntime? Find(string modelName) => services.GetKeyedService<IModelRuntime>(modelName);

    /// <summary>The initial state of a new instance: the runtime's, or the merged arguments when the model has no runtime.</summary>
    public ValueTask<RuntimeOutcome<JsonElement>> CreateInitialStateAsync(ModelDefinition model, JsonElement arguments, CancellationToken cancellationToken) =>
        Find(model.Name) is { } runtime
            ? CallAsync("initial state", model.Name, null, runtime, (r, ct) => r.CreateInitialStateAsync(model, arguments, ct), static value => Valid(value), cancellationToken)
            : ValueTask.FromResult(new RuntimeOutcome<JsonElement>(arguments, null));

    /// <summary>The initial parameters of a new episode: the runtime's, or the merged arguments when the model has no runtime.</summary>
    public ValueTask<RuntimeOutcome<JsonElement>> CreateInitialParametersAsync(ModelDefinition model, JsonElement arguments, Guid? instanceId, CancellationToken cancellationToken) =>
        Find(model.Name) is { } runtime
            ? CallAsync("initial parameters", model.Name, instanceId, runtime, (r, ct) => r.CreateInitialParametersAsync(model, arguments, ct), static value => Valid(value), cancellationToken)
            : ValueTask.FromResult(new RuntimeOutcome<JsonElement>(arguments, null));

    /// <summary>Runs inference; a failure when the runtime failed or gave back no results or no state.</summary>
    public async ValueTask<RuntimeOutcome<ModelInferenceResult>> InferAsync(IModelRuntime runtime, ModelInferenceRequest request, Guid instanceId, CancellationToken cancellationToken)
    {
        var result = await CallAsync("inference", request.Model.Name, instanceId, runtime, (r, ct) => r.InferAsync(request, ct), static value => Valid(value.Results) && Valid(value.State), cancellationToken).ConfigureAwait(false);
        return result.Value is { } value ? new(new ModelInferenceResult(value.Results.Clone(), value.State.Clone()), null) : result;
    }

    /// <summary>Runs learning; a failure when the runtime failed or gave back an incomplete result.</summary>
    public async ValueTask<RuntimeOutcome<ModelLearningResult>> LearnAsync(IModelRuntime runtime, ModelLearningRequest request, Guid instanceId, CancellationToken cancellationToken)
    {
        var result = await CallAsync("learning", request.Model.Name, instanceId, runtime, (r, ct) => r.LearnAsync(request, ct), static value => Valid(value.LearnedParameters) && Valid(value.State) && Valid(value.Parameters), cancellationToken).ConfigureAwait(false);
        return result.Value is { } value ? new(new ModelLearningResult(value.LearnedParameters.Clone(), value.State.Clone(), value.Parameters.Clone()), null) : result;
    }

    private static bool Valid(JsonElement value) => value.ValueKind != JsonValueKind.Undefined;

    private async ValueTask<RuntimeOutcome<T>> CallAsync<T>(
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
        using var activity = RxInferModelsActivities.StartRuntimeCall(operation, modelName, instanceId);
        try
        {
            var pending = call(runtime, linked.Token);
            var value = pending.IsCompletedSuccessfully
                ? pending.Result
                : await pending.AsTask().WaitAsync(linked.Token).ConfigureAwait(false);
            if (isComplete(value))
            {
                RxInferModelsActivities.SetOutcome(activity, "ok");
                return new(value, null);
            }

            RxInferModelsActivities.SetOutcome(activity, "incomplete", error: true);
            Log.RuntimeIncomplete(logger, operation, modelName, instanceId);
            return default;
        }
        catch (ModelDataException refused)
        {
            RxInferModelsActivities.SetOutcome(activity, "refused");
            Log.RuntimeRefusedInput(logger, operation, modelName, instanceId, refused.Message);
            return new(null, refused.Message);
        }
        catch (OperationCanceledException) when (timeout.IsCancellationRequested && !cancellationToken.IsCancellationRequested)
        {
            RxInferModelsActivities.SetOutcome(activity, "timed_out", error: true);
            Log.RuntimeTimedOut(logger, operation, modelName, instanceId, _timeout);
            return default;
        }
        catch (OperationCanceledException) when (cancellationToken.IsCancellationRequested)
        {
            RxInferModelsActivities.SetOutcome(activity, "cancelled");
            Log.RuntimeCancelled(logger, operation, modelName, instanceId);
            return default;
        }
#pragma warning disable CA1031 // A runtime is the host's code: any failure it raises is reported to the client as the contract's 400.
        catch (Exception exception)
#pragma warning restore CA1031
        {
            RxInferModelsActivities.SetOutcome(activity, "failed", error: true);
            Log.RuntimeFailed(logger, operation, modelName, instanceId, exception);
            return default;
        }
    }
}

/// <summary>The outcome of a runtime call: the value, or a failure with the runtime's own message for the client (<see cref="ModelDataException"/>) or none (the generic message).</summary>
/// <typeparam name="T">The value.</typeparam>
/// <param name="Value">The value, or <see langword="null"/> when the call failed.</param>
/// <param name="Refusal">The runtime's message when it refused its input; otherwise <see langword="null"/>.</param>
internal readonly record struct RuntimeOutcome<T>(T? Value, string? Refusal)
    where T : struct
{
    /// <summary>The message for the client when the call failed: the runtime's own, or <paramref name="generic"/>.</summary>
    public string Error(string generic) => Refusal ?? generic;
}
