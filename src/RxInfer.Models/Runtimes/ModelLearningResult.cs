using System.Text.Json;

namespace RxInfer.Models;

/// <summary>What <see cref="IModelRuntime.LearnAsync"/> gives back.</summary>
/// <param name="LearnedParameters">The learned parameters for the caller (the <c>learned_parameters</c> of the response).</param>
/// <param name="State">The instance's new state.</param>
/// <param name="Parameters">The episode's new parameters.</param>
public readonly record struct ModelLearningResult(JsonElement LearnedParameters, JsonElement State, JsonElement Parameters);
