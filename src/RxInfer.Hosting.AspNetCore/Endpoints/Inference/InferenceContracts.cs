using System.Text.Json;
using System.Text.Json.Serialization;

namespace RxInfer.Hosting.AspNetCore;

// The wire shapes of parameters, inference and learning (docs/protocol.md, part 2), snake_case and exact.

/// <summary>The body of <c>GET /models/i/{instance_id}/parameters</c>.</summary>
internal sealed record ParametersResponse([property: JsonPropertyName("parameters")] JsonElement Parameters);

/// <summary>The body of <c>POST /models/i/{instance_id}/infer</c>: <c>event_id</c> is written as <c>null</c> when no event was recorded.</summary>
internal sealed record InferResponse(
    [property: JsonPropertyName("event_id"), JsonIgnore(Condition = JsonIgnoreCondition.Never)] long? EventId,
    [property: JsonPropertyName("results")] JsonElement Results,
    [property: JsonPropertyName("errors")] IReadOnlyList<ErrorResponse> Errors);

/// <summary>The body of <c>POST /models/i/{instance_id}/learn</c>.</summary>
internal sealed record LearnResponse([property: JsonPropertyName("learned_parameters")] JsonElement LearnedParameters);

/// <summary>The body of <c>POST /models/i/{instance_id}/infer</c>; for the OpenAPI document only.</summary>
internal sealed record InferRequest(
    [property: JsonPropertyName("data")] JsonElement Data,
    [property: JsonPropertyName("timestamp")] DateTime? Timestamp,
    [property: JsonPropertyName("episode_name")] string? EpisodeName);

/// <summary>The body of <c>POST /models/i/{instance_id}/learn</c>; for the OpenAPI document only.</summary>
internal sealed record LearnRequest(
    [property: JsonPropertyName("episodes")] IReadOnlyList<string> Episodes,
    [property: JsonPropertyName("relearn")] bool? Relearn);
