namespace RxInfer.Auth;

/// <summary>
/// Where API keys live: the same contract as <see cref="IOpaqueTokenStore"/>, registered separately so a host
/// can keep long-lived keys in a durable store while access tokens stay in memory.
/// </summary>
public interface IApiKeyStore : IOpaqueTokenStore
{
    /// <summary>
    /// Lists the stored keys, never their text or hash: what an administrator needs to find a key to revoke. Each
    /// with the time the store added it. Ordered by that time, then by id.
    /// </summary>
    /// <param name="subject">Only the keys of this subject; <see langword="null"/> for every key.</param>
    /// <param name="cancellationToken">Cancels the operation.</param>
    /// <returns>The keys, expired ones included until they are swept.</returns>
    ValueTask<IReadOnlyList<ApiKeyInfo>> ListAsync(string? subject = null, CancellationToken cancellationToken = default);
}
