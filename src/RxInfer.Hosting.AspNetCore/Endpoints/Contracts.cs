using System.Text.Json;
using System.Text.Json.Serialization;

namespace RxInfer.Hosting.AspNetCore;

// The wire shapes of docs/protocol.md, snake_case and exact. Internal: clients speak JSON, not these types.
// Times are UTC DateTime values, which System.Text.Json writes with a Z suffix (clients reject +00:00).

internal sealed record TokenResponse([property: JsonPropertyName("token")] string Token);

internal sealed record RolesResponse([property: JsonPropertyName("roles")] IReadOnlyList<string> Roles);

internal sealed record MessageResponse([property: JsonPropertyName("message")] string Message);

internal sealed record ModelDetailsResponse(
    [property: JsonPropertyName("name")] string Name,
    [property: JsonPropertyName("description")] string Description,
    [property: JsonPropertyName("author")] string Author,
    [property: JsonPropertyName("roles")] IReadOnlyList<string> Roles);

internal sealed record AvailableModelResponse(
    [property: JsonPropertyName("details")] ModelDetailsResponse Details,
    [property: JsonPropertyName("config")] JsonElement Config);

internal sealed record CreateInstanceResponse([property: JsonPropertyName("instance_id")] Guid InstanceId);

internal sealed record ModelInstanceResponse(
    [property: JsonPropertyName("instance_id")] Guid InstanceId,
    [property: JsonPropertyName("model_name")] string ModelName,
    [property: JsonPropertyName("created_at")] DateTime CreatedAt,
    [property: JsonPropertyName("description")] string Description,
    [property: JsonPropertyName("arguments")] JsonElement Arguments,
    [property: JsonPropertyName("current_episode")] string CurrentEpisode);

internal sealed record StateResponse([property: JsonPropertyName("state")] JsonElement State);

/// <summary>The body of <c>POST /models/create-instance</c>; for the OpenAPI document only (the body is read by hand).</summary>
internal sealed record CreateInstanceRequest(
    [property: JsonPropertyName("model_name")] string ModelName,
    [property: JsonPropertyName("arguments")] JsonElement? Arguments,
    [property: JsonPropertyName("description")] string? Description);
