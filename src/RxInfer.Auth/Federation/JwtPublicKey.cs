namespace RxInfer.Auth;

/// <summary>
/// The public part of one asymmetric key of the JWT key ring, as a JSON Web Key (RFC 7517) would carry it: never a
/// private parameter and never an HS256 secret (those keys are not published at all).
/// </summary>
public sealed class JwtPublicKey
{
    internal JwtPublicKey(string keyId, string algorithm, string keyType)
    {
        KeyId = keyId;
        Algorithm = algorithm;
        KeyType = keyType;
    }

    /// <summary>The key id (<c>kid</c>), as in the header of the tokens it signed.</summary>
    public string KeyId { get; }

    /// <summary>The algorithm (<c>alg</c>): <c>RS256</c> or <c>ES256</c>.</summary>
    public string Algorithm { get; }

    /// <summary>The key type (<c>kty</c>): <c>RSA</c> or <c>EC</c>.</summary>
    public string KeyType { get; }

    /// <summary>The key's use (<c>use</c>): always <c>sig</c>.</summary>
    public string Use => "sig";

    /// <summary>RSA: the modulus (<c>n</c>), base64url; <see langword="null"/> for an EC key.</summary>
    public string? Modulus { get; internal init; }

    /// <summary>RSA: the public exponent (<c>e</c>), base64url; <see langword="null"/> for an EC key.</summary>
    public string? Exponent { get; internal init; }

    /// <summary>EC: the curve (<c>crv</c>), <c>P-256</c>; <see langword="null"/> for an RSA key.</summary>
    public string? Curve { get; internal init; }

    /// <summary>EC: the x coordinate (<c>x</c>), base64url; <see langword="null"/> for an RSA key.</summary>
    public string? X { get; internal init; }

    /// <summary>EC: the y coordinate (<c>y</c>), base64url; <see langword="null"/> for an RSA key.</summary>
    public string? Y { get; internal init; }

    /// <inheritdoc />
    public override string ToString() => $"{KeyType} {Algorithm} {KeyId}";
}
