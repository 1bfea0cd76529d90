using System.Collections.Concurrent;
using BenchmarkDotNet.Attributes;
using RxInfer.Auth;
using RxInfer.Benchmarks.Infrastructure;

namespace RxInfer.Benchmarks.Jwt;

/// <summary>
/// Putting a validated token into the provider's cache (<see cref="ValidatedTokenCache.Add"/>) at its default size,
/// against a plain <see cref="ConcurrentDictionary{TKey,TValue}.TryAdd"/> of the same entries, <see cref="PoolSize"/>
/// distinct tokens per iteration. <see cref="Full"/> false: the cache is emptied before every iteration, so no add
/// evicts; true: it is filled to its size with other entries before every iteration, so every add drops the oldest
/// entry (the case of a host with more distinct tokens than the cache holds). Target (issue 13): at most 0.5 us.
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
    private string[] _fillers = null!;
    private int _next;

    /// <summary>Whether every add finds the cache full (and drops its oldest entry).</summary>
    [Params(false, true)]
    public bool Full { get; set; }

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

        // Distinct keys of the shape of a token (the cache hashes the text after the last '.'), for filling only.
        _fillers = [.. Enumerable.Range(0, JwtTokenOptions.DefaultCacheSize).Select(static i => "filler.filler." + i.ToString(System.Globalization.CultureInfo.InvariantCulture))];
        _cache = new ValidatedTokenCache(JwtTokenOptions.DefaultCacheSize);
        _plain = new ConcurrentDictionary<string, ValidatedToken>(Environment.ProcessorCount, JwtTokenOptions.DefaultCacheSize, StringComparer.Ordinal);
    }

    [IterationSetup]
    public void StartIteration()
    {
        _cache.Clear();
        _plain.Clear();
        _next = 0;
        if (Full)
        {
            foreach (var filler in _fillers)
            {
                _cache.Add(filler, _validated[0]);
                _plain.TryAdd(filler, _validated[0]);
            }
        }
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
