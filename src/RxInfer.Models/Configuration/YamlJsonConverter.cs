using System.Buffers;
using System.Globalization;
using System.Text.Json;
using RxInfer.Text;
using YamlDotNet.Core;
using YamlDotNet.Core.Events;

namespace RxInfer.Models;

/// <summary>
/// Converts one YAML document to JSON with the YAML 1.2 core schema for plain scalars: <c>null</c>, <c>~</c>
/// and nothing become <c>null</c>; <c>true</c>/<c>false</c> booleans; integers and floats numbers; everything
/// else, and every quoted or block scalar, a string. <c>yes</c>/<c>no</c> stay strings (YAML 1.1 is not used).
/// </summary>
/// <remarks>
/// Works on the parser's events, never on a node tree and never by recursion, so no input can exhaust the stack:
/// nesting deeper than <see cref="MaxDepth"/> is refused as soon as the parser reports it, before anything else is
/// read. An alias is written by replaying the events of its anchored node, and every value and byte written counts,
/// aliases included, so an expansion ("billion laughs", or a long string repeated) stops at <see cref="MaxValues"/>
/// values or <see cref="MaxOutputBytes"/> bytes whatever the size of the file.
/// </remarks>
internal static class YamlJsonConverter
{
    /// <summary>The deepest nesting of mappings and sequences.</summary>
    public const int MaxDepth = ModelConfigurationLoader.MaxDepth;

    /// <summary>The most values (scalars, mappings, sequences) a document may expand to, aliases included.</summary>
    public const int MaxValues = 1_000_000;

    /// <summary>The most JSON bytes a document may expand to, aliases included: 4 MiB.</summary>
    public const int MaxOutputBytes = 4 * 1024 * 1024;

    private const string StringTag = "tag:yaml.org,2002:str";

    public static JsonElement Convert(string yaml, string source)
    {
        var (events, aliases) = ReadEvents(yaml, source);
        var buffer = new ArrayBufferWriter<byte>(1024);
        using (var writer = JsonDocumentWriter.CreateWriter(buffer))
        {
            Write(writer, events, aliases, source);
        }

        using var document = JsonDocument.Parse(buffer.WrittenMemory, new JsonDocumentOptions { MaxDepth = MaxDepth });
        return document.RootElement.Clone();
    }

    /// <summary>
    /// The events of the root node of the one document, and for every alias event the range of events of its anchored
    /// node. Refuses nesting deeper than <see cref="MaxDepth"/> at the event that goes too deep.
    /// </summary>
    private static (List<ParsingEvent> Events, Dictionary<int, (int Start, int End)> Aliases) ReadEvents(string yaml, string source)
    {
        var events = new List<ParsingEvent>();
        var aliases = new Dictionary<int, (int Start, int End)>();
        var anchors = new Dictionary<string, (int Start, int End)>(StringComparer.Ordinal);
        var open = new Stack<(int Start, AnchorName Anchor)>();
        var documents = 0;
        var parser = new Parser(new StringReader(yaml));
        try
        {
            while (parser.MoveNext())
            {
                var current = parser.Current!;
                switch (current)
                {
                    case DocumentStart:
                        documents++;
                        continue;
                    case StreamStart or StreamEnd or DocumentEnd or Comment:
                        continue;
                }

                if (documents > 1)
                {
                    // Only count the rest, to say how many there are.
                    continue;
                }

                var index = events.Count;
                events.Add(current);
                switch (current)
                {
                    case MappingStart or SequenceStart:
                        if (open.Count == MaxDepth)
                        {
                            throw new ModelConfigurationException(source, field: null, $"the configuration is nested deeper than {MaxDepth} levels (at line {current.Start.Line})");
                        }

                        open.Push((index, ((NodeEvent)current).Anchor));
                        break;
                    case MappingEnd or SequenceEnd:
                        var (start, anchor) = open.Pop();
                        if (!anchor.IsEmpty)
                        {
                            anchors[anchor.Value] = (start, index);
                        }

                        break;
                    case Scalar scalar:
                        if (!scalar.Anchor.IsEmpty)
                        {
                            anchors[scalar.Anchor.Value] = (index, index);
                        }

                        break;
                    case AnchorAlias alias:
                        // An anchor counts once its node is complete, so a node cannot contain an alias of itself.
                        if (!anchors.TryGetValue(alias.Value.Value, out var target))
                        {
                            throw new ModelConfigurationException(source, field: null, $"the alias *{alias.Value.Value} at line {alias.Start.Line} names no anchor defined before it");
                        }

                        aliases.Add(index, target);
                        break;
                }
            }
        }
        catch (YamlException exception)
        {
            throw new ModelConfigurationException(source, field: null, $"is not valid YAML at line {exception.Start.Line}, column {exception.Start.Column}: {exception.Message}", exception);
        }
        catch (ArgumentException exception)
        {
            // YamlDotNet reports some malformed escapes (\UFFFFFFFF) as an argument out of range.
            throw new ModelConfigurationException(source, field: null, $"is not valid YAML: {exception.Message}", exception);
        }

        return documents switch
        {
            0 => throw new ModelConfigurationException(source, field: null, "the configuration is empty"),
            > 1 => throw new ModelConfigurationException(source, field: null, $"the configuration must be one YAML document (found {documents})"),
            _ => (events, aliases),
        };
    }

