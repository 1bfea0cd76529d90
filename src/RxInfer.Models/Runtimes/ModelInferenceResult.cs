using System.Text.Json;

namespace RxInfer.Models;

/// <summary>What <see cref="IModelRuntime.InferAsync"/> gives back.</summary>
/// <param name="Results">The results for the caller (the <c>results</c> of the response).</param>
/// <param name="State">The instance's new state.</param>
public readonly record struct ModelInferenceResult(JsonElement Results, JsonElement State);
