using System.Collections.Concurrent;
using System.Net;
using System.Text;
using Microsoft.AspNetCore.Builder;
using Microsoft.AspNetCore.Hosting;
using Microsoft.AspNetCore.Hosting.Server;
using Microsoft.AspNetCore.Hosting.Server.Features;
using Microsoft.AspNetCore.Http;
using Microsoft.AspNetCore.Http.Features;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Logging;
using OpenTelemetry.Trace;

namespace RxInfer.Hosting.AspNetCore.Tests.Sample;

/// <summary>The sample's health endpoints and its OpenTelemetry export over OTLP (to a real HTTP receiver).</summary>
public sealed class SampleObservabilityTests
{
    [Fact]
    public async Task Live_and_ready_answer_healthy_without_a_token()
    {
        await using var host = await SampleHost.StartAsync();

        foreach (var path in new[] { "/health/live", "/health/ready" })
        {
            using var response = await host.SendAsync(HttpMethod.Get, path);
            Assert.Equal(HttpStatusCode.OK, response.StatusCode);
            Assert.Equal("Healthy", await response.Content.ReadAsStringAsync());
        }
    }

    [Fact]
    public async Task Without_an_OTLP_endpoint_nothing_is_collected()
    {
        await using var host = await SampleHost.StartAsync(["--OTEL_EXPORTER_OTLP_ENDPOINT="]);

        Assert.Null(host.Services.GetService<TracerProvider>());
    }

    [Fact]
    public async Task With_an_OTLP_endpoint_our_traces_reach_it_and_carry_no_token()
    {
        await using var receiver = await OtlpReceiver.StartAsync();
        await using var host = await SampleHost.StartAsync(
        [
            $"--OTEL_EXPORTER_OTLP_ENDPOINT={receiver.Address}",
            "--OTEL_EXPORTER_OTLP_PROTOCOL=http/protobuf",
            "--OTEL_BSP_SCHEDULE_DELAY=100",
            "--OTEL_METRIC_EXPORT_INTERVAL=200",
        ]);
        var token = await host.GenerateTokenAsync();
        using (var roles = await host.SendAsync(HttpMethod.Get, "/v1/token/roles", token))
        {
            Assert.Equal(HttpStatusCode.OK, roles.StatusCode);
        }

        // Protobuf keeps strings as UTF-8 bytes: the span names and the service name are readable in the payload.
        var traces = await receiver.WaitForAsync("/v1/traces", static text => text.Contains("rxinfer.token.validate", StringComparison.Ordinal) && text.Contains("rxinfer.token.issue", StringComparison.Ordinal));
        Assert.Contains("RxInfer.Server", traces, StringComparison.Ordinal);
        var metrics = await receiver.WaitForAsync("/v1/metrics", static text => text.Contains("rxinfer.auth.token_validations", StringComparison.Ordinal));
        Assert.DoesNotContain(token, traces + metrics, StringComparison.Ordinal);
    }

    /// <summary>An OTLP/HTTP receiver on a free loopback port that keeps every request body.</summary>
    private sealed class OtlpReceiver : IAsyncDisposable
    {
        private readonly WebApplication _app;
        private readonly ConcurrentQueue<(string Path, string Body)> _received = new();

        private OtlpReceiver(WebApplication app) => _app = app;

        public string Address { get; private set; } = "";

        public static async Task<OtlpReceiver> StartAsync()
        {
            var builder = WebApplication.CreateBuilder();
            builder.WebHost.UseUrls("http://127.0.0.1:0");
            builder.Logging.ClearProviders();
            var app = builder.Build();
            var receiver = new OtlpReceiver(app);
            app.MapPost("/{**signal}", async (HttpContext context) =>
            {
                using var buffer = new MemoryStream();
                await context.Request.Body.CopyToAsync(buffer);
                receiver._received.Enqueue((context.Request.Path.Value ?? "", Encoding.UTF8.GetString(buffer.ToArray())));
                return Results.Ok();
            });
            await app.StartAsync();
            receiver.Address = app.Services.GetRequiredService<IServer>().Features.GetRequiredFeature<IServerAddressesFeature>().Addresses.Single();
            return receiver;
        }

        /// <summary>Every body received on <paramref name="path"/> so far, once one of them satisfies <paramref name="done"/> (30 s at most).</summary>
        public async Task<string> WaitForAsync(string path, Func<string, bool> done)
        {
            using var timeout = new CancellationTokenSource(TimeSpan.FromSeconds(30));
            while (true)
            {
                var all = string.Concat(_received.Where(r => r.Path == path).Select(static r => r.Body));
                if (done(all))
                {
                    return all;
                }

                await Task.Delay(100, timeout.Token);
            }
        }

        public async ValueTask DisposeAsync() => await _app.DisposeAsync();
    }
}
