using System.Net;
using System.Net.Http.Headers;
using System.Text.Json;
using Microsoft.AspNetCore.Builder;
using Microsoft.AspNetCore.Hosting.Server;
using Microsoft.AspNetCore.Hosting.Server.Features;
using Microsoft.AspNetCore.Http.Features;
using Npgsql;
using RxInfer.Auth;
using RxInfer.Storage.PostgreSql.Tests.Infrastructure;

namespace RxInfer.Storage.PostgreSql.Tests.Http;

/// <summary>The sample host: on PostgreSQL exactly when <c>ConnectionStrings:RxInfer</c> is set, and its banner says which.</summary>
public sealed class SampleHostTests(PostgreSqlDatabaseFixture fixture) : IClassFixture<PostgreSqlDatabaseFixture>
{
    private const string Password = "sample-password-never-printed";

    [Fact]
    public async Task With_a_connection_string_the_sample_keeps_tokens_and_instances_in_postgresql_across_a_restart_and_says_so()
    {
        var connectionString = new NpgsqlConnectionStringBuilder(fixture.ConnectionString) { Password = Password }.ConnectionString;
        string[] args = ["--RXINFER_SERVER_PORT=0", $"--ConnectionStrings:RxInfer={connectionString}"];
        string token;
        string instanceId;
        await using (var first = Program.CreateApp(args))
        {
            await first.StartAsync();
            var banner = Program.DescribeStorage(first.Services);
            Assert.StartsWith("Storage: PostgreSQL at 127.0.0.1:", banner, StringComparison.Ordinal);
            Assert.Contains("schema rxinfer", banner, StringComparison.Ordinal);
            Assert.DoesNotContain(Password, banner, StringComparison.Ordinal);
            Assert.IsType<PostgreSqlOpaqueTokenStore>(first.Services.GetRequiredService<IOpaqueTokenStore>());
            Assert.IsType<PostgreSqlModelInstanceStore>(first.Services.GetRequiredService<RxInfer.Models.IModelInstanceStore>());
            Assert.Contains("model instances", banner, StringComparison.Ordinal);

            using var client = ClientOf(first);
            var generated = await client.PostAsync(new Uri("/v1/token/generate", UriKind.Relative), content: null);
            Assert.Equal(HttpStatusCode.OK, generated.StatusCode);
            using var body = JsonDocument.Parse(await generated.Content.ReadAsStringAsync());
            token = body.RootElement.GetProperty("token").GetString()!;

            client.DefaultRequestHeaders.Authorization = new AuthenticationHeaderValue("Bearer", token);
            var created = await client.PostAsync(
                new Uri("/v1/models/create-instance", UriKind.Relative),
                new StringContent("""{"model_name": "coin-toss-v1", "description": "kept"}""", System.Text.Encoding.UTF8, "application/json"));
            Assert.Equal(HttpStatusCode.OK, created.StatusCode);
            using var instance = JsonDocument.Parse(await created.Content.ReadAsStringAsync());
            instanceId = instance.RootElement.GetProperty("instance_id").GetString()!;
            var inferred = await client.PostAsync(
                new Uri($"/v1/models/i/{instanceId}/infer", UriKind.Relative),
                new StringContent("""{"data": {"observations": [1, 1, 0]}}""", System.Text.Encoding.UTF8, "application/json"));
            Assert.Equal(HttpStatusCode.OK, inferred.StatusCode);
        }

        await using var second = Program.CreateApp(args);
        await second.StartAsync();
        using var again = ClientOf(second);
        again.DefaultRequestHeaders.Authorization = new AuthenticationHeaderValue("Bearer", token);
        var roles = await again.GetAsync(new Uri("/v1/token/roles", UriKind.Relative));

        Assert.Equal(HttpStatusCode.OK, roles.StatusCode);
        var details = await again.GetAsync(new Uri($"/v1/models/i/{instanceId}", UriKind.Relative));
        Assert.Equal(HttpStatusCode.OK, details.StatusCode);
        using (var body = JsonDocument.Parse(await details.Content.ReadAsStringAsync()))
        {
            Assert.Equal("kept", body.RootElement.GetProperty("description").GetString());
        }

        var episode = await again.GetAsync(new Uri($"/v1/models/i/{instanceId}/episodes/default", UriKind.Relative));
        Assert.Equal(HttpStatusCode.OK, episode.StatusCode);
        using (var body = JsonDocument.Parse(await episode.Content.ReadAsStringAsync()))
        {
            var only = Assert.Single(body.RootElement.GetProperty("events").EnumerateArray());
            Assert.Equal(1, only.GetProperty("event_id").GetInt64());
            Assert.Equal([1, 1, 0], only.GetProperty("data").GetProperty("observations").EnumerateArray().Select(o => o.GetInt32()));
        }
    }

    [Fact]
    public async Task Without_a_connection_string_the_sample_stays_in_memory_and_says_so()
    {
        await using var app = Program.CreateApp(["--RXINFER_SERVER_PORT=0", "--ConnectionStrings:RxInfer="]);

        Assert.StartsWith("Storage: memory", Program.DescribeStorage(app.Services), StringComparison.Ordinal);
        Assert.Contains("ConnectionStrings__RxInfer", Program.DescribeStorage(app.Services), StringComparison.Ordinal);
        Assert.IsNotType<PostgreSqlOpaqueTokenStore>(app.Services.GetRequiredService<IOpaqueTokenStore>());
    }

    private static HttpClient ClientOf(WebApplication app) => new()
    {
        BaseAddress = new Uri(app.Services.GetRequiredService<IServer>().Features.GetRequiredFeature<IServerAddressesFeature>().Addresses.Single()),
    };
}
