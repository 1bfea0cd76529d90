using System.Buffers.Text;
using System.Security.Cryptography;
using System.Text;
using System.Text.Json;

namespace RxInfer.Auth.Tests.Jwt;

/// <summary>Helpers to forge tokens by hand; the keys are the shared <see cref="TestKeys"/>.</summary>
internal static class JwtTestKeys
{
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

    /// <summary>A JWS over header and payload given as exact UTF-8 bytes (which need not be valid JSON or UTF-8), signed with HMAC-SHA256.</summary>
    public static string SignHs256Raw(byte[] header, byte[] payload, byte[]? secret = null)
    {
        var signingInput = Encode(header) + "." + Encode(payload);
        return signingInput + "." + Encode(HMACSHA256.HashData(secret ?? TestKeys.HmacSecret, Encoding.ASCII.GetBytes(signingInput)));
    }

    /// <summary>A JWS over header and payload given as exact JSON text, signed with HMAC-SHA256.</summary>
    public static string SignHs256Raw(string header, string payload, byte[]? secret = null) =>
        SignHs256Raw(Encoding.UTF8.GetBytes(header), Encoding.UTF8.GetBytes(payload), secret);

    /// <summary>
    /// <paramref name="text"/> as a JSON string literal with every character outside printable ASCII written as a
    /// <c>\uXXXX</c> escape, so any UTF-16 text, lone surrogates included, can be put in a token.
    /// </summary>
    public static string JsonString(string text)
    {
        var json = new StringBuilder("\"");
        foreach (var c in text)
        {
            if (c is >= ' ' and <= '~' and not '"' and not '\\')
            {
                json.Append(c);
            }
            else
            {
                json.Append(System.Globalization.CultureInfo.InvariantCulture, $"\\u{(int)c:x4}");
            }
        }

        return json.Append('"').ToString();
    }

    /// <summary>The payload of <see cref="Payload"/> as JSON text, with <paramref name="replace"/> applied to named members (their JSON text).</summary>
    public static string PayloadJson(DateTimeOffset now, IReadOnlyDictionary<string, string>? replace = null)
    {
        var members = new Dictionary<string, string>(StringComparer.Ordinal)
        {
            ["iss"] = "\"rxinfer\"",
            ["aud"] = "\"rxinfer\"",
            ["sub"] = "\"alice\"",
            ["jti"] = JsonString("forged-" + Guid.NewGuid().ToString("N")),
            ["iat"] = now.ToUnixTimeSeconds().ToString(System.Globalization.CultureInfo.InvariantCulture),
            ["nbf"] = now.ToUnixTimeSeconds().ToString(System.Globalization.CultureInfo.InvariantCulture),
            ["exp"] = now.AddHours(1).ToUnixTimeSeconds().ToString(System.Globalization.CultureInfo.InvariantCulture),
            ["roles"] = "[\"user\"]",
        };
        foreach (var (name, json) in replace ?? new Dictionary<string, string>())
        {
            members[name] = json;
        }

        return "{" + string.Join(",", members.Select(m => JsonString(m.Key) + ":" + m.Value)) + "}";
    }

    public static string SignEs256(object header, object payload, ECDsa key)
    {
        var signingInput = Encode(header) + "." + Encode(payload);
        return signingInput + "." + Encode(key.SignData(Encoding.ASCII.GetBytes(signingInput), HashAlgorithmName.SHA256));
    }

    public static string[] Segments(string token) => token.Split('.');

    public static JsonElement DecodeSegment(string segment) => JsonDocument.Parse(Base64Url.DecodeFromChars(segment)).RootElement;
}
