using System.Buffers.Text;
using System.Security.Cryptography;
using System.Text;
using System.Text.Json;
using RxInfer.Auth;

namespace RxInfer.Auth.Tests.Jwt;

/// <summary>Keys made once per test run, and helpers to forge tokens by hand.</summary>
internal static class JwtTestKeys
{
    public static readonly byte[] HmacSecret = RandomNumberGenerator.GetBytes(32);
    public static readonly byte[] OtherHmacSecret = RandomNumberGenerator.GetBytes(32);
    public static readonly RSA Rsa = RSA.Create(2048);
    public static readonly ECDsa Ec = ECDsa.Create(ECCurve.NamedCurves.nistP256);
    public static readonly ECDsa OtherEc = ECDsa.Create(ECCurve.NamedCurves.nistP256);

    public static string RsaPublicPem => Rsa.ExportSubjectPublicKeyInfoPem();

    public static string EcPublicPem => Ec.ExportSubjectPublicKeyInfoPem();

    public static JwtSigningKeyOptions Hs256(string kid = "hs-1", byte[]? secret = null) =>
        new() { KeyId = kid, Algorithm = "HS256", Secret = Convert.ToBase64String(secret ?? HmacSecret) };

    public static JwtSigningKeyOptions Rs256(string kid = "rs-1", bool publicOnly = false) =>
        new() { KeyId = kid, Algorithm = "RS256", Pem = publicOnly ? RsaPublicPem : Rsa.ExportPkcs8PrivateKeyPem() };

    public static JwtSigningKeyOptions Es256(string kid = "es-1", bool publicOnly = false, ECDsa? key = null) =>
        new() { KeyId = kid, Algorithm = "ES256", Pem = publicOnly ? (key ?? Ec).ExportSubjectPublicKeyInfoPem() : (key ?? Ec).ExportPkcs8PrivateKeyPem() };

    public static string Encode(object value) => Base64Url.EncodeToString(JsonSerializer.SerializeToUtf8Bytes(value));

    public static string Encode(byte[] value) => Base64Url.EncodeToString(value);

    /// <summary>A header of a token the HS256 ring ("hs-1") would accept, with <paramref name="change"/> applied.</summary>
    public static Dictionary<string, object> Header(string alg = "HS256", string kid = "hs-1", string typ = "at+jwt") =>
        new() { ["alg"] = alg, ["typ"] = typ, ["kid"] = kid };

    /// <summary>The claims of a token the default options accept at <paramref name="now"/>, valid for an hour.</summary>
    public static Dictionary<string, object> Payload(DateTimeOffset now) => new()
    {
        ["iss"] = "rxinfer",
        ["aud"] = "rxinfer",
        ["sub"] = "alice",
        ["jti"] = "forged-" + Guid.NewGuid().ToString("N"),
        ["iat"] = now.ToUnixTimeSeconds(),
        ["nbf"] = now.ToUnixTimeSeconds(),
        ["exp"] = now.AddHours(1).ToUnixTimeSeconds(),
        ["roles"] = new[] { "user" },
    };

    /// <summary>header.payload signed with HMAC-SHA256 over the ASCII of the first two segments, as JWS does.</summary>
    public static string SignHs256(object header, object payload, byte[] secret)
    {
        var signingInput = Encode(header) + "." + Encode(payload);
        return signingInput + "." + Encode(HMACSHA256.HashData(secret, Encoding.ASCII.GetBytes(signingInput)));
    }

    public static string SignEs256(object header, object payload, ECDsa key)
    {
        var signingInput = Encode(header) + "." + Encode(payload);
        return signingInput + "." + Encode(key.SignData(Encoding.ASCII.GetBytes(signingInput), HashAlgorithmName.SHA256));
    }

    public static string[] Segments(string token) => token.Split('.');

    public static JsonElement DecodeSegment(string segment) => JsonDocument.Parse(Base64Url.DecodeFromChars(segment)).RootElement;
}
