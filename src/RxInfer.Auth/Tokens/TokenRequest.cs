namespace RxInfer.Auth;

/// <summary>What to issue: for whom, with which roles, for how long, and of which kind.</summary>
public sealed class TokenRequest
{
    /// <summary>Creates a request.</summary>
    /// <param name="subject">The owner of the token; <see langword="null"/> issues a token for a new anonymous subject.
    /// Must not contain control characters (<see cref="TokenOwner.IsValidSubject"/>).</param>
    /// <exception cref="ArgumentException"><paramref name="subject"/> is empty or contains a control character.</exception>
    /// <param name="roles">The roles the token carries.</param>
    public TokenRequest(string? subject, IReadOnlyList<string> roles)
    {
        ArgumentNullException.ThrowIfNull(roles);
        if (subject is not null && !TokenOwner.IsValidSubject(subject))
        {
            // The reserved separator of external owner keys is a control character (TokenOwner): our subjects never hold one.
            throw new ArgumentException("A subject must be non-empty and must not contain control characters (U+0000 to U+001F).", nameof(subject));
        }

        Subject = subject;
        Roles = roles;
    }

    /// <summary>The owner of the token; <see langword="null"/> for a new anonymous subject (its id is then the token's id).</summary>
    public string? Subject { get; }

    /// <summary>The roles the token carries.</summary>
    public IReadOnlyList<string> Roles { get; }

    /// <summary>How long the token is valid; <see langword="null"/> takes the configured default for <see cref="Kind"/>.</summary>
    public TimeSpan? Lifetime { get; init; }

    /// <summary>What the token is for. Defaults to <see cref="TokenKind.AccessToken"/>.</summary>
    public TokenKind Kind { get; init; } = TokenKind.AccessToken;
}
