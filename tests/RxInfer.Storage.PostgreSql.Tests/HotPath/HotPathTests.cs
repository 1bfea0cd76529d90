using System.Security.Cryptography;
using Microsoft.Extensions.Logging.Abstractions;
using Microsoft.Extensions.Options;
using Microsoft.Extensions.Time.Testing;
using RxInfer.Auth;
using RxInfer.Storage.PostgreSql.Tests.Infrastructure;

namespace RxInfer.Storage.PostgreSql.Tests.HotPath;

/// <summary>
/// The hot path: cache hits off the database, the in-flight lookup race, the grace period after the notification
/// connection drops, catching up on reconnect, bounded lookups under a flood, and 503 (never a rejection) when the
/// database cannot answer.
/// </summary>
public sealed class HotPathTests(PostgreSqlDatabaseFixture fixture) : IClassFixture<PostgreSqlDatabaseFixture>
{
    private static readonly TimeSpan Generous = TimeSpan.FromSeconds(20);

    [Fact]
    public async Task A_cached_opaque_token_validates_while_its_table_is_locked()
    {
        await using var node = await StoreNode.StartAsync(fixture.ConnectionString);
        var issued = await node.Get<ITokenIssuer>().IssueAsync(new TokenRequest("cached", ["user"]));
        Assert.True((await node.Get<ITokenValidator>().ValidateAsync(issued.Token)).IsValid);

        await using (await new DatabaseControl(fixture.ConnectionString).LockAsync("access_tokens"))
        {
            // Any query on access_tokens would wait for the lock: a hit must not make one.
            var outcome = await node.Get<ITokenValidator>().ValidateAsync(issued.Token).AsTask().WaitAsync(Generous);
            Assert.True(outcome.IsValid);
        }
    }

    [Fact]
    public async Task A_cached_jwt_with_revocations_on_postgresql_validates_while_the_revocation_tables_are_locked()
    {
        await using var node = await StoreNode.StartAsync(fixture.ConnectionString, auth: auth => auth.AddJwtTokens(Jwt.SharedKey));
        var issued = await node.Get<ITokenIssuer>().IssueAsync(new TokenRequest("jwt-cached", ["user"]));
        Assert.True((await node.Get<ITokenValidator>().ValidateAsync(issued.Token)).IsValid);

        await using (await new DatabaseControl(fixture.ConnectionString).LockAsync("revoked_tokens", "revoked_subjects"))
        {
            var outcome = await node.Get<ITokenValidator>().ValidateAsync(issued.Token).AsTask().WaitAsync(Generous);
            Assert.True(outcome.IsValid);
        }
    }

    [Fact]
    public async Task A_lookup_in_flight_when_a_revocation_is_applied_does_not_put_the_token_back_in_the_cache()
    {
        await using var a = await StoreNode.StartAsync(fixture.ConnectionString);
        await using var b = await StoreNode.StartAsync(fixture.ConnectionString);
        var issued = await a.Get<ITokenIssuer>().IssueAsync(new TokenRequest("race", ["user"]));
        var store = (PostgreSqlOpaqueTokenStore)b.Get<IOpaqueTokenStore>();
        var revokedDuringLookup = false;
        store.AfterLookupRead = async _ =>
        {
            store.AfterLookupRead = null;
            // B's lookup has read the row; now A revokes and B applies the revocation before B's lookup finishes.
            var before = b.Feed.AppliedSequence;
            await a.Get<ITokenRevoker>().RevokeAsync(issued.Identity.TokenId);
            await b.Feed.WaitUntilAsync(feed => feed.AppliedSequence > before, new CancellationTokenSource(Generous).Token);
            revokedDuringLookup = true;
        };

        var inFlight = await b.Get<ITokenValidator>().ValidateAsync(issued.Token);

        Assert.True(revokedDuringLookup);
        Assert.True(inFlight.IsValid); // read before the revocation: the answer of that moment
        Assert.False(b.Get<TokenHashCache>().TryGet(TokenHash.Compute(issued.Token), out _));
        Assert.False((await b.Get<ITokenValidator>().ValidateAsync(issued.Token)).IsValid);
    }

