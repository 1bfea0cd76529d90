using System.Text.Json;
using System.Text.Json.Serialization;

namespace RxInfer.Hosting.AspNetCore;

// The wire shapes of episodes and events (docs/protocol.md, part 2), snake_case and exact. Times are UTC DateTime
// values, which System.Text.Json writes with a Z suffix.

/// <summary>An episode: <c>EpisodeInfo</c>.</summary>
internal sealed record EpisodeInfoResponse(
    [property: JsonPropertyName("instance_id")] Guid InstanceId,
    [property: JsonPropertyName("episode_name")] string EpisodeName,
    [property: JsonPropertyName("created_at")] DateTime CreatedAt,
    [property: JsonPropertyName("events")] IReadOnlyList<EventResponse> Events,
    [property: JsonPropertyName("parameters")] JsonElement Parameters);

/// <summary>An event; <c>metadata</c> is left out until some is attached (events recorded by inference).</summary>
internal sealed record EventResponse(
    [property: JsonPropertyName("event_id")] long EventId,
    [property: JsonPropertyName("data")] JsonElement Data,
    [property: JsonPropertyName("timestamp")] DateTime Timestamp,
    [property: JsonPropertyName("metadata"), JsonIgnore(Condition = JsonIgnoreCondition.WhenWritingNull)] JsonElement? Metadata,
    [property: JsonPropertyName("processed")] bool Processed);

/// <summary>The body of <c>POST /models/i/{instance_id}/create-episode</c>; for the OpenAPI document only.</summary>
internal sealed record CreateEpisodeRequest([property: JsonPropertyName("name")] string Name);

/// <summary>The body of <c>POST .../attach-events</c>; for the OpenAPI document only.</summary>
internal sealed record AttachEventsRequest([property: JsonPropertyName("events")] IReadOnlyList<AttachedEvent> Events);

/// <summary>One event of <see cref="AttachEventsRequest"/>; for the OpenAPI document only.</summary>
internal sealed record AttachedEvent(
    [property: JsonPropertyName("timestamp")] DateTime? Timestamp,
    [property: JsonPropertyName("data")] JsonElement? Data,
    [property: JsonPropertyName("metadata")] JsonElement? Metadata,
    [property: JsonPropertyName("processed")] bool? Processed);

/// <summary>The body of <c>POST .../attach-metadata</c>; for the OpenAPI document only.</summary>
internal sealed record AttachMetadataRequest([property: JsonPropertyName("metadata")] JsonElement Metadata);
