using System.Collections.Concurrent;
using System.Net;
using System.Net.Http.Headers;
using System.Text;
using System.Text.Json;
using Npgsql;
using RxInfer.Storage.PostgreSql.Tests.Infrastructure;
using Xunit.Abstractions;

namespace RxInfer.Storage.PostgreSql.Tests.Durability;

/// <summary>A PostgreSQL cluster of the class's own (its tests stop and start the server), with one database.</summary>
public sealed class OwnClusterFixture : IAsyncLifetime
{
    private PostgreSqlCluster? _cluster;

    internal PostgreSqlCluster Cluster => _cluster!;

    public string ConnectionString { get; private set; } = "";

    public async Task InitializeAsync()
    {
        _cluster = await PostgreSqlCluster.StartAsync();
        await using (var connection = new NpgsqlConnection(_cluster.AdminConnectionString))
        {
            await connection.OpenAsync();
            await using var create = new NpgsqlCommand("CREATE DATABASE rxinfer_durability", connection);
            await create.ExecuteNonQueryAsync();
        }

        ConnectionString = new NpgsqlConnectionStringBuilder(_cluster.AdminConnectionString) { Database = "rxinfer_durability", Pooling = true }.ConnectionString;
    }

    public async Task DisposeAsync()
    {
        if (_cluster is not null)
        {
            await _cluster.DisposeAsync();
        }
    }
}

/// <summary>
/// The sample host as a real process on PostgreSQL, under a bounded load of token issues and instance creates: what
/// a client was answered 200 for is still there after the host is killed with SIGKILL and started again, and after
/// the database itself crashes (<c>pg_ctl stop -m immediate</c>) and starts again; while the database is down the host
/// answers only 503s or cached successes (never a 500), and it recovers without a restart.
/// </summary>
public sealed class SampleHostDurabilityTests(OwnClusterFixture fixture, ITestOutputHelper output) : IClassFixture<OwnClusterFixture>
{
    private const int Workers = 4;
    private const int MaxOperationsPerWorker = 500;
    private static readonly TimeSpan Generous = TimeSpan.FromSeconds(60);

    [Fact]
    public async Task Every_token_and_instance_acknowledged_before_a_SIGKILL_of_the_host_is_there_after_it_starts_again()
    {
        var ledger = new Ledger();
        await using (var first = await SampleProcess.StartAsync(fixture.ConnectionString))
        {
            using var stop = new CancellationTokenSource();
            var load = RunLoadAsync(first.Address, ledger, stop.Token);
            await WaitForAsync(() => ledger.Instances.Count >= 30, "30 instances created before the kill");

            await first.KillAsync(); // mid-load: requests in flight get no answer
            await stop.CancelAsync();
            await load;
        }

        output.WriteLine($"acknowledged before the kill: {ledger.Tokens.Count} tokens, {ledger.Instances.Count} instances; statuses {ledger.Describe()}");
        await using var second = await SampleProcess.StartAsync(fixture.ConnectionString);
        await AssertAllThereAsync(second.Address, ledger);
    }

    [Fact]
    public async Task While_the_database_is_down_the_host_answers_only_503_or_cached_successes_and_after_a_crash_of_the_database_it_recovers_with_nothing_lost()
    {
        var ledger = new Ledger();
        await using var host = await SampleProcess.StartAsync(fixture.ConnectionString);
        using var stop = new CancellationTokenSource();
        var load = RunLoadAsync(host.Address, ledger, stop.Token);
        await WaitForAsync(() => ledger.Instances.Count >= 20, "20 instances created before the database stops");

        await fixture.Cluster.StopServerAsync("immediate");
        ledger.OutageStarted();
        await WaitForAsync(() => ledger.OutageStatuses.Count(s => s == HttpStatusCode.ServiceUnavailable) >= 10, "503s during the outage");
        await Task.Delay(TimeSpan.FromSeconds(2));
        await fixture.Cluster.StartServerAsync();
        ledger.OutageEnded();
        var atRestart = ledger.Instances.Count;

        // No restart of the host: the pool reconnects by itself and the load succeeds again.
        await WaitForAsync(() => ledger.Instances.Count >= atRestart + 10, "instances created again after the database came back");
        await stop.CancelAsync();
        await load;

        output.WriteLine($"acknowledged: {ledger.Tokens.Count} tokens, {ledger.Instances.Count} instances; statuses {ledger.Describe()}; during the outage {string.Join(", ", ledger.OutageStatuses.GroupBy(s => s).Select(g => $"{(int)g.Key}x{g.Count()}"))}");
        Assert.All(ledger.Statuses, status => Assert.True(status is HttpStatusCode.OK or HttpStatusCode.ServiceUnavailable, $"status {(int)status}:\n{host.Output}"));
        Assert.Contains(HttpStatusCode.ServiceUnavailable, ledger.OutageStatuses);
        await AssertAllThereAsync(host.Address, ledger);
    }

