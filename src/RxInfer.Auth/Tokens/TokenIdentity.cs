namespace RxInfer.Auth;

/// <summary>
/// Who presented a token: the stable subject that owns resources, the token's id (never its secret text),
/// its roles, its expiry and the provider that issued it. Instances are immutable and may be shared
/// between validations of the same token.
/// </summary>
public sealed class TokenIdentity
{
    /// <summary>The <see cref="ExpiresAt"/> of a token that never expires (the development token).</summary>
    public static readonly DateTimeOffset NeverExpires = DateTimeOffset.MaxValue;

    private readonly string[] _roles;
    private readonly long _expiresAtUtcTicks;

    /// <summary>Creates an identity.</summary>
    /// <param name="subject">The stable id of the owner; resources created with this token belong to it.</param>
    /// <param name="tokenId">The id of the token; safe to log, never the token's secret text.</param>
    /// <param name="roles">The roles the token carries, in order. The list is copied.</param>
    /// <param name="expiresAt">When the token stops being valid; <see cref="NeverExpires"/> for no expiry.</param>
    /// <param name="issuedBy">The name of the provider that issued the token (for example <c>opaque</c>).</param>
    /// <param name="kind">What the token is for.</param>
    public TokenIdentity(
        string subject,
        string tokenId,
        IEnumerable<string> roles,
        DateTimeOffset expiresAt,
        string issuedBy,
        TokenKind kind = TokenKind.AccessToken)
    {
        ArgumentException.ThrowIfNullOrEmpty(subject);
        ArgumentException.ThrowIfNullOrEmpty(tokenId);
        ArgumentNullException.ThrowIfNull(roles);
        ArgumentException.ThrowIfNullOrEmpty(issuedBy);

        Subject = subject;
        TokenId = tokenId;
        _roles = CopyRoles(roles);
        _expiresAtUtcTicks = expiresAt.UtcTicks;
        IssuedBy = issuedBy;
        Kind = kind;
    }

    /// <summary>Creates an identity that shares <paramref name="roles"/>, an array made by <see cref="CopyRoles"/> that nobody mutates.</summary>
    private TokenIdentity(string subject, string tokenId, string[] roles, DateTimeOffset expiresAt, string issuedBy, TokenKind kind)
    {
        Subject = subject;
        TokenId = tokenId;
        _roles = roles;
        _expiresAtUtcTicks = expiresAt.UtcTicks;
        IssuedBy = issuedBy;
        Kind = kind;
    }

    /// <summary>The stable id of the owner within its issuer (the <c>sub</c> claim of a JWT).</summary>
    public string Subject { get; }

    /// <summary>
    /// The name of the external OpenID Connect issuer's registration whose token this is, or <see langword="null"/>
    /// for our own tokens. A <see cref="Subject"/> is unique only within its issuer: resources belong to <see cref="Owner"/>.
    /// </summary>
    public string? Issuer { get; private init; }

    /// <summary>
    /// The key that owns resources: <see cref="Subject"/> for our own tokens, the issuer's name and the subject joined
    /// by <see cref="TokenOwner.Separator"/> for an external issuer's (see <see cref="TokenOwner"/>).
    /// </summary>
    public string Owner => ExternalOwner ?? Subject;

    /// <summary>The owner key of an external issuer's identity, made once when it is created; <see langword="null"/> for ours.</summary>
    private string? ExternalOwner { get; init; }

    /// <summary>The token's id (the <c>jti</c> claim of a JWT); safe to log and to use for revocation.</summary>
    public string TokenId { get; }

    /// <summary>The roles the token carries, in the order they were issued.</summary>
    public IReadOnlyList<string> Roles => _roles;

    /// <summary>When the token stops being valid (in UTC); <see cref="NeverExpires"/> when it does not expire.</summary>
    public DateTimeOffset ExpiresAt => new(_expiresAtUtcTicks, TimeSpan.Zero);

    /// <summary>The name of the provider that issued the token.</summary>
    public string IssuedBy { get; }

    /// <summary>What the token is for.</summary>
    public TokenKind Kind { get; }

    /// <summary>Whether the token has expired at <paramref name="now"/>: expiry is exclusive, so a token is no longer valid at the instant it expires.</summary>
    /// <param name="now">The current time.</param>
    /// <returns><see langword="true"/> when <paramref name="now"/> is at or after <see cref="ExpiresAt"/>.</returns>
    public bool IsExpiredAt(DateTimeOffset now) => now.UtcTicks >= _expiresAtUtcTicks;

    /// <summary>
    /// Creates an identity whose roles array is shared with other identities (see <see cref="RoleSets"/>): the
    /// stores hold millions of identities and most carry one of a few role sets.
    /// </summary>
    internal static TokenIdentity WithSharedRoles(string subject, string tokenId, string[] sharedRoles, DateTimeOffset expiresAt, string issuedBy, TokenKind kind)
    {
        ArgumentException.ThrowIfNullOrEmpty(subject);
        ArgumentException.ThrowIfNullOrEmpty(tokenId);
        return new(subject, tokenId, sharedRoles, expiresAt, issuedBy, kind);
    }

    /// <summary>The identity of a token of the external issuer registered as <paramref name="issuer"/>.</summary>
    internal static TokenIdentity External(string issuer, string subject, string tokenId, string[] roles, DateTimeOffset expiresAt) =>
        new(subject, tokenId, roles, expiresAt, issuer, TokenKind.AccessToken) { Issuer = issuer, ExternalOwner = TokenOwner.Of(issuer, subject) };

    /// <summary>Copies <paramref name="roles"/> into a new array, checking that every role is a non-empty string.</summary>
    internal static string[] CopyRoles(IEnumerable<string> roles)
    {
        string[] copy = [.. roles];
        foreach (var role in copy)
        {
            if (string.IsNullOrEmpty(role))
            {
                throw new ArgumentException("A role must be a non-empty string.", nameof(roles));
            }
        }

        return copy;
    }

    /// <inheritdoc />
    public override string ToString() => $"{IssuedBy} {Kind} {TokenId} of {Subject}";
}