    /// <summary>Writes the events as JSON with explicit stacks: one of open containers, one of the event ranges being replayed.</summary>
    private static void Write(Utf8JsonWriter writer, List<ParsingEvent> events, Dictionary<int, (int Start, int End)> aliases, string source)
    {
        var ranges = new Stack<(int Next, int End)>();
        ranges.Push((0, events.Count - 1));

        // For each open container: whether it is a mapping whose next scalar is a key.
        var containers = new Stack<bool>();
        var expectKey = false;
        var values = 0;
        while (ranges.Count > 0)
        {
            var (next, end) = ranges.Pop();
            if (next > end)
            {
                continue;
            }

            ranges.Push((next + 1, end));
            var current = events[next];
            if (current is MappingEnd or SequenceEnd)
            {
                if (current is MappingEnd)
                {
                    writer.WriteEndObject();
                }
                else
                {
                    writer.WriteEndArray();
                }

                containers.Pop();
                expectKey = containers.Count > 0 && containers.Peek();
                continue;
            }

            if (expectKey)
            {
                var key = current is AnchorAlias && aliases.TryGetValue(next, out var aliased) && aliased.Start == aliased.End ? events[aliased.Start] : current;
                if (key is not Scalar keyScalar)
                {
                    throw new ModelConfigurationException(source, field: null, $"a mapping key at line {current.Start.Line} is not a plain value");
                }

                writer.WritePropertyName(CheckText(keyScalar, source));
                expectKey = false;
                continue;
            }

            if (++values > MaxValues)
            {
                throw TooLarge(source, current, $"more than {MaxValues} values");
            }

            switch (current)
            {
                case Scalar scalar:
                    WriteScalar(writer, scalar, source);
                    break;
                case MappingStart:
                    writer.WriteStartObject();
                    break;
                case SequenceStart:
                    writer.WriteStartArray();
                    break;
                case AnchorAlias:
                    values--; // the replayed events count themselves
                    var (start, last) = aliases[next];
                    if (containers.Count + Depth(events, start, last) > MaxDepth)
                    {
                        throw new ModelConfigurationException(source, field: null, $"the alias at line {current.Start.Line} makes the configuration nested deeper than {MaxDepth} levels");
                    }

                    ranges.Push((start, last));
                    continue;
                default:
                    throw new ModelConfigurationException(source, field: null, $"unsupported YAML node at line {current.Start.Line}");
            }

            if (writer.BytesPending + writer.BytesCommitted > MaxOutputBytes)
            {
                throw TooLarge(source, current, $"more than {MaxOutputBytes} bytes");
            }

            if (current is MappingStart or SequenceStart)
            {
                containers.Push(current is MappingStart);
                expectKey = current is MappingStart;
            }
            else
            {
                expectKey = containers.Count > 0 && containers.Peek();
            }
        }
    }

    /// <summary>How deep the node spanning <paramref name="start"/>..<paramref name="end"/> nests (0 for a scalar).</summary>
    private static int Depth(List<ParsingEvent> events, int start, int end)
    {
        int depth = 0, deepest = 0;
        for (var i = start; i <= end; i++)
        {
            if (events[i] is MappingStart or SequenceStart)
            {
                deepest = Math.Max(deepest, ++depth);
            }
            else if (events[i] is MappingEnd or SequenceEnd)
            {
                depth--;
            }
        }

        return deepest;
    }

    private static ModelConfigurationException TooLarge(string source, ParsingEvent at, string what) =>
        new(source, field: null, $"the configuration expands to {what} (aliases included; near line {at.Start.Line})");

    /// <summary>The scalar's text; refuses text with an unpaired surrogate, which has no UTF-8 form.</summary>
    private static string CheckText(Scalar scalar, string source)
    {
        var text = scalar.Value ?? "";
        return JsonUnicode.IsValid(text)
            ? text
            : throw new ModelConfigurationException(source, field: null, $"the text at line {scalar.Start.Line} is not valid Unicode (an unpaired surrogate)");
    }

