using System.Runtime.InteropServices;
using System.Text.Json;
using RxInfer.Text;

namespace RxInfer.Models;

/// <summary>
/// Reads a <see cref="ModelDefinition"/> from a model configuration document (the RxInferServer <c>config.yaml</c>
/// layout, as JSON): checks every field the catalogue uses and names the file and the field in each error. Pure: no
/// files, no logging; <see cref="ModelConfigurationLoader"/> reads the files and calls it.
/// </summary>
internal static class ModelConfigurationReader
{
    /// <summary>The definition that <paramref name="configuration"/> describes (see <see cref="ModelDefinition.FromConfiguration"/>).</summary>
    /// <param name="configuration">The configuration document; it is copied.</param>
    /// <param name="source">Where the document came from (a file path), named in error messages.</param>
    /// <returns>The definition.</returns>
    /// <exception cref="ModelConfigurationException">The document is not valid; the message names <paramref name="source"/> and the field.</exception>
    public static ModelDefinition Read(JsonElement configuration, string source)
    {
        ArgumentNullException.ThrowIfNull(source);
        if (configuration.ValueKind != JsonValueKind.Object)
        {
            throw new ModelConfigurationException(source, field: null, $"the configuration must be an object (found {Describe(configuration.ValueKind)})");
        }

        // Every string of the document is served to clients as it is (config): one that is not Unicode would fail there.
        try
        {
            if (!JsonUnicode.HasOnlyValidText(JsonMarshal.GetRawUtf8Value(configuration), ModelConfigurationLoader.MaxDepth, allowComments: true))
            {
                throw new ModelConfigurationException(source, field: null, "the configuration holds a string that is not valid Unicode (an unpaired surrogate or bytes that are not UTF-8)");
            }
        }
        catch (JsonException)
        {
            throw new ModelConfigurationException(source, field: null, $"the configuration is nested deeper than {ModelConfigurationLoader.MaxDepth} levels");
        }

        var name = RequiredString(configuration, "name", source);
        if (name.Length == 0)
        {
            throw new ModelConfigurationException(source, "name", "must not be empty");
        }

        var description = RequiredString(configuration, "description", source);
        var author = RequiredString(configuration, "author", source);

        if (!configuration.TryGetProperty("roles", out var rolesElement))
        {
            throw new ModelConfigurationException(source, "roles", "is required (an array of strings)");
        }

        if (rolesElement.ValueKind != JsonValueKind.Array)
        {
            throw new ModelConfigurationException(source, "roles", $"must be an array of strings (found {Describe(rolesElement.ValueKind)})");
        }

        var roles = new string[rolesElement.GetArrayLength()];
        var index = 0;
        foreach (var role in rolesElement.EnumerateArray())
        {
            var field = $"roles[{index}]";
            if (role.ValueKind != JsonValueKind.String)
            {
                throw new ModelConfigurationException(source, field, $"must be a string (found {Describe(role.ValueKind)})");
            }

            var text = role.GetString()!;
            if (text.Length == 0)
            {
                throw new ModelConfigurationException(source, field, "must not be empty");
            }

            roles[index++] = text;
        }

        var arguments = ReadArguments(configuration, source);
        return new ModelDefinition(name, description, author, roles, arguments, configuration.Clone());
    }



    private static ModelArgument[] ReadArguments(JsonElement configuration, string source)
    {
        // An absent or empty (null) `arguments:` declares nothing, as YAML writes an empty list that way.
        if (!configuration.TryGetProperty("arguments", out var element) || element.ValueKind == JsonValueKind.Null)
        {
            return [];
        }

        if (element.ValueKind != JsonValueKind.Array)
        {
            throw new ModelConfigurationException(source, "arguments", $"must be a list of objects (found {Describe(element.ValueKind)})");
        }

        var arguments = new ModelArgument[element.GetArrayLength()];
        var names = new HashSet<string>(StringComparer.Ordinal);
        var index = 0;
        foreach (var item in element.EnumerateArray())
        {
            var at = $"arguments[{index}]";
            if (item.ValueKind != JsonValueKind.Object)
            {
                throw new ModelConfigurationException(source, at, $"must be an object (found {Describe(item.ValueKind)})");
            }

            if (!item.TryGetProperty("name", out var nameElement))
            {
                throw new ModelConfigurationException(source, at + ".name", "is required (a string)");
            }

            if (nameElement.ValueKind != JsonValueKind.String)
            {
                throw new ModelConfigurationException(source, at + ".name", $"must be a string (found {Describe(nameElement.ValueKind)})");
            }

            var name = nameElement.GetString()!;
            if (name.Length == 0)
            {
                throw new ModelConfigurationException(source, at + ".name", "must not be empty");
            }

            if (!names.Add(name))
            {
                throw new ModelConfigurationException(source, at + ".name", $"repeats the argument name '{name}'");
            }

            var description = OptionalString(item, "description", at, source);
            var type = OptionalString(item, "type", at, source);
            JsonElement? @default = item.TryGetProperty("default", out var defaultElement) ? defaultElement : null;
            var required = false;
            if (item.TryGetProperty("required", out var requiredElement))
            {
                required = requiredElement.ValueKind switch
                {
                    JsonValueKind.True => true,
                    JsonValueKind.False or JsonValueKind.Null => false,
                    _ => throw new ModelConfigurationException(source, at + ".required", $"must be true or false (found {Describe(requiredElement.ValueKind)})"),
                };
            }

            arguments[index++] = new ModelArgument(name, description, type, @default, required);
        }

        return arguments;
    }

    private static string RequiredString(JsonElement configuration, string field, string source)
    {
        if (!configuration.TryGetProperty(field, out var element))
        {
            throw new ModelConfigurationException(source, field, "is required (a string)");
        }

        return element.ValueKind == JsonValueKind.String
            ? element.GetString()!
            : throw new ModelConfigurationException(source, field, $"must be a string (found {Describe(element.ValueKind)})");
    }

    private static string? OptionalString(JsonElement item, string field, string at, string source)
    {
        if (!item.TryGetProperty(field, out var element) || element.ValueKind == JsonValueKind.Null)
        {
            return null;
        }

        return element.ValueKind == JsonValueKind.String
            ? element.GetString()
            : throw new ModelConfigurationException(source, $"{at}.{field}", $"must be a string (found {Describe(element.ValueKind)})");
    }

    private static string Describe(JsonValueKind kind) => kind switch
    {
        JsonValueKind.Object => "an object",
        JsonValueKind.Array => "an array",
        JsonValueKind.String => "a string",
        JsonValueKind.Number => "a number",
        JsonValueKind.True or JsonValueKind.False => "a boolean",
        JsonValueKind.Null => "null",
        _ => "nothing",
    };
}