    [Fact]
    public async Task After_the_notification_connection_drops_cached_tokens_are_honoured_for_the_grace_period_then_not_at_all()
    {
        var database = await fixture.CreateDatabaseAsync("grace");
        var control = new DatabaseControl(database);
        var time = TestClock.NewTimeProvider();
        await using var node = await StoreNode.StartAsync(database, options => options.CacheGracePeriod = TimeSpan.FromSeconds(10), time);
        var validator = node.Get<ITokenValidator>();
        var cached = await node.Get<ITokenIssuer>().IssueAsync(new TokenRequest("grace", ["user"]));
        var uncached = await StoreUncachedAsync(node, "grace");
        Assert.True((await validator.ValidateAsync(cached.Token)).IsValid);

        try
        {
            await control.TakeDownAsync();
            await node.Feed.WaitUntilAsync(static feed => !feed.IsConnected, new CancellationTokenSource(Generous).Token);

            time.Advance(TimeSpan.FromSeconds(9));
            Assert.True((await validator.ValidateAsync(cached.Token)).IsValid);
            await Assert.ThrowsAsync<ServiceUnavailableException>(async () => await validator.ValidateAsync(uncached.Token));

            time.Advance(TimeSpan.FromSeconds(1));
            var unavailable = await Assert.ThrowsAsync<ServiceUnavailableException>(async () => await validator.ValidateAsync(cached.Token));
            Assert.Equal(PostgreSqlDatabase.UnavailableMessage, unavailable.Message);
        }
        finally
        {
            await control.BringUpAsync();
        }

        await node.Feed.WaitUntilAsync(static feed => feed.IsConnected, new CancellationTokenSource(Generous).Token);
        Assert.True((await validator.ValidateAsync(cached.Token)).IsValid);
        Assert.True((await validator.ValidateAsync(uncached.Token)).IsValid);
    }

    [Fact]
    public async Task With_a_grace_period_of_zero_a_dropped_connection_fails_safe_at_once()
    {
        var database = await fixture.CreateDatabaseAsync("failsafe");
        var control = new DatabaseControl(database);
        await using var node = await StoreNode.StartAsync(database, options => options.CacheGracePeriod = TimeSpan.Zero, TestClock.NewTimeProvider());
        var cached = await node.Get<ITokenIssuer>().IssueAsync(new TokenRequest("failsafe", ["user"]));
        Assert.True((await node.Get<ITokenValidator>().ValidateAsync(cached.Token)).IsValid);

        try
        {
            await control.TakeDownAsync();
            await node.Feed.WaitUntilAsync(static feed => !feed.IsConnected, new CancellationTokenSource(Generous).Token);

            await Assert.ThrowsAsync<ServiceUnavailableException>(async () => await node.Get<ITokenValidator>().ValidateAsync(cached.Token));
        }
        finally
        {
            await control.BringUpAsync();
        }
    }

    [Fact]
    public async Task On_reconnect_a_node_applies_the_revocations_logged_meanwhile_before_it_trusts_its_cache()
    {
        var database = await fixture.CreateDatabaseAsync("catchup");
        var control = new DatabaseControl(database);
        var time = TestClock.NewTimeProvider();
        await using var a = await StoreNode.StartAsync(database);
        await using var b = await StoreNode.StartAsync(database, options => options.CacheGracePeriod = TimeSpan.FromMinutes(5), time);
        var issued = await a.Get<ITokenIssuer>().IssueAsync(new TokenRequest("catchup", ["user"]));
        Assert.True((await b.Get<ITokenValidator>().ValidateAsync(issued.Token)).IsValid); // now in B's cache

        try
        {
            // B's listener goes away and cannot come back; A still has its pooled connections.
            await control.RefuseNewConnectionsAsync();
            await control.TerminateAsync(b.Feed.ListenerProcessId);
            await b.Feed.WaitUntilAsync(static feed => !feed.IsConnected, new CancellationTokenSource(Generous).Token);

            Assert.True(await a.Get<ITokenRevoker>().RevokeAsync(issued.Identity.TokenId));
            Assert.True((await b.Get<ITokenValidator>().ValidateAsync(issued.Token)).IsValid); // stale, within B's grace: by design
        }
        finally
        {
            await control.BringUpAsync();
        }

        await b.Feed.WaitUntilAsync(static feed => feed.IsConnected, new CancellationTokenSource(Generous).Token);
        Assert.False(b.Get<TokenHashCache>().TryGet(TokenHash.Compute(issued.Token), out _));
        Assert.False((await b.Get<ITokenValidator>().ValidateAsync(issued.Token)).IsValid);
    }

