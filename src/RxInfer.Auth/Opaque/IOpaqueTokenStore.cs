namespace RxInfer.Auth;

/// <summary>
/// Where opaque access tokens live: by the SHA-256 of their text, never the text. The in-memory default
/// completes synchronously; durable and shared stores implement the same contract.
/// </summary>
public interface IOpaqueTokenStore
{
    /// <summary>Stores a newly issued token.</summary>
    /// <param name="hash">The SHA-256 of the token's text.</param>
    /// <param name="identity">The token's identity.</param>
    /// <param name="cancellationToken">Cancels the operation.</param>
    /// <returns>A task that completes when the token is stored.</returns>
    ValueTask AddAsync(TokenHash hash, TokenIdentity identity, CancellationToken cancellationToken = default);

    /// <summary>
    /// Stores a newly issued token unless the store holds <paramref name="maxTokens"/> tokens already, checked in the
    /// same step as the add: adds one at a time never pass the cap, and concurrent adds pass it by at most the adds in
    /// flight (the in-memory store is exact; a database may count without serialising its writers). Expired tokens
    /// count until the store removes them.
    /// </summary>
    /// <param name="hash">The SHA-256 of the token's text.</param>
    /// <param name="identity">The token's identity.</param>
    /// <param name="maxTokens">The most tokens the store may hold; 0 for no limit.</param>
    /// <param name="cancellationToken">Cancels the operation.</param>
    /// <returns><see langword="true"/> when the token was stored; <see langword="false"/> when the store is full (nothing was stored).</returns>
    ValueTask<bool> TryAddAsync(TokenHash hash, TokenIdentity identity, int maxTokens, CancellationToken cancellationToken = default);

    /// <summary>Finds a token by the hash of its text.</summary>
    /// <param name="hash">The SHA-256 of the presented text.</param>
    /// <param name="cancellationToken">Cancels the operation.</param>
    /// <returns>The identity, or <see langword="null"/> when no such token is stored (never issued, revoked or swept after expiry).</returns>
    ValueTask<TokenIdentity?> FindAsync(TokenHash hash, CancellationToken cancellationToken = default);

    /// <summary>Removes the token with id <paramref name="tokenId"/>.</summary>
    /// <param name="tokenId">The token's id.</param>
    /// <param name="cancellationToken">Cancels the operation.</param>
    /// <returns>Whether a token was removed.</returns>
    ValueTask<bool> RemoveByIdAsync(string tokenId, CancellationToken cancellationToken = default);

    /// <summary>Removes every token of <paramref name="subject"/>.</summary>
    /// <param name="subject">The owner.</param>
    /// <param name="cancellationToken">Cancels the operation.</param>
    /// <returns>How many tokens were removed.</returns>
    ValueTask<int> RemoveBySubjectAsync(string subject, CancellationToken cancellationToken = default);
}
