using BenchmarkDotNet.Attributes;
using BenchmarkDotNet.Configs;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Hosting;
using Npgsql;
using NpgsqlTypes;
using RxInfer.Auth;
using RxInfer.Benchmarks.Infrastructure;
using RxInfer.Storage.PostgreSql;
using RxInfer.Storage.PostgreSql.Tests.Infrastructure;

namespace RxInfer.Benchmarks.PostgreSql;

/// <summary>
/// Validation on the PostgreSQL stores against the in-memory stores, side by side in one run, by category:
/// <list type="bullet">
/// <item><c>opaque-hit</c>: a cached opaque token; baseline the in-memory store. Target: within 1.2x.</item>
/// <item><c>jwt-hit</c>: a cached HS256 JWT with revocations on PostgreSQL (the node's copy); baseline in-memory revocations.
/// Both stores hold one revoked token id and one subject cut-off of other tokens, so both look the token up. Target: within 1.2x.</item>
/// <item><c>opaque-miss</c>: a token never cached (cache off), one lookup by hash; baseline a bare Npgsql primary-key
/// <c>SELECT</c> of the same row on the same pool (the floor). Target: within 1.3x.</item>
/// </list>
/// The server is a throwaway cluster on loopback (or <c>RXINFER_TEST_POSTGRES</c>).
/// </summary>
[MemoryDiagnoser]
[GroupBenchmarksBy(BenchmarkLogicalGroupRule.ByCategory)]
[CategoriesColumn]
public class PostgreSqlValidationBenchmarks
{
    private static readonly string JwtSecret = Convert.ToBase64String("rxinfer-benchmarks-hs256-secret-of-32-bytes+"u8); // benchmark-only

    private readonly List<IHost> _hosts = [];
    private string _database = null!;
    private ITokenValidator _memoryOpaque = null!;
    private ITokenValidator _postgresOpaque = null!;
    private ITokenValidator _memoryJwt = null!;
    private ITokenValidator _postgresJwt = null!;
    private ITokenValidator _postgresUncached = null!;
    private NpgsqlDataSource _floor = null!;
    private string _memoryOpaqueToken = null!;
    private string _postgresOpaqueToken = null!;
    private string _memoryJwtToken = null!;
    private string _postgresJwtToken = null!;
    private string _uncachedToken = null!;
    private byte[] _uncachedHash = null!;

    [GlobalSetup]
    public void Setup() => SetupAsync().GetAwaiter().GetResult();

    [GlobalCleanup]
    public void Cleanup()
    {
        foreach (var host in _hosts)
        {
            host.StopAsync().GetAwaiter().GetResult();
            host.Dispose();
        }

        _floor.Dispose();
        PostgreSqlServer.DropDatabaseAsync(_database).GetAwaiter().GetResult();
    }

    [Benchmark(Baseline = true, Description = "in memory: cached opaque token")]
    [BenchmarkCategory("opaque-hit")]
    public TokenValidationOutcome Memory_opaque() => Run(_memoryOpaque, _memoryOpaqueToken);

    [Benchmark(Description = "PostgreSQL: cached opaque token")]
    [BenchmarkCategory("opaque-hit")]
    public TokenValidationOutcome PostgreSql_opaque() => Run(_postgresOpaque, _postgresOpaqueToken);

    [Benchmark(Baseline = true, Description = "in memory: cached JWT, revocations checked")]
    [BenchmarkCategory("jwt-hit")]
    public TokenValidationOutcome Memory_jwt() => Run(_memoryJwt, _memoryJwtToken);

    [Benchmark(Description = "PostgreSQL: cached JWT, revocations checked")]
    [BenchmarkCategory("jwt-hit")]
    public TokenValidationOutcome PostgreSql_jwt() => Run(_postgresJwt, _postgresJwtToken);

    [Benchmark(Baseline = true, Description = "floor: bare Npgsql SELECT by primary key")]
    [BenchmarkCategory("opaque-miss")]
    public string? Floor_select() => FloorAsync().GetAwaiter().GetResult();

    [Benchmark(Description = "PostgreSQL: uncached opaque token")]
    [BenchmarkCategory("opaque-miss")]
    public TokenValidationOutcome PostgreSql_uncached() => Run(_postgresUncached, _uncachedToken);

    private static TokenValidationOutcome Run(ITokenValidator validator, string token)
    {
        var pending = validator.ValidateAsync(token);
        return pending.IsCompletedSuccessfully ? pending.Result : pending.AsTask().GetAwaiter().GetResult();
    }

