namespace RxInfer.Models;

/// <summary>
/// A model configuration is not valid. The message names the configuration (<see cref="Source"/>, usually
/// its file) and the field at fault (<see cref="Field"/>, such as <c>roles[1]</c> or <c>arguments[0].name</c>).
/// </summary>
public sealed class ModelConfigurationException : Exception
{
    /// <summary>Creates the exception with a generic message and an unknown source.</summary>
    public ModelConfigurationException()
        : this("The model configuration is not valid.")
    {
    }

    /// <summary>Creates the exception with an unknown source.</summary>
    /// <param name="message">The message.</param>
    public ModelConfigurationException(string message)
        : this(message, innerException: null)
    {
    }

    /// <summary>Creates the exception with an unknown source.</summary>
    /// <param name="message">The message.</param>
    /// <param name="innerException">The cause.</param>
    public ModelConfigurationException(string message, Exception? innerException)
        : base(message, innerException)
    {
        Source = "";
    }

    /// <summary>Creates the exception for a field of a configuration.</summary>
    /// <param name="source">Where the configuration came from (a file path, or a name for code and tests).</param>
    /// <param name="field">The field at fault, or <see langword="null"/> when the document as a whole is at fault.</param>
    /// <param name="problem">What is wrong, without the source and field (they are prefixed).</param>
    /// <param name="innerException">The cause, if any (a parser error).</param>
    public ModelConfigurationException(string source, string? field, string problem, Exception? innerException = null)
        : base(Format(source, field, problem), innerException)
    {
        Source = source;
        Field = field;
    }

    /// <summary>Where the configuration came from: a file path, or the name given by code.</summary>
    public new string Source { get; }

    /// <summary>The field at fault (<c>name</c>, <c>roles[1]</c>, <c>arguments[0].name</c>, ...), or <see langword="null"/> for the whole document.</summary>
    public string? Field { get; }

    private static string Format(string source, string? field, string problem) =>
        field is null ? $"{source}: {problem}" : $"{source}: field '{field}' {problem}";
}
