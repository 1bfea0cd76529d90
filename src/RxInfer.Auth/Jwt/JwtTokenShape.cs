using System.Buffers;

namespace RxInfer.Auth;

/// <summary>The compact JWS shape, checked before anything else: pure, no allocation.</summary>
internal static class JwtTokenShape
{
    private static readonly SearchValues<char> Base64UrlChars =
        SearchValues.Create("ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz0123456789-_");

    /// <summary>Exactly three dot-separated segments of base64url, the first two not empty. No allocation.</summary>
    public static bool HasJwsShape(ReadOnlySpan<char> token)
    {
        var first = token.IndexOf('.');
        if (first <= 0)
        {
            return false;
        }

        var rest = token[(first + 1)..];
        var second = rest.IndexOf('.');
        if (second <= 0)
        {
            return false;
        }

        var signature = rest[(second + 1)..];
        return !token[..first].ContainsAnyExcept(Base64UrlChars)
            && !rest[..second].ContainsAnyExcept(Base64UrlChars)
            && !signature.ContainsAnyExcept(Base64UrlChars);
    }
}
