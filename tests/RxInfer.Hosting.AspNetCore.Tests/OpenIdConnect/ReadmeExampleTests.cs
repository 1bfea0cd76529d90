using System.Net;
using Microsoft.AspNetCore.Builder;
using Microsoft.AspNetCore.Hosting;
using Microsoft.AspNetCore.Routing;
using Microsoft.AspNetCore.TestHost;
using Microsoft.Extensions.Configuration;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Logging;
using Microsoft.Extensions.Options;
using RxInfer.Auth;
using RxInfer.Hosting.AspNetCore.Tests.Federation;

namespace RxInfer.Hosting.AspNetCore.Tests.OpenIdConnect;

/// <summary>
/// The examples of "Sign users in with your identity provider" (the Auth and the Hosting README), copied as they are:
/// they compile, the host starts with them (options valid), and our own tokens keep working beside the issuer, whose
/// metadata is never fetched for them (the example's authority is not reachable from here, and need not be).
/// </summary>
public sealed class ReadmeExampleTests
{
    private static async Task<WebApplication> StartAsync(Action<WebApplicationBuilder> readme)
    {
        var builder = WebApplication.CreateBuilder();
        builder.WebHost.UseTestServer();
        builder.Logging.ClearProviders();
        builder.Configuration.AddInMemoryCollection(new Dictionary<string, string?>
        {
            ["RxInfer:Auth:Jwt:Keys:0:KeyId"] = "readme-1",
            ["RxInfer:Auth:Jwt:Keys:0:Algorithm"] = "ES256",
            ["RxInfer:Auth:Jwt:Keys:0:Pem"] = TestKeys.EcPrivatePem,
        });
        readme(builder);
        builder.Services.AddRxInferModels(o => o.Locations = [TestApp.ModelsFolder]);
        var app = builder.Build();
        app.UseAuthentication();
        app.UseAuthorization();
        app.MapGroup("/v1").MapRxInfer();
        await app.StartAsync();
        return app;
    }

    private static async Task AssertOurTokensWorkAsync(WebApplication app)
    {
        using var client = app.GetTestClient();
        using var generated = await client.PostAsync(new Uri("/v1/token/generate", UriKind.Relative), content: null);
        var token = (await Json.ReadAsync(generated)).GetProperty("token").GetString()!;
        using var request = new HttpRequestMessage(HttpMethod.Get, "/v1/token/roles");
        request.Headers.Authorization = new("Bearer", token);
        using var roles = await client.SendAsync(request);
        Assert.Equal(HttpStatusCode.OK, roles.StatusCode);
    }

    [Fact]
    public async Task The_Auth_README_example_starts_and_our_JWTs_still_work()
    {
        await using var app = await StartAsync(static builder =>
        {
            builder.Services.AddRxInferAuth(builder.Configuration.GetSection("RxInfer:Auth"))
                .AddJwtTokens()                                   // our own tokens, as before
                .AddOpenIdConnectIssuer("corp", o =>              // binds RxInfer:Auth:OpenIdConnect:corp first
                {
                    o.Authority = "https://login.example.com/realms/main";
                    o.Audience = "rxinfer-api";                   // this API's identifier at the issuer
                    o.RoleClaim = "roles";                        // a string, an array of strings, or "scope" (space-separated)
                    o.RoleMap["rxinfer.user"] = "user";           // optional renaming
                    o.AllowedRoles = ["user", "admin"];           // optional: keep only these
                });
            builder.Services.AddRxInferAuthentication();
            builder.Services.AddRxInferEndpoints();
        });

        var corp = app.Services.GetRequiredService<IOptionsMonitor<OpenIdConnectIssuerOptions>>().Get("corp");
        Assert.Equal("user", corp.RoleMap["rxinfer.user"]);
        await AssertOurTokensWorkAsync(app);
    }

    [Fact]
    public async Task The_Hosting_README_example_starts_and_our_opaque_tokens_still_work()
    {
        await using var app = await StartAsync(static builder =>
        {
            builder.Services.AddRxInferAuth(builder.Configuration.GetSection("RxInfer:Auth"))
                .AddOpaqueTokens()
                .AddOpenIdConnectIssuer("corp", o =>
                {
                    o.Authority = "https://login.example.com/realms/main";
                    o.Audience = "rxinfer-api";
                    o.RoleClaim = "scope";                 // "models instances" gives two roles
                    o.RoleMap["models"] = "user";
                });
            builder.Services.AddRxInferAuthentication();
            builder.Services.AddRxInferEndpoints();
        });

        Assert.Equal("scope", app.Services.GetRequiredService<IOptionsMonitor<OpenIdConnectIssuerOptions>>().Get("corp").RoleClaim);
        await AssertOurTokensWorkAsync(app);
    }

    [Fact]
    public async Task A_host_with_an_invalid_issuer_option_fails_at_start_naming_the_option()
    {
        var failure = await Assert.ThrowsAsync<OptionsValidationException>(() => StartAsync(static builder =>
        {
            builder.Services.AddRxInferAuth().AddOpaqueTokens().AddOpenIdConnectIssuer("corp", o =>
            {
                o.Authority = "http://login.example.com";
                o.Audience = "rxinfer-api";
            });
            builder.Services.AddRxInferAuthentication();
            builder.Services.AddRxInferEndpoints();
        }));

        Assert.Contains("RxInfer:Auth:OpenIdConnect:corp:Authority must use https", failure.Message, StringComparison.Ordinal);
    }
}
