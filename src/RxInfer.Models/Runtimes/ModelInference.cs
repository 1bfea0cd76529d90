using System.Text.Json;

namespace RxInfer.Models;

/// <summary>What an inference gives back.</summary>
/// <param name="EventId">The id of the event that recorded the inference, or <see langword="null"/> when it could not be recorded.</param>
/// <param name="Results">The runtime's results.</param>
/// <param name="Errors">Why the event could not be recorded (one message), or empty: problems that did not stop the inference.</param>
public sealed record ModelInference(long? EventId, JsonElement Results, IReadOnlyList<string> Errors);
