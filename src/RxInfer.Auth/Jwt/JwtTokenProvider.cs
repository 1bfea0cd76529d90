using System.Buffers;
using System.Buffers.Text;
using System.Text.Json;
using Microsoft.Extensions.Caching.Memory;
using Microsoft.Extensions.Logging;
using Microsoft.Extensions.Options;
using Microsoft.IdentityModel.JsonWebTokens;
using Microsoft.IdentityModel.Tokens;

namespace RxInfer.Auth;

/// <summary>
/// Issues and validates signed JWT access tokens (RFC 9068, <c>typ: at+jwt</c>) with
/// <see cref="JsonWebTokenHandler"/>. Validation checks the shape first (length, three base64url segments), then
/// a bounded cache of tokens already validated, and only then the algorithm, key, signature, issuer, audience,
/// type and lifetime. Every outcome, cached or not, checks expiry and revocation against the injected
/// <see cref="TimeProvider"/> and <see cref="IRevocationStore"/>.
/// </summary>
/// <remarks>
/// Times are whole seconds, as in the JWT. With clock skew <c>s</c>, a token is valid from <c>nbf - s</c>
/// (inclusive) until <c>exp + s</c> (exclusive), the window IdentityModel uses, but with the end exclusive as in
/// <see cref="TokenIdentity.IsExpiredAt"/>; <see cref="TokenIdentity.ExpiresAt"/> is the <c>exp</c> claim itself.
/// </remarks>
internal sealed class JwtTokenProvider : ITokenProvider, IDisposable
{
    public const string ProviderName = "jwt";
    public const string TokenType = "at+jwt";
    public const string RolesClaim = "roles";
    private const int TokenIdLength = 22; // base62: more than 128 bits.
    private const long MaxEpochSeconds = 253_402_300_799; // 9999-12-31T23:59:59Z, the last second DateTimeOffset holds.

    private static readonly SearchValues<char> Base64UrlChars =
        SearchValues.Create("ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz0123456789-_");

    private readonly JwtKeyRing _keys;
    private readonly JsonWebTokenHandler _handler;
    private readonly TokenValidationParameters _parameters;
    private readonly IRevocationStore _revocations;
    private readonly TimeProvider _timeProvider;
    private readonly MemoryCache? _cache;
    private readonly string _issuer;
    private readonly string _audience;
    private readonly TimeSpan _skew;
    private readonly int _maxTokenLength;
    private readonly TimeSpan _defaultLifetime;
    private readonly TimeSpan _maxLifetime;

    public JwtTokenProvider(
        IOptions<JwtTokenOptions> options,
        IOptions<RxInferAuthOptions> authOptions,
        IRevocationStore revocations,
        TimeProvider timeProvider,
        ILogger<JwtTokenProvider> logger)
    {
        var jwt = options.Value;
        _revocations = revocations;
        _timeProvider = timeProvider;
        _issuer = jwt.Issuer;
        _audience = jwt.Audience;
        _skew = jwt.ClockSkew;
        _maxTokenLength = jwt.MaxTokenLength;
        _defaultLifetime = authOptions.Value.AccessTokenLifetime;
        _maxLifetime = jwt.MaxLifetime > _defaultLifetime ? jwt.MaxLifetime : _defaultLifetime;

        if (jwt.Keys.Length == 0)
        {
            _keys = JwtKeyRing.CreateEphemeral();
            Log.EphemeralJwtKey(logger, JwtKeyRing.ES256, _keys.Signing.Key.KeyId);
        }
        else
        {
            _keys = JwtKeyRing.Create(jwt);
        }

        _handler = new JsonWebTokenHandler { SetDefaultTimesOnTokenCreation = false, MapInboundClaims = false };
        _parameters = new TokenValidationParameters
        {
            ValidIssuer = _issuer,
            ValidAudience = _audience,
            ValidTypes = [TokenType],
            ValidAlgorithms = _keys.Algorithms,
            IssuerSigningKeys = _keys.ValidationKeys,
            TryAllIssuerSigningKeys = false,
            AlgorithmValidator = IsAlgorithmOfKey,
            RequireExpirationTime = true,
            RequireSignedTokens = true,
            ValidateIssuer = true,
            ValidateAudience = true,
            ValidateLifetime = false, // Checked here against the TimeProvider: exp is exclusive, nbf inclusive.
            ClockSkew = _skew,
            SaveSigninToken = false,
        };

        if (jwt.CacheSize > 0)
        {
            _cache = new MemoryCache(new MemoryCacheOptions { SizeLimit = jwt.CacheSize });
        }
    }

