using BenchmarkDotNet.Attributes;
using RxInfer.Auth;
using RxInfer.Benchmarks.Infrastructure;

namespace RxInfer.Benchmarks.Jwt;

/// <summary>
/// First sight of a valid token: our JWT provider's cache miss against <c>JsonWebTokenHandler</c>, HS256 and
/// ES256. Every invocation takes the next token of a pool of <see cref="PoolSize"/> distinct tokens issued
/// in setup; the invocation count is fixed to the pool size, and before every iteration the provider's
/// validated-token cache is cleared and the pool restarts. So each measured call really is a miss: the
/// signature check and claims, plus storing the result in the cache, and nothing of the clearing is
/// timed. The baseline walks the same pool (it has no cache; the distinct tokens only keep it comparable).
/// Target: no slower than the baseline (ratio at most 1.1).
/// </summary>
[MemoryDiagnoser]
[InvocationCount(PoolSize)]
public class JwtCacheMissBenchmarks
{
    /// <summary>Distinct tokens per iteration; below the default cache size (10,000), so no eviction interferes.</summary>
    public const int PoolSize = 4096;

    private JwtFixture _peer = null!;
    private JwtProviderFixture _ours = null!;
    private string[] _pool = null!;
    private int _next;

    [Params("HS256", "ES256")]
    public string Algorithm { get; set; } = "HS256";

    [GlobalSetup]
    public void Setup()
    {
        _peer = new JwtFixture(Algorithm);
        _ours = new JwtProviderFixture(_peer);
        _pool = new string[PoolSize];
        for (var i = 0; i < _pool.Length; i++)
        {
            _pool[i] = _ours.Issue();
        }

        Check.Valid(_peer.Handler.ValidateTokenAsync(_pool[0], _peer.Parameters).GetAwaiter().GetResult().IsValid, "baseline valid");
        Check.Valid(_ours.Validate(_pool[0]), "ours valid");
        if (_ours.Cache.Count != 1)
        {
            throw new InvalidOperationException($"Setup check failed: the validated token should be cached, the cache holds {_ours.Cache.Count}.");
        }
    }

    [IterationSetup]
    public void StartIteration()
    {
        _ours.Cache.Clear();
        _next = 0;
    }

    [GlobalCleanup]
    public void Cleanup()
    {
        _ours.Dispose();
        _peer.Dispose();
    }

    [Benchmark(Baseline = true, Description = "JsonWebTokenHandler valid")]
    public bool Baseline_Valid() => _peer.Handler.ValidateTokenAsync(_pool[_next++], _peer.Parameters).GetAwaiter().GetResult().IsValid;

    [Benchmark(Description = "Ours JWT valid, cache miss")]
    public TokenValidationOutcome Ours_CacheMiss() => _ours.Validate(_pool[_next++]);
}
