namespace RxInfer.Auth;

/// <summary>Revokes tokens: a revoked token fails its next validation.</summary>
public interface ITokenRevoker
{
    /// <summary>Revokes one token by its id (<see cref="TokenIdentity.TokenId"/>).</summary>
    /// <param name="tokenId">The token's id.</param>
    /// <param name="cancellationToken">Cancels the operation.</param>
    /// <returns><see langword="true"/> when a live token was revoked.</returns>
    ValueTask<bool> RevokeAsync(string tokenId, CancellationToken cancellationToken = default);

    /// <summary>Revokes every token issued so far to <paramref name="subject"/>.</summary>
    /// <param name="subject">The owner whose tokens are revoked.</param>
    /// <param name="cancellationToken">Cancels the operation.</param>
    /// <returns>How many tokens were revoked, where the provider can count them; otherwise 0.</returns>
    ValueTask<int> RevokeSubjectAsync(string subject, CancellationToken cancellationToken = default);
}
