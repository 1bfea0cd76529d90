namespace RxInfer.Auth;

/// <summary>
/// The embedded API key store: key hash to identity and the time the key was added, under one lock (API keys are few
/// and long-lived, unlike access tokens, whose store is striped). Expired keys are swept at most once a minute on add.
/// </summary>
internal sealed class InMemoryApiKeyStore(TimeProvider timeProvider) : IApiKeyStore
{
    private readonly Lock _lock = new();
    private readonly Dictionary<TokenHash, (TokenIdentity Identity, DateTimeOffset CreatedAt)> _keys = [];
    private readonly PeriodicSweep _sweep = new(timeProvider);

    public ValueTask AddAsync(TokenHash hash, TokenIdentity identity, CancellationToken cancellationToken = default)
    {
        ArgumentNullException.ThrowIfNull(identity);
        Add(hash, identity, maxTokens: 0);
        return ValueTask.CompletedTask;
    }

    public ValueTask<bool> TryAddAsync(TokenHash hash, TokenIdentity identity, int maxTokens, CancellationToken cancellationToken = default)
    {
        ArgumentNullException.ThrowIfNull(identity);
        ArgumentOutOfRangeException.ThrowIfNegative(maxTokens);
        return new(Add(hash, identity, maxTokens));
    }

    /// <summary>Adds the key unless <paramref name="maxTokens"/> (when not 0) are held, checked under the same lock as the add.</summary>
    private bool Add(TokenHash hash, TokenIdentity identity, int maxTokens)
    {
        _sweep.RunIfDue(static (now, store) => store.RemoveWhere(static (identity, at) => identity.IsExpiredAt(at), now), this);
        lock (_lock)
        {
            if (_keys.ContainsKey(hash))
            {
                throw new InvalidOperationException("A token with the same hash is already stored.");
            }

            if (maxTokens > 0 && _keys.Count >= maxTokens)
            {
                return false;
            }

            _keys.Add(hash, (identity, timeProvider.GetUtcNow()));
            return true;
        }
    }

    public ValueTask<TokenIdentity?> FindAsync(TokenHash hash, CancellationToken cancellationToken = default)
    {
        lock (_lock)
        {
            return new(_keys.TryGetValue(hash, out var entry) ? entry.Identity : null);
        }
    }

    public ValueTask<bool> RemoveByIdAsync(string tokenId, CancellationToken cancellationToken = default)
    {
        ArgumentNullException.ThrowIfNull(tokenId);
        return new(RemoveWhere(static (identity, id) => identity.TokenId == id, tokenId) > 0);
    }

    public ValueTask<int> RemoveBySubjectAsync(string subject, CancellationToken cancellationToken = default)
    {
        ArgumentNullException.ThrowIfNull(subject);
        return new(RemoveWhere(static (identity, s) => identity.Subject == s, subject));
    }

    public ValueTask<IReadOnlyList<ApiKeyInfo>> ListAsync(string? subject = null, CancellationToken cancellationToken = default)
    {
        List<ApiKeyInfo> keys;
        lock (_lock)
        {
            keys = [.. _keys.Values
                .Where(entry => subject is null || entry.Identity.Subject == subject)
                .Select(static entry => new ApiKeyInfo(entry.Identity.TokenId, entry.Identity.Subject, entry.Identity.Roles, entry.CreatedAt, entry.Identity.ExpiresAt))];
        }

        keys.Sort(static (a, b) => a.CreatedAt != b.CreatedAt ? a.CreatedAt.CompareTo(b.CreatedAt) : string.CompareOrdinal(a.Id, b.Id));
        return new(keys);
    }

    private int RemoveWhere<TState>(Func<TokenIdentity, TState, bool> match, TState state)
    {
        var removed = 0;
        lock (_lock)
        {
            foreach (var (hash, entry) in _keys)
            {
                if (match(entry.Identity, state) && _keys.Remove(hash))
                {
                    removed++;
                }
            }
        }

        return removed;
    }
}
