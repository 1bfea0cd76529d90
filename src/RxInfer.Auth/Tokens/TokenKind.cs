namespace RxInfer.Auth;

/// <summary>What a token is for.</summary>
public enum TokenKind
{
    /// <summary>A short-lived token presented as <c>Authorization: Bearer</c> on every request.</summary>
    AccessToken = 0,

    /// <summary>A long-lived key that can be exchanged for an access token (<c>X-API-Key</c>).</summary>
    ApiKey = 1,
}
