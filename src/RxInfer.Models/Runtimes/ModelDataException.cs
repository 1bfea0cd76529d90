namespace RxInfer.Models;

/// <summary>
/// Thrown by an <see cref="IModelRuntime"/> when the input it was given cannot be used: arguments, data, events or
/// parameters with a value missing, of the wrong kind or out of range. The call changes nothing, like any failed
/// runtime call, but the client sees this exception's message as the 400 message of the operation (create an
/// instance, create an episode, inference, learning) instead of the generic one, so the message must name the field
/// and what it must be, and hold no secret. Any other exception is a fault of the runtime: the client gets the
/// generic message and the exception goes to the log.
/// </summary>
public class ModelDataException : Exception
{
    /// <summary>Creates the exception with a generic message.</summary>
    public ModelDataException()
        : base("The model cannot use the data it was given")
    {
    }

    /// <summary>Creates the exception.</summary>
    /// <param name="message">What is wrong, for the client (no secrets).</param>
    public ModelDataException(string message)
        : base(message)
    {
    }

    /// <summary>Creates the exception with the failure underneath (for the log; never shown to clients).</summary>
    /// <param name="message">What is wrong, for the client (no secrets).</param>
    /// <param name="innerException">The failure underneath.</param>
    public ModelDataException(string message, Exception? innerException)
        : base(message, innerException)
    {
    }
}
