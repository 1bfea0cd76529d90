using System.Collections.Concurrent;

namespace RxInfer.Auth;

/// <summary>
/// The embedded store: a concurrent dictionary from token hash to identity. Expired tokens are dropped when
/// found and swept at most once a minute on issue, so memory stays bounded by the tokens alive. Removal by id
/// or subject scans the store: revocation is rare, and an index would double the memory of every token.
/// </summary>
internal sealed class InMemoryOpaqueTokenStore(TimeProvider timeProvider) : IApiKeyStore
{
    internal static readonly TimeSpan SweepInterval = TimeSpan.FromMinutes(1);

    private readonly ConcurrentDictionary<TokenHash, TokenIdentity> _tokens = new();
    private long _nextSweepTicks;
    private int _sweeping;

    public int Count => _tokens.Count;

    public ValueTask AddAsync(TokenHash hash, TokenIdentity identity, CancellationToken cancellationToken = default)
    {
        ArgumentNullException.ThrowIfNull(identity);
        SweepIfDue();
        if (!_tokens.TryAdd(hash, identity))
        {
            throw new InvalidOperationException("A token with the same hash is already stored.");
        }

        return ValueTask.CompletedTask;
    }

    public ValueTask<TokenIdentity?> FindAsync(TokenHash hash, CancellationToken cancellationToken = default)
    {
        if (!_tokens.TryGetValue(hash, out var identity))
        {
            return new((TokenIdentity?)null);
        }

        if (identity.IsExpiredAt(timeProvider.GetUtcNow()))
        {
            _tokens.TryRemove(new KeyValuePair<TokenHash, TokenIdentity>(hash, identity));
        }

        return new(identity);
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

    private int RemoveWhere(Func<TokenIdentity, string, bool> match, string value)
    {
        var removed = 0;
        foreach (var pair in _tokens)
        {
            if (match(pair.Value, value) && _tokens.TryRemove(pair))
            {
                removed++;
            }
        }

        return removed;
    }

    private void SweepIfDue()
    {
        var now = timeProvider.GetUtcNow();
        if (now.UtcTicks < Interlocked.Read(ref _nextSweepTicks) || Interlocked.Exchange(ref _sweeping, 1) == 1)
        {
            return;
        }

        try
        {
            Interlocked.Exchange(ref _nextSweepTicks, (now + SweepInterval).UtcTicks);
            foreach (var pair in _tokens)
            {
                if (pair.Value.IsExpiredAt(now))
                {
                    _tokens.TryRemove(pair);
                }
            }
        }
        finally
        {
            Volatile.Write(ref _sweeping, 0);
        }
    }
}
