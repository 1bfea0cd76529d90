using System.Net;
using System.Net.Http.Headers;
using System.Text.Encodings.Web;
using Microsoft.AspNetCore.Authentication;
using Microsoft.AspNetCore.Authorization;
using Microsoft.AspNetCore.Builder;
using Microsoft.AspNetCore.Hosting;
using Microsoft.AspNetCore.Routing;
using Microsoft.AspNetCore.TestHost;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Hosting;
using Microsoft.Extensions.Logging;
using Microsoft.Extensions.Logging.Testing;
using Microsoft.Extensions.Options;
using RxInfer.Auth;

namespace RxInfer.Hosting.AspNetCore.Tests.Authentication;

/// <summary>
/// Which scheme the <c>/v1</c> endpoints' authorization policy names. When the RxInfer scheme is the host's default
/// for authenticating, challenging and forbidding, the authentication middleware has authenticated the request with
/// it already, so the policy names no scheme (naming it would authenticate every request a second time). In a host
/// whose default is another scheme, the policy names ours, and our tokens still open the endpoints.
/// </summary>
public sealed class EndpointPolicyTests
{
    private const string RolesPath = "/v1/token/roles";

    [Fact]
    public async Task Where_ours_is_the_default_scheme_the_policy_names_none_and_our_token_opens_the_endpoint()
    {
        await using var app = await TestApp.StartAsync(new TestAppOptions { Provider = static auth => auth.AddOpaqueTokens() });

        Assert.Empty(RolesPolicy(app.Services).AuthenticationSchemes);
        using var response = await app.SendAsync(HttpMethod.Get, RolesPath, "dev-token");
        Assert.Equal(HttpStatusCode.OK, response.StatusCode);
        using var anonymous = await app.SendAsync(HttpMethod.Get, RolesPath);
        Assert.Equal(HttpStatusCode.Unauthorized, anonymous.StatusCode);
        Assert.Equal("Bearer", anonymous.Headers.WwwAuthenticate.Single().Scheme);
    }

    [Fact]
    public async Task Where_another_scheme_is_the_default_the_policy_names_ours_and_our_token_still_opens_the_endpoint()
    {
        await using var app = await TestApp.StartAsync(new TestAppOptions
        {
            Provider = static auth => auth.AddOpaqueTokens(),
            Services = static services => services
                .AddAuthentication(static o => o.DefaultScheme = NoResultHandler.Name)
                .AddScheme<AuthenticationSchemeOptions, NoResultHandler>(NoResultHandler.Name, configureOptions: null),
        });

        Assert.Equal([RxInferDefaults.AuthenticationScheme], RolesPolicy(app.Services).AuthenticationSchemes);
        using var response = await app.SendAsync(HttpMethod.Get, RolesPath, "dev-token");
        Assert.Equal(HttpStatusCode.OK, response.StatusCode);
        Assert.Contains("\"roles\"", await response.Content.ReadAsStringAsync(), StringComparison.Ordinal);

        // The challenge is ours (the contract's 401 with a Bearer challenge), not the default scheme's empty one.
        using var anonymous = await app.SendAsync(HttpMethod.Get, RolesPath);
        Assert.Equal(HttpStatusCode.Unauthorized, anonymous.StatusCode);
        Assert.Equal("Bearer", anonymous.Headers.WwwAuthenticate.Single().Scheme);
        Assert.Contains("\"error\"", await anonymous.Content.ReadAsStringAsync(), StringComparison.Ordinal);
    }

    [Fact]
    public async Task A_WebApplication_that_calls_neither_middleware_gets_both_and_our_token_opens_the_endpoint()
    {
        // The README's claim that the policy may rely on the default scheme in a minimal host: WebApplication adds
        // UseAuthentication() and UseAuthorization() itself when authentication services are registered.
        var builder = WebApplication.CreateBuilder();
        builder.WebHost.UseTestServer();
        builder.Logging.ClearProviders();
        builder.Services.AddRxInferAuth().AddOpaqueTokens().AddDevelopmentToken();
        builder.Services.AddRxInferAuthentication();
        builder.Services.AddRxInferEndpoints();
        await using var app = builder.Build();
        app.MapGroup("/v1").MapRxInferTokens();
        await app.StartAsync();
        using var client = app.GetTestClient();

        Assert.Empty(RolesPolicy(app.Services).AuthenticationSchemes);
        using var request = new HttpRequestMessage(HttpMethod.Get, RolesPath);
        request.Headers.Authorization = new AuthenticationHeaderValue("Bearer", "dev-token");
        using var response = await client.SendAsync(request);
        Assert.Equal(HttpStatusCode.OK, response.StatusCode);
        using var anonymous = await client.GetAsync(new Uri(RolesPath, UriKind.Relative));
        Assert.Equal(HttpStatusCode.Unauthorized, anonymous.StatusCode);
    }

    [Fact]
    public async Task Without_the_authentication_middleware_an_accepted_token_is_refused_and_the_log_says_to_add_it()
    {
        // A host that builds its pipeline by hand (not WebApplication, which adds the middleware itself) and leaves
        // out app.UseAuthentication(): refused, never let through, and the warning names the missing call.
        using var host = await new HostBuilder()
            .ConfigureWebHost(static web => web
                .UseTestServer()
                .ConfigureLogging(static logging => logging.ClearProviders().AddFakeLogging())
                .ConfigureServices(static services =>
                {
                    services.AddRouting();
                    services.AddRxInferAuth().AddOpaqueTokens().AddDevelopmentToken();
                    services.AddRxInferAuthentication();
                    services.AddRxInferEndpoints();
                })
                .Configure(static app =>
                {
                    app.UseRouting();
                    app.UseAuthorization();
                    app.UseEndpoints(static endpoints => endpoints.MapGroup("/v1").MapRxInferTokens());
                }))
            .StartAsync();
        using var client = host.GetTestClient();
        using var request = new HttpRequestMessage(HttpMethod.Get, RolesPath);
        request.Headers.Authorization = new AuthenticationHeaderValue("Bearer", "dev-token");

        using var response = await client.SendAsync(request);

        Assert.Equal(HttpStatusCode.Unauthorized, response.StatusCode);
        var warning = Assert.Single(host.Services.GetFakeLogCollector().GetSnapshot(), static r => r.Id.Name == "AcceptedTokenChallenged");
        Assert.Equal(LogLevel.Warning, warning.Level);
        Assert.Contains("app.UseAuthentication()", warning.Message, StringComparison.Ordinal);
        Assert.DoesNotContain("dev-token", warning.Message, StringComparison.Ordinal);
        await host.StopAsync();
    }

    private static AuthorizationPolicy RolesPolicy(IServiceProvider services) =>
        services.GetRequiredService<EndpointDataSource>().Endpoints
            .OfType<RouteEndpoint>()
            .Single(static e => e.RoutePattern.RawText == RolesPath)
            .Metadata.GetRequiredMetadata<AuthorizationPolicy>();

    /// <summary>A default scheme that never authenticates anyone (as a cookie scheme does for a bearer-only request).</summary>
    private sealed class NoResultHandler(IOptionsMonitor<AuthenticationSchemeOptions> options, ILoggerFactory logger, UrlEncoder encoder)
        : AuthenticationHandler<AuthenticationSchemeOptions>(options, logger, encoder)
    {
        public const string Name = "Other";

        protected override Task<AuthenticateResult> HandleAuthenticateAsync() => Task.FromResult(AuthenticateResult.NoResult());
    }
}
