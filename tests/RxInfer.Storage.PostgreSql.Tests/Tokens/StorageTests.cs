using System.Security.Cryptography;
using System.Text;
using Microsoft.Extensions.Time.Testing;
using Npgsql;
using RxInfer.Auth;
using RxInfer.Storage.PostgreSql.Tests.Infrastructure;

namespace RxInfer.Storage.PostgreSql.Tests.Tokens;

/// <summary>What lands in the database: hashes only, the indexes, durability across restarts, and the sweep.</summary>
public sealed class StorageTests(PostgreSqlDatabaseFixture fixture) : IClassFixture<PostgreSqlDatabaseFixture>
{
    [Fact]
    public async Task Tokens_and_keys_are_stored_as_their_sha256_and_their_text_is_nowhere_in_the_row()
    {
        await using var node = await StoreNode.StartAsync(fixture.ConnectionString);
        var token = await node.Get<ITokenIssuer>().IssueAsync(new TokenRequest("hash-only", ["user"]));
        var key = await node.Get<IApiKeyService>().CreateAsync("hash-only", ["user"]);

        foreach (var (table, issued) in new[] { ("access_tokens", token), ("api_keys", key) })
        {
            var (hash, row) = await RowAsync(table, issued.Identity.TokenId);
            Assert.Equal(SHA256.HashData(Encoding.UTF8.GetBytes(issued.Token)), hash);
            Assert.DoesNotContain(issued.Token, row, StringComparison.Ordinal);
            Assert.DoesNotContain(issued.Token[4..], row, StringComparison.Ordinal);
            Assert.Contains(issued.Identity.TokenId, row, StringComparison.Ordinal);
        }
    }

    [Fact]
    public async Task Lookups_by_hash_token_id_and_subject_have_indexes()
    {
        await using var node = await StoreNode.StartAsync(fixture.ConnectionString);
        await using var connection = new NpgsqlConnection(fixture.ConnectionString);
        await connection.OpenAsync();
        await using var command = new NpgsqlCommand("SELECT tablename || ':' || indexdef FROM pg_indexes WHERE schemaname = 'rxinfer'", connection);
        var indexes = new List<string>();
        await using (var reader = await command.ExecuteReaderAsync())
        {
            while (await reader.ReadAsync())
            {
                indexes.Add(reader.GetString(0));
            }
        }

        foreach (var table in new[] { "access_tokens", "api_keys" })
        {
            foreach (var column in new[] { "(hash)", "(token_id)", "(subject)", "(expires_at)" })
            {
                Assert.Contains(indexes, index => index.StartsWith(table + ":", StringComparison.Ordinal) && index.Contains(column, StringComparison.Ordinal));
            }
        }
    }

    [Fact]
    public async Task A_token_and_a_key_issued_before_a_restart_are_valid_after_it_and_a_revocation_too()
    {
        IssuedToken token, key, revoked;
        await using (var before = await StoreNode.StartAsync(fixture.ConnectionString))
        {
            token = await before.Get<ITokenIssuer>().IssueAsync(new TokenRequest("restart", ["user"]));
            revoked = await before.Get<ITokenIssuer>().IssueAsync(new TokenRequest("restart", ["user"]));
            key = await before.Get<IApiKeyService>().CreateAsync("restart", ["admin"]);
            await before.Get<ITokenRevoker>().RevokeAsync(revoked.Identity.TokenId);
        }

        await using var after = await StoreNode.StartAsync(fixture.ConnectionString);

        var outcome = await after.Get<ITokenValidator>().ValidateAsync(token.Token);
        Assert.True(outcome.IsValid);
        Assert.Equal("restart", outcome.Identity.Subject);
        Assert.Equal(["admin"], (await after.Get<IApiKeyService>().ValidateAsync(key.Token)).Identity?.Roles);
        Assert.False((await after.Get<ITokenValidator>().ValidateAsync(revoked.Token)).IsValid);
    }

