using System.Net.Http.Headers;
using System.Security.Claims;
using Microsoft.AspNetCore.Authentication.JwtBearer;
using Microsoft.AspNetCore.Builder;
using Microsoft.AspNetCore.Hosting;
using Microsoft.AspNetCore.Hosting.Server;
using Microsoft.AspNetCore.Hosting.Server.Features;
using Microsoft.AspNetCore.Http;
using Microsoft.AspNetCore.Http.Features;
using Microsoft.AspNetCore.Routing;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Logging;
using RxInfer.Auth;

namespace RxInfer.Hosting.AspNetCore.Tests.Federation;

/// <summary>A real host on Kestrel, on a free loopback port, with a client for it.</summary>
internal sealed class KestrelHost : IAsyncDisposable
{
    private KestrelHost(WebApplication app, Uri address)
    {
        App = app;
        Address = address;
        Client = new HttpClient { BaseAddress = address };
    }

    public WebApplication App { get; }

    public IServiceProvider Services => App.Services;

    public Uri Address { get; }

    /// <summary>The address without the trailing slash, as an issuer or authority is written.</summary>
    public string Origin => Address.GetLeftPart(UriPartial.Authority);

    public HttpClient Client { get; }

    public static async Task<KestrelHost> StartAsync(Action<WebApplicationBuilder> configureServices, Action<WebApplication> configureApp)
    {
        var builder = WebApplication.CreateBuilder();
        builder.WebHost.UseUrls("http://127.0.0.1:0");
        builder.Logging.ClearProviders();
        configureServices(builder);
        var app = builder.Build();
        configureApp(app);
        try
        {
            await app.StartAsync();
            var address = app.Services.GetRequiredService<IServer>().Features.GetRequiredFeature<IServerAddressesFeature>().Addresses.Single();
            return new KestrelHost(app, new Uri(address));
        }
        catch
        {
            await app.DisposeAsync();
            throw;
        }
    }

    /// <summary>
    /// Our host in JWT mode: the <c>/v1</c> API and the discovery endpoints, with <paramref name="keys"/> as its ring
    /// and <paramref name="issuer"/> as its <c>iss</c>. <paramref name="map"/> maps more (revocation, introspection).
    /// </summary>
    public static Task<KestrelHost> StartJwtIssuerAsync(
        string issuer,
        JwtSigningKeyOptions[] keys,
        string? signingKeyId = null,
        Action<RxInferAuthBuilder>? auth = null,
        Action<IServiceCollection>? services = null,
        Action<WebApplication>? map = null) =>
        StartAsync(
            builder =>
            {
                var rxinfer = builder.Services.AddRxInferAuth(o => o.AllowAnonymousTokens = true).AddJwtTokens(jwt =>
                {
                    jwt.Issuer = issuer;
                    jwt.Audience = FederationAudience.Value;
                    jwt.Keys = keys;
                    jwt.SigningKeyId = signingKeyId;
                });
                auth?.Invoke(rxinfer);
                builder.Services.AddRxInferAuthentication();
                builder.Services.AddRxInferEndpoints();
                builder.Services.AddRxInferModels(o => o.Locations = [TestApp.ModelsFolder]);
                services?.Invoke(builder.Services);
            },
            app =>
            {
                app.UseExceptionHandler();
                app.UseStatusCodePages();
                app.UseAuthentication();
                app.UseAuthorization();
                app.MapGroup("/v1").MapRxInfer();
                app.MapRxInferDiscovery();
                map?.Invoke(app);
            });

    /// <summary>
    /// Another team's service: nothing but the stock JWT handler pointed at <paramref name="authority"/> (metadata over
    /// plain HTTP, allowed for the test), and <c>GET /whoami</c> behind it answering the token's subject.
    /// </summary>
    public static Task<KestrelHost> StartStockRelyingPartyAsync(string authority) =>
        StartAsync(
            builder =>
            {
                builder.Services.AddAuthentication(JwtBearerDefaults.AuthenticationScheme).AddJwtBearer(o =>
                {
                    o.Authority = authority;
                    o.Audience = FederationAudience.Value;
                    o.RequireHttpsMetadata = false;
                });
                builder.Services.AddAuthorization();
            },
            app =>
            {
                app.UseAuthentication();
                app.UseAuthorization();
                app.MapGet("/whoami", static (ClaimsPrincipal user) => user.FindFirstValue(ClaimTypes.NameIdentifier) ?? user.FindFirstValue("sub") ?? "")
                    .RequireAuthorization();
            });

    public async Task<HttpResponseMessage> GetAsync(string path, string? token = null)
    {
        using var request = new HttpRequestMessage(HttpMethod.Get, new Uri(path, UriKind.Relative));
        if (token is not null)
        {
            request.Headers.Authorization = new AuthenticationHeaderValue("Bearer", token);
        }

        return await Client.SendAsync(request);
    }

    public async Task<string> GenerateTokenAsync()
    {
        using var response = await Client.PostAsync(new Uri("/v1/token/generate", UriKind.Relative), content: null);
        Assert.Equal(System.Net.HttpStatusCode.OK, response.StatusCode);
        return (await Json.ReadAsync(response)).GetProperty("token").GetString()!;
    }

    public async ValueTask DisposeAsync()
    {
        Client.Dispose();
        await App.StopAsync();
        await App.DisposeAsync();
    }
}

/// <summary>The audience the federation tests' issuers and relying hosts agree on (their keys are <see cref="TestKeys"/>).</summary>
internal static class FederationAudience
{
    public const string Value = "rxinfer-federation-test";
}
