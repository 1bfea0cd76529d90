using RxInfer.Auth;

namespace RxInfer.Models;

/// <summary>
/// Who is asking: the subject that owns instances, the roles that decide which models it may see, and when its token
/// expires (for retention).
/// </summary>
/// <param name="Subject">The stable owner key (<see cref="TokenIdentity.Owner"/>: the subject of our own tokens, the
/// issuer and subject together for an external issuer's; see <see cref="TokenOwner"/>).</param>
/// <param name="Roles">The caller's roles, usually from the <see cref="IRoleResolver"/>.</param>
public readonly record struct ModelCaller(string Subject, IReadOnlyList<string> Roles)
{
    /// <summary>
    /// When the caller's token expires (<see cref="TokenIdentity.ExpiresAt"/>; <see cref="TokenIdentity.NeverExpires"/>
    /// for a token that never does). The subject's instances are kept at least
    /// <see cref="RxInferModelsOptions.InstanceRetention"/> after it. <see langword="null"/> when unknown: the retention
    /// then counts from the time of the operation.
    /// </summary>
    public DateTimeOffset? TokenExpiresAt { get; init; }

    /// <summary>The caller for a validated token and its resolved roles.</summary>
    /// <param name="identity">The token's identity; its <see cref="TokenIdentity.Owner"/> owns the instances.</param>
    /// <param name="roles">The roles resolved for the identity (by default the token's own roles).</param>
    /// <returns>The caller.</returns>
    public static ModelCaller From(TokenIdentity identity, IReadOnlyList<string> roles)
    {
        ArgumentNullException.ThrowIfNull(identity);
        ArgumentNullException.ThrowIfNull(roles);
        return new ModelCaller(identity.Owner, roles) { TokenExpiresAt = identity.ExpiresAt };
    }
}
