namespace RxInfer.Auth;

/// <summary>
/// Issues and validates opaque tokens against an <see cref="IOpaqueTokenStore"/>: the shape and checksum are
/// checked first, then one SHA-256 and one lookup by hash. Used for access tokens and, with its own store and
/// prefix, for API keys.
/// </summary>
internal sealed class OpaqueTokenProvider(
    IOpaqueTokenStore store,
    OpaqueTokenFormat format,
    TokenKind kind,
    TimeSpan defaultLifetime,
    TimeProvider timeProvider) : ITokenProvider
{
    public const string ProviderName = "opaque";
    private const int TokenIdLength = 16;

    private readonly RoleSets _roleSets = new();

    public string Name => ProviderName;

    public async ValueTask<IssuedToken> IssueAsync(TokenRequest request, CancellationToken cancellationToken = default)
    {
        ArgumentNullException.ThrowIfNull(request);
        if (request.Kind != kind)
        {
            throw new ArgumentException($"This provider issues {kind} tokens, not {request.Kind}.", nameof(request));
        }

        var lifetime = request.Lifetime ?? defaultLifetime;
        ArgumentOutOfRangeException.ThrowIfLessThanOrEqual(lifetime, TimeSpan.Zero, nameof(request));

        var tokenId = OpaqueTokenFormat.CreateId(TokenIdLength);
        var identity = TokenIdentity.WithSharedRoles(
            request.Subject ?? tokenId,
            tokenId,
            _roleSets.Intern(request.Roles),
            timeProvider.GetUtcNow() + lifetime,
            ProviderName,
            kind);
        var token = format.Create();
        await store.AddAsync(TokenHash.Compute(token), identity, cancellationToken).ConfigureAwait(false);
        return new IssuedToken(token, identity);
    }

    public ValueTask<TokenValidationOutcome> ValidateAsync(string token, CancellationToken cancellationToken = default)
    {
        if (token is null || !format.TryHash(token, out var hash))
        {
            return new(TokenValidationOutcome.Rejected(TokenRejectionReason.Malformed));
        }

        var lookup = store.FindAsync(hash, cancellationToken);
        return lookup.IsCompletedSuccessfully ? new(Check(lookup.Result)) : CheckAsync(lookup);
    }

    public ValueTask<bool> RevokeAsync(string tokenId, CancellationToken cancellationToken = default)
    {
        ArgumentNullException.ThrowIfNull(tokenId);
        return store.RemoveByIdAsync(tokenId, cancellationToken);
    }

    public ValueTask<int> RevokeSubjectAsync(string subject, CancellationToken cancellationToken = default)
    {
        ArgumentNullException.ThrowIfNull(subject);
        return store.RemoveBySubjectAsync(subject, cancellationToken);
    }

    private async ValueTask<TokenValidationOutcome> CheckAsync(ValueTask<TokenIdentity?> lookup) => Check(await lookup.ConfigureAwait(false));

    private TokenValidationOutcome Check(TokenIdentity? identity)
    {
        if (identity is null || identity.Kind != kind)
        {
            return TokenValidationOutcome.Rejected(TokenRejectionReason.Unknown);
        }

        return identity.IsExpiredAt(timeProvider.GetUtcNow())
            ? TokenValidationOutcome.Rejected(TokenRejectionReason.Expired)
            : TokenValidationOutcome.Valid(identity);
    }
}