    /// <summary>Every acknowledged token validates and every acknowledged instance is found by its owner.</summary>
    private static async Task AssertAllThereAsync(Uri address, Ledger ledger)
    {
        using var client = new HttpClient { BaseAddress = address };
        foreach (var token in ledger.Tokens)
        {
            using var roles = new HttpRequestMessage(HttpMethod.Get, "v1/token/roles") { Headers = { Authorization = new AuthenticationHeaderValue("Bearer", token) } };
            Assert.Equal(HttpStatusCode.OK, (await client.SendAsync(roles)).StatusCode);
        }

        foreach (var (token, instanceId) in ledger.Instances)
        {
            using var details = new HttpRequestMessage(HttpMethod.Get, $"v1/models/i/{instanceId}") { Headers = { Authorization = new AuthenticationHeaderValue("Bearer", token) } };
            Assert.Equal(HttpStatusCode.OK, (await client.SendAsync(details)).StatusCode);
        }
    }

    /// <summary>A few clients, each issuing a token and creating an instance with it, until stopped or done.</summary>
    private static Task RunLoadAsync(Uri address, Ledger ledger, CancellationToken stop) =>
        Task.WhenAll(Enumerable.Range(0, Workers).Select(_ => Task.Run(async () =>
        {
            using var client = new HttpClient { BaseAddress = address, Timeout = TimeSpan.FromSeconds(30) };
            for (var i = 0; i < MaxOperationsPerWorker && !stop.IsCancellationRequested; i++)
            {
                try
                {
                    var generated = await client.PostAsync(new Uri("v1/token/generate", UriKind.Relative), content: null, stop);
                    var body = await generated.Content.ReadAsStringAsync(stop);
                    ledger.Record(generated.StatusCode);
                    if (generated.StatusCode != HttpStatusCode.OK)
                    {
                        await Task.Delay(20, stop);
                        continue;
                    }

                    var token = JsonDocument.Parse(body).RootElement.GetProperty("token").GetString()!;
                    ledger.Tokens.Add(token);
                    using var create = new HttpRequestMessage(HttpMethod.Post, "v1/models/create-instance")
                    {
                        Headers = { Authorization = new AuthenticationHeaderValue("Bearer", token) },
                        Content = new StringContent("""{"model_name": "coin-toss-v1", "description": "durable"}""", Encoding.UTF8, "application/json"),
                    };
                    var created = await client.SendAsync(create, stop);
                    var instance = await created.Content.ReadAsStringAsync(stop);
                    ledger.Record(created.StatusCode);
                    if (created.StatusCode == HttpStatusCode.OK)
                    {
                        ledger.AddInstance(token, JsonDocument.Parse(instance).RootElement.GetProperty("instance_id").GetString()!);
                    }
                }
                catch (Exception e) when (e is HttpRequestException or OperationCanceledException or IOException)
                {
                    // No answer (the host was killed, or the load was stopped): nothing was acknowledged.
                    if (stop.IsCancellationRequested)
                    {
                        return;
                    }

                    await Task.Delay(20, CancellationToken.None);
                }
            }
        })));

    private static async Task WaitForAsync(Func<bool> condition, string what)
    {
        using var timeout = new CancellationTokenSource(Generous);
        while (!condition())
        {
            try
            {
                await Task.Delay(50, timeout.Token);
            }
            catch (OperationCanceledException)
            {
                throw new TimeoutException($"Timed out after {Generous} waiting for {what}.");
            }
        }
    }

    /// <summary>What the load was answered: every status, and the tokens and instances acknowledged with a 200.</summary>
    private sealed class Ledger
    {
        private int _outage;

        public ConcurrentBag<string> Tokens { get; } = [];

        public ConcurrentBag<(string Token, string InstanceId)> Instances { get; } = [];

        public ConcurrentBag<HttpStatusCode> Statuses { get; } = [];

        public ConcurrentBag<HttpStatusCode> OutageStatuses { get; } = [];

        public void OutageStarted() => Volatile.Write(ref _outage, 1);

        public void OutageEnded() => Volatile.Write(ref _outage, 0);

        public void Record(HttpStatusCode status)
        {
            Statuses.Add(status);
            if (Volatile.Read(ref _outage) == 1)
            {
                OutageStatuses.Add(status);
            }
        }

        public void AddInstance(string token, string instanceId) => Instances.Add((token, instanceId));

        public string Describe() => string.Join(", ", Statuses.GroupBy(s => s).Select(g => $"{(int)g.Key}x{g.Count()}"));
    }
}
