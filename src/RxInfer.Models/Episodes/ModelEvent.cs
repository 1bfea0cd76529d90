using System.Text.Json;

namespace RxInfer.Models;

/// <summary>One event of an episode: data fed to the instance (attached by the caller, or recorded by inference).</summary>
/// <param name="EventId">The event's id: 1 for the first event of the episode, then one more than the last.</param>
/// <param name="Timestamp">When the event happened (the caller's value, else the time it was stored).</param>
/// <param name="Data">The event's data (a JSON object).</param>
/// <param name="Metadata">The event's metadata (a JSON object), or <see langword="null"/> when none was ever attached (events recorded by inference).</param>
/// <param name="Processed">Whether learning has fed it to the runtime.</param>
public sealed record ModelEvent(
    long EventId,
    DateTimeOffset Timestamp,
    JsonElement Data,
    JsonElement? Metadata,
    bool Processed);
