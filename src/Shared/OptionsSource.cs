using Microsoft.Extensions.Configuration;

namespace RxInfer.OptionsValidation;

/// <summary>
/// Where an options type's values came from, so that its validation messages name an option the way its author wrote
/// it: always the property (<c>RxInferModelsOptions.MaxDescriptionLength</c>), and the configuration path too
/// (<c>RxInfer:Models:MaxDescriptionLength</c>) only when the options were bound from configuration. Registered once per
/// options type by the registration that binds it.
/// </summary>
/// <typeparam name="TOptions">The options type.</typeparam>
internal sealed class OptionsSource<TOptions>
    where TOptions : class
{
    private OptionsSource(string? configurationPath) => ConfigurationPath = configurationPath;

    /// <summary>Options set in code only.</summary>
    public static OptionsSource<TOptions> Code { get; } = new(null);

    /// <summary>
    /// The path of the configuration the options were bound from: a section's path, empty for the root of a
    /// configuration, <see langword="null"/> when they were not bound from configuration.
    /// </summary>
    public string? ConfigurationPath { get; }

    /// <summary>The source of options bound from <paramref name="configuration"/> (a section, or a whole configuration).</summary>
    public static OptionsSource<TOptions> BoundFrom(IConfiguration configuration) =>
        new(configuration is IConfigurationSection section ? section.Path : string.Empty);

    /// <summary>
    /// The option <paramref name="member"/> (a property name, or a configuration-style path such as <c>Keys:0:Id</c>)
    /// for a message: <c>TOptions.Member</c> (<c>TOptions.Keys[0].Id</c>), followed by <c>(configuration Path:Member)</c>
    /// when the options were bound from configuration.
    /// </summary>
    public string Name(string member)
    {
        var property = typeof(TOptions).Name + "." + PropertyPath(member);
        return ConfigurationPath switch
        {
            null => property,
            "" => $"{property} (configuration {member})",
            _ => $"{property} (configuration {ConfigurationPath}:{member})",
        };
    }

    /// <summary><c>Keys:0:Id</c> as C# reads it: <c>Keys[0].Id</c>.</summary>
    private static string PropertyPath(string member)
    {
        var text = new System.Text.StringBuilder(member.Length + 4);
        foreach (var part in member.Split(':'))
        {
            if (part.Length > 0 && part.All(char.IsAsciiDigit))
            {
                text.Append('[').Append(part).Append(']');
            }
            else
            {
                text.Append(text.Length == 0 ? "" : ".").Append(part);
            }
        }

        return text.ToString();
    }
}