    public string Name => ProviderName;

    public async ValueTask<IssuedToken> IssueAsync(TokenRequest request, CancellationToken cancellationToken = default)
    {
        ArgumentNullException.ThrowIfNull(request);
        if (request.Kind != TokenKind.AccessToken)
        {
            throw new ArgumentException($"The JWT provider issues access tokens only, not {request.Kind}; API keys stay opaque.", nameof(request));
        }

        var lifetime = request.Lifetime ?? _defaultLifetime;
        ArgumentOutOfRangeException.ThrowIfLessThanOrEqual(lifetime, TimeSpan.Zero, nameof(request));
        ArgumentOutOfRangeException.ThrowIfGreaterThan(lifetime, _maxLifetime, nameof(request));

        var tokenId = OpaqueTokenFormat.CreateId(TokenIdLength);
        var subject = request.Subject ?? tokenId;
        var notBefore = WholeSeconds(_timeProvider.GetUtcNow());
        var expires = notBefore + TimeSpan.FromSeconds(Math.Ceiling(lifetime.TotalSeconds));
        var identity = new TokenIdentity(subject, tokenId, request.Roles, expires, ProviderName);

        // A token issued in the same second as a revocation of its subject would fall under the cut-off
        // ("issued at or before"), so it is stamped as issued in the next second.
        var issuedAt = notBefore;
        var cutoff = await _revocations.GetSubjectCutoffAsync(subject, cancellationToken).ConfigureAwait(false);
        if (cutoff is { } revokedUpTo && issuedAt <= revokedUpTo)
        {
            issuedAt = WholeSeconds(revokedUpTo) + TimeSpan.FromSeconds(1);
        }

        var descriptor = new SecurityTokenDescriptor
        {
            Issuer = _issuer,
            Audience = _audience,
            TokenType = TokenType,
            IssuedAt = issuedAt.UtcDateTime,
            NotBefore = notBefore.UtcDateTime,
            Expires = expires.UtcDateTime,
            SigningCredentials = _keys.Signing,
            Claims = new Dictionary<string, object>(StringComparer.Ordinal)
            {
                [JwtRegisteredClaimNames.Sub] = subject,
                [JwtRegisteredClaimNames.Jti] = tokenId,
                [RolesClaim] = identity.Roles.ToArray(),
            },
        };
        return new IssuedToken(_handler.CreateToken(descriptor), identity);
    }

    public ValueTask<TokenValidationOutcome> ValidateAsync(string token, CancellationToken cancellationToken = default)
    {
        if (string.IsNullOrEmpty(token))
        {
            return Rejected(TokenRejectionReason.Malformed);
        }

        if (token.Length > _maxTokenLength)
        {
            return Rejected(TokenRejectionReason.TooLarge);
        }

        if (!HasJwsShape(token))
        {
            return Rejected(TokenRejectionReason.Malformed);
        }

        if (_cache is not null && _cache.TryGetValue(token, out var value) && value is ValidatedToken cached)
        {
            return Recheck(token, cached, cancellationToken);
        }

        return ValidateUncachedAsync(token, cancellationToken);
    }

    public async ValueTask<bool> RevokeAsync(string tokenId, CancellationToken cancellationToken = default)
    {
        ArgumentException.ThrowIfNullOrEmpty(tokenId);
        await _revocations.RevokeAsync(tokenId, KeepRevocationUntil(), cancellationToken).ConfigureAwait(false);
        return true;
    }

