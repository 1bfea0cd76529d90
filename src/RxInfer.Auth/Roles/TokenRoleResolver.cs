namespace RxInfer.Auth;

/// <summary>The default <see cref="IRoleResolver"/>: the roles the token carries.</summary>
internal sealed class TokenRoleResolver : IRoleResolver
{
    public ValueTask<IReadOnlyList<string>> GetRolesAsync(TokenIdentity identity, CancellationToken cancellationToken = default)
    {
        ArgumentNullException.ThrowIfNull(identity);
        return new(identity.Roles);
    }
}
