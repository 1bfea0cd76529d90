using Npgsql;
using RxInfer.Auth;
using RxInfer.Storage.PostgreSql.Tests.Infrastructure;

namespace RxInfer.Storage.PostgreSql.Tests.Tokens;

/// <summary>
/// The store-wide token cap on PostgreSQL: far below it an add trusts this node's row estimate (a plain insert), within
/// <see cref="PostgreSqlOpaqueTokenStore.CapacityExactMargin"/> rows of it (or with a stale estimate) the rows are counted.
/// </summary>
public sealed class CapacityEstimateTests(PostgreSqlDatabaseFixture fixture) : IClassFixture<PostgreSqlDatabaseFixture>
{
    private const int Margin = PostgreSqlOpaqueTokenStore.CapacityExactMargin;
    private static readonly DateTimeOffset Now = TestClock.Start;

    /// <summary>A schema of its own for one test: the fill and the count need the table to themselves.</summary>
    private static string NewSchema() => "estimate_" + Convert.ToHexStringLower(System.Security.Cryptography.RandomNumberGenerator.GetBytes(6));

    /// <summary>A node on <paramref name="schema"/> with a fake clock, its notification connection kept idle (<see cref="Quiet"/>).</summary>
    private Task<StoreNode> StartAsync(string schema) =>
        StoreNode.StartAsync(fixture.ConnectionString, options: o => Quiet(o, schema), time: TestClock.NewTimeProvider());

    [Fact]
    public async Task Adds_trust_the_estimate_far_below_the_cap_and_count_the_rows_from_the_margin_on()
    {
        const int Cap = Margin + 2;
        var schema = NewSchema();
        await using var node = await StartAsync(schema);
        var store = node.Get<IOpaqueTokenStore>();
        var estimate = node.Get<CapacityEstimates>().AccessTokens;

        // Another node filled the table to the cap after this node's last read, which saw it empty.
        await FillAsync(schema, Cap);
        estimate.Set(0);

        // The estimate (0, then 1, plus this node's own adds) is more than the margin below the cap: plain inserts.
        Assert.True(await store.TryAddAsync(Hash(1), Identity(1), Cap));
        Assert.True(await store.TryAddAsync(Hash(2), Identity(2), Cap));

        // Now within the margin (0 + 2 own adds = cap - margin): the rows are counted, and the table is over the cap.
        Assert.Equal(2, estimate.Rows);
        Assert.False(await store.TryAddAsync(Hash(3), Identity(3), Cap));
        Assert.Null(await store.FindAsync(Hash(3)));
        Assert.Equal(Cap + 2, await CountAsync(schema));

        // A read of the catalog that sees the rows puts the next add on the counting path at once.
        await AnalyzeAsync(schema);
        await node.Get<CapacityEstimates>().RefreshAsync(CancellationToken.None);
        Assert.True(estimate.Rows >= Cap, $"the refreshed estimate {estimate.Rows} should see the {Cap + 2} rows");
        Assert.False(await store.TryAddAsync(Hash(4), Identity(4), Cap));
        Assert.Equal(Cap + 2, await CountAsync(schema));
    }

    [Fact]
    public async Task With_the_estimate_read_near_the_cap_one_at_a_time_adds_stop_exactly_at_the_cap()
    {
        const int Cap = Margin + 5;
        var schema = NewSchema();
        await using var node = await StartAsync(schema);
        var store = node.Get<IOpaqueTokenStore>();
        await FillAsync(schema, Cap - 3);
        await AnalyzeAsync(schema);
        await node.Get<CapacityEstimates>().RefreshAsync(CancellationToken.None);
        Assert.False(node.Get<CapacityEstimates>().AccessTokens.IsFarBelow(Cap, Margin));

        var added = 0;
        for (var i = 1; i <= 6; i++)
        {
            added += await store.TryAddAsync(Hash(i), Identity(i), Cap) ? 1 : 0;
        }

        Assert.Equal(3, added);
        Assert.Equal(Cap, await CountAsync(schema));
    }