    private static void WriteScalar(Utf8JsonWriter writer, Scalar scalar, string source)
    {
        var text = CheckText(scalar, source);
        if (scalar.Style != ScalarStyle.Plain || (!scalar.Tag.IsEmpty && !scalar.Tag.IsNonSpecific && scalar.Tag.Value == StringTag))
        {
            writer.WriteStringValue(text);
            return;
        }

        switch (text)
        {
            case "" or "~" or "null" or "Null" or "NULL":
                writer.WriteNullValue();
                return;
            case "true" or "True" or "TRUE":
                writer.WriteBooleanValue(true);
                return;
            case "false" or "False" or "FALSE":
                writer.WriteBooleanValue(false);
                return;
        }

        if (TryWriteNumber(writer, text))
        {
            return;
        }

        writer.WriteStringValue(text);
    }

    private static bool TryWriteNumber(Utf8JsonWriter writer, string text)
    {
        var first = text[0];
        if (first is not ((>= '0' and <= '9') or '-' or '+' or '.'))
        {
            return false;
        }

        if (IsJsonNumber(text))
        {
            writer.WriteRawValue(text, skipInputValidation: true);
            return true;
        }

        // Core-schema forms that are not JSON as written: 0o17, 0x1F, +5, 007, .5, 5., 1e3 with a sign on the mantissa.
        if (text.StartsWith("0o", StringComparison.Ordinal) && IsOctal(text.AsSpan(2)) && text.Length <= 23)
        {
            writer.WriteNumberValue(System.Convert.ToUInt64(text[2..], 8));
            return true;
        }

        if (text.StartsWith("0x", StringComparison.Ordinal) &&
            long.TryParse(text.AsSpan(2), NumberStyles.AllowHexSpecifier, CultureInfo.InvariantCulture, out var hex) && hex >= 0)
        {
            writer.WriteNumberValue(hex);
            return true;
        }

        if (IsYamlDecimal(text))
        {
            if (decimal.TryParse(text, NumberStyles.Float, CultureInfo.InvariantCulture, out var number))
            {
                writer.WriteNumberValue(number);
                return true;
            }

            if (double.TryParse(text, NumberStyles.Float, CultureInfo.InvariantCulture, out var large) && double.IsFinite(large))
            {
                writer.WriteNumberValue(large);
                return true;
            }
        }

        // .inf and .nan have no JSON form: they stay strings.
        return false;
    }

    private static bool IsOctal(ReadOnlySpan<char> digits)
    {
        foreach (var c in digits)
        {
            if (c is < '0' or > '7')
            {
                return false;
            }
        }

        return digits.Length > 0;
    }

    /// <summary>JSON's number grammar: <c>-?(0|[1-9][0-9]*)(\.[0-9]+)?([eE][-+]?[0-9]+)?</c>.</summary>
    private static bool IsJsonNumber(string text)
    {
        var i = 0;
        if (text[i] == '-')
        {
            i++;
        }

        if (i == text.Length)
        {
            return false;
        }

        if (text[i] == '0')
        {
            i++;
        }
        else if (text[i] is >= '1' and <= '9')
        {
            i = SkipDigits(text, i);
        }
        else
        {
            return false;
        }

        if (i < text.Length && text[i] == '.')
        {
            var start = ++i;
            i = SkipDigits(text, i);
            if (i == start)
            {
                return false;
            }
        }

        return Exponent(text, i);
    }

    /// <summary>The core schema's int and float: <c>[-+]?(\.[0-9]+|[0-9]+(\.[0-9]*)?)([eE][-+]?[0-9]+)?</c>.</summary>
    private static bool IsYamlDecimal(string text)
    {
        var i = 0;
        if (text[i] is '-' or '+')
        {
            i++;
        }

        var integerStart = i;
        i = SkipDigits(text, i);
        var integerDigits = i - integerStart;
        var fractionDigits = 0;
        if (i < text.Length && text[i] == '.')
        {
            var start = ++i;
            i = SkipDigits(text, i);
            fractionDigits = i - start;
        }

        return (integerDigits > 0 || fractionDigits > 0) && Exponent(text, i);
    }

    private static bool Exponent(string text, int i)
    {
        if (i == text.Length)
        {
            return true;
        }

        if (text[i] is not ('e' or 'E'))
        {
            return false;
        }

        i++;
        if (i < text.Length && text[i] is '-' or '+')
        {
            i++;
        }

        var start = i;
        i = SkipDigits(text, i);
        return i > start && i == text.Length;
    }

    private static int SkipDigits(string text, int i)
    {
        while (i < text.Length && text[i] is >= '0' and <= '9')
        {
            i++;
        }

        return i;
    }
}
