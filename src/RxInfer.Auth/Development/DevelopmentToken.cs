namespace RxInfer.Auth;

/// <summary>
/// Parses the development token: <c>dev-token</c> has roles <c>["user"]</c>; <c>dev-token:r1,r2</c> has roles
/// <c>["r1","r2"]</c> in that order. Every variant is the same identity (subject <c>dev-token</c>). Anything else
/// (<c>dev-token:</c>, <c>dev-token:a:b</c>, an empty role, a role with a control character or a lone surrogate,
/// which is not Unicode text) is not a development token.
/// </summary>
internal static class DevelopmentToken
{
    public const string ProviderName = "development";
    private const string RolesSeparator = ":";

    private static readonly TokenIdentity Default = Create([RxInferAuthDefaults.DefaultRole]);

    public static bool TryParse(string token, out TokenIdentity identity)
    {
        identity = Default;
        if (!token.StartsWith(RxInferAuthDefaults.DevelopmentToken, StringComparison.Ordinal))
        {
            return false;
        }

        if (token.Length == RxInferAuthDefaults.DevelopmentToken.Length)
        {
            return true;
        }

        var rest = token.AsSpan(RxInferAuthDefaults.DevelopmentToken.Length);
        if (!rest.StartsWith(RolesSeparator, StringComparison.Ordinal))
        {
            return false;
        }

        var roles = rest[RolesSeparator.Length..].ToString();
        if (roles.Contains(':', StringComparison.Ordinal))
        {
            return false;
        }

        var split = roles.Split(',');
        if (Array.Exists(split, static role => role.Length == 0 || role.Any(char.IsControl) || !IsUnicodeText(role)))
        {
            return false;
        }

        identity = Create(split);
        return true;
    }

    /// <summary>Whether every surrogate in <paramref name="text"/> is half of a pair.</summary>
    private static bool IsUnicodeText(string text)
    {
        for (var i = 0; i < text.Length; i++)
        {
            if (char.IsHighSurrogate(text[i]) && i + 1 < text.Length && char.IsLowSurrogate(text[i + 1]))
            {
                i++;
            }
            else if (char.IsSurrogate(text[i]))
            {
                return false;
            }
        }

        return true;
    }

    private static TokenIdentity Create(string[] roles) => new(
        RxInferAuthDefaults.DevelopmentToken,
        RxInferAuthDefaults.DevelopmentToken,
        roles,
        TokenIdentity.NeverExpires,
        ProviderName);
}
