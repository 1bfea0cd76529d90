using Microsoft.Extensions.Logging;
using Microsoft.Extensions.Options;

namespace RxInfer.Auth;

/// <summary>API keys as opaque tokens of kind <see cref="TokenKind.ApiKey"/> in their own <see cref="IApiKeyStore"/>.</summary>
internal sealed class ApiKeyService : IApiKeyService
{
    private readonly IApiKeyStore _store;
    private readonly ApiKeyOptions _options;
    private readonly OpaqueTokenProvider _keys;
    private readonly RxInferAuthMetrics _metrics;
    private readonly ILogger _logger;
    private Task? _configuredKeysLoaded;

    public ApiKeyService(
        IApiKeyStore store,
        IOptions<ApiKeyOptions> options,
        TimeProvider timeProvider,
        RxInferAuthMetrics metrics,
        ILogger<ApiKeyService> logger)
    {
        _store = store;
        _options = options.Value;
        _keys = new OpaqueTokenProvider(store, new OpaqueTokenFormat(_options.Prefix), TokenKind.ApiKey, _options.Lifetime, timeProvider);
        _metrics = metrics;
        _logger = logger;
    }

    public async ValueTask<IssuedToken> CreateAsync(string subject, IReadOnlyList<string> roles, TimeSpan? lifetime = null, CancellationToken cancellationToken = default)
    {
        ArgumentException.ThrowIfNullOrEmpty(subject);
        await EnsureConfiguredKeysLoaded().ConfigureAwait(false);
        var issued = await _keys.IssueAsync(new TokenRequest(subject, roles) { Kind = TokenKind.ApiKey, Lifetime = lifetime }, cancellationToken).ConfigureAwait(false);
        Log.ApiKeyCreated(_logger, issued.Identity.TokenId, subject, issued.Identity.ExpiresAt);
        _metrics.TokenIssued(issued.Identity);
        return issued;
    }

    public async ValueTask<TokenValidationOutcome> ValidateAsync(string apiKey, CancellationToken cancellationToken = default)
    {
        await EnsureConfiguredKeysLoaded().ConfigureAwait(false);
        return await _keys.ValidateAsync(apiKey, cancellationToken).ConfigureAwait(false);
    }

    public async ValueTask<bool> RevokeAsync(string keyId, CancellationToken cancellationToken = default)
    {
        ArgumentException.ThrowIfNullOrEmpty(keyId);
        await EnsureConfiguredKeysLoaded().ConfigureAwait(false);
        var revoked = await _keys.RevokeAsync(keyId, cancellationToken).ConfigureAwait(false);
        if (revoked)
        {
            Log.ApiKeyRevoked(_logger, keyId);
        }

        return revoked;
    }

    private Task EnsureConfiguredKeysLoaded() =>
        LazyInitializer.EnsureInitialized(ref _configuredKeysLoaded, LoadConfiguredKeysAsync);

    private async Task LoadConfiguredKeysAsync()
    {
        foreach (var key in _options.Keys)
        {
            TokenHash.TryParse(key.Sha256, out var hash);
            var identity = new TokenIdentity(
                key.Subject,
                key.Id,
                key.Roles,
                key.ExpiresAt ?? TokenIdentity.NeverExpires,
                OpaqueTokenProvider.ProviderName,
                TokenKind.ApiKey);
            await _store.AddAsync(hash, identity).ConfigureAwait(false);
        }
    }
}
