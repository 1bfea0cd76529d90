using System.Text.Json;

namespace RxInfer.Models;

/// <summary>What <see cref="IModelRuntime.InferAsync"/> runs on.</summary>
/// <param name="Model">The model.</param>
/// <param name="Arguments">The instance's merged arguments (a JSON object).</param>
/// <param name="State">The instance's state.</param>
/// <param name="Parameters">The parameters of the instance's current episode.</param>
/// <param name="Data">The caller's data (a JSON object).</param>
public sealed record ModelInferenceRequest(
    ModelDefinition Model,
    JsonElement Arguments,
    JsonElement State,
    JsonElement Parameters,
    JsonElement Data);
