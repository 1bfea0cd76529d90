namespace RxInfer.Models;

/// <summary>
/// Who is asking: the subject that owns instances, the roles that decide which models it may see, and when its token
/// expires (for retention). The host builds it from whatever authenticated the request (the ASP.NET Core adapter from
/// the bearer token's claims); this package never looks at a token.
/// </summary>
/// <param name="Subject">The stable owner key: a token's subject for the host's own tokens; for the token of an external
/// OpenID Connect issuer, the issuer's name and the subject around U+001F (<c>RxInfer.Auth.TokenIdentity.Owner</c>), so a
/// <c>sub</c> of another issuer never owns what ours does.</param>
/// <param name="Roles">The caller's roles, usually those the host's role resolver gave for the token.</param>
public readonly record struct ModelCaller(string Subject, IReadOnlyList<string> Roles)
{
    /// <summary>
    /// When the caller's token expires (<see cref="DateTimeOffset.MaxValue"/> for a token that never does). The
    /// subject's instances are kept at least <see cref="RxInferModelsOptions.InstanceRetention"/> after it.
    /// <see langword="null"/> when unknown: the retention then counts from the time of the operation.
    /// </summary>
    public DateTimeOffset? TokenExpiresAt { get; init; }
}
