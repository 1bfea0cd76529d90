using System.Buffers;
using System.Buffers.Text;
using System.Security.Cryptography;
using System.Text;
using System.Text.Json;
using System.Text.Unicode;
using Microsoft.Extensions.Logging;
using Microsoft.IdentityModel.Tokens;

namespace RxInfer.Auth;

/// <summary>
/// Our own validator of a token not seen before, in one pass over the text: the three segments located without
/// copies; header and payload decoded into one stack (or pooled) buffer and read once each with
/// <see cref="Utf8JsonReader"/> (the payload by the pure <see cref="JwtPayloadReader"/>); the key picked by <c>kid</c> (its algorithm must be the token's); the signature
/// checked with the platform primitives on the ring's key material (HMAC-SHA256 compared in constant time, ECDsa and
/// RSA objects of the ring); and only then the strings of the identity built. IdentityModel keeps the issuing and the
/// key material (<see cref="JwtKeyRing"/>).
/// </summary>
/// <remarks>
/// <para>Held to a stricter bar than <c>JsonWebTokenHandler</c>, never a looser one (a differential property test
/// checks this on generated, mutated and hostile tokens): header and payload must be JSON objects of valid UTF-8 with
/// nothing after them; every string, known or not, must unescape to Unicode text; every number must fit a double;
/// a duplicate member of the header or of the claims read here is refused; <c>typ</c>, <c>iss</c> and <c>aud</c>
/// compare ordinal (no trailing-slash leniency); the time claims are integers; <c>nbf</c> after <c>exp</c> is refused.</para>
/// <para>Reasons are those the IdentityModel validation it replaced gave: JSON that cannot be read is
/// <see cref="TokenRejectionReason.Malformed"/> before any key is looked at; then the algorithm and key, <c>crit</c>,
/// the signature, type, issuer, audience, and the claims.</para>
/// </remarks>
internal sealed class JwtCompactValidator : IDisposable
{
    private const int StackBytes = 2048;
    private const int MaxKeyIdChars = 256;

    private readonly Dictionary<string, VerificationKey> _keys;
    private readonly Dictionary<string, VerificationKey>.AlternateLookup<ReadOnlySpan<char>> _keysById;
    private readonly string[] _algorithms;
    private readonly byte[] _issuer;
    private readonly byte[] _audience;
    private readonly RoleSets _roleSets = new();
    private readonly JwtLifetimeRules _lifetime;
    private readonly TimeProvider _timeProvider;
    private readonly ILogger _logger;

    public JwtCompactValidator(JwtKeyRing keys, string issuer, string audience, JwtLifetimeRules lifetime, TimeProvider timeProvider, ILogger logger)
    {
        _logger = logger;
        var byId = new Dictionary<string, VerificationKey>(StringComparer.Ordinal);
        foreach (var (key, algorithm) in keys.Keys)
        {
            byId.Add(key.KeyId, VerificationKey.Of(key, algorithm));
        }

        _keys = byId;
        _keysById = byId.GetAlternateLookup<ReadOnlySpan<char>>();
        _algorithms = [.. keys.Algorithms];
        _issuer = Encoding.UTF8.GetBytes(issuer);
        _audience = Encoding.UTF8.GetBytes(audience);
        _lifetime = lifetime;
        _timeProvider = timeProvider;
    }

