using BenchmarkDotNet.Attributes;
using BenchmarkDotNet.Columns;
using BenchmarkDotNet.Configs;
using BenchmarkDotNet.Reports;
using BenchmarkDotNet.Running;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.IdentityModel.Tokens;
using RxInfer.Auth;
using RxInfer.Benchmarks.Infrastructure;

namespace RxInfer.Benchmarks.Opaque;

/// <summary>
/// What storing opaque tokens costs. The benchmarks issue 1,000 tokens into a fresh in-memory store per
/// invocation (so the store cannot grow without bound during the run; figures are per token) against
/// signing 1,000 HS256 JWTs. The <c>Retained/token</c> column is the memory the store keeps per token
/// held: <see cref="GC.GetTotalMemory(bool)"/> after a full collection, before and after issuing
/// 1,000,000 tokens through the public <see cref="ITokenIssuer"/> (identity, id, roles copy, dictionary
/// node and buckets; the token text itself is never kept). Target: at most 200 B.
/// </summary>
[MemoryDiagnoser]
[Config(typeof(RetainedColumnConfig))]
public class OpaqueStoreBenchmarks
{
    public const int TokensPerInvocation = 1_000;

    private static readonly TokenRequest Request = new(JwtFixture.Subject, JwtFixture.Roles);

    private JwtFixture _jwt = null!;

    [GlobalSetup]
    public void Setup() => _jwt = new JwtFixture(SecurityAlgorithms.HmacSha256);

    [GlobalCleanup]
    public void Cleanup() => _jwt.Dispose();

    [Benchmark(Baseline = true, OperationsPerInvoke = TokensPerInvocation, Description = "JsonWebTokenHandler.CreateToken HS256")]
    public string Baseline_CreateJwt()
    {
        var last = "";
        for (var i = 0; i < TokensPerInvocation; i++)
        {
            last = _jwt.CreateValid();
        }

        return last;
    }

    [Benchmark(OperationsPerInvoke = TokensPerInvocation, Description = "Ours opaque: issue + store")]
    public int Opaque_IssueIntoStore()
    {
        var store = new InMemoryOpaqueTokenStore(TimeProvider.System);
        var provider = new OpaqueTokenProvider(
            store, new OpaqueTokenFormat(RxInferAuthDefaults.AccessTokenPrefix), TokenKind.AccessToken, TimeSpan.FromHours(1), TimeProvider.System);
        for (var i = 0; i < TokensPerInvocation; i++)
        {
            _ = provider.IssueAsync(Request).GetAwaiter().GetResult();
        }

        return store.Count;
    }

    /// <summary>Bytes the registered in-memory store keeps per token, measured once in the host process.</summary>
    public static double RetainedBytesPerToken(int tokens)
    {
        var services = new ServiceCollection();
        services.AddLogging();
        services.AddRxInferAuth().AddOpaqueTokens();
        using var provider = services.BuildServiceProvider();
        var issuer = provider.GetRequiredService<ITokenIssuer>();
        var store = (InMemoryOpaqueTokenStore)provider.GetRequiredService<IOpaqueTokenStore>();
        _ = issuer.IssueAsync(Request).AsTask().GetAwaiter().GetResult(); // warm every path once

        var before = GC.GetTotalMemory(forceFullCollection: true);
        for (var i = 0; i < tokens; i++)
        {
            _ = issuer.IssueAsync(Request).AsTask().GetAwaiter().GetResult();
        }

        var after = GC.GetTotalMemory(forceFullCollection: true);
        GC.KeepAlive(store);
        return (after - before) / (double)tokens;
    }

    private sealed class RetainedColumnConfig : ManualConfig
    {
        public RetainedColumnConfig() => AddColumn(new RetainedPerTokenColumn());
    }

    /// <summary>Shows <see cref="RetainedBytesPerToken"/> for 1,000,000 tokens on the opaque row.</summary>
    private sealed class RetainedPerTokenColumn : IColumn
    {
        private static readonly Lazy<double> Measured = new(() => RetainedBytesPerToken(1_000_000));

        public string Id => nameof(RetainedPerTokenColumn);

        public string ColumnName => "Retained/token";

        public bool AlwaysShow => true;

        public ColumnCategory Category => ColumnCategory.Custom;

        public int PriorityInCategory => 0;

        public bool IsNumeric => true;

        public UnitType UnitType => UnitType.Dimensionless;

        public string Legend => "Bytes the in-memory store keeps per token held (1,000,000 tokens issued, GC.GetTotalMemory after full collections)";

        public string GetValue(Summary summary, BenchmarkCase benchmarkCase) =>
            benchmarkCase.Descriptor.WorkloadMethod.Name == nameof(Opaque_IssueIntoStore) ? $"{Measured.Value:F0} B" : "-";

        public string GetValue(Summary summary, BenchmarkCase benchmarkCase, SummaryStyle style) => GetValue(summary, benchmarkCase);

        public bool IsDefault(Summary summary, BenchmarkCase benchmarkCase) => false;

        public bool IsAvailable(Summary summary) => true;
    }
}
