using System.Text.Json.Serialization;

namespace RxInfer.Hosting.AspNetCore;

/// <summary>The body of every 4xx response: <c>{"error": "...", "message": "..."}</c>.</summary>
/// <param name="Error">The kind of error: the status code's reason phrase, for example <c>Not Found</c>.</param>
/// <param name="Message">What went wrong, for a person.</param>
internal sealed record ErrorResponse(
    [property: JsonPropertyName("error")] string Error,
    [property: JsonPropertyName("message")] string Message);