    private async Task<string?> FloorAsync()
    {
        await using var connection = await _floor.OpenConnectionAsync();
        await using var command = new NpgsqlCommand("SELECT token_id, subject, roles, expires_at, issued_by, kind FROM rxinfer.access_tokens WHERE hash = $1", connection)
        {
            Parameters = { new NpgsqlParameter<byte[]> { TypedValue = _uncachedHash, NpgsqlDbType = NpgsqlDbType.Bytea } },
        };
        await using var reader = await command.ExecuteReaderAsync(System.Data.CommandBehavior.SingleRow);
        return await reader.ReadAsync() ? reader.GetString(1) : null;
    }

    private async Task SetupAsync()
    {
        _database = await PostgreSqlServer.CreateDatabaseAsync("bench");
        _floor = NpgsqlDataSource.Create(_database);

        (_memoryOpaque, _memoryOpaqueToken) = await StartAsync(postgres: false, jwt: false);
        (_postgresOpaque, _postgresOpaqueToken) = await StartAsync(postgres: true, jwt: false);
        (_memoryJwt, _memoryJwtToken) = await StartAsync(postgres: false, jwt: true);
        (_postgresJwt, _postgresJwtToken) = await StartAsync(postgres: true, jwt: true);
        (_postgresUncached, _uncachedToken) = await StartAsync(postgres: true, jwt: false, cacheSize: 0);
        _uncachedHash = new byte[TokenHash.Size];
        TokenHash.Compute(_uncachedToken).CopyTo(_uncachedHash);

        Check.Valid(Memory_opaque().IsValid && PostgreSql_opaque().IsValid, "opaque");
        Check.Valid(Memory_jwt().IsValid && PostgreSql_jwt().IsValid, "jwt");
        Check.Valid(PostgreSql_uncached().IsValid && Floor_select() == JwtFixture.Subject, "uncached");
    }

    private async Task<(ITokenValidator Validator, string Token)> StartAsync(bool postgres, bool jwt, int cacheSize = 100_000)
    {
        var builder = new HostApplicationBuilder(new HostApplicationBuilderSettings { DisableDefaults = true });
        var auth = builder.Services.AddRxInferAuth();
        if (jwt)
        {
            auth.AddJwtTokens(o => o.Keys = [new JwtSigningKeyOptions { KeyId = "bench", Algorithm = "HS256", Secret = JwtSecret }]);
        }

        if (postgres)
        {
            auth.AddPostgreSqlStores(o =>
            {
                o.ConnectionString = _database;
                o.TokenCacheSize = cacheSize;
            });
        }

        var host = builder.Build();
        await host.StartAsync();
        _hosts.Add(host);
        if (postgres)
        {
            using var timeout = new CancellationTokenSource(TimeSpan.FromSeconds(30));
            await host.Services.GetRequiredService<RevocationFeed>().WaitUntilAsync(static feed => feed.IsConnected, timeout.Token);
        }

        if (jwt)
        {
            await RevokeOthersAsync(host.Services, postgres);
        }

        var issued = await host.Services.GetRequiredService<ITokenIssuer>().IssueAsync(new TokenRequest(JwtFixture.Subject, JwtFixture.Roles));
        var validator = host.Services.GetRequiredService<ITokenValidator>();
        await validator.ValidateAsync(issued.Token); // the first validation fills the caches
        return (validator, issued.Token);
    }

    /// <summary>
    /// One revoked token id and one subject cut-off, neither the measured token's, on both sides of <c>jwt-hit</c>: a
    /// store that holds revocations looks the measured token up in both (an empty one may skip the lookups).
    /// On PostgreSQL it waits until the node's copy holds both.
    /// </summary>
    private static async Task RevokeOthersAsync(IServiceProvider services, bool postgres)
    {
        var revocations = services.GetRequiredService<IRevocationStore>();
        var now = TimeProvider.System.GetUtcNow();
        var keepUntil = now.AddDays(1);
        await revocations.RevokeAsync("another-token-id", keepUntil);
        await revocations.RevokeSubjectAsync("another-subject", now, keepUntil);
        if (postgres)
        {
            using var timeout = new CancellationTokenSource(TimeSpan.FromSeconds(30));
            var local = services.GetRequiredService<LocalRevocations>();
            await services.GetRequiredService<RevocationFeed>().WaitUntilAsync(_ => local.Count >= 2, timeout.Token);
        }

        Check.Valid(await revocations.IsRevokedAsync("another-token-id") && await revocations.GetSubjectCutoffAsync("another-subject") is not null, "revocations seeded");
    }
}
