using System.Buffers;
using System.Buffers.Text;
using System.Text.Json;
using Microsoft.Extensions.Logging;
using Microsoft.Extensions.Options;
using Microsoft.IdentityModel.JsonWebTokens;
using Microsoft.IdentityModel.Tokens;

namespace RxInfer.Auth;

/// <summary>
/// Issues and validates signed JWT access tokens (RFC 9068, <c>typ: at+jwt</c>) with
/// <see cref="JsonWebTokenHandler"/>. Validation checks the shape first (length, three base64url segments), then
/// a bounded cache of tokens already validated (<see cref="ValidatedTokenCache"/>), and only then the algorithm,
/// key, signature, issuer, audience, type and lifetime. Every outcome, cached or not, checks expiry and revocation
/// against the injected <see cref="TimeProvider"/> and <see cref="IRevocationStore"/>.
/// </summary>
/// <remarks>
/// <para>Times are whole seconds, as in the JWT. With clock skew <c>s</c>, a token is valid from <c>nbf - s</c>
/// (inclusive) until <c>exp + s</c> (exclusive), the window IdentityModel uses, but with the end exclusive as in
/// <see cref="TokenIdentity.IsExpiredAt"/>; <see cref="TokenIdentity.ExpiresAt"/> is the <c>exp</c> claim itself.</para>
/// <para>Revocation is kept for a bounded time, so a token must not outlive it: <c>exp - iat</c> and <c>exp - nbf</c>
/// are at most <c>L = MaxLifetime + s</c> (<see cref="TokenRejectionReason.LifetimeTooLong"/>) and <c>iat</c> at most
/// <c>s</c> ahead of the clock (<see cref="TokenRejectionReason.NotYetValid"/>). A token accepted at or before a
/// revocation at <c>t</c> thus has <c>iat &lt;= t + s</c> and is expired from <c>t + s + L + s</c> on, before the
/// revocation may be forgotten (<see cref="KeepRevocationUntil"/>).</para>
/// </remarks>
internal sealed class JwtTokenProvider : ITokenProvider, IDisposable
{
    public const string ProviderName = "jwt";
    public const string TokenType = "at+jwt";
    private const int TokenIdLength = 22; // base62: more than 128 bits.
    private const int StackPayloadBytes = 1024;
    private const long MaxEpochSeconds = 253_402_300_799; // 9999-12-31T23:59:59Z, the last second DateTimeOffset holds.

    private static readonly SearchValues<char> Base64UrlChars =
        SearchValues.Create("ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz0123456789-_");

    private readonly JwtKeyRing _keys;
    private readonly JsonWebTokenHandler _handler;
    private readonly Dictionary<string, KeyParameters> _parametersByKeyId;
    private readonly RoleSets _roleSets = new();
    private readonly IRevocationStore _revocations;
    private readonly TimeProvider _timeProvider;
    private readonly ValidatedTokenCache? _cache;
    private readonly string _issuer;
    private readonly string _audience;
    private readonly TimeSpan _skew;
    private readonly int _maxTokenLength;
    private readonly TimeSpan _defaultLifetime;
    private readonly TimeSpan _maxLifetime;
    private readonly long _maxAcceptedLifetimeSeconds;
    private readonly ILogger _logger;

