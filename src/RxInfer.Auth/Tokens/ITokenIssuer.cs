namespace RxInfer.Auth;

/// <summary>Issues tokens.</summary>
public interface ITokenIssuer
{
    /// <summary>Issues a token for <paramref name="request"/>.</summary>
    /// <param name="request">For whom, with which roles, for how long.</param>
    /// <param name="cancellationToken">Cancels the operation.</param>
    /// <returns>The token text (shown once) and its identity.</returns>
    ValueTask<IssuedToken> IssueAsync(TokenRequest request, CancellationToken cancellationToken = default);
}
