using Microsoft.Extensions.Logging;
using Microsoft.Extensions.Options;

namespace RxInfer.Auth;

/// <summary>API keys as opaque tokens of kind <see cref="TokenKind.ApiKey"/> in their own <see cref="IApiKeyStore"/>.</summary>
/// <remarks>
/// The keys known from configuration (<see cref="ApiKeyOptions.Keys"/>, unique by hash: checked at start) are put
/// into the store before the first operation that needs them, by one load that concurrent callers share. A load
/// that fails (the store unreachable) is not remembered: the next call starts a new one, which skips the keys the
/// failed one had already stored.
/// </remarks>
internal sealed class ApiKeyService : IApiKeyService
{
    private readonly IApiKeyStore _store;
    private readonly ApiKeyOptions _options;
    private readonly OpaqueTokenProvider _keys;
    private readonly RxInferAuthMetrics _metrics;
    private readonly ILogger _logger;
    private readonly Lock _loadLock = new();
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
        if (_options.Keys.Count == 0)
        {
            _configuredKeysLoaded = Task.CompletedTask; // nothing to load
        }
    }

    public async ValueTask<IssuedToken> CreateAsync(string subject, IReadOnlyList<string> roles, TimeSpan? lifetime = null, CancellationToken cancellationToken = default)
    {
        ArgumentException.ThrowIfNullOrEmpty(subject);
        await EnsureConfiguredKeysLoadedAsync(cancellationToken).ConfigureAwait(false);
        var issued = await _keys.IssueAsync(new TokenRequest(subject, roles) { Kind = TokenKind.ApiKey, Lifetime = lifetime }, cancellationToken).ConfigureAwait(false);
        Log.ApiKeyCreated(_logger, issued.Identity.TokenId, subject, issued.Identity.ExpiresAt);
        _metrics.TokenIssued(issued.Identity);
        return issued;
    }

    public async ValueTask<TokenValidationOutcome> ValidateAsync(string apiKey, CancellationToken cancellationToken = default)
    {
        await EnsureConfiguredKeysLoadedAsync(cancellationToken).ConfigureAwait(false);
        return await _keys.ValidateAsync(apiKey, cancellationToken).ConfigureAwait(false);
    }

    public async ValueTask<bool> RevokeAsync(string keyId, CancellationToken cancellationToken = default)
    {
        ArgumentException.ThrowIfNullOrEmpty(keyId);
        await EnsureConfiguredKeysLoadedAsync(cancellationToken).ConfigureAwait(false);
        var revoked = await _keys.RevokeAsync(keyId, cancellationToken).ConfigureAwait(false);
        if (revoked)
        {
            Log.ApiKeyRevoked(_logger, keyId);
        }

        return revoked;
    }

    public async ValueTask<IReadOnlyList<ApiKeyInfo>> ListAsync(string? subject = null, CancellationToken cancellationToken = default)
    {
        await EnsureConfiguredKeysLoadedAsync(cancellationToken).ConfigureAwait(false);
        return await _store.ListAsync(subject, cancellationToken).ConfigureAwait(false);
    }

    /// <summary>Completes when the configured keys are in the store: at once after the first successful load.</summary>
    private ValueTask EnsureConfiguredKeysLoadedAsync(CancellationToken cancellationToken)
    {
        var loaded = Volatile.Read(ref _configuredKeysLoaded);
        if (loaded is { IsCompletedSuccessfully: true })
        {
            return ValueTask.CompletedTask;
        }

        // One caller's cancellation stops its own wait, never the load the others share.
        return new ValueTask(StartOrJoinLoad().WaitAsync(cancellationToken));
    }

    private Task StartOrJoinLoad()
    {
        lock (_loadLock)
        {
            var load = _configuredKeysLoaded;
            if (load is null || load.IsFaulted || load.IsCanceled)
            {
                load = LoadConfiguredKeysAsync();
                Volatile.Write(ref _configuredKeysLoaded, load);
            }

            return load;
        }
    }

    private async Task LoadConfiguredKeysAsync()
    {
        await Task.Yield(); // Run outside the lock that published this task.
        foreach (var key in _options.Keys)
        {
            if (!TokenHash.TryParse(key.Sha256, out var hash))
            {
                continue; // Unreachable: the options validator refuses the host's start (RxInfer:Auth:ApiKeys:Keys:n:Sha256).
            }

            if (await _store.FindAsync(hash).ConfigureAwait(false) is { } stored)
            {
                // Stored by an earlier, failed load (or by another node sharing a durable store): keep it.
                if (!string.Equals(stored.TokenId, key.Id, StringComparison.Ordinal))
                {
                    Log.ConfiguredApiKeyAlreadyStored(_logger, key.Id, stored.TokenId);
                }

                continue;
            }

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
