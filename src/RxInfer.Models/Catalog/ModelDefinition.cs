using System.Runtime.InteropServices;
using System.Text.Json;
using RxInfer.Text;

namespace RxInfer.Models;

/// <summary>
/// A model in the catalogue: its details (name, description, author, roles), the arguments it declares, and
/// the whole configuration document it came from, kept as JSON so fields this package does not know are passed
/// through untouched. Instances are immutable.
/// </summary>
public sealed class ModelDefinition
{
    private readonly string[] _roles;
    private readonly ModelArgument[] _arguments;

    private ModelDefinition(string name, string description, string author, string[] roles, ModelArgument[] arguments, JsonElement configuration)
    {
        Name = name;
        Description = description;
        Author = author;
        _roles = roles;
        _arguments = arguments;
        Configuration = configuration;
    }

    /// <summary>The model's name, unique in a catalogue (compared ordinally).</summary>
    public string Name { get; }

    /// <summary>What the model does.</summary>
    public string Description { get; }

    /// <summary>Who wrote the model.</summary>
    public string Author { get; }

    /// <summary>The roles that may see the model: a caller holding any one of them (exact, case-sensitive) may use it.</summary>
    public IReadOnlyList<string> Roles => _roles;

    /// <summary>The arguments the model declares, in declaration order.</summary>
    public IReadOnlyList<ModelArgument> Arguments => _arguments;

    /// <summary>
    /// The whole configuration document (a JSON object): the details again, <c>arguments</c>, and any other
    /// field, exactly as configured.
    /// </summary>
    public JsonElement Configuration { get; }

    /// <summary>Creates a definition in code; <see cref="Configuration"/> is built from the details and arguments.</summary>
    /// <param name="name">The model's name (non-empty).</param>
    /// <param name="description">What the model does.</param>
    /// <param name="author">Who wrote the model.</param>
    /// <param name="roles">The roles that may see the model (each non-empty).</param>
    /// <param name="arguments">The declared arguments, if any (names unique).</param>
    /// <returns>The definition.</returns>
    /// <exception cref="ArgumentException">A name or role is empty, or two arguments share a name.</exception>
    public static ModelDefinition Create(string name, string description, string author, IEnumerable<string> roles, IEnumerable<ModelArgument>? arguments = null)
    {
        ArgumentException.ThrowIfNullOrEmpty(name);
        ArgumentNullException.ThrowIfNull(description);
        ArgumentNullException.ThrowIfNull(author);
        ArgumentNullException.ThrowIfNull(roles);

        string[] roleArray = [.. roles];
        if (Array.Exists(roleArray, string.IsNullOrEmpty))
        {
            throw new ArgumentException("A role must be a non-empty string.", nameof(roles));
        }

        ModelArgument[] argumentArray = arguments is null ? [] : [.. arguments];
        var names = new HashSet<string>(StringComparer.Ordinal);
        foreach (var argument in argumentArray)
        {
            if (argument is null)
            {
                throw new ArgumentException("An argument must not be null.", nameof(arguments));
            }

            if (!names.Add(argument.Name))
            {
                throw new ArgumentException($"Two arguments are named '{argument.Name}'.", nameof(arguments));
            }
        }

        var configuration = JsonDocumentWriter.Build(writer =>
        {
            writer.WriteStartObject();
            writer.WriteString("name", name);
            writer.WriteString("description", description);
            writer.WriteString("author", author);
            writer.WriteStartArray("roles");
            foreach (var role in roleArray)
            {
                writer.WriteStringValue(role);
            }

            writer.WriteEndArray();
            if (argumentArray.Length > 0)
            {
                writer.WriteStartArray("arguments");
                foreach (var argument in argumentArray)
                {
                    writer.WriteStartObject();
                    writer.WriteString("name", argument.Name);
                    if (argument.Description is not null)
                    {
                        writer.WriteString("description", argument.Description);
                    }

                    if (argument.Type is not null)
                    {
                        writer.WriteString("type", argument.Type);
                    }

                    if (argument.Default is { } value)
                    {
                        writer.WritePropertyName("default");
                        value.WriteTo(writer);
                    }

                    writer.WriteBoolean("required", argument.Required);
                    writer.WriteEndObject();
                }

                writer.WriteEndArray();
            }

            writer.WriteEndObject();
        });

        return new ModelDefinition(name, description, author, roleArray, argumentArray, configuration);
    }

    /// <summary>
    /// Reads a definition from a configuration document: <c>name</c>, <c>description</c> and <c>author</c>
    /// strings, <c>roles</c> an array of non-empty strings, and optionally <c>arguments</c>, a list of objects
    /// each with a unique string <c>name</c> and optional <c>description</c> and <c>type</c> (strings),
    /// <c>default</c> (any value) and <c>required</c> (a boolean). Every other field is kept as it is.
    /// </summary>
    /// <param name="configuration">The configuration document; it is copied.</param>
    /// <param name="source">Where the document came from (a file path), named in error messages.</param>
    /// <returns>The definition.</returns>
    /// <exception cref="ModelConfigurationException">
    /// The document is not valid (a field is missing or of the wrong kind, a string is not valid Unicode, the nesting is
    /// deeper than 64); the message names <paramref name="source"/> and the field.
    /// </exception>
    public static ModelDefinition FromConfiguration(JsonElement configuration, string source)
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

    /// <inheritdoc />
    public override string ToString() => Name;

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

    internal static string Describe(JsonValueKind kind) => kind switch
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
