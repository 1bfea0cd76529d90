using RxInfer.Auth;

namespace RxInfer.Models;

/// <summary>Who is asking: the subject that owns instances and the roles that decide which models it may see.</summary>
/// <param name="Subject">The stable owner id (<see cref="TokenIdentity.Subject"/>).</param>
/// <param name="Roles">The caller's roles, usually from the <see cref="IRoleResolver"/>.</param>
public readonly record struct ModelCaller(string Subject, IReadOnlyList<string> Roles)
{
    /// <summary>The caller for a validated token and its resolved roles.</summary>
    /// <param name="identity">The token's identity; its subject owns the instances.</param>
    /// <param name="roles">The roles resolved for the identity (by default the token's own roles).</param>
    /// <returns>The caller.</returns>
    public static ModelCaller From(TokenIdentity identity, IReadOnlyList<string> roles)
    {
        ArgumentNullException.ThrowIfNull(identity);
        ArgumentNullException.ThrowIfNull(roles);
        return new ModelCaller(identity.Subject, roles);
    }
}