    [Fact]
    public async Task A_node_that_missed_log_entries_since_pruned_reloads_every_revocation_and_empties_its_cache_on_reconnect()
    {
        var database = await fixture.CreateDatabaseAsync("reload");
        var control = new DatabaseControl(database);
        var clock = TestClock.NewTimeProvider();
        await using var a = await StoreNode.StartAsync(database, options =>
        {
            options.RevocationLogRetention = TimeSpan.FromMinutes(1);
            options.SweepInterval = TimeSpan.FromDays(7); // swept by hand below
        }, clock);
        await using var b = await StoreNode.StartAsync(database, options => options.CacheGracePeriod = TimeSpan.FromMinutes(5), clock, auth => auth.AddJwtTokens(Jwt.SharedKey));
        var opaque = await a.Get<ITokenIssuer>().IssueAsync(new TokenRequest("reload", ["user"]));
        var kept = await a.Get<ITokenIssuer>().IssueAsync(new TokenRequest("reload-kept", ["user"]));
        await b.Get<IOpaqueTokenStore>().FindAsync(TokenHash.Compute(opaque.Token));
        await b.Get<IOpaqueTokenStore>().FindAsync(TokenHash.Compute(kept.Token));
        Assert.Equal(2, b.Get<TokenHashCache>().Count);

        try
        {
            await control.RefuseNewConnectionsAsync();
            await control.TerminateAsync(b.Feed.ListenerProcessId);
            await b.Feed.WaitUntilAsync(static feed => !feed.IsConnected, new CancellationTokenSource(Generous).Token);

            await a.Get<ITokenRevoker>().RevokeAsync(opaque.Identity.TokenId);
            await a.Get<IRevocationStore>().RevokeAsync("missed-jti", DateTimeOffset.MaxValue);
            clock.Advance(TimeSpan.FromMinutes(2));
            Assert.True(await a.Get<PostgreSqlSweeper>().SweepOnceAsync(CancellationToken.None) >= 2); // the two log entries B missed
        }
        finally
        {
            await control.BringUpAsync();
        }

        Assert.Equal(0L, await Schema.MigrationTests.ScalarAsync<long>(database, "SELECT count(*) FROM rxinfer.revocation_log"));

        await b.Feed.WaitUntilAsync(static feed => feed.IsConnected, new CancellationTokenSource(Generous).Token);
        Assert.Contains(b.Logs.GetSnapshot(), record => record.Id.Name == "RevocationsReloaded");
        Assert.Equal(0, b.Get<TokenHashCache>().Count);
        Assert.True(await b.Get<IRevocationStore>().IsRevokedAsync("missed-jti"));
        Assert.Null(await b.Get<IOpaqueTokenStore>().FindAsync(TokenHash.Compute(opaque.Token)));
        Assert.NotNull(await b.Get<IOpaqueTokenStore>().FindAsync(TokenHash.Compute(kept.Token)));
    }

    [Fact]
    public async Task With_the_cache_off_every_lookup_asks_the_database()
    {
        await using var node = await StoreNode.StartAsync(fixture.ConnectionString, options => options.TokenCacheSize = 0);
        var issued = await node.Get<ITokenIssuer>().IssueAsync(new TokenRequest("no-cache", ["user"]));

        Assert.True((await node.Get<ITokenValidator>().ValidateAsync(issued.Token)).IsValid);
        Assert.True((await node.Get<ITokenValidator>().ValidateAsync(issued.Token)).IsValid);

        Assert.Equal(0, node.Get<TokenHashCache>().Count);
    }

    [Fact]
    public async Task A_flood_of_forged_tokens_gets_503s_beyond_the_lookup_bound_and_leaves_pool_connections_for_other_work()
    {
        var database = await fixture.CreateDatabaseAsync("flood");
        var control = new DatabaseControl(database);
        const int Bound = 4;
        const int Flood = 40;
        var pooled = new Npgsql.NpgsqlConnectionStringBuilder(database) { MaxPoolSize = 10 }.ConnectionString;
        await using var node = await StoreNode.StartAsync(pooled, options =>
        {
            options.MaxConcurrentLookups = Bound;
            options.LookupQueueTimeout = TimeSpan.FromMilliseconds(100);
        });
        var validator = node.Get<ITokenValidator>();
        var forged = new List<string>();
        for (var i = 0; i < Flood; i++)
        {
            forged.Add((await IssueElsewhereAsync("forged")).Token); // well-formed, checksum valid, unknown here
        }

        var unavailable = 0;
        Task<TokenValidationOutcome>[] lookups;
        await using (await control.LockAsync("access_tokens"))
        {
            // Every lookup that gets a slot now waits on the lock, holding its connection.
            lookups = [.. forged.Select(token => Task.Run(async () =>
            {
                try
                {
                    return await validator.ValidateAsync(token);
                }
                catch (ServiceUnavailableException)
                {
                    Interlocked.Increment(ref unavailable);
                    throw;
                }
            }))];
            using var timeout = new CancellationTokenSource(Generous);
            while (Volatile.Read(ref unavailable) < Flood - Bound)
            {
                await Task.Delay(20, timeout.Token);
            }

            // Other work still gets connections: an API key is created (another table) while the flood holds its slots.
            var key = await node.Get<IApiKeyService>().CreateAsync("bystander", ["user"]).AsTask().WaitAsync(Generous);
            Assert.StartsWith("rxk_", key.Token, StringComparison.Ordinal);
            Assert.Equal(0, node.Get<LookupLimiter>().Available);
            Assert.True(await control.CountConnectionsAsync(PostgreSqlDatabase.DefaultApplicationName) <= Bound + 2);
        }

        var rejected = 0;
        var busy = 0;
        foreach (var lookup in lookups)
        {
            try
            {
                var outcome = await lookup.WaitAsync(Generous);
                Assert.Equal(TokenRejectionReason.Unknown, outcome.Reason);
                rejected++;
            }
            catch (ServiceUnavailableException e)
            {
                Assert.Equal(LookupLimiter.BusyMessage, e.Message);
                Assert.True(e.RetryAfter > TimeSpan.Zero);
                busy++;
            }
        }

        Assert.Equal(Bound, rejected);
        Assert.Equal(Flood - Bound, busy);
        Assert.Contains(node.Logs.GetSnapshot(), record => record.Id.Name == "LookupRejected");
    }

