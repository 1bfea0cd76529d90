using BenchmarkDotNet.Attributes;
using BenchmarkDotNet.Configs;
using Microsoft.IdentityModel.Tokens;
using RxInfer.Auth;
using RxInfer.Benchmarks.Infrastructure;

namespace RxInfer.Benchmarks.Rejection;

/// <summary>
/// Rejection of input that is no token at all (garbage; by the opaque provider and by the JWT provider) and of
/// an opaque token with a bad checksum (a typo), each against the baseline's rejection of the very same string.
/// One baseline per category. Bad signatures and expired JWTs are in <c>JwtValidationBenchmarks</c>.
/// Target: at least 20x faster than the baseline, 0 B.
/// </summary>
[MemoryDiagnoser]
[GroupBenchmarksBy(BenchmarkLogicalGroupRule.ByCategory)]
[CategoriesColumn]
public class GarbageRejectionBenchmarks
{
    /// <summary>What a confused client or a scanner sends: not a JWT, not an opaque token.</summary>
    public const string Garbage = "Bearer-this-is-not-a-token-0123456789abcdef";

    private JwtFixture _jwt = null!;
    private OpaqueFixture _opaque = null!;
    private JwtProviderFixture _oursJwt = null!;
    private string _badChecksum = null!;

    [GlobalSetup]
    public void Setup()
    {
        _jwt = new JwtFixture(SecurityAlgorithms.HmacSha256);
        _opaque = new OpaqueFixture(1);
        _oursJwt = new JwtProviderFixture(_jwt);
        _badChecksum = _opaque.WithBadChecksum();

        Check.Rejected(Baseline_Garbage(), "baseline garbage");
        Check.Rejected(Baseline_BadChecksum(), "baseline bad checksum");
        Check.Rejected(Opaque_Garbage(), TokenRejectionReason.Malformed, "opaque garbage");
        Check.Rejected(Opaque_BadChecksum(), TokenRejectionReason.Malformed, "opaque bad checksum");
        Check.Rejected(Jwt_Garbage(), TokenRejectionReason.Malformed, "ours JWT garbage");
    }

    [GlobalCleanup]
    public void Cleanup()
    {
        _opaque.Dispose();
        _oursJwt.Dispose();
        _jwt.Dispose();
    }

    [BenchmarkCategory("Garbage"), Benchmark(Baseline = true, Description = "JsonWebTokenHandler garbage")]
    public bool Baseline_Garbage() => Validate(Garbage);

    [BenchmarkCategory("Garbage"), Benchmark(Description = "Ours opaque garbage")]
    public TokenValidationOutcome Opaque_Garbage() => Validate(_opaque.Validator, Garbage);

    [BenchmarkCategory("Garbage"), Benchmark(Description = "Ours JWT garbage")]
    public TokenValidationOutcome Jwt_Garbage() => Validate(_oursJwt.Validator, Garbage);

    [BenchmarkCategory("BadChecksum"), Benchmark(Baseline = true, Description = "JsonWebTokenHandler bad checksum")]
    public bool Baseline_BadChecksum() => Validate(_badChecksum);

    [BenchmarkCategory("BadChecksum"), Benchmark(Description = "Ours opaque bad checksum")]
    public TokenValidationOutcome Opaque_BadChecksum() => Validate(_opaque.Validator, _badChecksum);

    private bool Validate(string token) => _jwt.Handler.ValidateTokenAsync(token, _jwt.Parameters).GetAwaiter().GetResult().IsValid;

    private static TokenValidationOutcome Validate(ITokenValidator validator, string token)
    {
        var pending = validator.ValidateAsync(token);
        return pending.IsCompletedSuccessfully ? pending.Result : pending.AsTask().GetAwaiter().GetResult();
    }
}
