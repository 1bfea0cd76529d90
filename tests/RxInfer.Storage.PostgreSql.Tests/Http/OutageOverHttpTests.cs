using System.Net;
using System.Net.Http.Headers;
using System.Text.Json;
using Microsoft.AspNetCore.Builder;
using Microsoft.AspNetCore.Hosting;
using Microsoft.AspNetCore.Routing;
using Microsoft.AspNetCore.TestHost;
using Microsoft.Extensions.Configuration;
using Microsoft.Extensions.Logging;
using RxInfer.Storage.PostgreSql.Tests.Infrastructure;

namespace RxInfer.Storage.PostgreSql.Tests.Http;

/// <summary>
/// Through the real ASP.NET Core adapter: a database that cannot answer is a 503 with the contract body and
/// <c>Retry-After</c> (never a 401 for a token that may be valid, never a 500), and the host recovers by itself.
/// </summary>
public sealed class OutageOverHttpTests(PostgreSqlDatabaseFixture fixture) : IClassFixture<PostgreSqlDatabaseFixture>
{
    [Fact]
    public async Task While_the_database_is_down_requests_that_need_it_get_503_with_retry_after_and_afterwards_200_again()
    {
        var database = await fixture.CreateDatabaseAsync("http");
        var control = new DatabaseControl(database);
        await using var app = await StartAsync(database);
        var client = app.GetTestClient();
        var token = await GenerateAsync(client);
        Assert.Equal(HttpStatusCode.OK, (await RolesAsync(client, token)).StatusCode);

        try
        {
            await control.TakeDownAsync();
            await app.Services.GetRequiredService<RevocationFeed>().WaitUntilAsync(static feed => !feed.IsConnected, new CancellationTokenSource(TimeSpan.FromSeconds(20)).Token);

            foreach (var response in new[] { await RolesAsync(client, token), await client.PostAsync("/v1/token/generate", null) })
            {
                Assert.Equal(HttpStatusCode.ServiceUnavailable, response.StatusCode);
                Assert.True(response.Headers.RetryAfter?.Delta >= TimeSpan.FromSeconds(1));
                using var body = JsonDocument.Parse(await response.Content.ReadAsStringAsync());
                Assert.Equal("Service Unavailable", body.RootElement.GetProperty("error").GetString());
                Assert.Equal(PostgreSqlDatabase.UnavailableMessage, body.RootElement.GetProperty("message").GetString());
            }
        }
        finally
        {
            await control.BringUpAsync();
        }

        // No restart: the pool and the feed reconnect on their own.
        using var timeout = new CancellationTokenSource(TimeSpan.FromSeconds(20));
        HttpResponseMessage roles;
        while ((roles = await RolesAsync(client, token)).StatusCode == HttpStatusCode.ServiceUnavailable)
        {
            await Task.Delay(100, timeout.Token);
        }

        Assert.Equal(HttpStatusCode.OK, roles.StatusCode);
        Assert.Equal(HttpStatusCode.OK, (await RolesAsync(client, await GenerateAsync(client))).StatusCode);
    }

    private static async Task<WebApplication> StartAsync(string connectionString)
    {
        var builder = WebApplication.CreateBuilder();
        builder.WebHost.UseTestServer();
        builder.Logging.ClearProviders();
        builder.Configuration.AddInMemoryCollection(new Dictionary<string, string?>
        {
            ["ConnectionStrings:RxInfer"] = connectionString,
            ["RxInfer:PostgreSql:CacheGracePeriod"] = "00:00:00",
        });
        builder.Services.AddRxInfer(builder.Configuration).Auth.AddPostgreSqlStores();
        var app = builder.Build();
        app.UseExceptionHandler();
        app.UseStatusCodePages();
        app.UseAuthentication();
        app.UseAuthorization();
        app.MapGroup("/v1").MapRxInfer();
        await app.StartAsync();
        await app.Services.GetRequiredService<RevocationFeed>().WaitUntilAsync(static feed => feed.IsConnected, new CancellationTokenSource(TimeSpan.FromSeconds(30)).Token);
        return app;
    }

    private static async Task<string> GenerateAsync(HttpClient client)
    {
        var response = await client.PostAsync("/v1/token/generate", null);
        Assert.Equal(HttpStatusCode.OK, response.StatusCode);
        using var body = JsonDocument.Parse(await response.Content.ReadAsStringAsync());
        return body.RootElement.GetProperty("token").GetString()!;
    }

    private static Task<HttpResponseMessage> RolesAsync(HttpClient client, string token)
    {
        var request = new HttpRequestMessage(HttpMethod.Get, "/v1/token/roles");
        request.Headers.Authorization = new AuthenticationHeaderValue("Bearer", token);
        return client.SendAsync(request);
    }
}
