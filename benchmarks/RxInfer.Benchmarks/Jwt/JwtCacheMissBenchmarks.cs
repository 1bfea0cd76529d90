using System.Collections.Concurrent;
using BenchmarkDotNet.Attributes;
using BenchmarkDotNet.Columns;
using BenchmarkDotNet.Configs;
using BenchmarkDotNet.Reports;
using BenchmarkDotNet.Running;
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
/// Target: no slower than the baseline (ratio at most 1.1). The <c>Cached</c> column is what the cache keeps
/// per validated token and how many it holds after twice its size (10,000) of distinct tokens: it stays bounded.
/// </summary>
[MemoryDiagnoser]
[InvocationCount(PoolSize)]
[Config(typeof(CacheColumnConfig))]
public class JwtCacheMissBenchmarks
{
    /// <summary>Distinct tokens per iteration; below the default cache size (10,000), so no eviction interferes.</summary>
    public const int PoolSize = 4096;

    private const int WarmUpRounds = 5;

    private JwtFixture _peer = null!;
    private JwtProviderFixture _ours = null!;
    private JwtProviderFixture _oursNoCache = null!;
    private string[] _pool = null!;
    private int _next;

    [Params("HS256", "ES256")]
    public string Algorithm { get; set; } = "HS256";

    [GlobalSetup]
    public void Setup()
    {
        _peer = new JwtFixture(Algorithm);
        _ours = new JwtProviderFixture(_peer);
        _oursNoCache = new JwtProviderFixture(_peer, cacheSize: 0);
        _pool = new string[PoolSize];
        for (var i = 0; i < _pool.Length; i++)
        {
            _pool[i] = _ours.Issue();
        }

        Check.Valid(_peer.Handler.ValidateTokenAsync(_pool[0], _peer.Parameters).GetAwaiter().GetResult().IsValid, "baseline valid");
        Check.Valid(_oursNoCache.Validate(_pool[0]), "ours valid, cache off");
        Check.Valid(_ours.Validate(_pool[0]), "ours valid");
        if (_ours.Cache!.Count != 1)
        {
            throw new InvalidOperationException($"Setup check failed: the validated token should be cached, the cache holds {_ours.Cache.Count}.");
        }

        WarmUp();
    }

    /// <summary>
    /// Runs all three paths over the pool in rounds, with pauses, before any measurement. With a fixed invocation
    /// count and an <c>[IterationSetup]</c>, BenchmarkDotNet runs few invocations (3 warm-up iterations of the
    /// short job), not enough for tiered compilation to promote the code of either side to optimized code, so the
    /// measurement would mix tier-0 code into the figures, more of it for the side with more code of its own.
    /// Tier-up happens in the background after a short quiet time, hence the pauses.
    /// </summary>
    private void WarmUp()
    {
        var perRound = Algorithm == "HS256" ? PoolSize : PoolSize / 4;
        for (var round = 0; round < WarmUpRounds; round++)
        {
            for (var i = 0; i < perRound; i++)
            {
                _ = _peer.Handler.ValidateTokenAsync(_pool[i], _peer.Parameters).GetAwaiter().GetResult();
                _ = _ours.Validate(_pool[i]);
                _ = _oursNoCache.Validate(_pool[i]);
            }

            _ours.Cache!.Clear();
            Thread.Sleep(200);
        }
    }

    [IterationSetup]
    public void StartIteration()
    {
        _ours.Cache!.Clear();
        _next = 0;
    }

    [GlobalCleanup]
    public void Cleanup()
    {
        _ours.Dispose();
        _oursNoCache.Dispose();
        _peer.Dispose();
    }

    [Benchmark(Baseline = true, Description = "JsonWebTokenHandler valid")]
    public bool Baseline_Valid() => _peer.Handler.ValidateTokenAsync(_pool[_next++], _peer.Parameters).GetAwaiter().GetResult().IsValid;

    [Benchmark(Description = "Ours JWT valid, cache miss")]
    public TokenValidationOutcome Ours_CacheMiss() => _ours.Validate(_pool[_next++]);

    /// <summary>The same path with the cache turned off (<c>CacheSize = 0</c>): what the miss costs without storing the result.</summary>
    [Benchmark(Description = "Ours JWT valid, cache off")]
    public TokenValidationOutcome Ours_CacheOff() => _oursNoCache.Validate(_pool[_next++]);

    /// <summary>
    /// Bytes retained per cached token (GC.GetTotalMemory after full collections, around validating the default
    /// cache size of distinct tokens; the token texts are held only by the cache), and the cache's count after
    /// twice that many.
    /// </summary>
    public static (double BytesPerToken, int CountAfterTwice) MeasureCache(string algorithm)
    {
        using var peer = new JwtFixture(algorithm);
        using var ours = new JwtProviderFixture(peer);
        const int size = JwtTokenOptions.DefaultCacheSize;
        var tokens = new string[size * 2];
        for (var i = 0; i < tokens.Length; i++)
        {
            tokens[i] = ours.Issue();
        }

        Check.Valid(ours.Validate(ours.Issue()), "warm-up");
        ours.Cache!.Clear();
        var before = GC.GetTotalMemory(forceFullCollection: true);
        for (var i = 0; i < size; i++)
        {
            Check.Valid(ours.Validate(tokens[i]), "cache fill");
            tokens[i] = null!; // from here on only the cache holds the text
        }

        var after = GC.GetTotalMemory(forceFullCollection: true);
        for (var i = size; i < tokens.Length; i++)
        {
            _ = ours.Validate(tokens[i]);
        }

        return ((after - before) / (double)size, ours.Cache.Count);
    }

    private sealed class CacheColumnConfig : ManualConfig
    {
        public CacheColumnConfig() => AddColumn(new CachedColumn());
    }

    /// <summary>Shows <see cref="MeasureCache"/> on the rows of our provider.</summary>
    private sealed class CachedColumn : IColumn
    {
        private static readonly ConcurrentDictionary<string, (double BytesPerToken, int CountAfterTwice)> Measured = new();

        public string Id => nameof(CachedColumn);

        public string ColumnName => "Cached: B/token, count";

        public bool AlwaysShow => true;

        public ColumnCategory Category => ColumnCategory.Custom;

        public int PriorityInCategory => 0;

        public bool IsNumeric => false;

        public UnitType UnitType => UnitType.Dimensionless;

        public string Legend => "Validated-token cache: bytes kept per token (10,000 distinct tokens validated), and its count after 20,000";

        public string GetValue(Summary summary, BenchmarkCase benchmarkCase)
        {
            if (benchmarkCase.Descriptor.WorkloadMethod.Name != nameof(Ours_CacheMiss))
            {
                return "-";
            }

            var algorithm = (string)benchmarkCase.Parameters["Algorithm"];
            var (bytes, count) = Measured.GetOrAdd(algorithm, MeasureCache);
            return $"{bytes:F0} B, {count:N0}";
        }

        public string GetValue(Summary summary, BenchmarkCase benchmarkCase, SummaryStyle style) => GetValue(summary, benchmarkCase);

        public bool IsDefault(Summary summary, BenchmarkCase benchmarkCase) => false;

        public bool IsAvailable(Summary summary) => true;
    }
}
