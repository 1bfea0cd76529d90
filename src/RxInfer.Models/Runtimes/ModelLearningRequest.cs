using System.Text.Json;

namespace RxInfer.Models;

/// <summary>What <see cref="IModelRuntime.LearnAsync"/> runs on.</summary>
/// <param name="Model">The model.</param>
/// <param name="Arguments">The instance's merged arguments (a JSON object).</param>
/// <param name="State">The instance's state.</param>
/// <param name="Parameters">The parameters of the episode being learned.</param>
/// <param name="Events">The events to learn from, in event-id order (only the unprocessed ones unless the caller asked to relearn).</param>
public sealed record ModelLearningRequest(
    ModelDefinition Model,
    JsonElement Arguments,
    JsonElement State,
    JsonElement Parameters,
    IReadOnlyList<ModelEvent> Events);