    public async ValueTask<int> RevokeSubjectAsync(string subject, CancellationToken cancellationToken = default)
    {
        ArgumentException.ThrowIfNullOrEmpty(subject);
        await _revocations.RevokeSubjectAsync(subject, _timeProvider.GetUtcNow(), KeepRevocationUntil(), cancellationToken).ConfigureAwait(false);
        return 0; // A JWT lives in its holder's hands: how many there are cannot be counted.
    }

    public void Dispose() => _cache?.Dispose();

    /// <summary>Exactly three dot-separated segments of base64url, the first two not empty. No allocation.</summary>
    internal static bool HasJwsShape(ReadOnlySpan<char> token)
    {
        var first = token.IndexOf('.');
        if (first <= 0)
        {
            return false;
        }

        var rest = token[(first + 1)..];
        var second = rest.IndexOf('.');
        if (second <= 0)
        {
            return false;
        }

        var signature = rest[(second + 1)..];
        return !token[..first].ContainsAnyExcept(Base64UrlChars)
            && !rest[..second].ContainsAnyExcept(Base64UrlChars)
            && !signature.ContainsAnyExcept(Base64UrlChars);
    }

    private static bool IsEpochSeconds(long seconds) => seconds is >= 0 and <= MaxEpochSeconds;

    private static ValueTask<TokenValidationOutcome> Rejected(TokenRejectionReason reason) =>
        new(TokenValidationOutcome.Rejected(reason));

    private static DateTimeOffset WholeSeconds(DateTimeOffset time) =>
        new(time.UtcTicks - (time.UtcTicks % TimeSpan.TicksPerSecond), TimeSpan.Zero);

    private DateTimeOffset KeepRevocationUntil() => _timeProvider.GetUtcNow() + _maxLifetime + _skew + TimeSpan.FromSeconds(1);

    private bool IsAlgorithmOfKey(string algorithm, SecurityKey key, SecurityToken token, TokenValidationParameters parameters) =>
        _keys.TryGetAlgorithm(key.KeyId, out var expected) && string.Equals(algorithm, expected, StringComparison.Ordinal);

    private bool IsExpired(DateTimeOffset expiresAt, DateTimeOffset now) => now >= expiresAt + _skew;

    /// <summary>The cache-hit path: expiry, then revocation; synchronous and allocation-free with the in-memory store.</summary>
    private ValueTask<TokenValidationOutcome> Recheck(string token, ValidatedToken cached, CancellationToken cancellationToken)
    {
        if (IsExpired(cached.Identity.ExpiresAt, _timeProvider.GetUtcNow()))
        {
            _cache?.Remove(token);
            return Rejected(TokenRejectionReason.Expired);
        }

        var revokedId = _revocations.IsRevokedAsync(cached.Identity.TokenId, cancellationToken);
        if (!revokedId.IsCompletedSuccessfully)
        {
            return RecheckAsync(token, cached, revokedId, cancellationToken);
        }

        if (revokedId.Result)
        {
            _cache?.Remove(token);
            return Rejected(TokenRejectionReason.Revoked);
        }

        var cutoff = _revocations.GetSubjectCutoffAsync(cached.Identity.Subject, cancellationToken);
        if (!cutoff.IsCompletedSuccessfully)
        {
            return RecheckSubjectAsync(token, cached, cutoff);
        }

        return new(Decide(token, cached, cutoff.Result));
    }

    private async ValueTask<TokenValidationOutcome> RecheckAsync(string token, ValidatedToken cached, ValueTask<bool> revokedId, CancellationToken cancellationToken)
    {
        if (await revokedId.ConfigureAwait(false))
        {
            _cache?.Remove(token);
            return TokenValidationOutcome.Rejected(TokenRejectionReason.Revoked);
        }

        return Decide(token, cached, await _revocations.GetSubjectCutoffAsync(cached.Identity.Subject, cancellationToken).ConfigureAwait(false));
    }

