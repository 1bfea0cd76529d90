using System.Text.Json;

namespace RxInfer.Models;

/// <summary>An event to attach to an episode, as the caller gives it; the missing parts get their defaults.</summary>
/// <param name="Data">The event's data (a JSON object); <see langword="null"/> or JSON <c>null</c> for an empty object.</param>
/// <param name="Metadata">The event's metadata (a JSON object); <see langword="null"/> or JSON <c>null</c> for an empty object.</param>
/// <param name="Timestamp">When the event happened; <see langword="null"/> for the time it is stored.</param>
/// <param name="Processed">Whether learning has used it already. Defaults to <see langword="false"/>.</param>
public sealed record ModelEventInput(JsonElement? Data = null, JsonElement? Metadata = null, DateTimeOffset? Timestamp = null, bool Processed = false);
