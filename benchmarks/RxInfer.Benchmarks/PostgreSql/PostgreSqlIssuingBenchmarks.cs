using System.Security.Cryptography;
using BenchmarkDotNet.Attributes;
using BenchmarkDotNet.Columns;
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
/// Issuing an opaque access token on the PostgreSQL store (issue 8: tokens per second within 1.5x of a bare
/// <c>INSERT</c> of the same row): ours through the registered <see cref="ITokenIssuer"/> (a random token, its
/// SHA-256, the insert under the cap of <c>OpaqueTokenOptions.MaxTokens</c>, committed before it returns, then the
/// node's cache); the baseline a bare Npgsql <c>INSERT</c> of a row of the same shape (a fresh random hash, the same
/// subject, roles, expiry, provider and kind) on the store's own connection pool. One operation is one token, so
/// <c>Op/s</c> is tokens per second on one caller. Far below the cap (here: always) the cap costs no statement: the
/// node's row estimate answers and the insert is plain. A third row issues with the cap off (<c>MaxTokens = 0</c>), to
/// show that the cap adds nothing there. The server is a throwaway cluster on loopback (or <c>RXINFER_TEST_POSTGRES</c>).
/// </summary>
[MemoryDiagnoser]
[Config(typeof(OperationsPerSecondConfig))]
public class PostgreSqlIssuingBenchmarks
{
    private static readonly TokenRequest Request = new(JwtFixture.Subject, JwtFixture.Roles);
    private static readonly string[] Roles = [.. JwtFixture.Roles];

    private IHost _host = null!;
    private IHost _uncappedHost = null!;
    private ITokenIssuer _uncapped = null!;
    private string _database = null!;
    private ITokenIssuer _issuer = null!;
    private PostgreSqlDatabase _pool = null!;
    private string _insert = null!;
    private TimeProvider _time = null!;

    [GlobalSetup]
    public void Setup() => SetupAsync().GetAwaiter().GetResult();

    [GlobalCleanup]
    public void Cleanup()
    {
        foreach (var host in new[] { _host, _uncappedHost })
        {
            host.StopAsync().GetAwaiter().GetResult();
            host.Dispose();
        }

        PostgreSqlServer.DropDatabaseAsync(_database).GetAwaiter().GetResult();
    }

    [Benchmark(Baseline = true, Description = "floor: bare Npgsql INSERT of the same row")]
    public int Bare_insert() => InsertAsync().GetAwaiter().GetResult();

    [Benchmark(Description = "ours: ITokenIssuer.IssueAsync on PostgreSQL")]
    public string Issue() => Run(_issuer);

    [Benchmark(Description = "ours, cap off (MaxTokens = 0): no capacity check")]
    public string Issue_uncapped() => Run(_uncapped);

    private static string Run(ITokenIssuer issuer)
    {
        var pending = issuer.IssueAsync(Request);
        return (pending.IsCompletedSuccessfully ? pending.Result : pending.AsTask().GetAwaiter().GetResult()).Token;
    }

    private async Task<int> InsertAsync()
    {
        var hash = new byte[TokenHash.Size];
        RandomNumberGenerator.Fill(hash);
        var now = _time.GetUtcNow();
        await using var connection = await _pool.OpenAsync(CancellationToken.None);
        await using var command = new NpgsqlCommand(_insert, connection)
        {
            Parameters =
            {
                new NpgsqlParameter<byte[]> { TypedValue = hash, NpgsqlDbType = NpgsqlDbType.Bytea },
                new NpgsqlParameter<string> { TypedValue = Convert.ToHexStringLower(hash.AsSpan(0, 16)) },
                new NpgsqlParameter<string> { TypedValue = JwtFixture.Subject },
                new NpgsqlParameter<string[]> { TypedValue = Roles },
                RevocationFeed.Timestamp(now.AddHours(1)),
                new NpgsqlParameter<string> { TypedValue = "opaque" },
                new NpgsqlParameter<short> { TypedValue = (short)TokenKind.AccessToken },
                RevocationFeed.Timestamp(now),
            },
        };
        return await command.ExecuteNonQueryAsync();
    }

    private async Task SetupAsync()
    {
        _database = await PostgreSqlServer.CreateDatabaseAsync("benchissue");
        _host = await StartAsync(maxTokens: null);
        _uncappedHost = await StartAsync(maxTokens: 0);
        _uncapped = _uncappedHost.Services.GetRequiredService<ITokenIssuer>();
        _issuer = _host.Services.GetRequiredService<ITokenIssuer>();
        _pool = _host.Services.GetRequiredService<PostgreSqlDatabase>();
        _time = _host.Services.GetRequiredService<TimeProvider>();
        _insert = $"INSERT INTO {_pool.Schema}.access_tokens (hash, token_id, subject, roles, expires_at, issued_by, kind, created_at) VALUES ($1, $2, $3, $4, $5, $6, $7, $8)";

        // Both paths store a row the validator would accept: ours validates, and the floor's insert succeeds.
        var issued = Issue();
        Check.Valid((await _host.Services.GetRequiredService<ITokenValidator>().ValidateAsync(issued)).IsValid, "issued token");
        Check.Valid((await _host.Services.GetRequiredService<ITokenValidator>().ValidateAsync(Issue_uncapped())).IsValid, "token issued with the cap off");
        Check.Valid(Bare_insert() == 1, "bare insert");
    }

    private async Task<IHost> StartAsync(int? maxTokens)
    {
        var builder = new HostApplicationBuilder(new HostApplicationBuilderSettings { DisableDefaults = true });
        var auth = builder.Services.AddRxInferAuth();
        if (maxTokens is { } max)
        {
            auth.AddOpaqueTokens(o => o.MaxTokens = max);
        }

        auth.AddPostgreSqlStores(o => o.ConnectionString = _database);
        var host = builder.Build();
        await host.StartAsync();
        using var timeout = new CancellationTokenSource(TimeSpan.FromSeconds(30));
        await host.Services.GetRequiredService<RevocationFeed>().WaitUntilAsync(static feed => feed.IsConnected, timeout.Token);
        return host;
    }

    private sealed class OperationsPerSecondConfig : ManualConfig
    {
        public OperationsPerSecondConfig() => AddColumn(StatisticColumn.OperationsPerSecond);
    }
}