    private async ValueTask<TokenValidationOutcome> RecheckSubjectAsync(string token, ValidatedToken cached, ValueTask<DateTimeOffset?> cutoff) =>
        Decide(token, cached, await cutoff.ConfigureAwait(false));

    private TokenValidationOutcome Decide(string token, ValidatedToken cached, DateTimeOffset? cutoff)
    {
        if (cutoff is { } revokedUpTo && cached.IssuedAt <= revokedUpTo)
        {
            _cache?.Remove(token);
            return TokenValidationOutcome.Rejected(TokenRejectionReason.Revoked);
        }

        return TokenValidationOutcome.Valid(cached.Identity);
    }

    /// <summary>The cache-miss path: parse, algorithm and key, then the signature and claims through IdentityModel.</summary>
    private async ValueTask<TokenValidationOutcome> ValidateUncachedAsync(string token, CancellationToken cancellationToken)
    {
        ValidatedToken validated;
        try
        {
            var checkedToken = await CheckSignedTokenAsync(token).ConfigureAwait(false);
            if (checkedToken.Reason != TokenRejectionReason.None)
            {
                return TokenValidationOutcome.Rejected(checkedToken.Reason);
            }

            validated = checkedToken.Token!;
        }
#pragma warning disable CA1031 // Validation never throws: any failure to read or check the token rejects it.
        catch (Exception)
#pragma warning restore CA1031
        {
            return TokenValidationOutcome.Rejected(TokenRejectionReason.Malformed);
        }

        var outcome = await Recheck(token, validated, cancellationToken).ConfigureAwait(false);
        if (outcome.IsValid && _cache is not null)
        {
            var remaining = validated.Identity.ExpiresAt + _skew - _timeProvider.GetUtcNow();
            if (remaining > TimeSpan.Zero)
            {
                using var entry = _cache.CreateEntry(token);
                entry.Value = validated;
                entry.Size = 1;
                entry.AbsoluteExpirationRelativeToNow = remaining;
            }
        }

        return outcome;
    }

    private async Task<(TokenRejectionReason Reason, ValidatedToken? Token)> CheckSignedTokenAsync(string token)
    {
        if (!_handler.CanReadToken(token))
        {
            return (TokenRejectionReason.Malformed, null);
        }

        var jwt = new JsonWebToken(token);
        if (!_keys.Algorithms.Contains(jwt.Alg))
        {
            return (TokenRejectionReason.InvalidAlgorithm, null); // Includes "none" and any algorithm no key uses.
        }

        if (!_keys.TryGetAlgorithm(jwt.Kid, out var keyAlgorithm))
        {
            return (TokenRejectionReason.InvalidSignature, null); // No kid, or a key not (or no longer) in the ring.
        }

        if (!string.Equals(jwt.Alg, keyAlgorithm, StringComparison.Ordinal))
        {
            return (TokenRejectionReason.InvalidAlgorithm, null); // e.g. HS256 with an RSA or EC public key as secret.
        }

        var result = await _handler.ValidateTokenAsync(jwt, _parameters).ConfigureAwait(false);
        if (!result.IsValid)
        {
            return (Map(result.Exception), null);
        }

        if (!jwt.TryGetPayloadValue<long>(JwtRegisteredClaimNames.Exp, out var exp)
            || !jwt.TryGetPayloadValue<long>(JwtRegisteredClaimNames.Iat, out var iat)
            || !IsEpochSeconds(exp)
            || !IsEpochSeconds(iat))
        {
            return (TokenRejectionReason.InvalidClaims, null);
        }

        var now = _timeProvider.GetUtcNow();
        var expiresAt = DateTimeOffset.FromUnixTimeSeconds(exp);
        if (IsExpired(expiresAt, now))
        {
            return (TokenRejectionReason.Expired, null);
        }

        var hasNotBefore = jwt.TryGetPayloadValue<long>(JwtRegisteredClaimNames.Nbf, out var nbf);
        if ((!hasNotBefore && jwt.TryGetPayloadValue<object>(JwtRegisteredClaimNames.Nbf, out _)) || (hasNotBefore && !IsEpochSeconds(nbf)))
        {
            return (TokenRejectionReason.InvalidClaims, null);
        }

        if (hasNotBefore && DateTimeOffset.FromUnixTimeSeconds(nbf) - _skew > now)
        {
            return (TokenRejectionReason.NotYetValid, null);
        }

        if (!TryReadClaims(jwt.EncodedPayload, out var subject, out var tokenId, out var roles))
        {
            return (TokenRejectionReason.InvalidClaims, null);
        }

        var identity = new TokenIdentity(subject, tokenId, roles, expiresAt, ProviderName);
        return (TokenRejectionReason.None, new ValidatedToken(identity, DateTimeOffset.FromUnixTimeSeconds(iat)));
    }

