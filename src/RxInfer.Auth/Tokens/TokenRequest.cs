namespace RxInfer.Auth;

/// <summary>What to issue: for whom, with which roles, for how long, and of which kind.</summary>
public sealed class TokenRequest
{
    /// <summary>Creates a request.</summary>
    /// <param name="subject">The owner of the token; <see langword="null"/> issues a token for a new anonymous subject.</param>
    /// <param name="roles">The roles the token carries.</param>
    public TokenRequest(string? subject, IReadOnlyList<string> roles)
    {
        ArgumentNullException.ThrowIfNull(roles);
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
