using System.Net;
using Microsoft.AspNetCore.Builder;
using Microsoft.AspNetCore.Hosting.Server;
using Microsoft.AspNetCore.Hosting.Server.Features;
using Microsoft.AspNetCore.Http.Features;
using RxInfer.Storage.PostgreSql.Tests.Infrastructure;

namespace RxInfer.Storage.PostgreSql.Tests.Http;

/// <summary>The sample host's readiness follows its database: not ready while the database refuses, ready again after.</summary>
public sealed class SampleHealthTests(PostgreSqlDatabaseFixture fixture) : IClassFixture<PostgreSqlDatabaseFixture>
{
    [Fact]
    public async Task Ready_is_503_while_the_database_is_down_live_stays_200_and_ready_recovers_without_a_restart()
    {
        var database = await fixture.CreateDatabaseAsync("health");
        var control = new DatabaseControl(database);
        await using var app = Program.CreateApp(["--RXINFER_SERVER_PORT=0", $"--ConnectionStrings:RxInfer={database}", "--RxInfer:PostgreSql:CacheGracePeriod=00:00:00"]);
        await app.StartAsync();
        using var client = new HttpClient { BaseAddress = new Uri(app.Services.GetRequiredService<IServer>().Features.GetRequiredFeature<IServerAddressesFeature>().Addresses.Single()) };

        Assert.Equal(HttpStatusCode.OK, (await client.GetAsync(new Uri("/health/ready", UriKind.Relative))).StatusCode);
        try
        {
            await control.TakeDownAsync();
            var ready = await client.GetAsync(new Uri("/health/ready", UriKind.Relative));
            Assert.Equal(HttpStatusCode.ServiceUnavailable, ready.StatusCode);
            Assert.Equal("Unhealthy", await ready.Content.ReadAsStringAsync());
            Assert.Equal(HttpStatusCode.OK, (await client.GetAsync(new Uri("/health/live", UriKind.Relative))).StatusCode);
        }
        finally
        {
            await control.BringUpAsync();
        }

        using var timeout = new CancellationTokenSource(TimeSpan.FromSeconds(30));
        HttpResponseMessage again;
        while ((again = await client.GetAsync(new Uri("/health/ready", UriKind.Relative), timeout.Token)).StatusCode != HttpStatusCode.OK)
        {
            await Task.Delay(100, timeout.Token);
        }

        Assert.Equal("Healthy", await again.Content.ReadAsStringAsync(timeout.Token));
    }
}
