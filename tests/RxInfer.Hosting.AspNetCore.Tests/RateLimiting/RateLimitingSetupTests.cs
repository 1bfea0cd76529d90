using System.Net;
using Microsoft.AspNetCore.Builder;
using Microsoft.AspNetCore.Hosting;
using Microsoft.AspNetCore.Hosting.Server;
using Microsoft.AspNetCore.Hosting.Server.Features;
using Microsoft.AspNetCore.Http.Features;
using Microsoft.AspNetCore.HttpOverrides;
using Microsoft.AspNetCore.RateLimiting;
using Microsoft.AspNetCore.Routing;
using Microsoft.AspNetCore.TestHost;
using Microsoft.Extensions.Configuration;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Logging;
using Microsoft.Extensions.Logging.Testing;

namespace RxInfer.Hosting.AspNetCore.Tests;

/// <summary>How a host sets the rate limit up: the README's snippets, behind a proxy, and without <c>UseRateLimiter()</c>.</summary>
public sealed class RateLimitingSetupTests
{
    /// <summary>
    /// The README's "behind a proxy" snippet on Kestrel over loopback: the proxy (here the test, from 127.0.0.1) sends
    /// <c>X-Forwarded-For</c>, and each forwarded client gets its own partition.
    /// </summary>
    [Fact]
    public async Task Behind_a_proxy_forwarded_headers_give_each_client_its_own_limit()
    {
        var builder = WebApplication.CreateBuilder();
        builder.WebHost.UseUrls("http://127.0.0.1:0");
        builder.Logging.ClearProviders();
        builder.Configuration.AddInMemoryCollection(new Dictionary<string, string?> { ["RxInfer:Endpoints:AnonymousTokensPerMinute"] = "2" });
        builder.Services.AddRxInfer(builder.Configuration);
        builder.Services.Configure<ForwardedHeadersOptions>(options =>
        {
            options.ForwardedHeaders = ForwardedHeaders.XForwardedFor;
            options.KnownProxies.Add(IPAddress.Loopback); // your proxy's address
        });
        await using var app = builder.Build();
        app.UseForwardedHeaders(); // first: everything after it sees the client's address
        app.UseExceptionHandler();
        app.UseStatusCodePages();
        app.UseAuthentication();
        app.UseAuthorization();
        app.UseRateLimiter();
        app.MapGroup("/v1").MapRxInfer();
        await app.StartAsync();
        var address = app.Services.GetRequiredService<IServer>().Features.GetRequiredFeature<IServerAddressesFeature>().Addresses.Single();
        using var client = new HttpClient { BaseAddress = new Uri(address) };

        async Task<HttpStatusCode> GenerateAsync(string? forwardedFor)
        {
            using var request = new HttpRequestMessage(HttpMethod.Post, "/v1/token/generate");
            if (forwardedFor is not null)
            {
                request.Headers.Add("X-Forwarded-For", forwardedFor);
            }

            using var response = await client.SendAsync(request);
            return response.StatusCode;
        }

        var first = new[] { await GenerateAsync("198.51.100.7"), await GenerateAsync("198.51.100.7"), await GenerateAsync("198.51.100.7") };
        var second = await GenerateAsync("198.51.100.8");
        var proxyItself = await GenerateAsync(null);

        Assert.Equal([HttpStatusCode.OK, HttpStatusCode.OK, HttpStatusCode.TooManyRequests], first);
        Assert.Equal(HttpStatusCode.OK, second);
        Assert.Equal(HttpStatusCode.OK, proxyItself);
        await app.StopAsync();
    }

    [Fact]
    public async Task Without_UseRateLimiter_an_anonymous_token_is_issued_and_a_warning_is_logged_once()
    {
        var builder = WebApplication.CreateBuilder();
        builder.WebHost.UseTestServer();
        builder.Logging.ClearProviders().AddFakeLogging();
        builder.Services.AddRxInfer(builder.Configuration);
        await using var app = builder.Build();
        app.UseAuthentication();
        app.UseAuthorization();
        app.MapGroup("/v1").MapRxInfer();
        await app.StartAsync();
        using var client = app.GetTestClient();

        using var first = await client.PostAsync(new Uri("/v1/token/generate", UriKind.Relative), null);
        using var second = await client.PostAsync(new Uri("/v1/token/generate", UriKind.Relative), null);

        Assert.Equal(HttpStatusCode.OK, first.StatusCode);
        Assert.Equal(HttpStatusCode.OK, second.StatusCode);
        var warning = Assert.Single(app.Services.GetFakeLogCollector().GetSnapshot(), r => r.Id.Name == "AnonymousTokenRateLimitNotApplied");
        Assert.Equal(LogLevel.Warning, warning.Level);
        Assert.Contains("app.UseRateLimiter()", warning.Message, StringComparison.Ordinal);
    }

    [Fact]
    public async Task With_UseRateLimiter_no_warning_is_logged()
    {
        var builder = WebApplication.CreateBuilder();
        builder.WebHost.UseTestServer();
        builder.Logging.ClearProviders().AddFakeLogging();
        builder.Services.AddRxInfer(builder.Configuration);
        await using var app = builder.Build();
        app.UseAuthentication();
        app.UseAuthorization();
        app.UseRateLimiter();
        app.MapGroup("/v1").MapRxInfer();
        await app.StartAsync();
        using var client = app.GetTestClient();

        using var response = await client.PostAsync(new Uri("/v1/token/generate", UriKind.Relative), null);

        Assert.Equal(HttpStatusCode.OK, response.StatusCode);
        Assert.DoesNotContain(app.Services.GetFakeLogCollector().GetSnapshot(), r => r.Id.Name == "AnonymousTokenRateLimitNotApplied");
    }

    [Fact]
    public async Task A_host_can_add_its_own_policies_beside_the_built_in_one()
    {
        var builder = WebApplication.CreateBuilder();
        builder.WebHost.UseTestServer();
        builder.Logging.ClearProviders();
        builder.Services.AddRxInfer(builder.Configuration);
        builder.Services.AddRateLimiter(o => o.AddFixedWindowLimiter("models", w => { w.PermitLimit = 1; w.Window = TimeSpan.FromHours(1); }));
        await using var app = builder.Build();
        app.UseAuthentication();
        app.UseAuthorization();
        app.UseRateLimiter();
        var v1 = app.MapGroup("/v1");
        v1.MapRxInferTokens();
        v1.MapRxInferModels().RequireRateLimiting("models");
        await app.StartAsync();
        using var client = app.GetTestClient();
        var token = (await Json.ReadAsync(await client.PostAsync(new Uri("/v1/token/generate", UriKind.Relative), null))).GetProperty("token").GetString()!;
        client.DefaultRequestHeaders.Authorization = new System.Net.Http.Headers.AuthenticationHeaderValue("Bearer", token);

        using var first = await client.GetAsync(new Uri("/v1/models/available", UriKind.Relative));
        using var second = await client.GetAsync(new Uri("/v1/models/available", UriKind.Relative));

        Assert.Equal(HttpStatusCode.OK, first.StatusCode);
        Assert.Equal(HttpStatusCode.ServiceUnavailable, second.StatusCode); // the host's own policy, with ASP.NET Core's default status
    }
}
