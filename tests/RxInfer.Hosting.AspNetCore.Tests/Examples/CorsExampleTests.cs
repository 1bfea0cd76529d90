using System.Net;
using Microsoft.AspNetCore.Builder;
using Microsoft.AspNetCore.Routing;
using Microsoft.AspNetCore.TestHost;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Logging;

namespace RxInfer.Hosting.AspNetCore.Tests;

/// <summary>The README's "Browser clients (CORS)" example, as written there.</summary>
public sealed class CorsExampleTests
{
    [Fact]
    public async Task The_readme_cors_example_answers_a_preflight_without_a_token_and_marks_a_401()
    {
        var builder = WebApplication.CreateBuilder();
        builder.WebHost.UseTestServer();
        builder.Logging.ClearProviders();
        builder.Services.AddRxInfer(builder.Configuration);
        builder.Services.AddCors(o => o.AddDefaultPolicy(p => p
            .AllowAnyOrigin()
            .WithMethods("GET", "POST", "PUT", "DELETE", "OPTIONS")
            .WithHeaders("Content-Type", "Authorization")));
        await using var app = builder.Build();
        app.UseExceptionHandler();
        app.UseStatusCodePages();
        app.UseCors();
        app.UseAuthentication();
        app.UseAuthorization();
        app.MapGroup("/v1").MapRxInfer();
        await app.StartAsync();
        var client = app.GetTestClient();

        using var preflight = new HttpRequestMessage(HttpMethod.Options, "/v1/models/instances")
        {
            Headers = { { "Origin", "https://app.example.com" }, { "Access-Control-Request-Method", "GET" }, { "Access-Control-Request-Headers", "authorization" } },
        };
        using var preflightResponse = await client.SendAsync(preflight);
        Assert.Equal(HttpStatusCode.NoContent, preflightResponse.StatusCode);
        Assert.Equal("*", preflightResponse.Headers.GetValues("Access-Control-Allow-Origin").Single());
        Assert.Contains("Authorization", preflightResponse.Headers.GetValues("Access-Control-Allow-Headers").Single(), StringComparison.Ordinal);

        using var get = new HttpRequestMessage(HttpMethod.Get, "/v1/models/instances") { Headers = { { "Origin", "https://app.example.com" } } };
        using var getResponse = await client.SendAsync(get);
        Assert.Equal(HttpStatusCode.Unauthorized, getResponse.StatusCode);
        Assert.Equal("*", getResponse.Headers.GetValues("Access-Control-Allow-Origin").Single());
    }
}