    public JwtTokenProvider(
        IOptions<JwtTokenOptions> options,
        IOptions<RxInferAuthOptions> authOptions,
        IRevocationStore revocations,
        JwtKeyRingSource keyRings,
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
        _maxAcceptedLifetimeSeconds = (long)Math.Ceiling((_maxLifetime + _skew).TotalSeconds); // issued lifetimes round up too
        _logger = logger;

        // The ring the options validator has read and checked (the container disposes it, not this provider).
        _keys = keyRings.Load(jwt, out var keyErrors) ?? throw new InvalidOperationException(string.Join(" ", keyErrors));
        if (_keys.IsEphemeral)
        {
            Log.EphemeralJwtKey(logger, JwtKeyRing.ES256, _keys.Signing.Key.KeyId);
        }

        _handler = new JsonWebTokenHandler { SetDefaultTimesOnTokenCreation = false, MapInboundClaims = false };
        // One prebuilt set of parameters per key, holding exactly that key and its algorithm: the token's kid picks
        // it, so no key search and no algorithm delegate run per token.
        _parametersByKeyId = new Dictionary<string, KeyParameters>(StringComparer.Ordinal);
        foreach (var (key, algorithm) in _keys.Keys)
        {
            _parametersByKeyId.Add(key.KeyId, new KeyParameters(algorithm, new TokenValidationParameters
            {
                ValidIssuer = _issuer,
                ValidAudience = _audience,
                ValidTypes = [TokenType],
                ValidAlgorithms = [algorithm],
                IssuerSigningKey = key,
                TryAllIssuerSigningKeys = false,
                RequireExpirationTime = true,
                RequireSignedTokens = true,
                ValidateIssuer = true,
                ValidateAudience = true,
                ValidateLifetime = false, // Checked here against the TimeProvider: exp is exclusive, nbf inclusive.
                ClockSkew = _skew,
                SaveSigninToken = false,
            }));
        }

        if (jwt.CacheSize > 0)
        {
            _cache = new ValidatedTokenCache(jwt.CacheSize, timeProvider, _skew);
        }
    }

    public string Name => ProviderName;

    /// <summary>The bounded cache of validated tokens, or <see langword="null"/> when turned off (a seam for tests and benchmarks).</summary>
    internal ValidatedTokenCache? Cache => _cache;

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
                ["roles"] = identity.Roles.ToArray(), // read back by TryReadClaims
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

        if (_cache is not null && _cache.TryGetValue(token, out var cached))
        {
            return Recheck(token, cached, cancellationToken);
        }

