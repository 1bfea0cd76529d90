namespace RxInfer.Auth;

/// <summary>Creates, checks and revokes API keys.</summary>
public interface IApiKeyService
{
    /// <summary>Creates a key for <paramref name="subject"/>. The text is returned once and stored only as its hash.</summary>
    /// <param name="subject">The subject that tokens exchanged for the key act as.</param>
    /// <param name="roles">The roles that tokens exchanged for the key carry.</param>
    /// <param name="lifetime">How long the key is valid; <see langword="null"/> takes <see cref="ApiKeyOptions.Lifetime"/>.</param>
    /// <param name="cancellationToken">Cancels the operation.</param>
    /// <returns>The key's text and identity.</returns>
    ValueTask<IssuedToken> CreateAsync(string subject, IReadOnlyList<string> roles, TimeSpan? lifetime = null, CancellationToken cancellationToken = default);

    /// <summary>Checks a presented key. Never throws for bad input.</summary>
    /// <param name="apiKey">The key text as presented.</param>
    /// <param name="cancellationToken">Cancels the operation.</param>
    /// <returns>Valid with the key's identity, or rejected with one reason.</returns>
    ValueTask<TokenValidationOutcome> ValidateAsync(string apiKey, CancellationToken cancellationToken = default);

    /// <summary>Revokes a key by its id.</summary>
    /// <param name="keyId">The key's id (<see cref="TokenIdentity.TokenId"/>, or <see cref="ConfiguredApiKey.Id"/>).</param>
    /// <param name="cancellationToken">Cancels the operation.</param>
    /// <returns>Whether a key was revoked.</returns>
    ValueTask<bool> RevokeAsync(string keyId, CancellationToken cancellationToken = default);

    /// <summary>Lists the keys (never their text): id, subject, roles, creation and expiry.</summary>
    /// <param name="subject">Only the keys of this subject; <see langword="null"/> for every key.</param>
    /// <param name="cancellationToken">Cancels the operation.</param>
    /// <returns>The keys, oldest first.</returns>
    ValueTask<IReadOnlyList<ApiKeyInfo>> ListAsync(string? subject = null, CancellationToken cancellationToken = default);
}
