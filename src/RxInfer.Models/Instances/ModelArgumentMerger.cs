using System.Text.Json;

namespace RxInfer.Models;

/// <summary>Merges a caller's arguments over a model's declared defaults.</summary>
internal static class ModelArgumentMerger
{
    /// <summary>
    /// The merged object: the declared arguments in declaration order (the caller's value when given, else the
    /// default, else absent), then the caller's undeclared keys in the caller's order. When a caller repeats a
    /// key, the last value wins.
    /// </summary>
    /// <param name="model">The model.</param>
    /// <param name="given">The caller's arguments (an object), or <see langword="null"/>.</param>
    /// <param name="missing">The first required argument absent after the merge, in declaration order, or <see langword="null"/>.</param>
    public static JsonElement Merge(ModelDefinition model, JsonElement? given, out string? missing)
    {
        var values = new Dictionary<string, JsonElement>(StringComparer.Ordinal);
        var order = new List<string>();
        if (given is { } caller)
        {
            foreach (var property in caller.EnumerateObject())
            {
                if (!values.ContainsKey(property.Name))
                {
                    order.Add(property.Name);
                }

                values[property.Name] = property.Value;
            }
        }

        missing = null;
        var declared = new HashSet<string>(StringComparer.Ordinal);
        var merged = JsonDocumentWriter.Build(writer =>
        {
            writer.WriteStartObject();
            foreach (var argument in model.Arguments)
            {
                declared.Add(argument.Name);
                if (!values.TryGetValue(argument.Name, out var value))
                {
                    if (argument.Default is not { } fallback)
                    {
                        continue;
                    }

                    value = fallback;
                }

                writer.WritePropertyName(argument.Name);
                value.WriteTo(writer);
            }

            foreach (var name in order)
            {
                if (!declared.Contains(name))
                {
                    writer.WritePropertyName(name);
                    values[name].WriteTo(writer);
                }
            }

            writer.WriteEndObject();
        });

        foreach (var argument in model.Arguments)
        {
            if (argument.Required && !merged.TryGetProperty(argument.Name, out _))
            {
                missing = argument.Name;
                break;
            }
        }

        return merged;
    }
}
