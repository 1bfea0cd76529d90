namespace RxInfer.Auth;

/// <summary>
/// The ways to obtain an access token (what <c>POST /token/generate</c> does): exchange an API key, exchange
/// user credentials, or ask anonymously. Each returns <see langword="null"/> when refused, and logs why.
/// </summary>
public interface ITokenExchange
{
    /// <summary>Exchanges an API key for a new access token with the key's subject and roles.</summary>
    /// <param name="apiKey">The key text as presented.</param>
    /// <param name="cancellationToken">Cancels the operation.</param>
    /// <returns>The new token, or <see langword="null"/> when the key is not valid.</returns>
    ValueTask<IssuedToken?> ExchangeApiKeyAsync(string apiKey, CancellationToken cancellationToken = default);

    /// <summary>Exchanges user credentials, checked by the <see cref="ICredentialValidator"/>, for a new access token.</summary>
    /// <param name="userName">The user name as presented.</param>
    /// <param name="password">The password as presented.</param>
    /// <param name="cancellationToken">Cancels the operation.</param>
    /// <returns>The new token, or <see langword="null"/> when the credentials are not valid.</returns>
    ValueTask<IssuedToken?> ExchangeCredentialsAsync(string userName, string password, CancellationToken cancellationToken = default);

    /// <summary>Issues a token for a new anonymous subject with <see cref="RxInferAuthOptions.DefaultRoles"/>.</summary>
    /// <param name="cancellationToken">Cancels the operation.</param>
    /// <returns>The new token, or <see langword="null"/> when <see cref="RxInferAuthOptions.AllowAnonymousTokens"/> is off.</returns>
    ValueTask<IssuedToken?> IssueAnonymousAsync(CancellationToken cancellationToken = default);
}
