using System.Text.Json;

namespace RxInfer.Server.Runtimes;

/// <summary>Reads the numbers of an arguments, parameters or state object, with messages that name the field.</summary>
internal static class JsonFields
{
    /// <summary>A finite number at <paramref name="name"/> of <paramref name="source"/> that passes <paramref name="isValid"/>.</summary>
    /// <param name="source">The object (arguments, parameters).</param>
    /// <param name="what">What the object is, for the message (<c>"argument"</c>, <c>"parameter"</c>).</param>
    /// <param name="name">The field.</param>
    /// <param name="isValid">The range check.</param>
    /// <param name="expected">What the field must be, for the message (<c>"a positive finite number"</c>).</param>
    /// <returns>The number.</returns>
    /// <exception cref="InvalidModelDataException">The object or the field is missing, or the field is not such a number.</exception>
    public static double ReadNumber(JsonElement source, string what, string name, Func<double, bool> isValid, string expected)
    {
        if (source.ValueKind != JsonValueKind.Object)
        {
            throw new InvalidModelDataException($"the {what}s must be a JSON object (found {Observations.Describe(source)})");
        }

        if (!source.TryGetProperty(name, out var value))
        {
            throw new InvalidModelDataException($"{what} {name} is missing; it must be {expected}");
        }

        if (!Observations.TryReadFiniteNumber(value, out var number) || !isValid(number))
        {
            throw new InvalidModelDataException($"{what} {name} must be {expected}");
        }

        return number;
    }

    /// <summary>A counter of a state object: a whole number from 0, or 0 when the state does not have it yet.</summary>
    /// <param name="state">The instance's state.</param>
    /// <param name="name">The counter.</param>
    /// <returns>The count.</returns>
    public static long ReadCounter(JsonElement state, string name) =>
        state.ValueKind == JsonValueKind.Object && state.TryGetProperty(name, out var value) && value.ValueKind == JsonValueKind.Number && value.TryGetInt64(out var count) && count >= 0
            ? count
            : 0;

    /// <summary>Whether a number is positive.</summary>
    public static bool Positive(double value) => value > 0;

    /// <summary>Whether a number is zero or positive.</summary>
    public static bool NotNegative(double value) => value >= 0;

    /// <summary>Any finite number.</summary>
    public static bool Any(double value) => double.IsFinite(value);
}
