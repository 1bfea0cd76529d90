using Microsoft.Extensions.Primitives;

namespace RxInfer.Hosting.AspNetCore;

/// <summary>What an <c>Authorization</c> header holds.</summary>
internal enum AuthorizationKind
{
    /// <summary>No header.</summary>
    None,

    /// <summary><c>Bearer</c> and exactly one token.</summary>
    Bearer,

    /// <summary><c>Basic</c> and exactly one credentials token (not yet decoded).</summary>
    Basic,

    /// <summary>Anything else: several headers, an empty value, another scheme, no token or more than one.</summary>
    Invalid,
}

/// <summary>
/// Parses the <c>Authorization</c> header as docs/protocol.md ("Authentication") says: the scheme word is matched
/// case-insensitively, exactly one token follows, surrounding whitespace is trimmed.
/// </summary>
internal static class AuthorizationHeader
{
    private const string BearerScheme = "Bearer";
    private const string BasicScheme = "Basic";

    public static AuthorizationKind Parse(StringValues values, out string token)
    {
        token = "";
        if (values.Count == 0)
        {
            return AuthorizationKind.None;
        }

        if (values.Count > 1 || values[0] is not { } value)
        {
            return AuthorizationKind.Invalid;
        }

        var text = value.AsSpan().Trim(" \t");
        var space = text.IndexOfAny(' ', '\t');
        if (space <= 0)
        {
            return AuthorizationKind.Invalid;
        }

        var scheme = text[..space];
        var credential = text[space..].TrimStart(" \t");
        if (credential.IsEmpty || credential.IndexOfAny(' ', '\t') >= 0)
        {
            return AuthorizationKind.Invalid;
        }

        AuthorizationKind kind;
        if (scheme.Equals(BearerScheme, StringComparison.OrdinalIgnoreCase))
        {
            kind = AuthorizationKind.Bearer;
        }
        else if (scheme.Equals(BasicScheme, StringComparison.OrdinalIgnoreCase))
        {
            kind = AuthorizationKind.Basic;
        }
        else
        {
            return AuthorizationKind.Invalid;
        }

        token = credential.ToString();
        return kind;
    }

    /// <summary>The bearer token of <paramref name="values"/>, or <see langword="null"/> when there is none ("no token").</summary>
    public static string? GetBearerToken(StringValues values) =>
        Parse(values, out var token) == AuthorizationKind.Bearer ? token : null;

    /// <summary>Decodes the credentials of a <c>Basic</c> header with <see cref="RxInfer.Auth.BasicCredentials.TryDecode"/>.</summary>
    public static bool TryDecodeBasic(string credential, out string userName, out string password)
    {
        var valid = RxInfer.Auth.BasicCredentials.TryDecode(credential, out var user, out var secret);
        (userName, password) = valid ? (user!, secret!) : ("", "");
        return valid;
    }
}
