namespace RxInfer.Auth;

/// <summary>
/// The embedded store: token hash to identity in 64 lock-striped dictionaries. A plain
/// <see cref="Dictionary{TKey, TValue}"/> keeps a 32-byte key inline in its entry array (52 bytes a token with
/// its bucket) where a <see cref="System.Collections.Concurrent.ConcurrentDictionary{TKey, TValue}"/> allocates
/// an 80-byte node, and the stripes keep lock contention low. Expired tokens are swept at most once a minute on
/// issue, so memory stays bounded by the tokens alive (the validator, not the store, rejects an expired token it
/// finds before the sweep). Removal by id or subject scans the
/// store: revocation is rare, and an index would double the memory of every token. A count kept beside the stripes
/// answers the capacity check of <see cref="TryAddAsync"/> without visiting them.
/// </summary>
internal sealed class InMemoryOpaqueTokenStore : IApiKeyStore
{
    private const int StripeCount = 64;

    private readonly Stripe[] _stripes;
    private readonly PeriodicSweep _sweep;
    private int _count;

    public InMemoryOpaqueTokenStore(TimeProvider timeProvider)
    {
        _sweep = new PeriodicSweep(timeProvider);
        _stripes = new Stripe[StripeCount];
        for (var i = 0; i < _stripes.Length; i++)
        {
            _stripes[i] = new Stripe();
        }
    }

    /// <summary>How many tokens the store holds (expired ones included until they are swept).</summary>
    public int Count => Volatile.Read(ref _count);

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

    /// <summary>
    /// Adds the token unless <paramref name="maxTokens"/> (when not 0) are held: the count is reserved before the add
    /// and given back when the add does not happen, so concurrent adds on different stripes never pass the cap.
    /// </summary>
    private bool Add(TokenHash hash, TokenIdentity identity, int maxTokens)
    {
        _sweep.RunIfDue(static (now, store) => store.RemoveWhere(static (identity, at) => identity.IsExpiredAt(at), now), this);
        if (Interlocked.Increment(ref _count) > maxTokens && maxTokens > 0)
        {
            Interlocked.Decrement(ref _count);
            return false;
        }

        var stripe = StripeOf(hash);
        bool added;
        lock (stripe.Lock)
        {
            added = stripe.Tokens.TryAdd(hash, identity);
        }

        if (!added)
        {
            Interlocked.Decrement(ref _count);
            throw new InvalidOperationException("A token with the same hash is already stored.");
        }

        return true;
    }

    public ValueTask<TokenIdentity?> FindAsync(TokenHash hash, CancellationToken cancellationToken = default)
    {
        var stripe = StripeOf(hash);
        TokenIdentity? identity;
        lock (stripe.Lock)
        {
            stripe.Tokens.TryGetValue(hash, out identity);
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

    private Stripe StripeOf(TokenHash hash) => _stripes[hash.StripeBits % StripeCount];

    private int RemoveWhere<TState>(Func<TokenIdentity, TState, bool> match, TState state)
    {
        var removed = 0;
        foreach (var stripe in _stripes)
        {
            lock (stripe.Lock)
            {
                foreach (var (hash, identity) in stripe.Tokens)
                {
                    // Removing during enumeration is allowed for Dictionary since .NET Core 3.0.
                    if (match(identity, state) && stripe.Tokens.Remove(hash))
                    {
                        removed++;
                        Interlocked.Decrement(ref _count);
                    }
                }
            }
        }

        return removed;
    }

    private sealed class Stripe
    {
        public readonly Lock Lock = new();
        public readonly Dictionary<TokenHash, TokenIdentity> Tokens = [];
    }
}
