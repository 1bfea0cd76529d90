using System.Collections.Concurrent;
using BenchmarkDotNet.Attributes;
using RxInfer.Auth;
using RxInfer.Benchmarks.Infrastructure;

namespace RxInfer.Benchmarks.Jwt;

/// <summary>
/// Putting a validated token into the provider's cache (<see cref="ValidatedTokenCache.Add"/>), into a cache
/// emptied before every iteration of <see cref="PoolSize"/> distinct tokens (below its size, so no eviction), against
/// a plain <see cref="ConcurrentDictionary{TKey,TValue}.TryAdd"/> of the same entries. Target (issue 13): at most 0.5 us.
/// </summary>
[MemoryDiagnoser]
[InvocationCount(PoolSize)]
public class JwtCacheInsertBenchmarks
{
    private const int PoolSize = 4096;

    private string[] _tokens = null!;
    private ValidatedToken[] _validated = null!;
    private ValidatedTokenCache _cache = null!;
    private ConcurrentDictionary<string, ValidatedToken> _plain = null!;
    private int _next;

    [GlobalSetup]
    public void Setup()
    {
        using var peer = new JwtFixture("HS256");
        using var ours = new JwtProviderFixture(peer, cacheSize: 0);
        _tokens = new string[PoolSize];
        _validated = new ValidatedToken[PoolSize];
        for (var i = 0; i < PoolSize; i++)
        {
            _tokens[i] = ours.Issue();
            _validated[i] = ours.Provider.CompactValidator.Validate(_tokens[i]).Token
                ?? throw new InvalidOperationException("Setup check failed: a token of the pool is not valid.");
        }

        _cache = new ValidatedTokenCache(JwtTokenOptions.DefaultCacheSize, TimeProvider.System, TimeSpan.FromSeconds(30));
        _plain = new ConcurrentDictionary<string, ValidatedToken>(Environment.ProcessorCount, JwtTokenOptions.DefaultCacheSize, StringComparer.Ordinal);
    }

    [IterationSetup]
    public void StartIteration()
    {
        _cache.Clear();
        _plain.Clear();
        _next = 0;
    }

    [Benchmark(Baseline = true, Description = "ConcurrentDictionary.TryAdd")]
    public bool Baseline_TryAdd()
    {
        var i = _next++;
        return _plain.TryAdd(_tokens[i], _validated[i]);
    }

    [Benchmark(Description = "ValidatedTokenCache.Add")]
    public int Ours_Add()
    {
        var i = _next++;
        _cache.Add(_tokens[i], _validated[i]);
        return _cache.Count;
    }
}
