using System.Text.Json;
using Microsoft.Extensions.Logging;
using Microsoft.IdentityModel.JsonWebTokens;
using Microsoft.IdentityModel.Tokens;

namespace RxInfer.Auth;

/// <summary>
/// Key selection and validation of a token not seen before, through IdentityModel: parse, pick the key named by
/// <c>kid</c> (its algorithm must be the token's), refuse <c>crit</c>, then signature, issuer, audience and type with
/// that key's prebuilt parameters, then the time claims and the strict claims, and only then the identity.
/// Synchronous, without a <see cref="Task"/> of its own, whenever IdentityModel completes synchronously.
/// </summary>
internal sealed class JwtIdentityModelValidator
{
    private readonly JwtKeyRing _keys;
    private readonly JsonWebTokenHandler _handler = new() { MapInboundClaims = false };
    private readonly Dictionary<string, KeyParameters> _parametersByKeyId;
    private readonly RoleSets _roleSets = new();
    private readonly JwtLifetimeRules _lifetime;
    private readonly TimeProvider _timeProvider;
    private readonly ILogger _logger;

    public JwtIdentityModelValidator(JwtKeyRing keys, string issuer, string audience, JwtLifetimeRules lifetime, TimeProvider timeProvider, ILogger logger)
    {
        _keys = keys;
        _lifetime = lifetime;
        _timeProvider = timeProvider;
        _logger = logger;

        // One prebuilt set of parameters per key, holding exactly that key and its algorithm: the token's kid picks
        // it, so no key search and no algorithm delegate run per token.
        _parametersByKeyId = new Dictionary<string, KeyParameters>(StringComparer.Ordinal);
        foreach (var (key, algorithm) in keys.Keys)
        {
            _parametersByKeyId.Add(key.KeyId, new KeyParameters(algorithm, new TokenValidationParameters
            {
                ValidIssuer = issuer,
                ValidAudience = audience,
                ValidTypes = [JwtTokenProvider.TokenType],
                ValidAlgorithms = [algorithm],
                IssuerSigningKey = key,
                TryAllIssuerSigningKeys = false,
                RequireExpirationTime = true,
                RequireSignedTokens = true,
                ValidateIssuer = true,
                ValidateAudience = true,
                ValidateLifetime = false, // Checked against the TimeProvider: exp is exclusive, nbf inclusive.
                ClockSkew = lifetime.Skew,
                SaveSigninToken = false,
            }));
        }
    }

    /// <summary>The prebuilt validation parameters of the key <paramref name="keyId"/> (a seam for tests).</summary>
    internal TokenValidationParameters ParametersOf(string keyId) => _parametersByKeyId[keyId].Parameters;

    /// <summary>Validates a token of the JWS shape (<see cref="JwtTokenShape.HasJwsShape"/>) that the cache does not hold.</summary>
    public ValueTask<JwtValidationResult> ValidateAsync(string token)
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
            return new(JwtValidationResult.Rejected(TokenRejectionReason.Malformed));
        }

        var reason = SelectKey(jwt, out var parameters);
        if (reason == TokenRejectionReason.None)
        {
            reason = CheckCritical(jwt);
        }

        if (reason != TokenRejectionReason.None)
        {
            return new(JwtValidationResult.Rejected(reason));
        }

        // IdentityModel reports every failure in the result, never as an exception.
        var pending = _handler.ValidateTokenAsync(jwt, parameters);
        return pending.IsCompletedSuccessfully ? new(CheckClaims(jwt, pending.Result)) : ValidateSlowlyAsync(jwt, pending);
    }

    private async ValueTask<JwtValidationResult> ValidateSlowlyAsync(JsonWebToken jwt, Task<TokenValidationResult> pending) =>
        CheckClaims(jwt, await pending.ConfigureAwait(false));

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
    private JwtValidationResult CheckClaims(JsonWebToken jwt, TokenValidationResult result)
    {
        if (!result.IsValid)
        {
            return JwtValidationResult.Rejected(Map(result.Exception));
        }

        if (!jwt.TryGetPayloadValue<long>(JwtRegisteredClaimNames.Exp, out var exp)
            || !jwt.TryGetPayloadValue<long>(JwtRegisteredClaimNames.Iat, out var iat)
            || !JwtLifetimeRules.IsEpochSeconds(exp)
            || !JwtLifetimeRules.IsEpochSeconds(iat))
        {
            return JwtValidationResult.Rejected(TokenRejectionReason.InvalidClaims);
        }

        // Expiry is checked once, by the re-check every admitted token goes through, as for a cached token.
        var hasNotBefore = jwt.TryGetPayloadValue<long>(JwtRegisteredClaimNames.Nbf, out var nbf);
        if ((!hasNotBefore && jwt.TryGetPayloadValue<object>(JwtRegisteredClaimNames.Nbf, out _)) || (hasNotBefore && !JwtLifetimeRules.IsEpochSeconds(nbf)))
        {
            return JwtValidationResult.Rejected(TokenRejectionReason.InvalidClaims);
        }

        var times = _lifetime.CheckTimes(exp, iat, hasNotBefore ? nbf : null, _timeProvider.GetUtcNow());
        if (times != TokenRejectionReason.None)
        {
            return JwtValidationResult.Rejected(times);
        }

        var claimsRead = JwtPayloadReader.TryReadClaims(jwt.EncodedPayload, out var subject, out var tokenId, out var roles);
        if (claimsRead != TokenRejectionReason.None)
        {
            return JwtValidationResult.Rejected(claimsRead);
        }

        // Tokens of one role set share one roles array (bounded, see RoleSets): less to allocate and to cache.
        var identity = TokenIdentity.WithSharedRoles(subject, tokenId, _roleSets.Intern(roles), DateTimeOffset.FromUnixTimeSeconds(exp), JwtTokenProvider.ProviderName, TokenKind.AccessToken);
        return JwtValidationResult.Accepted(new ValidatedToken(identity, DateTimeOffset.FromUnixTimeSeconds(iat)));
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