    [Fact]
    public async Task When_the_database_cannot_be_reached_every_store_call_is_a_503_never_an_answer()
    {
        var options = Options.Create(new PostgreSqlStoreOptions
        {
            ConnectionString = $"Host=127.0.0.1;Port={TestPorts.FreeLoopbackPort()};Username=x;Password=secret-not-shown;Timeout=2",
        });
        await using var database = new PostgreSqlDatabase(options, NullLoggerFactory.Instance);
        using var limiter = new LookupLimiter(options, NullLogger<LookupLimiter>.Instance);
        var cache = new TokenHashCache(100);
        var local = new LocalRevocations();
        var feed = new RevocationFeed(database, cache, local, options, TimeProvider.System, NullLogger<RevocationFeed>.Instance);
        var tokens = new PostgreSqlOpaqueTokenStore(database, limiter, TimeProvider.System, "access_tokens", feed, cache);
        var keys = new PostgreSqlOpaqueTokenStore(database, limiter, TimeProvider.System, "api_keys");
        var revocations = new PostgreSqlRevocationStore(database, limiter, feed, local, TimeProvider.System);
        var hash = TokenHash.Compute("anything");
        var identity = new TokenIdentity("s", "id", ["user"], TokenIdentity.NeverExpires, "opaque");

        foreach (var store in new IOpaqueTokenStore[] { tokens, keys })
        {
            await Unavailable(() => store.FindAsync(hash).AsTask());
            await Unavailable(() => store.AddAsync(hash, identity).AsTask());
            await Unavailable(() => store.RemoveByIdAsync("id").AsTask());
            await Unavailable(() => store.RemoveBySubjectAsync("s").AsTask());
        }

        await Unavailable(() => revocations.IsRevokedAsync("id").AsTask());
        await Unavailable(() => revocations.GetSubjectCutoffAsync("s").AsTask());
        await Unavailable(() => revocations.RevokeAsync("id", DateTimeOffset.MaxValue).AsTask());
        await Unavailable(() => revocations.RevokeSubjectAsync("s", TestClock.Start, DateTimeOffset.MaxValue).AsTask());

        static async Task Unavailable(Func<Task> call)
        {
            var error = await Assert.ThrowsAsync<ServiceUnavailableException>(call);
            Assert.Equal(PostgreSqlDatabase.UnavailableMessage, error.Message);
            Assert.DoesNotContain("secret-not-shown", error.ToString(), StringComparison.Ordinal);
        }
    }

    /// <summary>A well-formed token (valid prefix and checksum) that the node under test has never stored.</summary>
    private static async Task<IssuedToken> IssueElsewhereAsync(string subject)
    {
        var services = new ServiceCollection().AddLogging();
        services.AddRxInferAuth();
        await using var elsewhere = services.BuildServiceProvider();
        return await elsewhere.GetRequiredService<ITokenIssuer>().IssueAsync(new TokenRequest(subject + "-" + Convert.ToHexStringLower(RandomNumberGenerator.GetBytes(4)), ["user"]));
    }

    /// <summary>A token stored in the node's database without passing through the node's cache.</summary>
    private static async Task<IssuedToken> StoreUncachedAsync(StoreNode node, string subject)
    {
        var token = await IssueElsewhereAsync(subject);
        var uncached = new PostgreSqlOpaqueTokenStore(node.Get<PostgreSqlDatabase>(), node.Get<LookupLimiter>(), TimeProvider.System, "access_tokens");
        await uncached.AddAsync(TokenHash.Compute(token.Token), token.Identity);
        Assert.False(node.Get<TokenHashCache>().TryGet(TokenHash.Compute(token.Token), out _));
        return token;
    }
}

/// <summary>A JWT key both nodes of a test share (HS256, 32 bytes from a fixed seed: test-only).</summary>
internal static class Jwt
{
    public static readonly string Secret = Convert.ToBase64String(SHA256.HashData("rxinfer-postgresql-tests"u8));

    public static void SharedKey(JwtTokenOptions options) =>
        options.Keys = [new JwtSigningKeyOptions { KeyId = "test-1", Algorithm = "HS256", Secret = Secret }];
}
