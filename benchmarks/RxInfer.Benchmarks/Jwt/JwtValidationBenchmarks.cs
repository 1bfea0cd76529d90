using BenchmarkDotNet.Attributes;
using BenchmarkDotNet.Configs;
using RxInfer.Auth;
using RxInfer.Benchmarks.Infrastructure;

namespace RxInfer.Benchmarks.Jwt;

/// <summary>
/// Our JWT provider (through the registered <see cref="ITokenValidator"/>) against
/// <c>JsonWebTokenHandler.ValidateTokenAsync</c> with ordinary parameters, on the same tokens and keys, for
/// HS256 and ES256. Categories, each with its own baseline: <c>Valid</c> (ours: a token seen before, the
/// cache hit), <c>BadSignature</c> and <c>Expired</c>. The cache miss is in <see cref="JwtCacheMissBenchmarks"/>.
/// Targets: cache hit at least 20x faster than the baseline, 0 B.
/// </summary>
[MemoryDiagnoser]
[GroupBenchmarksBy(BenchmarkLogicalGroupRule.ByCategory, BenchmarkLogicalGroupRule.ByParams)]
[CategoriesColumn]
public class JwtValidationBenchmarks
{
    private JwtFixture _peer = null!;
    private JwtProviderFixture _ours = null!;
    private string _valid = null!;
    private string _badSignature = null!;
    private string _expired = null!;

    [Params("HS256", "ES256")]
    public string Algorithm { get; set; } = "HS256";

    [GlobalSetup]
    public void Setup()
    {
        _peer = new JwtFixture(Algorithm);
        _ours = new JwtProviderFixture(_peer);
        _valid = _ours.Issue();
        _badSignature = JwtFixture.WithBadSignature(_valid);
        _expired = _peer.CreateExpired();

        Check.Valid(Baseline_Valid(), "baseline valid");
        Check.Valid(Ours_CacheHit(), "ours valid (first sight, fills the cache)");
        Check.Valid(Ours_CacheHit(), "ours cache hit");
        Check.Rejected(Baseline_BadSignature(), "baseline bad signature");
        Check.Rejected(Ours_BadSignature(), TokenRejectionReason.InvalidSignature, "ours bad signature");
        Check.Rejected(Baseline_Expired(), "baseline expired");
        Check.Rejected(Ours_Expired(), TokenRejectionReason.Expired, "ours expired");
    }

    [GlobalCleanup]
    public void Cleanup()
    {
        _ours.Dispose();
        _peer.Dispose();
    }

    [BenchmarkCategory("Valid"), Benchmark(Baseline = true, Description = "JsonWebTokenHandler valid")]
    public bool Baseline_Valid() => Peer(_valid);

    [BenchmarkCategory("Valid"), Benchmark(Description = "Ours JWT valid, cache hit")]
    public TokenValidationOutcome Ours_CacheHit() => _ours.Validate(_valid);

    [BenchmarkCategory("BadSignature"), Benchmark(Baseline = true, Description = "JsonWebTokenHandler bad signature")]
    public bool Baseline_BadSignature() => Peer(_badSignature);

    [BenchmarkCategory("BadSignature"), Benchmark(Description = "Ours JWT bad signature")]
    public TokenValidationOutcome Ours_BadSignature() => _ours.Validate(_badSignature);

    [BenchmarkCategory("Expired"), Benchmark(Baseline = true, Description = "JsonWebTokenHandler expired")]
    public bool Baseline_Expired() => Peer(_expired);

    [BenchmarkCategory("Expired"), Benchmark(Description = "Ours JWT expired")]
    public TokenValidationOutcome Ours_Expired() => _ours.Validate(_expired);

    private bool Peer(string token) => _peer.Handler.ValidateTokenAsync(token, _peer.Parameters).GetAwaiter().GetResult().IsValid;
}
