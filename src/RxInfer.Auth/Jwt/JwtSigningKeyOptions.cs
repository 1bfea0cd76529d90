namespace RxInfer.Auth;

/// <summary>One key of the JWT key ring (<see cref="JwtTokenOptions.Keys"/>).</summary>
public sealed class JwtSigningKeyOptions
{
    /// <summary>The key id (<c>kid</c> header); required and unique within the ring. Defaults to <see langword="null"/>.</summary>
    public string? KeyId { get; set; }

    /// <summary>
    /// The signing algorithm: <c>HS256</c>, <c>RS256</c> or <c>ES256</c>. Tokens naming this key must use exactly this
    /// algorithm. Defaults to <see langword="null"/> (required).
    /// </summary>
    public string? Algorithm { get; set; }

    /// <summary>
    /// The HS256 secret, base64-encoded, at least 32 bytes once decoded. Only for <c>HS256</c>. Defaults to
    /// <see langword="null"/>.
    /// </summary>
    public string? Secret { get; set; }

    /// <summary>
    /// The RS256 (RSA, at least 2048 bits) or ES256 (EC P-256) key in PEM. A private key signs and validates; a
    /// public key only validates. Defaults to <see langword="null"/>.
    /// </summary>
    public string? Pem { get; set; }
}
