namespace RxInfer.Auth;

/// <summary>
/// Where revocations of self-contained tokens (JWTs) are kept: revoked token ids, and per subject a cut-off
/// before which every token of that subject is revoked. An entry is needed only until <c>keepUntil</c>, after
/// which every token it revokes has expired anyway, so stores may forget it then. The in-memory default
/// completes synchronously; durable and shared stores implement the same contract.
/// </summary>
public interface IRevocationStore
{
    /// <summary>Revokes the token with id <paramref name="tokenId"/> (its <c>jti</c>).</summary>
    /// <param name="tokenId">The token's id.</param>
    /// <param name="keepUntil">When the entry may be forgotten: every token with this id has expired by then.</param>
    /// <param name="cancellationToken">Cancels the operation.</param>
    /// <returns>A task that completes when the revocation is stored.</returns>
    ValueTask RevokeAsync(string tokenId, DateTimeOffset keepUntil, CancellationToken cancellationToken = default);

    /// <summary>Whether the token with id <paramref name="tokenId"/> is revoked.</summary>
    /// <param name="tokenId">The token's id.</param>
    /// <param name="cancellationToken">Cancels the operation.</param>
    /// <returns><see langword="true"/> when it is revoked.</returns>
    ValueTask<bool> IsRevokedAsync(string tokenId, CancellationToken cancellationToken = default);

    /// <summary>
    /// Revokes every token of <paramref name="subject"/> issued at or before <paramref name="issuedAtOrBefore"/>.
    /// A later cut-off for the same subject replaces an earlier one; an earlier one never replaces a later one.
    /// </summary>
    /// <param name="subject">The owner whose tokens are revoked.</param>
    /// <param name="issuedAtOrBefore">Tokens issued (<c>iat</c>) at or before this instant are revoked.</param>
    /// <param name="keepUntil">When the entry may be forgotten: every token it revokes has expired by then.</param>
    /// <param name="cancellationToken">Cancels the operation.</param>
    /// <returns>A task that completes when the revocation is stored.</returns>
    ValueTask RevokeSubjectAsync(string subject, DateTimeOffset issuedAtOrBefore, DateTimeOffset keepUntil, CancellationToken cancellationToken = default);

    /// <summary>The cut-off of <paramref name="subject"/>: tokens issued at or before it are revoked.</summary>
    /// <param name="subject">The owner.</param>
    /// <param name="cancellationToken">Cancels the operation.</param>
    /// <returns>The cut-off, or <see langword="null"/> when none of the subject's tokens is revoked as a whole.</returns>
    ValueTask<DateTimeOffset?> GetSubjectCutoffAsync(string subject, CancellationToken cancellationToken = default);
}
