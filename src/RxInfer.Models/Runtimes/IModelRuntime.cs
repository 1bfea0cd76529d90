using System.Text.Json;

namespace RxInfer.Models;

/// <summary>
/// Runs one model: gives a new instance its initial state, gives each new episode its initial parameters, runs
/// inference and runs learning. Registered per model name with
/// <see cref="RxInferModelsBuilder.AddModelRuntime(string, IModelRuntime)"/>; a model without a runtime uses the
/// default (state and parameters are the merged arguments; inference and learning are refused with a clear error).
/// </summary>
/// <remarks>
/// <para>
/// Every value is a <see cref="JsonElement"/> as the protocol carries it. Inputs are immutable; a runtime returns new
/// values (for example with <see cref="JsonSerializer.SerializeToElement{TValue}(TValue, JsonSerializerOptions?)"/>)
/// and never keeps state of its own between calls: an instance's state lives in the store.
/// </para>
/// <para>
/// Calls on one instance are serialised by the caller, so a runtime sees one call at a time per instance; calls on
/// different instances may run in parallel, so a runtime registered once must be thread-safe. A call that throws,
/// is cancelled or exceeds the configured time limit changes nothing: the state, parameters and events stay as they
/// were.
/// </para>
/// </remarks>
public interface IModelRuntime
{
    /// <summary>The state of a new instance.</summary>
    /// <param name="model">The model.</param>
    /// <param name="arguments">The instance's merged arguments (a JSON object).</param>
    /// <param name="cancellationToken">Cancels the call.</param>
    /// <returns>The initial state.</returns>
    ValueTask<JsonElement> CreateInitialStateAsync(ModelDefinition model, JsonElement arguments, CancellationToken cancellationToken);

    /// <summary>The parameters of a new episode (the <c>default</c> episode of a new instance, and every episode created later).</summary>
    /// <param name="model">The model.</param>
    /// <param name="arguments">The instance's merged arguments (a JSON object).</param>
    /// <param name="cancellationToken">Cancels the call.</param>
    /// <returns>The initial parameters.</returns>
    ValueTask<JsonElement> CreateInitialParametersAsync(ModelDefinition model, JsonElement arguments, CancellationToken cancellationToken);

    /// <summary>Runs inference: (state, parameters, data) to (results, new state).</summary>
    /// <param name="request">The instance's state, the current episode's parameters and the caller's data.</param>
    /// <param name="cancellationToken">Cancels the call (the caller's request ended, or the time limit passed).</param>
    /// <returns>The results for the caller and the instance's new state.</returns>
    ValueTask<ModelInferenceResult> InferAsync(ModelInferenceRequest request, CancellationToken cancellationToken);

    /// <summary>Runs learning: (state, parameters, events) to (learned parameters, new state, new parameters).</summary>
    /// <param name="request">The instance's state, the episode's parameters and the events to learn from.</param>
    /// <param name="cancellationToken">Cancels the call (the caller's request ended, or the time limit passed).</param>
    /// <returns>The learned parameters for the caller, the instance's new state and the episode's new parameters.</returns>
    ValueTask<ModelLearningResult> LearnAsync(ModelLearningRequest request, CancellationToken cancellationToken);
}
