using System.Security.Claims;
using System.Security.Cryptography;
using Microsoft.IdentityModel.JsonWebTokens;
using Microsoft.IdentityModel.Tokens;

namespace RxInfer.Benchmarks.Infrastructure;

/// <summary>
/// The baseline's side of every JWT comparison: one fixed HS256 secret and one ES256 key (both with a
/// <c>kid</c>), tokens with the claims our provider writes (<c>iss aud sub jti iat nbf exp roles</c>,
/// <c>typ</c> <c>at+jwt</c>), and the ordinary <see cref="TokenValidationParameters"/> a host would give
/// <see cref="JsonWebTokenHandler"/> for them.
/// </summary>
internal sealed class JwtFixture : IDisposable
{
    public const string Issuer = "rxinfer";
    public const string Audience = "rxinfer";
    public const string TokenType = "at+jwt";
    public const string Subject = "bench-user";

    /// <summary>A fixed 256-bit HS256 secret, so every benchmark process signs with the same key.</summary>
    public static readonly byte[] HmacSecret = [.. Enumerable.Range(1, 32).Select(i => (byte)(i * 7))];

    public static readonly string[] Roles = ["user", "admin"];

    private readonly ECDsa _ecdsa;
    private readonly RSA? _rsa;

    public JwtFixture(string algorithm, ECDsa? ecdsa = null)
    {
        Algorithm = algorithm;
        switch (algorithm)
        {
            case SecurityAlgorithms.HmacSha256:
                KeyId = "bench-hs256";
                _ecdsa = ECDsa.Create(ECCurve.NamedCurves.nistP256);
                Key = new SymmetricSecurityKey(HmacSecret) { KeyId = KeyId };
                break;
            case SecurityAlgorithms.EcdsaSha256:
                KeyId = "bench-es256";
                _ecdsa = ecdsa ?? ECDsa.Create(ECCurve.NamedCurves.nistP256);
                Key = new ECDsaSecurityKey(_ecdsa) { KeyId = KeyId };
                break;
            case SecurityAlgorithms.RsaSha256:
                KeyId = "bench-rs256";
                _ecdsa = ECDsa.Create(ECCurve.NamedCurves.nistP256);
                _rsa = RSA.Create(2048);
                Key = new RsaSecurityKey(_rsa) { KeyId = KeyId };
                break;
            default:
                throw new ArgumentOutOfRangeException(nameof(algorithm), algorithm, "HS256, ES256 or RS256.");
        }

        Credentials = new SigningCredentials(Key, algorithm);
        Parameters = new TokenValidationParameters
        {
            ValidIssuer = Issuer,
            ValidAudience = Audience,
            IssuerSigningKey = Key,
            ValidTypes = [TokenType],
            ValidAlgorithms = [algorithm],
            ClockSkew = TimeSpan.FromSeconds(30),
        };
    }

    public string Algorithm { get; }

    public string KeyId { get; }

    public SecurityKey Key { get; }

    public SigningCredentials Credentials { get; }

    public TokenValidationParameters Parameters { get; }

    public JsonWebTokenHandler Handler { get; } = new();

    /// <summary>The ES256 or RS256 key as PKCS#8 PEM, for configuring our provider with the same key.</summary>
    public string PrivateKeyPem => _rsa is not null ? _rsa.ExportPkcs8PrivateKeyPem() : _ecdsa.ExportPkcs8PrivateKeyPem();

    /// <summary>Signs a token with our claim set, valid from <paramref name="notBefore"/> for <paramref name="lifetime"/>.</summary>
    public string Create(DateTime notBefore, TimeSpan lifetime, string? tokenId = null, SigningCredentials? credentials = null) =>
        Handler.CreateToken(new SecurityTokenDescriptor
        {
            Issuer = Issuer,
            Audience = Audience,
            TokenType = TokenType,
            IssuedAt = notBefore,
            NotBefore = notBefore,
            Expires = notBefore + lifetime,
            Subject = new ClaimsIdentity([new Claim("sub", Subject), new Claim("jti", tokenId ?? Guid.NewGuid().ToString("N"))]),
            Claims = new Dictionary<string, object> { ["roles"] = Roles },
            SigningCredentials = credentials ?? Credentials,
        });

    /// <summary>A valid token now, for an hour.</summary>
    public string CreateValid() => Create(DateTime.UtcNow.AddSeconds(-5), TimeSpan.FromHours(1));

    /// <summary>A token that expired an hour ago (beyond any clock skew).</summary>
    public string CreateExpired() => Create(DateTime.UtcNow.AddHours(-2), TimeSpan.FromHours(1));

    /// <summary>A valid token whose signature has been altered: the last signature character flipped.</summary>
    public static string WithBadSignature(string token)
    {
        // Change a character in the middle of the signature so the base64url stays valid and decodes to other bytes.
        var chars = token.ToCharArray();
        var i = token.LastIndexOf('.') + 10;
        chars[i] = chars[i] == 'A' ? 'B' : 'A';
        return new string(chars);
    }

    public void Dispose()
    {
        _ecdsa.Dispose();
        _rsa?.Dispose();
    }
}
