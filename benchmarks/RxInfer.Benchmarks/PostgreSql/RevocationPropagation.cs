using System.Diagnostics;
using System.Globalization;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Hosting;
using RxInfer.Auth;
using RxInfer.Storage.PostgreSql;
using RxInfer.Storage.PostgreSql.Tests.Infrastructure;

namespace RxInfer.Benchmarks.PostgreSql;

/// <summary>
/// Revocation propagation between two nodes (issue 8), a measured harness rather than a BenchmarkDotNet class (its
/// figures are percentiles of single events, not means of loops): two hosts A and B on one database, each with
/// RxInfer.Auth on the PostgreSQL stores. Per round a token is issued on A and validated on B (so B has it cached),
/// then the clock starts, A revokes it, and the clock stops when B first rejects it. B is asked again after every
/// change of its revocation feed (no polling loop), so the time is: A's revoke committed, the notification delivered,
/// B applying it, and B's next validation. Opaque tokens and JWTs (revocation by <c>jti</c>), each
/// <c>count</c> rounds after 20 not recorded; the p50, p90, p99 and max of both the whole and of A's revoke call alone.
/// <code>dotnet run -c Release --project benchmarks/RxInfer.Benchmarks -- revocation-propagation [count]</code>
/// </summary>
internal static class RevocationPropagation
{
    public const string Command = "revocation-propagation";

    private static readonly TimeSpan Limit = TimeSpan.FromSeconds(5);
    private static readonly string JwtSecret = Convert.ToBase64String("rxinfer-benchmarks-hs256-secret-of-32-bytes+"u8); // benchmark-only

    public static async Task<int> RunAsync(string[] args)
    {
        var count = args.Length > 1 ? int.Parse(args[1], CultureInfo.InvariantCulture) : 500;
        var database = await PostgreSqlServer.CreateDatabaseAsync("benchrevoke");
        try
        {
            Console.WriteLine($"Revocation propagation A -> B, {count} rounds per kind (after 20 warm-up rounds), load average {File.ReadAllText("/proc/loadavg").Split(' ')[0]} at start");
            Console.WriteLine();
            Console.WriteLine("| token | revoke on A until B rejects: p50 / p90 / p99 / max (ms) | A's revoke call alone: p50 / p99 (ms) | rounds |");
            Console.WriteLine("| --- | --- | --- | --- |");
            foreach (var jwt in new[] { false, true })
            {
                var (total, revoke) = await MeasureAsync(database, jwt, count);
                Console.WriteLine(
                    $"| {(jwt ? "JWT (by jti)" : "opaque")} | {P(total, 50)} / {P(total, 90)} / {P(total, 99)} / {P(total, 100)} | {P(revoke, 50)} / {P(revoke, 99)} | {total.Count} |");
            }

            Console.WriteLine();
            Console.WriteLine($"load average {File.ReadAllText("/proc/loadavg").Split(' ')[0]} at end");
            return 0;
        }
        finally
        {
            await PostgreSqlServer.DropDatabaseAsync(database);
        }
    }

    private static async Task<(List<double> Total, List<double> Revoke)> MeasureAsync(string database, bool jwt, int count)
    {
        using var a = await StartAsync(database, jwt);
        using var b = await StartAsync(database, jwt);
        var issuer = a.Services.GetRequiredService<ITokenIssuer>();
        var revoker = a.Services.GetRequiredService<ITokenRevoker>();
        var validator = b.Services.GetRequiredService<ITokenValidator>();
        var feed = b.Services.GetRequiredService<RevocationFeed>();
        var total = new List<double>(count);
        var revoke = new List<double>(count);
        for (var round = -20; round < count; round++)
        {
            var issued = await issuer.IssueAsync(new TokenRequest($"propagation-{round}", ["user"]));
            if (!(await validator.ValidateAsync(issued.Token)).IsValid)
            {
                throw new InvalidOperationException("A token issued on A is not valid on B.");
            }

            using var timeout = new CancellationTokenSource(Limit);
            var seen = feed.AppliedSequence;
            var start = Stopwatch.GetTimestamp();
            if (!await revoker.RevokeAsync(issued.Identity.TokenId))
            {
                throw new InvalidOperationException("A did not revoke its token.");
            }

            var revoked = Stopwatch.GetTimestamp();
            while ((await validator.ValidateAsync(issued.Token)).IsValid)
            {
                await feed.WaitUntilAsync(f => f.AppliedSequence > seen, timeout.Token); // throws after 5 s: reported, not hidden
                seen = feed.AppliedSequence;
            }

            var rejected = Stopwatch.GetTimestamp();
            if (round >= 0)
            {
                total.Add(Stopwatch.GetElapsedTime(start, rejected).TotalMilliseconds);
                revoke.Add(Stopwatch.GetElapsedTime(start, revoked).TotalMilliseconds);
            }
        }

        await a.StopAsync();
        await b.StopAsync();
        return (total, revoke);
    }

    private static async Task<IHost> StartAsync(string database, bool jwt)
    {
        var builder = new HostApplicationBuilder(new HostApplicationBuilderSettings { DisableDefaults = true });
        var auth = builder.Services.AddRxInferAuth();
        if (jwt)
        {
            auth.AddJwtTokens(o => o.Keys = [new JwtSigningKeyOptions { KeyId = "bench", Algorithm = "HS256", Secret = JwtSecret }]);
        }

        auth.AddPostgreSqlStores(o => o.ConnectionString = database);
        var host = builder.Build();
        await host.StartAsync();
        using var timeout = new CancellationTokenSource(TimeSpan.FromSeconds(30));
        await host.Services.GetRequiredService<RevocationFeed>().WaitUntilAsync(static feed => feed.IsConnected, timeout.Token);
        return host;
    }

    /// <summary>The nearest-rank percentile, in milliseconds with two decimals.</summary>
    private static string P(List<double> values, int percentile)
    {
        var sorted = values.Order().ToArray();
        var rank = Math.Clamp((int)Math.Ceiling(percentile / 100.0 * sorted.Length) - 1, 0, sorted.Length - 1);
        return sorted[rank].ToString("F2", CultureInfo.InvariantCulture);
    }
}