        return ValidateUncachedAsync(token, cancellationToken);
    }

    public async ValueTask<bool> RevokeAsync(string tokenId, CancellationToken cancellationToken = default)
    {
        ArgumentException.ThrowIfNullOrEmpty(tokenId);
        await _revocations.RevokeAsync(tokenId, KeepRevocationUntil(_timeProvider.GetUtcNow()), cancellationToken).ConfigureAwait(false);
        return true;
    }

    public async ValueTask<int> RevokeSubjectAsync(string subject, CancellationToken cancellationToken = default)
    {
        ArgumentException.ThrowIfNullOrEmpty(subject);
        // Tokens issued since an earlier cut-off in the same second carry iat = that second + 1 (see IssueAsync),
        // so the new cut-off reaches at least that far.
        var cutoff = _timeProvider.GetUtcNow();
        var earlier = await _revocations.GetSubjectCutoffAsync(subject, cancellationToken).ConfigureAwait(false);
        if (earlier is { } previous && WholeSeconds(previous) + TimeSpan.FromSeconds(1) > cutoff)
        {
            cutoff = WholeSeconds(previous) + TimeSpan.FromSeconds(1);
        }

        // Tokens with iat up to the cut-off are revoked: a cut-off ahead of the clock counts from itself.
        var now = _timeProvider.GetUtcNow();
        await _revocations.RevokeSubjectAsync(subject, cutoff, KeepRevocationUntil(cutoff > now ? cutoff : now), cancellationToken).ConfigureAwait(false);
        return 0; // A JWT lives in its holder's hands: how many there are cannot be counted.
    }

    public void Dispose() => _cache?.Clear();

    /// <summary>The prebuilt validation parameters of the key <paramref name="keyId"/> (a seam for tests).</summary>
    internal TokenValidationParameters ValidationParametersOf(string keyId) => _parametersByKeyId[keyId].Parameters;

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

    /// <summary>
    /// Until when a revocation made at <paramref name="from"/> is needed: a token accepted by then has <c>iat</c> at
    /// most a skew ahead and lives at most <c>MaxLifetime + skew</c>, and is expired a skew after its <c>exp</c>
    /// (plus a second for rounding to whole seconds).
    /// </summary>
    private DateTimeOffset KeepRevocationUntil(DateTimeOffset from) =>
        from + _skew + TimeSpan.FromSeconds(_maxAcceptedLifetimeSeconds) + _skew + TimeSpan.FromSeconds(1);

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

    /// <summary>
    /// The cache-miss path: parse, pick the key named by <c>kid</c> (its algorithm must be the token's), then the
    /// signature and claims through IdentityModel with that key's prebuilt parameters. Synchronous, without a
    /// <see cref="Task"/> of its own, whenever IdentityModel and the revocation store complete synchronously (the
    /// in-memory defaults always do).
    /// </summary>
    private ValueTask<TokenValidationOutcome> ValidateUncachedAsync(string token, CancellationToken cancellationToken)
    {
        JsonWebToken jwt;
        try
        {
            // HasJwsShape has already checked the three base64url segments. The constructor reads the header and the
            // payload whole and throws an ArgumentException (SecurityTokenMalformedException is one) for anything else:
            // not JSON, not UTF-8, a lone surrogate escape, a number out of range.
            jwt = new JsonWebToken(token);
        }
        catch (ArgumentException)
        {
            return Rejected(TokenRejectionReason.Malformed);
        }

        var reason = SelectKey(jwt, out var parameters);
        if (reason == TokenRejectionReason.None)
        {
            reason = CheckCritical(jwt);
        }

        if (reason != TokenRejectionReason.None)
        {
            return Rejected(reason);
        }

        // IdentityModel reports every failure in the result, never as an exception.
        var pending = _handler.ValidateTokenAsync(jwt, parameters);
        if (!pending.IsCompletedSuccessfully)
        {
            return ValidateSignatureAsync(token, jwt, pending, cancellationToken);
        }

        var checkedToken = CheckClaims(jwt, pending.Result);
        return checkedToken.Reason != TokenRejectionReason.None
            ? Rejected(checkedToken.Reason)
            : Admit(token, checkedToken.Token!, cancellationToken);
    }

    private async ValueTask<TokenValidationOutcome> ValidateSignatureAsync(string token, JsonWebToken jwt, Task<TokenValidationResult> pending, CancellationToken cancellationToken)
    {
        var result = await pending.ConfigureAwait(false);
        var checkedToken = CheckClaims(jwt, result);
        return checkedToken.Reason != TokenRejectionReason.None
            ? TokenValidationOutcome.Rejected(checkedToken.Reason)
            : await Admit(token, checkedToken.Token!, cancellationToken).ConfigureAwait(false);
    }

    /// <summary>The validation parameters of the key the token names, when its algorithm is that key's.</summary>
    private TokenRejectionReason SelectKey(JsonWebToken jwt, out TokenValidationParameters parameters)
    {
        parameters = null!;
        var algorithm = jwt.Alg;
        if (!_keys.Algorithms.Contains(algorithm))
        {
            return TokenRejectionReason.InvalidAlgorithm; // Includes "none" and any algorithm no key uses.
        }

        if (jwt.Kid is not { } keyId || !_parametersByKeyId.TryGetValue(keyId, out var key))
        {
            return TokenRejectionReason.InvalidSignature; // No kid, or a key not (or no longer) in the ring.
        }

        if (!string.Equals(algorithm, key.Algorithm, StringComparison.Ordinal))
        {
            return TokenRejectionReason.InvalidAlgorithm; // e.g. HS256 with an RSA or EC public key as secret.
        }

        parameters = key.Parameters;
        return TokenRejectionReason.None;
    }

    /// <summary>
    /// RFC 7515 §4.1.11: this validator understands no extension, so a token with a <c>crit</c> header is refused,
    /// as unsupported when it is a non-empty array of strings and as malformed otherwise. One header lookup when absent.
    /// </summary>
    private static TokenRejectionReason CheckCritical(JsonWebToken jwt)
    {
        if (!jwt.TryGetHeaderValue<object>("crit", out var critical))
        {
            return TokenRejectionReason.None;
        }

        var isListOfNames = critical is JsonElement { ValueKind: JsonValueKind.Array } list
            && list.GetArrayLength() > 0
            && list.EnumerateArray().All(static name => name.ValueKind == JsonValueKind.String);
        return isListOfNames ? TokenRejectionReason.UnsupportedCriticalExtension : TokenRejectionReason.Malformed;
    }

    /// <summary>
    /// After IdentityModel: the time claims (whole seconds; <c>nbf</c> and <c>iat</c> with the skew; the lifetime
    /// revocation covers) and the strict claims.
    /// </summary>
    private (TokenRejectionReason Reason, ValidatedToken? Token) CheckClaims(JsonWebToken jwt, TokenValidationResult result)
    {
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

        // Expiry is checked once, by Recheck (through Admit), as for a cached token.
        var hasNotBefore = jwt.TryGetPayloadValue<long>(JwtRegisteredClaimNames.Nbf, out var nbf);
        if ((!hasNotBefore && jwt.TryGetPayloadValue<object>(JwtRegisteredClaimNames.Nbf, out _)) || (hasNotBefore && !IsEpochSeconds(nbf)))
        {
            return (TokenRejectionReason.InvalidClaims, null);
        }

        var now = _timeProvider.GetUtcNow();
        if ((hasNotBefore && DateTimeOffset.FromUnixTimeSeconds(nbf) - _skew > now) || DateTimeOffset.FromUnixTimeSeconds(iat) - _skew > now)
        {
            return (TokenRejectionReason.NotYetValid, null);
        }

        if (exp - iat > _maxAcceptedLifetimeSeconds || (hasNotBefore && exp - nbf > _maxAcceptedLifetimeSeconds))
        {
            return (TokenRejectionReason.LifetimeTooLong, null);
        }

        var claimsRead = TryReadClaims(jwt.EncodedPayload, out var subject, out var tokenId, out var roles);
        if (claimsRead != TokenRejectionReason.None)
        {
            return (claimsRead, null);
        }

        // Tokens of one role set share one roles array (bounded, see RoleSets): less to allocate and to cache.
        var identity = TokenIdentity.WithSharedRoles(subject, tokenId, _roleSets.Intern(roles), DateTimeOffset.FromUnixTimeSeconds(exp), ProviderName, TokenKind.AccessToken);
        return (TokenRejectionReason.None, new ValidatedToken(identity, DateTimeOffset.FromUnixTimeSeconds(iat)));
    }

    /// <summary>Revocation and expiry as for a cached token, then the token enters the cache when valid.</summary>
    private ValueTask<TokenValidationOutcome> Admit(string token, ValidatedToken validated, CancellationToken cancellationToken)
    {
        var outcome = Recheck(token, validated, cancellationToken);
        return outcome.IsCompletedSuccessfully ? new(Store(token, validated, outcome.Result)) : AdmitAsync(token, validated, outcome);
    }

    private async ValueTask<TokenValidationOutcome> AdmitAsync(string token, ValidatedToken validated, ValueTask<TokenValidationOutcome> outcome) =>
        Store(token, validated, await outcome.ConfigureAwait(false));

    private TokenValidationOutcome Store(string token, ValidatedToken validated, TokenValidationOutcome outcome)
    {
        if (outcome.IsValid && _cache is not null)
        {
            // Recheck has just found it unexpired; an entry expired later is refused on its next hit and removed.
            _cache.Add(token, validated);
        }

        return outcome;
    }

    /// <summary>
    /// Reads <c>sub</c> and <c>jti</c> (non-empty strings) and <c>roles</c> (an array of non-empty strings) from the
    /// payload, strictly: a single string where an array belongs, a duplicate, or an empty value is
    /// <see cref="TokenRejectionReason.InvalidClaims"/>; a payload that is not base64url JSON of Unicode text is
    /// <see cref="TokenRejectionReason.Malformed"/> (IdentityModel has refused those already; this never throws).
    /// </summary>
    private static TokenRejectionReason TryReadClaims(string encodedPayload, out string subject, out string tokenId, out List<string> roles)
    {
        // Decoded into a stack (or pooled) buffer: the strings read from it are copies, nothing else outlives it.
        var maxLength = Base64Url.GetMaxDecodedLength(encodedPayload.Length);
        byte[]? rented = null;
        var buffer = maxLength <= StackPayloadBytes ? stackalloc byte[StackPayloadBytes] : (rented = ArrayPool<byte>.Shared.Rent(maxLength));
        try
        {
            if (Base64Url.DecodeFromChars(encodedPayload, buffer, out _, out var written) != OperationStatus.Done)
            {
                (subject, tokenId, roles) = (string.Empty, string.Empty, []);
                return TokenRejectionReason.Malformed;
            }

            return TryReadClaims(buffer[..written], out subject, out tokenId, out roles)
                ? TokenRejectionReason.None
                : TokenRejectionReason.InvalidClaims;
        }
        catch (Exception e) when (e is JsonException or InvalidOperationException)
        {
            // The reader's documented failures: not JSON, or a string that is not Unicode text.
            (subject, tokenId, roles) = (string.Empty, string.Empty, []);
            return TokenRejectionReason.Malformed;
        }
        finally
        {
            if (rented is not null)
            {
                ArrayPool<byte>.Shared.Return(rented);
            }
        }
    }

    private static bool TryReadClaims(ReadOnlySpan<byte> json, out string subject, out string tokenId, out List<string> roles)
    {
        subject = tokenId = string.Empty;
        roles = new List<string>(4);
        var reader = new Utf8JsonReader(json);
        if (!reader.Read() || reader.TokenType != JsonTokenType.StartObject)
        {
            return false;
        }

        bool hasSubject = false, hasTokenId = false, hasRoles = false;
        while (reader.Read() && reader.TokenType == JsonTokenType.PropertyName)
        {
            if (reader.ValueTextEquals("sub"u8))
            {
                if (hasSubject || !ReadString(ref reader, out subject))
                {
                    return false;
                }

                hasSubject = true;
            }
            else if (reader.ValueTextEquals("jti"u8))
            {
                if (hasTokenId || !ReadString(ref reader, out tokenId))
                {
                    return false;
                }

                hasTokenId = true;
            }
            else if (reader.ValueTextEquals("roles"u8))
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

    /// <summary>
    /// The reason for IdentityModel's failure. A failure it reports for a token that is not well formed is malformed;
    /// any other exception is unexpected: logged (its type and where it was thrown, never its message, which may hold
    /// the token) and the token rejected as malformed.
    /// </summary>
    private TokenRejectionReason Map(Exception? exception)
    {
        switch (exception)
        {
            case SecurityTokenInvalidAlgorithmException:
                return TokenRejectionReason.InvalidAlgorithm;
            case SecurityTokenInvalidSignatureException: // Includes SignatureKeyNotFound.
                return TokenRejectionReason.InvalidSignature;
            case SecurityTokenInvalidIssuerException:
                return TokenRejectionReason.InvalidIssuer;
            case SecurityTokenInvalidAudienceException:
                return TokenRejectionReason.InvalidAudience;
            case SecurityTokenInvalidTypeException:
                return TokenRejectionReason.InvalidType;
            case SecurityTokenMalformedException:
                return TokenRejectionReason.Malformed;
            case SecurityTokenNoExpirationException:
                return TokenRejectionReason.InvalidClaims;
            default:
                Log.UnexpectedJwtValidationFailure(_logger, exception?.GetType().FullName ?? "failure without an exception", exception?.StackTrace ?? "");
                return TokenRejectionReason.Malformed;
        }
    }

    /// <summary>A key's algorithm and the validation parameters holding that key alone.</summary>
    private sealed record KeyParameters(string Algorithm, TokenValidationParameters Parameters);
}
