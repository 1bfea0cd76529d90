using System.Text.Json;

namespace RxInfer.Hosting.AspNetCore;

/// <summary>
/// Reads the fields of a request body (a JSON object from <see cref="JsonBody"/>) with one clear message per problem.
/// A field that is absent or JSON <c>null</c> counts as absent.
/// </summary>
internal static class RequestFields
{
    /// <summary>The field, or <see langword="null"/> when it is absent or JSON <c>null</c>.</summary>
    public static JsonElement? Optional(JsonElement body, string name) =>
        body.TryGetProperty(name, out var value) && value.ValueKind != JsonValueKind.Null ? value : null;

    public static string Required(string name) => $"The field {name} is required";

    public static string MustBe(string name, string what) => $"The field {name} must be {what}";

    /// <summary>An optional string field: its value, or an error.</summary>
    public static string? OptionalString(JsonElement body, string name, out string? error)
    {
        error = null;
        if (Optional(body, name) is not { } value)
        {
            return null;
        }

        if (value.ValueKind != JsonValueKind.String)
        {
            error = MustBe(name, "a string");
            return null;
        }

        return value.GetString();
    }

    /// <summary>
    /// An optional ISO 8601 date and time (<c>2024-03-20T12:00:00Z</c>, an offset, or no zone, which means UTC as the
    /// original clients send it): its value in UTC, or an error naming <paramref name="what"/>.
    /// </summary>
    public static DateTimeOffset? OptionalTimestamp(JsonElement? value, string what, out string? error)
    {
        error = null;
        if (value is not { } element)
        {
            return null;
        }

        if (element.ValueKind == JsonValueKind.String)
        {
            if (element.TryGetDateTime(out var local) && local.Kind == DateTimeKind.Unspecified)
            {
                return new DateTimeOffset(DateTime.SpecifyKind(local, DateTimeKind.Utc));
            }

            if (element.TryGetDateTimeOffset(out var timestamp))
            {
                return timestamp.ToUniversalTime();
            }
        }

        error = $"The field {what} must be an ISO 8601 date and time, such as 2024-03-20T12:00:00Z";
        return null;
    }

    /// <summary>An instance id from the path; one that is not a UUID names no instance (the empty UUID is never issued).</summary>
    public static Guid InstanceId(string value) => Guid.TryParse(value, out var id) ? id : Guid.Empty;

    /// <summary>A time in the protocol's form: UTC, written with a <c>Z</c> suffix.</summary>
    public static DateTime Utc(DateTimeOffset value) => value.UtcDateTime;
}
