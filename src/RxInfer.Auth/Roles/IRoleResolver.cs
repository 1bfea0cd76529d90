namespace RxInfer.Auth;

/// <summary>
/// Gives the roles of an authenticated identity. The default returns the roles the token carries; a host
/// registers its own (a directory, a database, configuration) with <c>AddRoleResolver&lt;T&gt;()</c>.
/// </summary>
public interface IRoleResolver
{
    /// <summary>Gets the roles of <paramref name="identity"/>.</summary>
    /// <param name="identity">A validated token's identity.</param>
    /// <param name="cancellationToken">Cancels the operation.</param>
    /// <returns>The roles, in order.</returns>
    ValueTask<IReadOnlyList<string>> GetRolesAsync(TokenIdentity identity, CancellationToken cancellationToken = default);
}