    /// <summary>
    /// Reads <c>sub</c> and <c>jti</c> (non-empty strings) and <c>roles</c> (an array of non-empty strings) from the
    /// payload, strictly: a single string where an array belongs, a duplicate, or an empty value is refused.
    /// </summary>
    private static bool TryReadClaims(string encodedPayload, out string subject, out string tokenId, out List<string> roles)
    {
        subject = tokenId = string.Empty;
        roles = [];
        var json = Base64Url.DecodeFromChars(encodedPayload);
        var reader = new Utf8JsonReader(json);
        if (!reader.Read() || reader.TokenType != JsonTokenType.StartObject)
        {
            return false;
        }

        bool hasSubject = false, hasTokenId = false, hasRoles = false;
        while (reader.Read() && reader.TokenType == JsonTokenType.PropertyName)
        {
            if (reader.ValueTextEquals(JwtRegisteredClaimNames.Sub))
            {
                if (hasSubject || !ReadString(ref reader, out subject))
                {
                    return false;
                }

                hasSubject = true;
            }
            else if (reader.ValueTextEquals(JwtRegisteredClaimNames.Jti))
            {
                if (hasTokenId || !ReadString(ref reader, out tokenId))
                {
                    return false;
                }

                hasTokenId = true;
            }
            else if (reader.ValueTextEquals(RolesClaim))
            {
                if (hasRoles || !reader.Read() || reader.TokenType != JsonTokenType.StartArray)
                {
                    return false;
                }

                while (reader.Read() && reader.TokenType != JsonTokenType.EndArray)
                {
                    if (reader.TokenType != JsonTokenType.String || reader.GetString() is not { Length: > 0 } role)
                    {
                        return false;
                    }

                    roles.Add(role);
                }

                hasRoles = true;
            }
            else if (!reader.Read() || !reader.TrySkip())
            {
                return false;
            }
        }

        return hasSubject && hasTokenId && hasRoles;
    }

    private static bool ReadString(ref Utf8JsonReader reader, out string value)
    {
        value = string.Empty;
        if (!reader.Read() || reader.TokenType != JsonTokenType.String || reader.GetString() is not { Length: > 0 } text)
        {
            return false;
        }

        value = text;
        return true;
    }

    private static TokenRejectionReason Map(Exception? exception) => exception switch
    {
        SecurityTokenInvalidAlgorithmException => TokenRejectionReason.InvalidAlgorithm,
        SecurityTokenInvalidSignatureException => TokenRejectionReason.InvalidSignature, // Includes SignatureKeyNotFound.
        SecurityTokenInvalidIssuerException => TokenRejectionReason.InvalidIssuer,
        SecurityTokenInvalidAudienceException => TokenRejectionReason.InvalidAudience,
        SecurityTokenInvalidTypeException => TokenRejectionReason.InvalidType,
        _ => TokenRejectionReason.Malformed,
    };

    /// <summary>A validated token as cached: built once, so a cache hit allocates nothing.</summary>
    private sealed class ValidatedToken(TokenIdentity identity, DateTimeOffset issuedAt)
    {
        public TokenIdentity Identity { get; } = identity;

        public DateTimeOffset IssuedAt { get; } = issuedAt;
    }
}
