namespace RxInfer.Auth;

/// <summary>A stored API key as an administrator sees it: never its text or its hash.</summary>
/// <param name="Id">The key's id (<see cref="TokenIdentity.TokenId"/>): shown in logs and used to revoke it.</param>
/// <param name="Subject">The subject that tokens exchanged for the key act as.</param>
/// <param name="Roles">The roles that tokens exchanged for the key carry.</param>
/// <param name="CreatedAt">When the store added the key.</param>
/// <param name="ExpiresAt">When the key stops working; <see cref="TokenIdentity.NeverExpires"/> for never.</param>
public sealed record ApiKeyInfo(string Id, string Subject, IReadOnlyList<string> Roles, DateTimeOffset CreatedAt, DateTimeOffset ExpiresAt);
