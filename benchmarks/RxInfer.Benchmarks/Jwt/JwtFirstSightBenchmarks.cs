using BenchmarkDotNet.Attributes;
using RxInfer.Auth;
using RxInfer.Benchmarks.Infrastructure;

namespace RxInfer.Benchmarks.Jwt;

/// <summary>
/// The validation of a token not seen before, without any cache: <c>JsonWebTokenHandler.ValidateTokenAsync</c> with
/// the same parameters (the baseline) against the provider's validators alone, HS256, ES256 and RS256, walking a
/// pool of distinct tokens. The identity the cache would keep is built by ours (that is its allocation); nothing is
/// stored. Targets (issue 13): HS256 at least 2x faster than the baseline, allocating only that identity; ES256 and
/// RS256 no slower than it.
/// </summary>
[MemoryDiagnoser]
public class JwtFirstSightBenchmarks
{
    private const int PoolSize = 4096;

    private JwtFixture _peer = null!;
    private JwtProviderFixture _ours = null!;
    private string[] _pool = null!;
    private int _next;

    [Params("HS256", "ES256", "RS256")]
    public string Algorithm { get; set; } = "HS256";

    [GlobalSetup]
    public void Setup()
    {
        _peer = new JwtFixture(Algorithm);
        _ours = new JwtProviderFixture(_peer, cacheSize: 0);
        _pool = new string[PoolSize];
        for (var i = 0; i < _pool.Length; i++)
        {
            _pool[i] = _ours.Issue();
        }

        Check.Valid(Baseline_Valid(), "baseline valid");
        Check.Valid(_ours.Provider.CompactValidator.Validate(_pool[0]).Token is not null, "ours (own validator) valid");
    }

    [GlobalCleanup]
    public void Cleanup()
    {
        _ours.Dispose();
        _peer.Dispose();
    }

    [Benchmark(Baseline = true, Description = "JsonWebTokenHandler valid")]
    public bool Baseline_Valid() => _peer.Handler.ValidateTokenAsync(Next(), _peer.Parameters).GetAwaiter().GetResult().IsValid;


    [Benchmark(Description = "Ours: own validator")]
    public bool Ours_Compact() => _ours.Provider.CompactValidator.Validate(Next()).Token is not null;

    private string Next() => _pool[_next++ & (PoolSize - 1)];
}
