using System.Runtime.InteropServices;
using System.Text.Json;

namespace RxInfer.Models;

/// <summary>The checks of an event's JSON values shared by inference and attach-events.</summary>
internal static class EventValues
{
    private static readonly JsonElement EmptyObject = JsonDocument.Parse("{}").RootElement.Clone();

    /// <summary>The size of a JSON value in bytes of its text as it was read.</summary>
    public static int Size(JsonElement value) => JsonMarshal.GetRawUtf8Value(value).Length;

    /// <summary>
    /// An event's data or metadata: absent or JSON <c>null</c> is <c>{}</c>; anything else must be an object of at most
    /// <paramref name="maxSize"/> bytes. Returns the error message, or <see langword="null"/> with the value.
    /// </summary>
    public static string? Check(JsonElement? given, int maxSize, string notObject, Func<int, string> tooLarge, out JsonElement value)
    {
        value = EmptyObject;
        if (given is not { ValueKind: not JsonValueKind.Undefined and not JsonValueKind.Null } element)
        {
            return null;
        }

        if (element.ValueKind != JsonValueKind.Object)
        {
            return notObject;
        }

        if (Size(element) > maxSize)
        {
            return tooLarge(maxSize);
        }

        value = element;
        return null;
    }
}
