using Microsoft.AspNetCore.Builder;
using Microsoft.AspNetCore.Hosting.Server;
using Microsoft.AspNetCore.Hosting.Server.Features;
using Microsoft.AspNetCore.Http.Features;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Logging;

namespace RxInfer.Hosting.AspNetCore.Tests;

/// <summary>The real sample host (<c>Program.CreateApp</c>) on Kestrel, on a free loopback port, with a client for it.</summary>
internal sealed class SampleHost : IAsyncDisposable
{
    private SampleHost(WebApplication app, Uri address)
    {
        App = app;
        Address = address;
        Client = new HttpClient { BaseAddress = address };
    }

    public WebApplication App { get; }

    public IServiceProvider Services => App.Services;

    public Uri Address { get; }

    public HttpClient Client { get; }

    /// <summary>Starts the sample with <paramref name="args"/> (command-line settings; the port is always 0).</summary>
    /// <param name="args">Settings such as <c>--RXINFER_SERVER_ENABLE_DEV_TOKEN=true</c>.</param>
    /// <param name="configure">Changes the builder after the sample's own registrations; console logging is removed before it.</param>
    public static async Task<SampleHost> StartAsync(string[]? args = null, Action<WebApplicationBuilder>? configure = null)
    {
        var app = Program.CreateApp(["--RXINFER_SERVER_PORT=0", .. args ?? []], builder =>
        {
            builder.Logging.ClearProviders();
            configure?.Invoke(builder);
        });
        try
        {
            await app.StartAsync();
            var address = app.Services.GetRequiredService<IServer>().Features.GetRequiredFeature<IServerAddressesFeature>().Addresses.Single();
            return new SampleHost(app, new Uri(address));
        }
        catch
        {
            await app.DisposeAsync();
            throw;
        }
    }

    public async Task<string> GenerateTokenAsync()
    {
        using var response = await Client.PostAsync(new Uri("/v1/token/generate", UriKind.Relative), content: null);
        Assert.Equal(System.Net.HttpStatusCode.OK, response.StatusCode);
        return (await Json.ReadAsync(response)).GetProperty("token").GetString()!;
    }

    public async Task<HttpResponseMessage> SendAsync(HttpMethod method, string path, string? token = null, HttpContent? content = null)
    {
        using var request = new HttpRequestMessage(method, new Uri(path, UriKind.Relative)) { Content = content };
        if (token is not null)
        {
            request.Headers.TryAddWithoutValidation("Authorization", "Bearer " + token);
        }

        return await Client.SendAsync(request);
    }

    /// <summary>The ids of the instances <paramref name="token"/>'s subject owns.</summary>
    public async Task<string[]> InstanceIdsAsync(string token)
    {
        using var response = await SendAsync(HttpMethod.Get, "/v1/models/instances", token);
        Assert.Equal(System.Net.HttpStatusCode.OK, response.StatusCode);
        return [.. (await Json.ReadAsync(response)).EnumerateArray().Select(static i => i.GetProperty("instance_id").GetString()!)];
    }

    public async ValueTask DisposeAsync()
    {
        Client.Dispose();
        await App.StopAsync();
        await App.DisposeAsync();
    }
}
