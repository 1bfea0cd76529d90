using System.Text.Json;

namespace RxInfer.Server.Runtimes;

/// <summary>
/// Reads the observations of a sample model from a <c>data</c> object: either <c>"observation": v</c> (one value)
/// or <c>"observations": [v, ...]</c> (any number, in order), exactly one of the two. Every value must pass the
/// model's own check; the first that fails makes the whole call fail with a message naming its place.
/// </summary>
internal static class Observations
{
    /// <summary>The key of a single observation.</summary>
    public const string Single = "observation";

    /// <summary>The key of a list of observations.</summary>
    public const string Many = "observations";

    /// <summary>Checks and converts one observation; returns <see langword="false"/> when the value cannot be used.</summary>
    public delegate bool TryConvert<T>(JsonElement value, out T result);

    /// <summary>Reads the observations of <paramref name="data"/> and appends them to <paramref name="into"/>.</summary>
    /// <param name="data">The <c>data</c> object of an inference call or of an event.</param>
    /// <param name="convert">The model's check of one value.</param>
    /// <param name="expected">What a value must be, for the message (<c>"a finite number"</c>).</param>
    /// <param name="where">Where <paramref name="data"/> came from, for the message (<c>"data"</c>, <c>"event 3: data"</c>).</param>
    /// <param name="into">The list the values are appended to, in order.</param>
    /// <exception cref="InvalidModelDataException">No observation key, both keys, not an array, or a value that fails the check.</exception>
    public static void Read<T>(JsonElement data, TryConvert<T> convert, string expected, string where, List<T> into)
    {
        if (data.ValueKind != JsonValueKind.Object)
        {
            throw new InvalidModelDataException($"{where} must be a JSON object (found {Describe(data)})");
        }

        var hasSingle = data.TryGetProperty(Single, out var single);
        var hasMany = data.TryGetProperty(Many, out var many);
        if (hasSingle == hasMany)
        {
            throw new InvalidModelDataException(hasSingle
                ? $"{where} must have either '{Single}' or '{Many}', not both"
                : $"{where} must have '{Single}' (one value) or '{Many}' (an array of values)");
        }

        if (hasSingle)
        {
            into.Add(Convert(single, convert, expected, $"{where}.{Single}"));
            return;
        }

        if (many.ValueKind != JsonValueKind.Array)
        {
            throw new InvalidModelDataException($"{where}.{Many} must be an array (found {Describe(many)})");
        }

        var index = 0;
        foreach (var value in many.EnumerateArray())
        {
            into.Add(Convert(value, convert, expected, $"{where}.{Many}[{index}]"));
            index++;
        }
    }

    /// <summary>A finite JSON number (JSON has no NaN or Infinity; a number too large for a double is refused too).</summary>
    public static bool TryReadFiniteNumber(JsonElement value, out double result)
    {
        result = 0;
        return value.ValueKind == JsonValueKind.Number && value.TryGetDouble(out result) && double.IsFinite(result);
    }

    /// <summary>The kind of a JSON value, for messages (the value itself is never echoed).</summary>
    public static string Describe(JsonElement value) => value.ValueKind switch
    {
        JsonValueKind.Object => "an object",
        JsonValueKind.Array => "an array",
        JsonValueKind.String => "a string",
        JsonValueKind.Number => "a number",
        JsonValueKind.True or JsonValueKind.False => "a boolean",
        JsonValueKind.Null => "null",
        _ => "nothing",
    };

    private static T Convert<T>(JsonElement value, TryConvert<T> convert, string expected, string where)
    {
        if (!convert(value, out var result))
        {
            var found = value.ValueKind == JsonValueKind.Number ? "a number out of range" : Describe(value);
            throw new InvalidModelDataException($"{where} must be {expected} (found {found})");
        }

        return result;
    }
}
