using Microsoft.IdentityModel.JsonWebTokens;
using Microsoft.IdentityModel.Tokens;

namespace RxInfer.Auth;

/// <summary>
/// Issues signed access tokens (RFC 9068, <c>typ: at+jwt</c>) with the ring's signing key, through
/// <see cref="JsonWebTokenHandler"/>: <c>iss aud sub jti iat nbf exp roles</c>, times in whole seconds.
/// </summary>
internal sealed class JwtTokenWriter(JwtKeyRing keys, string issuer, string audience, JwtLifetimeRules lifetime, IRevocationStore revocations, TimeProvider timeProvider)
{
    private const int TokenIdLength = 22; // base62: more than 128 bits.

    private readonly JsonWebTokenHandler _handler = new() { SetDefaultTimesOnTokenCreation = false };

    public async ValueTask<IssuedToken> IssueAsync(TokenRequest request, CancellationToken cancellationToken)
    {
        ArgumentNullException.ThrowIfNull(request);
        if (request.Kind != TokenKind.AccessToken)
        {
            throw new ArgumentException($"The JWT provider issues access tokens only, not {request.Kind}; API keys stay opaque.", nameof(request));
        }

        var tokenLifetime = request.Lifetime ?? lifetime.DefaultLifetime;
        ArgumentOutOfRangeException.ThrowIfLessThanOrEqual(tokenLifetime, TimeSpan.Zero, nameof(request));
        ArgumentOutOfRangeException.ThrowIfGreaterThan(tokenLifetime, lifetime.MaxLifetime, nameof(request));

        var tokenId = RandomId.Create(TokenIdLength);
        var subject = request.Subject ?? tokenId;
        var notBefore = JwtLifetimeRules.WholeSeconds(timeProvider.GetUtcNow());
        var expires = notBefore + TimeSpan.FromSeconds(Math.Ceiling(tokenLifetime.TotalSeconds));
        var identity = new TokenIdentity(subject, tokenId, request.Roles, expires, JwtTokenProvider.ProviderName);

        // A token issued in the same second as a revocation of its subject would fall under the cut-off
        // ("issued at or before"), so it is stamped as issued in the next second.
        var issuedAt = notBefore;
        var cutoff = await revocations.GetSubjectCutoffAsync(subject, cancellationToken).ConfigureAwait(false);
        if (cutoff is { } revokedUpTo && issuedAt <= revokedUpTo)
        {
            issuedAt = JwtLifetimeRules.WholeSeconds(revokedUpTo) + TimeSpan.FromSeconds(1);
        }

        var descriptor = new SecurityTokenDescriptor
        {
            Issuer = issuer,
            Audience = audience,
            TokenType = JwtTokenProvider.TokenType,
            IssuedAt = issuedAt.UtcDateTime,
            NotBefore = notBefore.UtcDateTime,
            Expires = expires.UtcDateTime,
            SigningCredentials = keys.Signing,
            Claims = new Dictionary<string, object>(StringComparer.Ordinal)
            {
                [JwtRegisteredClaimNames.Sub] = subject,
                [JwtRegisteredClaimNames.Jti] = tokenId,
                ["roles"] = identity.Roles.ToArray(), // read back by JwtPayloadReader (an array, always)
            },
        };
        return new IssuedToken(_handler.CreateToken(descriptor), identity);
    }
}
