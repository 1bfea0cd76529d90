using System.Collections.Concurrent;
using System.Runtime.CompilerServices;
using Microsoft.IdentityModel.Tokens;

namespace RxInfer.Auth;

/// <summary>
/// The signature providers of one key ring, for the ring's own <see cref="CryptoProviderFactory"/>: one per key,
/// algorithm and direction, created by IdentityModel on first use and disposed with the ring. IdentityModel's
/// default cache is shared by the process and finds providers by key material, so it would hand a provider of a
/// disposed ring to another ring with the same key; and each of its instances runs a background task, which one
/// cache per ring does not need: its entries are fixed by the ring's few keys.
/// </summary>
internal sealed class JwtSignatureProviderCache : CryptoProviderCache, IDisposable
{
    private readonly ConcurrentDictionary<Entry, SignatureProvider> _providers = new(EntryComparer.Instance);

    /// <summary>How many providers are held (a test seam).</summary>
    internal int Count => _providers.Count;

    public override bool TryAdd(SignatureProvider signatureProvider)
    {
        ArgumentNullException.ThrowIfNull(signatureProvider);
        if (!_providers.TryAdd(EntryOf(signatureProvider), signatureProvider))
        {
            return false;
        }

        signatureProvider.CryptoProviderCache = this;
        return true;
    }

    public override bool TryGetSignatureProvider(SecurityKey securityKey, string algorithm, string typeofProvider, bool willCreateSignatures, out SignatureProvider signatureProvider) =>
        _providers.TryGetValue(new Entry(securityKey, algorithm, typeofProvider, willCreateSignatures), out signatureProvider!);

    public override bool TryRemove(SignatureProvider signatureProvider)
    {
        ArgumentNullException.ThrowIfNull(signatureProvider);
        return ReferenceEquals(signatureProvider.CryptoProviderCache, this) && _providers.TryRemove(EntryOf(signatureProvider), out _);
    }

    /// <summary>Disposes every provider; the ring's keys are disposed after this.</summary>
    public void Dispose()
    {
        foreach (var (entry, provider) in _providers)
        {
            if (_providers.TryRemove(entry, out _))
            {
                provider.CryptoProviderCache = null;
                provider.Dispose();
            }
        }
    }

    protected override string GetCacheKey(SignatureProvider signatureProvider)
    {
        ArgumentNullException.ThrowIfNull(signatureProvider);
        return GetCacheKey(signatureProvider.Key, signatureProvider.Algorithm, signatureProvider.GetType().ToString());
    }

    protected override string GetCacheKey(SecurityKey securityKey, string algorithm, string typeofProvider)
    {
        ArgumentNullException.ThrowIfNull(securityKey);
        return $"{securityKey.KeyId}-{algorithm}-{typeofProvider}";
    }

    private static Entry EntryOf(SignatureProvider provider) =>
        new(provider.Key, provider.Algorithm, provider.GetType().ToString(), provider.WillCreateSignatures);

    /// <summary>A provider's key (the instance, not its material), algorithm, type and direction.</summary>
    private readonly record struct Entry(SecurityKey Key, string Algorithm, string ProviderType, bool Signs);

    private sealed class EntryComparer : IEqualityComparer<Entry>
    {
        public static readonly EntryComparer Instance = new();

        public bool Equals(Entry x, Entry y) =>
            ReferenceEquals(x.Key, y.Key)
            && x.Signs == y.Signs
            && string.Equals(x.Algorithm, y.Algorithm, StringComparison.Ordinal)
            && string.Equals(x.ProviderType, y.ProviderType, StringComparison.Ordinal);

        public int GetHashCode(Entry entry) => RuntimeHelpers.GetHashCode(entry.Key) ^ (entry.Signs ? 1 : 0);
    }
}
