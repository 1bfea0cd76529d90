namespace RxInfer.Auth;

/// <summary>
/// The result of validating a token: valid with its <see cref="Identity"/>, or rejected with one
/// <see cref="Reason"/>. A value type, so rejecting costs no allocation. The default value is not valid: its reason
/// is <see cref="TokenRejectionReason.NotValidated"/>.
/// </summary>
public readonly struct TokenValidationOutcome : IEquatable<TokenValidationOutcome>
{
    private readonly TokenRejectionReason _reason;

    private TokenValidationOutcome(TokenIdentity? identity, TokenRejectionReason reason)
    {
        Identity = identity;
        _reason = reason;
    }

    /// <summary>The identity of a valid token; <see langword="null"/> when rejected.</summary>
    public TokenIdentity? Identity { get; }

    /// <summary>
    /// Why the token was rejected; <see cref="TokenRejectionReason.None"/> when valid, and
    /// <see cref="TokenRejectionReason.NotValidated"/> for the default value.
    /// </summary>
    public TokenRejectionReason Reason => Identity is null && _reason == TokenRejectionReason.None ? TokenRejectionReason.NotValidated : _reason;

    /// <summary>Whether the token was accepted.</summary>
    [System.Diagnostics.CodeAnalysis.MemberNotNullWhen(true, nameof(Identity))]
    public bool IsValid => Identity is not null;

    /// <summary>An accepted token.</summary>
    /// <param name="identity">Who the token authenticates as.</param>
    /// <returns>A valid outcome.</returns>
    public static TokenValidationOutcome Valid(TokenIdentity identity)
    {
        ArgumentNullException.ThrowIfNull(identity);
        return new(identity, TokenRejectionReason.None);
    }

    /// <summary>A rejected token.</summary>
    /// <param name="reason">Why; must not be <see cref="TokenRejectionReason.None"/>.</param>
    /// <returns>A rejected outcome.</returns>
    public static TokenValidationOutcome Rejected(TokenRejectionReason reason)
    {
        if (reason == TokenRejectionReason.None)
        {
            throw new ArgumentOutOfRangeException(nameof(reason), reason, "A rejection needs a reason.");
        }

        return new(null, reason);
    }

    /// <inheritdoc />
    public bool Equals(TokenValidationOutcome other) => ReferenceEquals(Identity, other.Identity) && Reason == other.Reason;

    /// <inheritdoc />
    public override bool Equals(object? obj) => obj is TokenValidationOutcome other && Equals(other);

    /// <inheritdoc />
    public override int GetHashCode() => HashCode.Combine(Identity, Reason);

    /// <summary>Compares two outcomes.</summary>
    /// <param name="left">The first outcome.</param>
    /// <param name="right">The second outcome.</param>
    /// <returns>Whether they are equal.</returns>
    public static bool operator ==(TokenValidationOutcome left, TokenValidationOutcome right) => left.Equals(right);

    /// <summary>Compares two outcomes.</summary>
    /// <param name="left">The first outcome.</param>
    /// <param name="right">The second outcome.</param>
    /// <returns>Whether they differ.</returns>
    public static bool operator !=(TokenValidationOutcome left, TokenValidationOutcome right) => !left.Equals(right);

    /// <inheritdoc />
    public override string ToString() => IsValid ? $"Valid: {Identity}" : $"Rejected: {Reason}";
}
