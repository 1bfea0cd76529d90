using System.Buffers.Text;
using System.Security.Cryptography;
using System.Text.Json;
using Microsoft.Extensions.Logging;
using Microsoft.IdentityModel.JsonWebTokens;
using Microsoft.IdentityModel.Protocols.OpenIdConnect;
using Microsoft.IdentityModel.Tokens;

namespace RxInfer.Auth;

/// <summary>
/// Validates the access tokens of one external OpenID Connect issuer: the compact shape, unique header and payload
/// members, an allowed algorithm, a key of the issuer (refreshed once per interval for an unknown <c>kid</c>), the
/// signature, issuer and audience (IdentityModel's <see cref="JsonWebTokenHandler"/>: this is not our hot path), the
/// lifetime with our skew rules against the injected <see cref="TimeProvider"/>, and the subject and roles, mapped to a
/// <see cref="TokenIdentity"/> of this issuer. While the issuer's metadata or keys cannot be fetched, a token that
/// needs them throws <see cref="ServiceUnavailableException"/> (503), never a rejection that would tell a valid caller
/// its token is bad.
/// </summary>
internal sealed class OpenIdConnectTokenValidator : ITokenValidator
{
    private static readonly JsonWebTokenHandler Handler = new() { MapInboundClaims = false };

    private readonly string _name;
    private readonly OpenIdConnectIssuerOptions _options;
    private readonly string[] _algorithms;
    private readonly bool _rolesAreSpaceSeparated;
    private readonly HashSet<string>? _allowedRoles;
    private readonly TimeProvider _timeProvider;
    private readonly ILogger _logger;
    private OpenIdConnectConfiguration? _mismatchLoggedFor;

    public OpenIdConnectTokenValidator(string name, OpenIdConnectIssuerOptions options, OpenIdConnectMetadata metadata, TimeProvider timeProvider, ILogger logger)
    {
        _name = name;
        _options = options;
        Metadata = metadata;
        _timeProvider = timeProvider;
        _logger = logger;
        _algorithms = [.. options.Algorithms ?? OpenIdConnectIssuerOptions.DefaultAlgorithms];
        _rolesAreSpaceSeparated = options.RolesAreSpaceSeparated ?? options.RoleClaim is "scope" or "scp";
        _allowedRoles = options.AllowedRoles.Length == 0 ? null : new HashSet<string>(options.AllowedRoles, StringComparer.Ordinal);
        Issuer = options.Issuer ?? options.Authority!;
    }

    /// <summary>The name of the registration: the issuer part of the owner key of its identities.</summary>
    public string Name => _name;

    /// <summary>The configured <c>iss</c> of this issuer's tokens.</summary>
    public string Issuer { get; }

    public OpenIdConnectMetadata Metadata { get; }

    public async ValueTask<TokenValidationOutcome> ValidateAsync(string token, CancellationToken cancellationToken = default)
    {
        if (string.IsNullOrEmpty(token))
        {
            return TokenValidationOutcome.Rejected(TokenRejectionReason.Malformed);
        }

        if (token.Length > _options.MaxTokenLength)
        {
            return TokenValidationOutcome.Rejected(TokenRejectionReason.TooLarge);
        }

        if (!JwtTokenShape.HasJwsShape(token))
        {
            return TokenValidationOutcome.Rejected(TokenRejectionReason.Malformed);
        }

        var first = token.IndexOf('.', StringComparison.Ordinal);
        var second = token.IndexOf('.', first + 1);
        using var header = ParseObject(token.AsSpan(0, first));
        using var payload = ParseObject(token.AsSpan(first + 1, second - first - 1));
        if (header is null || payload is null)
        {
            return TokenValidationOutcome.Rejected(TokenRejectionReason.Malformed);
        }

        var headerCheck = CheckHeader(header.RootElement, out var keyId);
        if (headerCheck != TokenRejectionReason.None)
        {
            return TokenValidationOutcome.Rejected(headerCheck);
        }

        var configuration = await GetConfigurationAsync(cancellationToken).ConfigureAwait(false);
        if (keyId is not null && !HasKey(configuration, keyId))
        {
            configuration = await Metadata.RefreshForUnknownKeyAsync(cancellationToken).ConfigureAwait(false) ?? configuration;

            if (!HasKey(configuration, keyId))
            {
                // The keys cannot be fetched: the key may well be the issuer's newest, so this is no proof of a bad token.
                return Metadata.LastFetchFailed ? throw Unavailable(null) : TokenValidationOutcome.Rejected(TokenRejectionReason.InvalidSignature);
            }
        }

        if (!IsConfiguredIssuer(configuration.Issuer))
        {
            if (!ReferenceEquals(Interlocked.Exchange(ref _mismatchLoggedFor, configuration), configuration))
            {
                OpenIdConnectLog.IssuerMismatch(_logger, _name, configuration.Issuer ?? "(none)", Issuer);
            }

            return TokenValidationOutcome.Rejected(TokenRejectionReason.InvalidIssuer);
        }

        var result = await Handler.ValidateTokenAsync(token, new TokenValidationParameters
        {
            ValidIssuer = configuration.Issuer,
            ValidAudience = _options.Audience,
            IssuerSigningKeys = configuration.SigningKeys,
            ValidAlgorithms = _algorithms,
            RequireSignedTokens = true,
            RequireExpirationTime = true,
            ValidateLifetime = false, // ours below, against the injected clock
            ValidateIssuerSigningKey = false,
            SaveSigninToken = false,
        }).ConfigureAwait(false);
        if (!result.IsValid)
        {
            return TokenValidationOutcome.Rejected(ReasonOf(result.Exception));
        }

        return ReadIdentity(payload.RootElement);
    }

