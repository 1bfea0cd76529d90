using System.Text.Json;

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

    /// <summary>A definition from parts already checked (by <see cref="Create"/> or <see cref="ModelConfigurationReader"/>).</summary>
    internal ModelDefinition(string name, string description, string author, string[] roles, ModelArgument[] arguments, JsonElement configuration)
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
    public static ModelDefinition FromConfiguration(JsonElement configuration, string source) =>
        ModelConfigurationReader.Read(configuration, source);

    /// <inheritdoc />
    public override string ToString() => Name;
}