    /// <summary>
    /// Validates a token of the JWS shape (<see cref="JwtTokenShape.HasJwsShape"/>) that the cache does not hold. Never
    /// throws: text that cannot be read is malformed, and an unexpected failure is logged and the token rejected as malformed.
    /// </summary>
    public JwtValidationResult Validate(string token)
    {
        var text = token.AsSpan();
        var firstDot = text.IndexOf('.');
        var secondDot = firstDot + 1 + text[(firstDot + 1)..].IndexOf('.');
        var encodedHeader = text[..firstDot];
        var encodedPayload = text[(firstDot + 1)..secondDot];
        var encodedSignature = text[(secondDot + 1)..];

        var headerLength = Base64Url.GetMaxDecodedLength(encodedHeader.Length);
        var payloadLength = Base64Url.GetMaxDecodedLength(encodedPayload.Length);
        var needed = headerLength + payloadLength;
        byte[]? rented = null;
        var buffer = needed <= StackBytes ? stackalloc byte[StackBytes] : (rented = ArrayPool<byte>.Shared.Rent(needed));
        try
        {
            if (Base64Url.DecodeFromChars(encodedHeader, buffer, out _, out var headerWritten) != OperationStatus.Done
                || Base64Url.DecodeFromChars(encodedPayload, buffer[headerLength..], out _, out var payloadWritten) != OperationStatus.Done)
            {
                return JwtValidationResult.Rejected(TokenRejectionReason.Malformed);
            }

            var header = buffer[..headerWritten];
            var payload = buffer.Slice(headerLength, payloadWritten);
            if (!Utf8.IsValid(header) || !TryReadHeader(header, out var headerFields)
                || JwtPayloadReader.Read(payload, _issuer, _audience, out var claims) != TokenRejectionReason.None)
            {
                return JwtValidationResult.Rejected(TokenRejectionReason.Malformed);
            }

            var reason = SelectKey(header, headerFields, out var key);
            if (reason == TokenRejectionReason.None)
            {
                reason = headerFields.Critical;
            }

            if (reason == TokenRejectionReason.None)
            {
                reason = key!.Verify(text[..secondDot], encodedSignature) ? TokenRejectionReason.None : TokenRejectionReason.InvalidSignature;
            }

            if (reason == TokenRejectionReason.None)
            {
                reason = CheckClaims(headerFields, claims);
            }

            return reason == TokenRejectionReason.None
                ? JwtValidationResult.Accepted(Identify(payload, claims))
                : JwtValidationResult.Rejected(reason);
        }
        catch (Exception e) when (e is JsonException or (InvalidOperationException and not ObjectDisposedException))
        {
            // The reader's documented failures: not JSON, too deep, a string that is not Unicode text.
            return JwtValidationResult.Rejected(TokenRejectionReason.Malformed);
        }
        catch (Exception e) when (e is not OutOfMemoryException)
        {
            // Unexpected (a key disposed under the validator, a platform failure): logged with its type and where it
            // was thrown, never its message, and the token rejected, never a failure of the caller's request.
            Log.UnexpectedJwtValidationFailure(_logger, e.GetType().FullName ?? "exception", e.StackTrace ?? "");
            return JwtValidationResult.Rejected(TokenRejectionReason.Malformed);
        }
        finally
        {
            if (rented is not null)
            {
                ArrayPool<byte>.Shared.Return(rented);
            }
        }
    }

    /// <summary>Disposes the keyed HMAC instances; the ring's keys stay the ring's.</summary>
    public void Dispose()
    {
        foreach (var key in _keys.Values)
        {
            key.Dispose();
        }
    }

    /// <summary>The key the token names, when its algorithm is that key's.</summary>
    private TokenRejectionReason SelectKey(ReadOnlySpan<byte> header, in HeaderFields fields, out VerificationKey? key)
    {
        key = null;
        var algorithm = fields.Algorithm.IsPresent ? FindAlgorithm(header, fields.Algorithm) : null;
        if (algorithm is null)
        {
            return TokenRejectionReason.InvalidAlgorithm; // Includes "none", no alg, and any algorithm no key uses.
        }

        if (!fields.KeyId.IsPresent)
        {
            return TokenRejectionReason.InvalidSignature; // No kid.
        }

        // Unescaped, a kid has at most as many characters as bytes.
        var keyId = fields.KeyId.Length <= MaxKeyIdChars ? stackalloc char[MaxKeyIdChars] : new char[fields.KeyId.Length];
        var written = fields.KeyId.CopyTo(header, keyId);
        if (!_keysById.TryGetValue(keyId[..written], out key))
        {
            return TokenRejectionReason.InvalidSignature; // A key not (or no longer) in the ring.
        }

        return string.Equals(algorithm, key.Algorithm, StringComparison.Ordinal)
            ? TokenRejectionReason.None
            : TokenRejectionReason.InvalidAlgorithm; // e.g. HS256 with an RSA or EC public key as secret.
    }

    private string? FindAlgorithm(ReadOnlySpan<byte> header, in JwtJson.Text alg)
    {
        foreach (var algorithm in _algorithms)
        {
            if (alg.Equals(header, algorithm))
            {
                return algorithm;
            }
        }

        return null;
    }

