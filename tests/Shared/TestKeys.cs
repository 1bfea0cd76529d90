using System.Security.Cryptography;
using RxInfer.Auth;

namespace RxInfer.Testing;

/// <summary>
/// One set of signing keys for the whole test process, made once on first use: an HS256 secret, an RS256 key and
/// an ES256 key, each with an "other" key of the same kind to show that a token signed with the wrong key is
/// refused. Nothing here is written to disk or to a log.
/// </summary>
internal static class TestKeys
{
    /// <summary>A 256-bit HMAC secret.</summary>
    public static readonly byte[] HmacSecret = RandomNumberGenerator.GetBytes(32);

    /// <summary>A second HMAC secret, never the same as <see cref="HmacSecret"/>.</summary>
    public static readonly byte[] OtherHmacSecret = RandomNumberGenerator.GetBytes(32);

    /// <summary>An RSA 2048 key pair.</summary>
    public static readonly RSA Rsa = RSA.Create(2048);

    /// <summary>A second RSA 2048 key pair, for a forger or an unknown issuer.</summary>
    public static readonly RSA OtherRsa = RSA.Create(2048);

    /// <summary>A P-256 key pair.</summary>
    public static readonly ECDsa Ec = ECDsa.Create(ECCurve.NamedCurves.nistP256);

    /// <summary>A second P-256 key pair, for a forger or a rotated key.</summary>
    public static readonly ECDsa OtherEc = ECDsa.Create(ECCurve.NamedCurves.nistP256);

    /// <summary><see cref="HmacSecret"/> in base64, as <see cref="JwtSigningKeyOptions.Secret"/> takes it.</summary>
    public static string HmacSecretBase64 => Convert.ToBase64String(HmacSecret);

    /// <summary>The private half of <see cref="Rsa"/> as PKCS#8 PEM.</summary>
    public static string RsaPrivatePem => Rsa.ExportPkcs8PrivateKeyPem();

    /// <summary>The public half of <see cref="Rsa"/> as SubjectPublicKeyInfo PEM.</summary>
    public static string RsaPublicPem => Rsa.ExportSubjectPublicKeyInfoPem();

    /// <summary>The private half of <see cref="Ec"/> as PKCS#8 PEM.</summary>
    public static string EcPrivatePem => Ec.ExportPkcs8PrivateKeyPem();

    /// <summary>The public half of <see cref="Ec"/> as SubjectPublicKeyInfo PEM.</summary>
    public static string EcPublicPem => Ec.ExportSubjectPublicKeyInfoPem();

    /// <summary>An HS256 key over <paramref name="secret"/> (default <see cref="HmacSecret"/>).</summary>
    public static JwtSigningKeyOptions Hs256(string kid = "hs-1", byte[]? secret = null) =>
        new() { KeyId = kid, Algorithm = "HS256", Secret = Convert.ToBase64String(secret ?? HmacSecret) };

    /// <summary>An RS256 key over <paramref name="key"/> (default <see cref="Rsa"/>), the public half only when <paramref name="publicOnly"/>.</summary>
    public static JwtSigningKeyOptions Rs256(string kid = "rs-1", bool publicOnly = false, RSA? key = null) =>
        new() { KeyId = kid, Algorithm = "RS256", Pem = Pem(key ?? Rsa, publicOnly) };

    /// <summary>An ES256 key over <paramref name="key"/> (default <see cref="Ec"/>), the public half only when <paramref name="publicOnly"/>.</summary>
    public static JwtSigningKeyOptions Es256(string kid = "es-1", bool publicOnly = false, ECDsa? key = null) =>
        new() { KeyId = kid, Algorithm = "ES256", Pem = Pem(key ?? Ec, publicOnly) };

    private static string Pem(AsymmetricAlgorithm key, bool publicOnly) =>
        publicOnly ? key.ExportSubjectPublicKeyInfoPem() : key.ExportPkcs8PrivateKeyPem();
}
