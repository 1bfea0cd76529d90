using BenchmarkDotNet.Attributes;
using Microsoft.Extensions.DependencyInjection;
using RxInfer.Auth;
using RxInfer.Benchmarks.Infrastructure;

namespace RxInfer.Benchmarks.Jwt;

/// <summary>
/// What routing by <c>iss</c> costs our own tokens: the registered <see cref="ITokenValidator"/> on a token seen
/// before (the cache hit), with no external OpenID Connect issuer registered (the baseline: no routing at all) and
/// with one registered (one read of the token's <c>iss</c> before our provider). The issuer's metadata is never fetched:
/// our tokens never reach it. Target: the difference is the <c>iss</c> read alone, 0 B either way.
/// </summary>
[MemoryDiagnoser]
public class JwtRoutingBenchmarks
{
    private JwtFixture _peer = null!;
    private JwtProviderFixture _alone = null!;
    private ServiceProvider _withIssuer = null!;
    private ITokenValidator _routed = null!;
    private string _valid = null!;

    [GlobalSetup]
    public void Setup()
    {
        _peer = new JwtFixture("ES256");
        _alone = new JwtProviderFixture(_peer);
        _valid = _alone.Issue();

        var services = new ServiceCollection();
        services.AddLogging();
        services.AddRxInferAuth()
            .AddJwtTokens(options => options.Keys =
            [
                new JwtSigningKeyOptions { KeyId = _peer.KeyId, Algorithm = _peer.Algorithm, Pem = _peer.PrivateKeyPem },
            ])
            .AddOpenIdConnectIssuer("idp", static o =>
            {
                o.Authority = "https://idp.invalid";
                o.Audience = "api";
            });
        _withIssuer = services.BuildServiceProvider();
        _routed = _withIssuer.GetRequiredService<ITokenValidator>();

        Check.Valid(No_issuer_registered(), "ours alone, first sight");
        Check.Valid(No_issuer_registered(), "ours alone, cache hit");
        Check.Valid(One_issuer_registered(), "ours beside an issuer, first sight");
        Check.Valid(One_issuer_registered(), "ours beside an issuer, cache hit");
    }

    [GlobalCleanup]
    public void Cleanup()
    {
        _withIssuer.Dispose();
        _alone.Dispose();
        _peer.Dispose();
    }

    [Benchmark(Baseline = true, Description = "Ours JWT cache hit, no external issuer")]
    public TokenValidationOutcome No_issuer_registered() => _alone.Validate(_valid);

    [Benchmark(Description = "Ours JWT cache hit, one external issuer registered")]
    public TokenValidationOutcome One_issuer_registered() => _routed.ValidateAsync(_valid).GetAwaiter().GetResult();
}