    /// <summary>Type, issuer, audience, then the time claims (expiry is the re-check's) and the claims of the identity.</summary>
    private TokenRejectionReason CheckClaims(in HeaderFields header, in JwtPayload claims)
    {
        if (!header.TypeMatches)
        {
            return TokenRejectionReason.InvalidType;
        }

        if (!claims.IssuerMatches)
        {
            return TokenRejectionReason.InvalidIssuer;
        }

        if (!claims.AudienceMatches)
        {
            return TokenRejectionReason.InvalidAudience;
        }

        if (!claims.TimesAreWellFormed)
        {
            return TokenRejectionReason.InvalidClaims;
        }

        var times = _lifetime.CheckTimes(claims.Expires!.Value, claims.IssuedAt!.Value, claims.NotBefore, _timeProvider.GetUtcNow());
        if (times != TokenRejectionReason.None)
        {
            return times;
        }

        return claims.IdentityIsWellFormed
            ? TokenRejectionReason.None
            : TokenRejectionReason.InvalidClaims;
    }

    /// <summary>The identity, built only now that the signature and every claim hold: the strings of sub, jti and roles.</summary>
    private ValidatedToken Identify(ReadOnlySpan<byte> payload, in JwtPayload claims)
    {
        var subject = claims.GetSubject(payload);
        var tokenId = claims.GetTokenId(payload);
        var roles = new List<string>(4);
        claims.AddRoles(payload, roles);

        var identity = TokenIdentity.WithSharedRoles(subject, tokenId, _roleSets.Intern(roles), DateTimeOffset.FromUnixTimeSeconds(claims.Expires!.Value), JwtTokenProvider.ProviderName, TokenKind.AccessToken);
        return new ValidatedToken(identity, DateTimeOffset.FromUnixTimeSeconds(claims.IssuedAt!.Value));
    }

    /// <summary>
    /// Reads the header once: <c>alg</c>, <c>kid</c>, <c>typ</c> and <c>crit</c> noted, every other member checked to
    /// be readable. False when it is not a JSON object of Unicode text, or a member appears twice.
    /// </summary>
    private static bool TryReadHeader(ReadOnlySpan<byte> json, out HeaderFields fields)
    {
        fields = default;
        var reader = new Utf8JsonReader(json);
        if (!reader.Read() || reader.TokenType != JsonTokenType.StartObject)
        {
            return false;
        }

        var seen = new JwtJson.MemberSet();
        var hasType = false;
        while (reader.Read() && reader.TokenType == JsonTokenType.PropertyName)
        {
            if (reader.ValueTextEquals("alg"u8))
            {
                if (!seen.Add(0) || !reader.Read() || !JwtJson.CheckValue(ref reader))
                {
                    return false;
                }

                fields.Algorithm = JwtJson.Text.Of(ref reader);
            }
            else if (reader.ValueTextEquals("kid"u8))
            {
                if (!seen.Add(1) || !reader.Read() || !JwtJson.CheckValue(ref reader))
                {
                    return false;
                }

                fields.KeyId = JwtJson.Text.Of(ref reader);
            }
            else if (reader.ValueTextEquals("typ"u8))
            {
                if (!seen.Add(2) || !reader.Read() || !JwtJson.CheckValue(ref reader))
                {
                    return false;
                }

                hasType = reader.TokenType == JsonTokenType.String && reader.ValueTextEquals("at+jwt"u8);
            }
            else if (reader.ValueTextEquals("crit"u8))
            {
                if (!seen.Add(3) || !reader.Read())
                {
                    return false;
                }

                fields.Critical = ReadCritical(ref reader);
            }
            else if (!JwtJson.CheckMember(ref reader))
            {
                return false;
            }
        }

        fields.TypeMatches = hasType;
        return reader.TokenType == JsonTokenType.EndObject && !reader.Read();
    }

    /// <summary>RFC 7515 §4.1.11: this validator understands no extension, so a non-empty array of names is an unsupported extension, anything else malformed.</summary>
    private static TokenRejectionReason ReadCritical(ref Utf8JsonReader reader)
    {
        if (reader.TokenType != JsonTokenType.StartArray)
        {
            return JwtJson.CheckValue(ref reader) ? TokenRejectionReason.Malformed : throw new JsonException();
        }

        var count = 0;
        var allStrings = true;
        while (reader.Read() && reader.TokenType != JsonTokenType.EndArray)
        {
            allStrings &= reader.TokenType == JsonTokenType.String;
            count++;
            if (!JwtJson.CheckValue(ref reader))
            {
                throw new JsonException();
            }
        }

        return count > 0 && allStrings ? TokenRejectionReason.UnsupportedCriticalExtension : TokenRejectionReason.Malformed;
    }

