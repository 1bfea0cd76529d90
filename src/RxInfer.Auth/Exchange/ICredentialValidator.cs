namespace RxInfer.Auth;

/// <summary>
/// Checks a user's credentials (HTTP Basic at <c>POST /token/generate</c>). The host provides it with
/// <c>AddCredentialValidator&lt;T&gt;()</c>; without one, every credential is refused.
/// </summary>
public interface ICredentialValidator
{
    /// <summary>Checks <paramref name="userName"/> and <paramref name="password"/>.</summary>
    /// <param name="userName">The user name as presented.</param>
    /// <param name="password">The password as presented. Never log it.</param>
    /// <param name="cancellationToken">Cancels the operation.</param>
    /// <returns>The user's subject and roles, or <see langword="null"/> when the credentials are not valid.</returns>
    ValueTask<TokenSubject?> ValidateAsync(string userName, string password, CancellationToken cancellationToken = default);
}

/// <summary>The default <see cref="ICredentialValidator"/>: refuses everything.</summary>
internal sealed class NoCredentialValidator : ICredentialValidator
{
    public ValueTask<TokenSubject?> ValidateAsync(string userName, string password, CancellationToken cancellationToken = default) =>
        new((TokenSubject?)null);
}
