using RxInfer.Models;

namespace RxInfer.Server.Runtimes;

/// <summary>
/// The data, events, arguments or parameters a sample runtime was given cannot be used (an observation missing,
/// not a number, out of range, or a result that would not be a finite number). The message names the field and
/// what it must be, never echoes the value, and is meant for the caller.
/// </summary>
/// <remarks>
/// The protocol layer turns any exception of a runtime into a 400 and leaves the instance unchanged; this type
/// marks the failures that are the caller's input rather than a fault of the runtime: as a
/// <see cref="ModelDataException"/>, its message is the 400's message.
/// </remarks>
public sealed class InvalidModelDataException : ModelDataException
{
    /// <summary>Creates the exception.</summary>
    /// <param name="message">What is wrong, for the caller.</param>
    public InvalidModelDataException(string message)
        : base(message)
    {
    }

    /// <summary>Creates the exception with no message (the caller sees the generic one).</summary>
    public InvalidModelDataException()
    {
    }

    /// <summary>Creates the exception with the failure underneath.</summary>
    /// <param name="message">What is wrong, for the caller.</param>
    /// <param name="innerException">The failure underneath.</param>
    public InvalidModelDataException(string message, Exception innerException)
        : base(message, innerException)
    {
    }
}
