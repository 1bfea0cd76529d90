using System.Text.Json;

namespace RxInfer.Models;

/// <summary>
/// An argument a model declares in its configuration (<c>arguments: [{name, description, type, default, required}]</c>).
/// Instances are immutable.
/// </summary>
public sealed class ModelArgument
{
    /// <summary>Creates an argument declaration.</summary>
    /// <param name="name">The argument's name, the key callers use in <c>arguments</c>.</param>
    /// <param name="description">What the argument means, if documented.</param>
    /// <param name="type">The declared type (free text such as <c>int</c> or <c>vector</c>); not enforced.</param>
    /// <param name="default">
    /// The value used when the caller gives none, or <see langword="null"/> when there is no default. A JSON
    /// <c>null</c> element is a default whose value is <c>null</c>. The element is copied.
    /// </param>
    /// <param name="required">Whether the argument must be present after the defaults and the caller's values are merged.</param>
    public ModelArgument(string name, string? description = null, string? type = null, JsonElement? @default = null, bool required = false)
    {
        ArgumentException.ThrowIfNullOrEmpty(name);
        if (@default is { ValueKind: JsonValueKind.Undefined })
        {
            throw new ArgumentException("The default must be a JSON value; pass null for no default.", nameof(@default));
        }

        Name = name;
        Description = description;
        Type = type;
        Default = @default?.Clone();
        Required = required;
    }

    /// <summary>The argument's name.</summary>
    public string Name { get; }

    /// <summary>What the argument means, or <see langword="null"/>.</summary>
    public string? Description { get; }

    /// <summary>The declared type (free text, not enforced), or <see langword="null"/>.</summary>
    public string? Type { get; }

    /// <summary>The default value, or <see langword="null"/> when the argument has none.</summary>
    public JsonElement? Default { get; }

    /// <summary>Whether the argument must be present after merging. Defaults to <see langword="false"/>.</summary>
    public bool Required { get; }

    /// <inheritdoc />
    public override string ToString() => Required ? $"{Name} (required)" : Name;
}
