using Microsoft.Extensions.Logging;
using Microsoft.Extensions.Logging.Abstractions;

namespace RxInfer.Auth;

/// <summary>
/// Issues and validates opaque tokens against an <see cref="IOpaqueTokenStore"/>: the shape and checksum are
/// checked first, then one SHA-256 and one lookup by hash. Used for access tokens and, with its own store and
/// prefix, for API keys. Issuing stops at <c>maxTokens</c> stored tokens (0: no limit) with a
/// <see cref="ServiceUnavailableException"/> and a warning log.
/// </summary>
internal sealed class OpaqueTokenProvider(
    IOpaqueTokenStore store,
    OpaqueTokenFormat format,
    TokenKind kind,
    TimeSpan defaultLifetime,
    TimeProvider timeProvider,
    int maxTokens = 0,
    ILogger? logger = null) : ITokenProvider
{
    public const string ProviderName = "opaque";

    /// <summary>The message of the 503 when the store holds <see cref="OpaqueTokenOptions.MaxTokens"/> tokens.</summary>
    public const string CapacityMessage = "The server cannot issue more tokens now, try again later";

    /// <summary>How long a client is told to wait when the store is full: one minute (expired tokens are swept once a minute).</summary>
    public static readonly TimeSpan CapacityRetryAfter = TimeSpan.FromMinutes(1);
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

        var tokenId = RandomId.Create(TokenIdLength);
        var identity = TokenIdentity.WithSharedRoles(
            request.Subject ?? tokenId,
            tokenId,
            _roleSets.Intern(request.Roles),
            timeProvider.GetUtcNow() + lifetime,
            ProviderName,
            kind);
        var token = format.Create();
        if (!await store.TryAddAsync(TokenHash.Compute(token), identity, maxTokens, cancellationToken).ConfigureAwait(false))
        {
            Log.TokenCapacityReached(logger ?? NullLogger.Instance, kind, maxTokens);
            throw new ServiceUnavailableException(CapacityMessage, CapacityRetryAfter);
        }

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
