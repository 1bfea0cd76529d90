namespace RxInfer.Auth;

/// <summary>
/// A store or service that the operation needs cannot serve it now: it is unreachable, or a global capacity limit
/// is reached. The operation changed nothing. Hosts answer it with <c>503 Service Unavailable</c> and a
/// <c>Retry-After</c> header (the ASP.NET Core adapter does), never with a 401 or a 500: the caller's input may be
/// perfectly valid and the same request may succeed later.
/// </summary>
/// <remarks>
/// The <see cref="Exception.Message"/> is shown to clients as it is: it must never hold a token, a key, a password,
/// a connection string or any other secret.
/// </remarks>
public sealed class ServiceUnavailableException : Exception
{
    /// <summary>The retry delay used when none is given: 5 seconds.</summary>
    public static readonly TimeSpan DefaultRetryAfter = TimeSpan.FromSeconds(5);

    /// <summary>Creates the exception with <see cref="DefaultRetryAfter"/>.</summary>
    public ServiceUnavailableException()
        : this("The service is temporarily unavailable, try again later")
    {
    }

    /// <summary>Creates the exception with <see cref="DefaultRetryAfter"/>.</summary>
    /// <param name="message">What is unavailable, for the client (no secrets).</param>
    public ServiceUnavailableException(string message)
        : this(message, DefaultRetryAfter, innerException: null)
    {
    }

    /// <summary>Creates the exception with <see cref="DefaultRetryAfter"/>.</summary>
    /// <param name="message">What is unavailable, for the client (no secrets).</param>
    /// <param name="innerException">The failure behind it, for logs; never shown to clients.</param>
    public ServiceUnavailableException(string message, Exception? innerException)
        : this(message, DefaultRetryAfter, innerException)
    {
    }

    /// <summary>Creates the exception.</summary>
    /// <param name="message">What is unavailable, for the client (no secrets).</param>
    /// <param name="retryAfter">How long the client should wait before it tries again; at least one second is sent.</param>
    /// <param name="innerException">The failure behind it, for logs; never shown to clients.</param>
    public ServiceUnavailableException(string message, TimeSpan retryAfter, Exception? innerException = null)
        : base(message, innerException)
    {
        ArgumentOutOfRangeException.ThrowIfLessThan(retryAfter, TimeSpan.Zero);
        RetryAfter = retryAfter;
    }

    /// <summary>How long the client should wait before it tries again.</summary>
    public TimeSpan RetryAfter { get; }
}
