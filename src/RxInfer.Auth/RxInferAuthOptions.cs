namespace RxInfer.Auth;

/// <summary>Options shared by every token provider. Bound from <c>RxInfer:Auth</c> in the sample host.</summary>
public sealed class RxInferAuthOptions
{
    /// <summary>How long an access token is valid. Defaults to 1 hour.</summary>
    public TimeSpan AccessTokenLifetime { get; set; } = TimeSpan.FromHours(1);

    /// <summary>
    /// Whether a caller that presents nothing gets a new token with <see cref="DefaultRoles"/>, as the original
    /// RxInferServer allows. Defaults to <see langword="true"/>.
    /// </summary>
    public bool AllowAnonymousTokens { get; set; } = true;

    /// <summary>
    /// The roles of an anonymously issued token. Defaults to <c>["user"]</c> when none are configured (the
    /// default is applied after configuration, because binding appends to a list rather than replacing it).
    /// </summary>
    public IList<string> DefaultRoles { get; set; } = [];
}
