using System.Buffers;
using System.Globalization;
using System.Text.Json;
using YamlDotNet.Core;
using YamlDotNet.RepresentationModel;

namespace RxInfer.Models;

/// <summary>
/// Converts one YAML document to JSON with the YAML 1.2 core schema for plain scalars: <c>null</c>, <c>~</c>
/// and nothing become <c>null</c>; <c>true</c>/<c>false</c> booleans; integers and floats numbers; everything
/// else, and every quoted or block scalar, a string. <c>yes</c>/<c>no</c> stay strings (YAML 1.1 is not used).
/// </summary>
internal static class YamlJsonConverter
{
    // Guards against alias cycles and "billion laughs" expansion: real configurations are far smaller.
    private const int MaxDepth = 64;
    private const int MaxNodes = 1_000_000;

    private const string StringTag = "tag:yaml.org,2002:str";

    public static JsonElement Convert(string yaml, string source)
    {
        var stream = new YamlStream();
        try
        {
            stream.Load(new StringReader(yaml));
        }
        catch (YamlException exception)
        {
            throw new ModelConfigurationException(source, field: null, $"is not valid YAML at line {exception.Start.Line}, column {exception.Start.Column}: {exception.Message}", exception);
        }

        if (stream.Documents.Count == 0)
        {
            throw new ModelConfigurationException(source, field: null, "the configuration is empty");
        }

        if (stream.Documents.Count > 1)
        {
            throw new ModelConfigurationException(source, field: null, $"the configuration must be one YAML document (found {stream.Documents.Count})");
        }

        var buffer = new ArrayBufferWriter<byte>(1024);
        using (var writer = JsonDocumentWriter.CreateWriter(buffer))
        {
            var nodes = 0;
            Write(writer, stream.Documents[0].RootNode, depth: 0, ref nodes, source);
        }

        using var document = JsonDocument.Parse(buffer.WrittenMemory);
        return document.RootElement.Clone();
    }

    private static void Write(Utf8JsonWriter writer, YamlNode node, int depth, ref int nodes, string source)
    {
        if (depth > MaxDepth || ++nodes > MaxNodes)
        {
            throw new ModelConfigurationException(source, field: null, $"the configuration is nested too deeply or expands to too many values (near line {node.Start.Line})");
        }

        switch (node)
        {
            case YamlScalarNode scalar:
                WriteScalar(writer, scalar);
                break;
            case YamlSequenceNode sequence:
                writer.WriteStartArray();
                foreach (var child in sequence.Children)
                {
                    Write(writer, child, depth + 1, ref nodes, source);
                }

                writer.WriteEndArray();
                break;
            case YamlMappingNode mapping:
                writer.WriteStartObject();
                foreach (var (key, value) in mapping.Children)
                {
                    if (key is not YamlScalarNode keyScalar)
                    {
                        throw new ModelConfigurationException(source, field: null, $"a mapping key at line {key.Start.Line} is not a plain value");
                    }

                    writer.WritePropertyName(keyScalar.Value ?? "");
                    Write(writer, value, depth + 1, ref nodes, source);
                }

                writer.WriteEndObject();
                break;
            default:
                throw new ModelConfigurationException(source, field: null, $"unsupported YAML node at line {node.Start.Line}");
        }
    }

    private static void WriteScalar(Utf8JsonWriter writer, YamlScalarNode scalar)
    {
        var text = scalar.Value ?? "";
        if (scalar.Style != ScalarStyle.Plain || scalar.Tag.Value == StringTag)
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