    [Fact]
    public async Task The_sweep_deletes_expired_rows_in_batches_and_keeps_live_ones_and_recent_log_entries()
    {
        var database = await fixture.CreateDatabaseAsync("sweep");
        var time = TestClock.NewTimeProvider();
        await using var node = await StoreNode.StartAsync(database, options =>
        {
            options.SweepBatchSize = 100;
            options.SweepInterval = TimeSpan.FromDays(7); // the test sweeps by hand
        }, time);
        var store = node.Get<IOpaqueTokenStore>();
        var keys = node.Get<IApiKeyStore>();
        var revocations = node.Get<IRevocationStore>();
        for (var i = 0; i < 250; i++)
        {
            await store.AddAsync(NewHash(), new TokenIdentity("old", $"old-{i}", ["user"], TestClock.Start + TimeSpan.FromMinutes(1), "opaque"));
        }

        var live = NewHash();
        await store.AddAsync(live, new TokenIdentity("new", "new", ["user"], TestClock.Start + TimeSpan.FromHours(1), "opaque"));
        var never = NewHash();
        await keys.AddAsync(never, new TokenIdentity("key", "key", ["user"], TokenIdentity.NeverExpires, "opaque", TokenKind.ApiKey));
        await keys.AddAsync(NewHash(), new TokenIdentity("key", "old-key", ["user"], TestClock.Start + TimeSpan.FromMinutes(1), "opaque", TokenKind.ApiKey));
        await revocations.RevokeAsync("old-jti", TestClock.Start + TimeSpan.FromMinutes(1));
        await revocations.RevokeAsync("live-jti", TestClock.Start + TimeSpan.FromHours(2));
        await revocations.RevokeSubjectAsync("old-subject", TestClock.Start, TestClock.Start + TimeSpan.FromMinutes(1));
        await store.RemoveByIdAsync("old-0"); // one log entry, logged now

        time.Advance(TimeSpan.FromMinutes(2));
        var deleted = await node.Get<PostgreSqlSweeper>().SweepOnceAsync(CancellationToken.None);

        Assert.Equal(249 + 1 + 1 + 1, deleted);
        Assert.Equal(1L, await CountAsync(database, "access_tokens"));
        Assert.Equal(1L, await CountAsync(database, "api_keys"));
        Assert.Equal(1L, await CountAsync(database, "revoked_tokens"));
        Assert.Equal(0L, await CountAsync(database, "revoked_subjects"));
        Assert.Equal(4L, await CountAsync(database, "revocation_log")); // within the retention
        Assert.NotNull(await store.FindAsync(live));
        Assert.NotNull(await keys.FindAsync(never));
        Assert.Contains(node.Logs.GetSnapshot(), record => record.Id.Name == "Swept");
    }

    [Fact]
    public async Task The_sweep_prunes_the_log_past_its_retention_and_records_how_far()
    {
        var database = await fixture.CreateDatabaseAsync("prune");
        var time = TestClock.NewTimeProvider();
        await using var node = await StoreNode.StartAsync(database, options =>
        {
            options.RevocationLogRetention = TimeSpan.FromHours(1);
            options.SweepInterval = TimeSpan.FromDays(7); // the test sweeps by hand
        }, time);
        for (var i = 0; i < 3; i++)
        {
            await node.Get<IRevocationStore>().RevokeAsync($"jti-{i}", TestClock.Start + TimeSpan.FromDays(1));
        }

        var last = await MigrationTestsScalar<long>(database, "SELECT max(seq) FROM rxinfer.revocation_log");

        time.Advance(TimeSpan.FromHours(1));
        await node.Get<PostgreSqlSweeper>().SweepOnceAsync(CancellationToken.None);

        Assert.Equal(0L, await CountAsync(database, "revocation_log"));
        Assert.Equal(last, await MigrationTestsScalar<long>(database, "SELECT pruned_through FROM rxinfer.revocation_log_state"));
        Assert.Equal(3L, await CountAsync(database, "revoked_tokens"));
    }

    [Fact]
    public async Task The_background_sweep_runs_every_interval_on_the_host_clock()
    {
        var database = await fixture.CreateDatabaseAsync("background");
        var time = TestClock.NewTimeProvider();
        await using var node = await StoreNode.StartAsync(database, options => options.SweepInterval = TimeSpan.FromMinutes(5), time);
        await node.Get<IOpaqueTokenStore>().AddAsync(NewHash(), new TokenIdentity("old", "old", ["user"], TestClock.Start + TimeSpan.FromMinutes(1), "opaque"));

        time.Advance(TimeSpan.FromMinutes(5));

        using var timeout = new CancellationTokenSource(TimeSpan.FromSeconds(20));
        while (await CountAsync(database, "access_tokens") > 0)
        {
            await Task.Delay(50, timeout.Token);
        }
    }

    private static TokenHash NewHash() => TokenHash.Compute(Convert.ToBase64String(RandomNumberGenerator.GetBytes(32)));

    private static Task<long> CountAsync(string database, string table) => MigrationTestsScalar<long>(database, $"SELECT count(*) FROM rxinfer.{table}");

    private static Task<T> MigrationTestsScalar<T>(string database, string sql) => Schema.MigrationTests.ScalarAsync<T>(database, sql);

    private async Task<(byte[] Hash, string Row)> RowAsync(string table, string tokenId)
    {
        await using var connection = new NpgsqlConnection(fixture.ConnectionString);
        await connection.OpenAsync();
        await using var command = new NpgsqlCommand($"SELECT hash, t::text FROM rxinfer.{table} t WHERE token_id = $1", connection) { Parameters = { new() { Value = tokenId } } };
        await using var reader = await command.ExecuteReaderAsync();
        Assert.True(await reader.ReadAsync());
        return (reader.GetFieldValue<byte[]>(0), reader.GetString(1));
    }
}
