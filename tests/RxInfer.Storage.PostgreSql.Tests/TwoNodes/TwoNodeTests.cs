using System.Diagnostics;
using System.Globalization;
using RxInfer.Auth;
using RxInfer.Storage.PostgreSql.Tests.HotPath;
using RxInfer.Storage.PostgreSql.Tests.Infrastructure;
using Xunit.Abstractions;

namespace RxInfer.Storage.PostgreSql.Tests.TwoNodes;

/// <summary>
/// Two nodes (separate hosts, one database): what one issues, creates or revokes, the other sees. A revocation is
/// waited for as the signal that the other node applied it (its feed's applied sequence reaching the entry), which
/// must come within a generous 5 s; the latency is written to the test output.
/// </summary>
public sealed class TwoNodeTests(PostgreSqlDatabaseFixture fixture, ITestOutputHelper output) : IClassFixture<PostgreSqlDatabaseFixture>
{
    private static readonly TimeSpan Propagation = TimeSpan.FromSeconds(5);

    [Fact]
    public async Task A_token_issued_on_A_validates_on_B_at_once()
    {
        await using var a = await StoreNode.StartAsync(fixture.ConnectionString);
        await using var b = await StoreNode.StartAsync(fixture.ConnectionString);

        var issued = await a.Get<ITokenIssuer>().IssueAsync(new TokenRequest("two-nodes", ["user", "admin"]));
        var outcome = await b.Get<ITokenValidator>().ValidateAsync(issued.Token);

        Assert.True(outcome.IsValid);
        Assert.Equal("two-nodes", outcome.Identity.Subject);
        Assert.Equal(["user", "admin"], outcome.Identity.Roles);
    }

    [Fact]
    public async Task A_token_revoked_on_A_is_rejected_by_B_once_B_has_applied_the_notification()
    {
        await using var a = await StoreNode.StartAsync(fixture.ConnectionString);
        await using var b = await StoreNode.StartAsync(fixture.ConnectionString);
        var latencies = new List<double>();
        for (var round = 0; round < 20; round++)
        {
            var issued = await a.Get<ITokenIssuer>().IssueAsync(new TokenRequest($"revoked-{round}", ["user"]));
            Assert.True((await b.Get<ITokenValidator>().ValidateAsync(issued.Token)).IsValid); // cached on B now

            var clock = Stopwatch.StartNew();
            Assert.True(await a.Get<ITokenRevoker>().RevokeAsync(issued.Identity.TokenId));
            var logged = await Schema.MigrationTests.ScalarAsync<long>(fixture.ConnectionString, "SELECT max(seq) FROM rxinfer.revocation_log");
            await b.Feed.WaitUntilAsync(feed => feed.AppliedSequence >= logged, new CancellationTokenSource(Propagation).Token);
            latencies.Add(clock.Elapsed.TotalMilliseconds);

            Assert.False((await b.Get<ITokenValidator>().ValidateAsync(issued.Token)).IsValid);
        }

        Report("opaque revocation A -> B applied", latencies);
    }

    [Fact]
    public async Task Revoking_every_token_of_a_subject_on_A_reaches_the_tokens_B_has_cached()
    {
        await using var a = await StoreNode.StartAsync(fixture.ConnectionString);
        await using var b = await StoreNode.StartAsync(fixture.ConnectionString);
        var tokens = new List<IssuedToken>();
        for (var i = 0; i < 3; i++)
        {
            tokens.Add(await a.Get<ITokenIssuer>().IssueAsync(new TokenRequest("whole-subject", ["user"])));
            Assert.True((await b.Get<ITokenValidator>().ValidateAsync(tokens[^1].Token)).IsValid);
        }

        Assert.Equal(3, await a.Get<ITokenRevoker>().RevokeSubjectAsync("whole-subject"));
        var logged = await Schema.MigrationTests.ScalarAsync<long>(fixture.ConnectionString, "SELECT max(seq) FROM rxinfer.revocation_log");
        await b.Feed.WaitUntilAsync(feed => feed.AppliedSequence >= logged, new CancellationTokenSource(Propagation).Token);

        foreach (var token in tokens)
        {
            Assert.False((await b.Get<ITokenValidator>().ValidateAsync(token.Token)).IsValid);
        }
    }

    [Fact]
    public async Task An_api_key_created_on_A_is_exchanged_for_a_token_on_B_and_a_key_revoked_on_B_fails_on_A()
    {
        await using var a = await StoreNode.StartAsync(fixture.ConnectionString);
        await using var b = await StoreNode.StartAsync(fixture.ConnectionString);

        var key = await a.Get<IApiKeyService>().CreateAsync("key-owner", ["user", "admin"]);
        var exchanged = await b.Get<ITokenExchange>().ExchangeApiKeyAsync(key.Token);

        Assert.NotNull(exchanged);
        Assert.Equal("key-owner", exchanged.Identity.Subject);
        Assert.Equal(["user", "admin"], exchanged.Identity.Roles);
        Assert.True((await a.Get<ITokenValidator>().ValidateAsync(exchanged.Token)).IsValid);

        Assert.True(await b.Get<IApiKeyService>().RevokeAsync(key.Identity.TokenId));
        Assert.Null(await a.Get<ITokenExchange>().ExchangeApiKeyAsync(key.Token));
    }

