using System.Buffers.Text;
using System.Security.Cryptography;
using Microsoft.Extensions.Options;
using Microsoft.IdentityModel.Tokens;

namespace RxInfer.Auth;

/// <summary>
/// What the JWT provider lets other services know, so they can check its tokens themselves: the issuer, the audience,
/// and the public part of every RS256 and ES256 key of the ring, the signing key and the retired ones alike. HS256
/// keys are shared secrets and are never published. Registered by <c>AddJwtTokens()</c>; the ASP.NET Core adapter
/// serves it as <c>/.well-known/openid-configuration</c> and <c>/.well-known/jwks.json</c>.
/// </summary>
/// <remarks>
/// It reads the very ring the provider validates with (the same options, read once), so after a key rotation (new
/// key settings and a restart) it publishes exactly the keys the provider accepts.
/// </remarks>
public sealed class JwtKeyPublication
{
    internal JwtKeyPublication(IOptions<JwtTokenOptions> options, JwtKeyRingSource keyRings)
    {
        var jwt = options.Value;
        Issuer = jwt.Issuer;
        Audience = jwt.Audience;
        var ring = keyRings.Load(jwt, out var errors) ?? throw new InvalidOperationException(string.Join(" ", errors));
        var keys = new List<JwtPublicKey>(ring.Keys.Count);
        foreach (var (key, algorithm) in ring.Keys)
        {
            if (Publish(key, algorithm) is { } published)
            {
                keys.Add(published);
            }
        }

        Keys = keys;
        SigningAlgorithms = [.. keys.Select(static k => k.Algorithm).Distinct(StringComparer.Ordinal)];
        SigningKeyId = ring.Signing.Key is SymmetricSecurityKey ? null : ring.Signing.Key.KeyId;
    }

    /// <summary>The issuer (<c>iss</c>) of the provider's tokens (<see cref="JwtTokenOptions.Issuer"/>).</summary>
    public string Issuer { get; }

    /// <summary>The audience (<c>aud</c>) of the provider's tokens (<see cref="JwtTokenOptions.Audience"/>).</summary>
    public string Audience { get; }

    /// <summary>The public part of every RS256 and ES256 key of the ring, in the order configured.</summary>
    public IReadOnlyList<JwtPublicKey> Keys { get; }

    /// <summary>The algorithms of the published keys (<c>RS256</c>, <c>ES256</c>), each once.</summary>
    public IReadOnlyList<string> SigningAlgorithms { get; }

    /// <summary>The id of the key that signs new tokens, or <see langword="null"/> when it is an HS256 key (not published).</summary>
    public string? SigningKeyId { get; }

    /// <summary>The public part of <paramref name="key"/>, exported from its public parameters only.</summary>
    private static JwtPublicKey? Publish(SecurityKey key, string algorithm)
    {
        switch (key)
        {
            case RsaSecurityKey { Rsa: { } rsa }:
                var rsaParameters = rsa.ExportParameters(includePrivateParameters: false);
                return new JwtPublicKey(key.KeyId, algorithm, "RSA")
                {
                    Modulus = Base64Url.EncodeToString(rsaParameters.Modulus),
                    Exponent = Base64Url.EncodeToString(rsaParameters.Exponent),
                };

            case ECDsaSecurityKey { ECDsa: { } ecdsa }:
                var ecParameters = ecdsa.ExportParameters(includePrivateParameters: false);
                return new JwtPublicKey(key.KeyId, algorithm, "EC")
                {
                    Curve = "P-256", // the ring accepts P-256 keys only (ES256)
                    X = Base64Url.EncodeToString(ecParameters.Q.X),
                    Y = Base64Url.EncodeToString(ecParameters.Q.Y),
                };

            default:
                return null; // HS256: a shared secret, never published.
        }
    }
}