    private async Task<OpenIdConnectConfiguration> GetConfigurationAsync(CancellationToken cancellationToken)
    {
        try
        {
            return await Metadata.GetAsync(cancellationToken).ConfigureAwait(false);
        }
        catch (Exception exception) when (exception is InvalidOperationException or IOException or HttpRequestException or JsonException or ArgumentException)
        {
            throw Unavailable(exception);
        }
    }

    private ServiceUnavailableException Unavailable(Exception? inner) =>
        new($"The identity provider '{_name}' cannot be reached to check this token; try again later", inner);

    private bool IsConfiguredIssuer(string? documentIssuer) =>
        documentIssuer is not null && string.Equals(documentIssuer.TrimEnd('/'), Issuer.TrimEnd('/'), StringComparison.Ordinal);

    private static bool HasKey(OpenIdConnectConfiguration configuration, string keyId)
    {
        foreach (var key in configuration.SigningKeys)
        {
            if (string.Equals(key.KeyId, keyId, StringComparison.Ordinal))
            {
                return true;
            }
        }

        return false;
    }

    private TokenRejectionReason CheckHeader(JsonElement header, out string? keyId)
    {
        keyId = null;
        if (header.TryGetProperty("crit", out _))
        {
            return TokenRejectionReason.UnsupportedCriticalExtension;
        }

        if (!header.TryGetProperty("alg", out var alg) || alg.ValueKind != JsonValueKind.String)
        {
            return TokenRejectionReason.Malformed;
        }

        if (!_algorithms.Contains(alg.GetString(), StringComparer.Ordinal))
        {
            return TokenRejectionReason.InvalidAlgorithm; // none, HS*, and whatever this issuer is not allowed
        }

        if (header.TryGetProperty("kid", out var kid))
        {
            if (kid.ValueKind != JsonValueKind.String || kid.GetString() is not { Length: > 0 } text)
            {
                return TokenRejectionReason.Malformed;
            }

            keyId = text;
        }

        return TokenRejectionReason.None;
    }

    private TokenValidationOutcome ReadIdentity(JsonElement payload)
    {
        if (!TryReadSeconds(payload, "exp", required: true, out var exp)
            || !TryReadSeconds(payload, "nbf", required: false, out var nbf)
            || !TryReadSeconds(payload, "iat", required: false, out var iat))
        {
            return TokenValidationOutcome.Rejected(TokenRejectionReason.InvalidClaims);
        }

        var now = _timeProvider.GetUtcNow();
        var skew = _options.ClockSkew;
        var expiresAt = DateTimeOffset.FromUnixTimeSeconds(exp!.Value);
        if (now >= expiresAt + skew)
        {
            return TokenValidationOutcome.Rejected(TokenRejectionReason.Expired);
        }

        if ((nbf is { } notBefore && DateTimeOffset.FromUnixTimeSeconds(notBefore) - skew > now)
            || (iat is { } issuedAt && DateTimeOffset.FromUnixTimeSeconds(issuedAt) - skew > now))
        {
            return TokenValidationOutcome.Rejected(TokenRejectionReason.NotYetValid);
        }

        if (!payload.TryGetProperty(_options.SubjectClaim, out var subjectClaim)
            || subjectClaim.ValueKind != JsonValueKind.String
            || subjectClaim.GetString() is not { } subject
            || !TokenOwner.IsValidSubject(subject))
        {
            return TokenValidationOutcome.Rejected(TokenRejectionReason.InvalidClaims);
        }

        if (!TryReadRoles(payload, out var roles))
        {
            return TokenValidationOutcome.Rejected(TokenRejectionReason.InvalidClaims);
        }

        var tokenId = payload.TryGetProperty("jti", out var jti) && jti.ValueKind == JsonValueKind.String && jti.GetString() is { Length: > 0 } id
            ? id
            : null;
        if (tokenId is null)
        {
            // No jti: an id derived from the subject and times, never from the token's text.
            tokenId = Convert.ToHexStringLower(SHA256.HashData(System.Text.Encoding.UTF8.GetBytes($"{subject}\n{exp}\n{iat}\n{nbf}")).AsSpan(0, 16));
        }

        return TokenValidationOutcome.Valid(TokenIdentity.External(_name, subject, tokenId, roles, expiresAt));
    }