    [Fact]
    public async Task Issuing_a_token_far_below_the_cap_is_one_statement_a_plain_insert_with_no_count_and_no_catalog_read()
    {
        var schema = NewSchema();
        await using var node = await StartAsync(schema);
        Assert.True(node.Get<CapacityEstimates>().AccessTokens.IsFarBelow(new OpaqueTokenOptions().MaxTokens, Margin));
        node.Logs.Clear();

        var issued = await node.Get<ITokenIssuer>().IssueAsync(new TokenRequest("one-statement", ["user"]));

        // Npgsql logs every command it sends (category Npgsql.Command, Debug); the feed is quiet (long intervals).
        var sent = node.Logs.GetSnapshot().Where(static r => r.Id.Name is "ExecutingCommand" or "ExecutingBatch").Select(static r => r.Message).ToList();
        var insert = Assert.Single(sent);
        Assert.StartsWith($"Executing command: INSERT INTO {schema}.access_tokens ", insert, StringComparison.Ordinal);
        Assert.DoesNotContain("count(", insert, StringComparison.Ordinal);
        Assert.DoesNotContain("pg_stat", insert, StringComparison.Ordinal);
        Assert.DoesNotContain(issued.Token, insert, StringComparison.Ordinal);
        Assert.Equal(1, await CountAsync(schema));
    }

    [Fact]
    public void An_estimate_is_unknown_until_read_counts_this_nodes_adds_and_goes_stale_after_five_intervals_without_a_read()
    {
        var time = TestClock.NewTimeProvider();
        var estimate = new TableRowEstimate("rxinfer.access_tokens", TimeSpan.FromSeconds(1), time);
        Assert.Equal(-1, estimate.Rows);
        Assert.False(estimate.IsFarBelow(cap: 1_000_000, margin: 10));

        estimate.Set(100);
        Assert.True(estimate.IsFarBelow(cap: 111, margin: 10)); // 100 < 101
        estimate.Added();
        Assert.Equal(101, estimate.Rows);
        Assert.False(estimate.IsFarBelow(cap: 111, margin: 10)); // 101 is not below 101

        // The next read may not include the adds of the interval just ended yet: they still count, until the read after.
        estimate.Set(100);
        Assert.Equal(101, estimate.Rows);
        estimate.Set(101);
        Assert.Equal(101, estimate.Rows);

        time.Advance(TimeSpan.FromSeconds(TableRowEstimate.StaleAfterIntervals) - TimeSpan.FromMilliseconds(1));
        Assert.True(estimate.IsFarBelow(cap: 1_000, margin: 10));
        time.Advance(TimeSpan.FromMilliseconds(1));
        Assert.False(estimate.IsFarBelow(cap: 1_000, margin: 10));
    }

    /// <summary>A schema of its own, and no background work on the feed's connection while the test runs (long intervals).</summary>
    private static void Quiet(PostgreSqlStoreOptions options, string schema)
    {
        options.Schema = schema;
        options.CapacityEstimateInterval = TimeSpan.FromMinutes(1);
        options.HeartbeatInterval = TimeSpan.FromMinutes(5);
    }

    private static TokenHash Hash(int i)
    {
        Span<byte> bytes = stackalloc byte[TokenHash.Size];
        bytes.Fill(0xEE);
        BitConverter.TryWriteBytes(bytes, i);
        return TokenHash.FromBytes(bytes);
    }

    private static TokenIdentity Identity(int i) => new("estimate", $"estimate-{i}", ["user"], Now.AddHours(1), "opaque");

    private async Task FillAsync(string schema, int rows) => await ExecuteAsync(
        $"""
        INSERT INTO {schema}.access_tokens (hash, token_id, subject, roles, expires_at, issued_by, kind, created_at)
        SELECT sha256(('fill' || i)::bytea), 'fill-' || i, 'filler', ARRAY['user'], now() + interval '1 day', 'opaque', {(short)TokenKind.AccessToken}, now()
        FROM generate_series(1, {rows}) AS i
        """);

    private Task RemoveFillAsync(string schema, int count) =>
        ExecuteAsync($"DELETE FROM {schema}.access_tokens WHERE token_id IN (SELECT token_id FROM {schema}.access_tokens WHERE subject = 'filler' LIMIT {count})");

    private Task AnalyzeAsync(string schema) => ExecuteAsync($"ANALYZE {schema}.access_tokens");

    private async Task<long> CountAsync(string schema)
    {
        await using var connection = new NpgsqlConnection(fixture.ConnectionString);
        await connection.OpenAsync();
        await using var command = new NpgsqlCommand($"SELECT count(*) FROM {schema}.access_tokens", connection);
        return (long)(await command.ExecuteScalarAsync())!;
    }

    private async Task ExecuteAsync(string sql)
    {
        await using var connection = new NpgsqlConnection(fixture.ConnectionString);
        await connection.OpenAsync();
        await using var command = new NpgsqlCommand(sql, connection);
        await command.ExecuteNonQueryAsync();
    }
}