    private struct HeaderFields
    {
        public JwtJson.Text Algorithm;
        public JwtJson.Text KeyId;
        public bool TypeMatches;
        public TokenRejectionReason Critical;
    }

    /// <summary>
    /// One key of the ring as the platform primitive that verifies with it: for HS256 an HMAC keyed once per thread
    /// (<see cref="IncrementalHash"/>, reset after each use, so the key is not set up again per token), for ES256 and
    /// RS256 the ring's own <see cref="ECDsa"/> and <see cref="RSA"/> objects, as IdentityModel uses them.
    /// </summary>
    private sealed class VerificationKey : IDisposable
    {
        private readonly ThreadLocal<IncrementalHash>? _hmac;
        private readonly ECDsa? _ecdsa;
        private readonly RSA? _rsa;

        private VerificationKey(string algorithm, byte[]? secret, ECDsa? ecdsa, RSA? rsa)
        {
            Algorithm = algorithm;
            if (secret is not null)
            {
                // Not tracked: the instance of a thread that ends becomes garbage with it (its SafeHandle frees the
                // native context), so threads coming and going in the pool leave nothing behind.
                _hmac = new ThreadLocal<IncrementalHash>(() => IncrementalHash.CreateHMAC(HashAlgorithmName.SHA256, secret), trackAllValues: false);
            }

            _ecdsa = ecdsa;
            _rsa = rsa;
        }

        public string Algorithm { get; }

        public static VerificationKey Of(SecurityKey key, string algorithm) => (key, algorithm) switch
        {
            (SymmetricSecurityKey symmetric, JwtKeyRing.HS256) => new(algorithm, symmetric.Key, null, null),
            (ECDsaSecurityKey { ECDsa: { } ecdsa }, JwtKeyRing.ES256) => new(algorithm, null, ecdsa, null),
            (RsaSecurityKey { Rsa: { } rsa }, JwtKeyRing.RS256) => new(algorithm, null, null, rsa),
            _ => throw new InvalidOperationException($"The key {key.KeyId} of the ring is not one this validator reads ({algorithm})."),
        };

        /// <summary>Verifies <paramref name="encodedSignature"/> over the ASCII of <paramref name="signingInput"/> (header '.' payload).</summary>
        public bool Verify(ReadOnlySpan<char> signingInput, ReadOnlySpan<char> encodedSignature)
        {
            Span<byte> signature = stackalloc byte[512];
            if (Base64Url.GetMaxDecodedLength(encodedSignature.Length) > signature.Length
                || Base64Url.DecodeFromChars(encodedSignature, signature, out _, out var signatureLength) != OperationStatus.Done)
            {
                return false;
            }

            signature = signature[..signatureLength];
            byte[]? rented = null;
            var input = signingInput.Length <= StackBytes ? stackalloc byte[StackBytes] : (rented = ArrayPool<byte>.Shared.Rent(signingInput.Length));
            try
            {
                // The shape check has let only base64url characters and one '.' through: ASCII.
                if (Ascii.FromUtf16(signingInput, input, out var inputLength) != OperationStatus.Done)
                {
                    return false;
                }

                input = input[..inputLength];
                if (_hmac is not null)
                {
                    Span<byte> mac = stackalloc byte[HMACSHA256.HashSizeInBytes];
                    var hmac = _hmac.Value!;
                    hmac.AppendData(input);
                    return hmac.TryGetHashAndReset(mac, out var macLength)
                        && signature.Length == macLength
                        && CryptographicOperations.FixedTimeEquals(mac, signature);
                }

                Span<byte> hash = stackalloc byte[SHA256.HashSizeInBytes];
                SHA256.HashData(input, hash);
                return _ecdsa is not null
                    ? signature.Length == 64 && _ecdsa.VerifyHash(hash, signature, DSASignatureFormat.IeeeP1363FixedFieldConcatenation)
                    : signature.Length == _rsa!.KeySize / 8 && _rsa.VerifyHash(hash, signature, HashAlgorithmName.SHA256, RSASignaturePadding.Pkcs1);
            }
            finally
            {
                if (rented is not null)
                {
                    ArrayPool<byte>.Shared.Return(rented);
                }
            }
        }

        /// <summary>Drops the per-thread HMAC instances (collected with their native contexts); the ECDsa and RSA objects are the ring's.</summary>
        public void Dispose() => _hmac?.Dispose();
    }
}