    [Fact]
    public async Task A_jwt_revoked_by_jti_on_A_is_rejected_by_B_once_B_has_applied_the_notification()
    {
        await using var a = await StoreNode.StartAsync(fixture.ConnectionString, auth: auth => auth.AddJwtTokens(Jwt.SharedKey));
        await using var b = await StoreNode.StartAsync(fixture.ConnectionString, auth: auth => auth.AddJwtTokens(Jwt.SharedKey));
        var latencies = new List<double>();
        for (var round = 0; round < 20; round++)
        {
            var issued = await a.Get<ITokenIssuer>().IssueAsync(new TokenRequest($"jwt-{round}", ["user"]));
            Assert.True((await b.Get<ITokenValidator>().ValidateAsync(issued.Token)).IsValid); // in B's JWT cache now

            var clock = Stopwatch.StartNew();
            Assert.True(await a.Get<ITokenRevoker>().RevokeAsync(issued.Identity.TokenId));
            var logged = await Schema.MigrationTests.ScalarAsync<long>(fixture.ConnectionString, "SELECT max(seq) FROM rxinfer.revocation_log");
            await b.Feed.WaitUntilAsync(feed => feed.AppliedSequence >= logged, new CancellationTokenSource(Propagation).Token);
            latencies.Add(clock.Elapsed.TotalMilliseconds);

            Assert.Equal(TokenRejectionReason.Revoked, (await b.Get<ITokenValidator>().ValidateAsync(issued.Token)).Reason);
        }

        Report("JWT jti revocation A -> B applied", latencies);
    }

    [Fact]
    public async Task Revoking_a_subject_s_jwts_on_A_is_honoured_by_B_and_a_token_issued_after_it_on_B_is_valid()
    {
        await using var a = await StoreNode.StartAsync(fixture.ConnectionString, auth: auth => auth.AddJwtTokens(Jwt.SharedKey));
        await using var b = await StoreNode.StartAsync(fixture.ConnectionString, auth: auth => auth.AddJwtTokens(Jwt.SharedKey));
        var before = await a.Get<ITokenIssuer>().IssueAsync(new TokenRequest("jwt-subject", ["user"]));
        Assert.True((await b.Get<ITokenValidator>().ValidateAsync(before.Token)).IsValid);

        await a.Get<ITokenRevoker>().RevokeSubjectAsync("jwt-subject");
        var logged = await Schema.MigrationTests.ScalarAsync<long>(fixture.ConnectionString, "SELECT max(seq) FROM rxinfer.revocation_log");
        await b.Feed.WaitUntilAsync(feed => feed.AppliedSequence >= logged, new CancellationTokenSource(Propagation).Token);

        Assert.Equal(TokenRejectionReason.Revoked, (await b.Get<ITokenValidator>().ValidateAsync(before.Token)).Reason);
        var after = await b.Get<ITokenIssuer>().IssueAsync(new TokenRequest("jwt-subject", ["user"]));
        Assert.True((await a.Get<ITokenValidator>().ValidateAsync(after.Token)).IsValid);
    }

    [Fact]
    public async Task A_node_started_after_a_jwt_revocation_knows_it_from_the_first_request()
    {
        IssuedToken issued;
        await using (var a = await StoreNode.StartAsync(fixture.ConnectionString, auth: auth => auth.AddJwtTokens(Jwt.SharedKey)))
        {
            issued = await a.Get<ITokenIssuer>().IssueAsync(new TokenRequest("late-node", ["user"]));
            await a.Get<ITokenRevoker>().RevokeAsync(issued.Identity.TokenId);
        }

        await using var b = await StoreNode.StartAsync(fixture.ConnectionString, auth: auth => auth.AddJwtTokens(Jwt.SharedKey));

        Assert.Equal(TokenRejectionReason.Revoked, (await b.Get<ITokenValidator>().ValidateAsync(issued.Token)).Reason);
    }

    private void Report(string what, List<double> milliseconds)
    {
        milliseconds.Sort();
        output.WriteLine(string.Create(CultureInfo.InvariantCulture,
            $"{what}: n={milliseconds.Count}, p50={milliseconds[milliseconds.Count / 2]:F1} ms, max={milliseconds[^1]:F1} ms (includes the revoke round trip on A)"));
        Assert.True(milliseconds[^1] < Propagation.TotalMilliseconds);
    }
}
