using System.Net;
using Microsoft.AspNetCore.Builder;
using Microsoft.AspNetCore.Hosting;
using Microsoft.AspNetCore.Http;
using Microsoft.AspNetCore.TestHost;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.DependencyInjection.Extensions;
using Microsoft.Extensions.Logging;
using Microsoft.Extensions.Logging.Testing;
using Microsoft.Extensions.Time.Testing;

namespace RxInfer.Hosting.AspNetCore.Tests;

/// <summary>
/// The sample host's real pipeline (<c>Program.CreateApp</c>) on the test server, with a fake clock, fake logs, and the
/// client address taken from the test header <see cref="ClientAddressHeader"/> (set before the pipeline runs, as
/// Kestrel sets the connection's address).
/// </summary>
internal sealed class FakeClockSampleHost : IAsyncDisposable
{
    public const string ClientAddressHeader = "X-Test-Client-Address";

    private readonly WebApplication _app;

    private FakeClockSampleHost(WebApplication app, FakeTimeProvider time)
    {
        _app = app;
        Time = time;
        Client = app.GetTestClient();
    }

    public HttpClient Client { get; }

    public FakeTimeProvider Time { get; }

    public IServiceProvider Services => _app.Services;

    public FakeLogCollector Logs => _app.Services.GetFakeLogCollector();

    public static async Task<FakeClockSampleHost> StartAsync(params string[] args)
    {
        var time = TestClock.NewTimeProvider();
        var app = Program.CreateApp(args, builder =>
        {
            builder.WebHost.UseTestServer();
            builder.Logging.ClearProviders().AddFakeLogging();
            builder.Services.Replace(ServiceDescriptor.Singleton<TimeProvider>(time));
            builder.Services.AddTransient<IStartupFilter, ClientAddressFromTestHeader>();
        });
        await app.StartAsync();
        return new FakeClockSampleHost(app, time);
    }

    public async Task<HttpResponseMessage> GenerateAsync(string? clientAddress = null, Action<HttpRequestMessage>? configure = null)
    {
        using var request = new HttpRequestMessage(HttpMethod.Post, "/v1/token/generate");
        if (clientAddress is not null)
        {
            request.Headers.Add(ClientAddressHeader, clientAddress);
        }

        configure?.Invoke(request);
        return await Client.SendAsync(request);
    }

    /// <summary>Sends <paramref name="count"/> anonymous requests and returns their status codes.</summary>
    public async Task<List<HttpStatusCode>> GenerateManyAsync(int count, string? clientAddress = null)
    {
        var statuses = new List<HttpStatusCode>(count);
        for (var i = 0; i < count; i++)
        {
            using var response = await GenerateAsync(clientAddress);
            statuses.Add(response.StatusCode);
        }

        return statuses;
    }

    /// <summary>
    /// Sends <c>POST /v1/token/generate</c> built directly on the server's <see cref="HttpContext"/>, for headers an
    /// <see cref="HttpClient"/> does not send as they are (an empty value).
    /// </summary>
    public async Task<int> GenerateRawAsync(string clientAddress, Action<HttpRequest> configure)
    {
        var context = await _app.GetTestServer().SendAsync(context =>
        {
            context.Request.Method = HttpMethods.Post;
            context.Request.Path = "/v1/token/generate";
            context.Request.Headers[ClientAddressHeader] = clientAddress;
            configure(context.Request);
        });
        return context.Response.StatusCode;
    }

    public int TokensIssued => Logs.GetSnapshot().Count(static r => r.Id.Name == "TokenIssued");

    public async ValueTask DisposeAsync()
    {
        Client.Dispose();
        await _app.DisposeAsync();
    }

    private sealed class ClientAddressFromTestHeader : IStartupFilter
    {
        public Action<IApplicationBuilder> Configure(Action<IApplicationBuilder> next) => app =>
        {
            app.Use(static (context, nextMiddleware) =>
            {
                if (context.Request.Headers.TryGetValue(ClientAddressHeader, out var address))
                {
                    context.Connection.RemoteIpAddress = IPAddress.Parse(address.ToString());
                }

                return nextMiddleware(context);
            });
            next(app);
        };
    }
}
