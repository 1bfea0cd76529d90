using System.Net;
using Microsoft.AspNetCore.Builder;
using Microsoft.AspNetCore.Hosting;
using Microsoft.AspNetCore.Http;
using Microsoft.AspNetCore.RateLimiting;
using Microsoft.AspNetCore.Routing;
using Microsoft.AspNetCore.TestHost;
using Microsoft.Extensions.Configuration;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Logging;

namespace RxInfer.Hosting.AspNetCore.Tests;

/// <summary>The README's "In production" example: the token area rate-limited, the other areas not.</summary>
public sealed class RateLimitingExampleTests
{
    [Fact]
    public async Task The_token_area_can_be_rate_limited_on_its_own()
    {
        var builder = WebApplication.CreateBuilder();
        builder.WebHost.UseTestServer();
        builder.Logging.ClearProviders();
        builder.Configuration.AddInMemoryCollection(new Dictionary<string, string?> { ["RxInfer:Auth:DevelopmentToken:Enabled"] = "true" });
        builder.Services.AddRxInfer(builder.Configuration);
        builder.Services.AddRateLimiter(o =>
        {
            o.RejectionStatusCode = StatusCodes.Status429TooManyRequests;
            o.AddFixedWindowLimiter("tokens", w => { w.PermitLimit = 2; w.Window = TimeSpan.FromHours(1); });
        });
        await using var app = builder.Build();
        app.UseExceptionHandler();
        app.UseStatusCodePages();
        app.UseAuthentication();
        app.UseAuthorization();
        app.UseRateLimiter();
        var v1 = app.MapGroup("/v1");
        v1.MapRxInferTokens().RequireRateLimiting("tokens");
        v1.MapRxInferModels();
        v1.MapRxInferInstances();
        await app.StartAsync();
        var client = app.GetTestClient();

        var statuses = new List<HttpStatusCode>();
        for (var i = 0; i < 3; i++)
        {
            using var response = await client.PostAsync(new Uri("/v1/token/generate", UriKind.Relative), null);
            statuses.Add(response.StatusCode);
        }

        using var models = new HttpRequestMessage(HttpMethod.Get, "/v1/models/available") { Headers = { { "Authorization", "Bearer dev-token" } } };
        using var modelsResponse = await client.SendAsync(models);

        Assert.Equal([HttpStatusCode.OK, HttpStatusCode.OK, HttpStatusCode.TooManyRequests], statuses);
        Assert.Equal(HttpStatusCode.OK, modelsResponse.StatusCode);
    }
}