    private bool TryReadRoles(JsonElement payload, out string[] roles)
    {
        roles = [];
        if (!payload.TryGetProperty(_options.RoleClaim, out var claim))
        {
            return true;
        }

        var found = new List<string>();
        switch (claim.ValueKind)
        {
            case JsonValueKind.String:
                var text = claim.GetString()!;
                if (_rolesAreSpaceSeparated)
                {
                    found.AddRange(text.Split(' ', StringSplitOptions.RemoveEmptyEntries));
                }
                else
                {
                    found.Add(text);
                }

                break;
            case JsonValueKind.Array:
                foreach (var item in claim.EnumerateArray())
                {
                    if (item.ValueKind != JsonValueKind.String)
                    {
                        return false;
                    }

                    found.Add(item.GetString()!);
                }

                break;
            default:
                return false;
        }

        var kept = new List<string>(found.Count);
        foreach (var role in found)
        {
            if (role.Length == 0 || role.Any(char.IsControl))
            {
                return false;
            }

            var mapped = _options.RoleMap.TryGetValue(role, out var renamed) ? renamed : role;
            if ((_allowedRoles is null || _allowedRoles.Contains(mapped)) && !kept.Contains(mapped, StringComparer.Ordinal))
            {
                kept.Add(mapped);
            }
        }

        roles = [.. kept];
        return true;
    }

    private static bool TryReadSeconds(JsonElement payload, string claim, bool required, out long? seconds)
    {
        seconds = null;
        if (!payload.TryGetProperty(claim, out var value))
        {
            return !required;
        }

        if (value.ValueKind != JsonValueKind.Number || !value.TryGetInt64(out var whole) || !JwtLifetimeRules.IsEpochSeconds(whole))
        {
            return false;
        }

        seconds = whole;
        return true;
    }

    /// <summary>A base64url segment decoded and parsed as one JSON object whose member names are unique; <see langword="null"/> otherwise.</summary>
    private static JsonDocument? ParseObject(ReadOnlySpan<char> segment)
    {
        byte[] bytes;
        try
        {
            bytes = Base64Url.DecodeFromChars(segment);
        }
        catch (FormatException)
        {
            return null;
        }

        JsonDocument document;
        try
        {
            document = JsonDocument.Parse(bytes, new JsonDocumentOptions { MaxDepth = 16 });
        }
        catch (JsonException)
        {
            return null;
        }

        if (document.RootElement.ValueKind != JsonValueKind.Object || !HasUniqueMembers(document.RootElement))
        {
            document.Dispose();
            return null;
        }

        return document;
    }

    private static bool HasUniqueMembers(JsonElement element)
    {
        var names = new HashSet<string>(StringComparer.Ordinal);
        foreach (var member in element.EnumerateObject())
        {
            if (!names.Add(member.Name))
            {
                return false; // Two readers could take different values of a duplicated claim.
            }
        }

        return true;
    }

    private static TokenRejectionReason ReasonOf(Exception? exception) => exception switch
    {
        SecurityTokenInvalidIssuerException => TokenRejectionReason.InvalidIssuer,
        SecurityTokenInvalidAudienceException => TokenRejectionReason.InvalidAudience,
        SecurityTokenInvalidAlgorithmException => TokenRejectionReason.InvalidAlgorithm,
        SecurityTokenInvalidTypeException => TokenRejectionReason.InvalidType,
        SecurityTokenNoExpirationException => TokenRejectionReason.InvalidClaims,
        SecurityTokenMalformedException or ArgumentException => TokenRejectionReason.Malformed,
        _ => TokenRejectionReason.InvalidSignature,
    };
}
