using System.Net;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Logging;
using Microsoft.Extensions.Logging.Testing;
using RxInfer.Auth;

namespace RxInfer.Hosting.AspNetCore.Tests;

public sealed class LoggingAndOptionsTests
{
    [Fact]
    public async Task No_log_record_carries_a_token_api_key_or_password()
    {
        await using var app = await TestApp.StartAsync(new TestAppOptions
        {
            Provider = static auth => auth.AddOpaqueTokens(),
            Services = static services => services.AddLogging(logging => logging.SetMinimumLevel(LogLevel.Trace).AddFakeLogging()),
        });
        var token = await app.GenerateTokenAsync();
        var key = await app.Services.GetRequiredService<IApiKeyService>().CreateAsync("svc", ["user"]);
        var tampered = token[..^4] + "zzzz";

        using (await app.SendAsync(HttpMethod.Get, "/v1/token/roles", token)) { }
        using (await app.SendAsync(HttpMethod.Get, "/v1/token/roles", tampered)) { }
        using (await app.SendAsync(HttpMethod.Post, "/v1/token/generate", tampered)) { }
        using (var request = new HttpRequestMessage(HttpMethod.Post, "/v1/token/generate"))
        {
            request.Headers.Add("X-API-Key", key.Token);
            using var response = await app.Client.SendAsync(request);
            Assert.Equal(HttpStatusCode.OK, response.StatusCode);
        }

        using (var request = new HttpRequestMessage(HttpMethod.Post, "/v1/token/generate"))
        {
            request.Headers.TryAddWithoutValidation("Authorization", "Basic " + Convert.ToBase64String("alice:s3cret-pass"u8.ToArray()));
            using var response = await app.Client.SendAsync(request);
            Assert.Equal(HttpStatusCode.Unauthorized, response.StatusCode);
        }

        var records = app.Services.GetRequiredService<FakeLogCollector>().GetSnapshot();
        Assert.NotEmpty(records);
        foreach (var record in records)
        {
            var text = record.Message + " " + string.Join(" ", record.StructuredState?.Select(p => p.Value) ?? []);
            Assert.DoesNotContain(token, text, StringComparison.Ordinal);
            Assert.DoesNotContain(tampered, text, StringComparison.Ordinal);
            Assert.DoesNotContain(key.Token, text, StringComparison.Ordinal);
            Assert.DoesNotContain("s3cret-pass", text, StringComparison.Ordinal);
        }
    }

    [Fact]
    public async Task Challenge_without_error_description_when_the_option_is_off()
    {
        await using var app = await TestApp.StartAsync(new TestAppOptions
        {
            Provider = static auth => auth.AddOpaqueTokens(),
            Services = static services => services.Configure<RxInferBearerOptions>(RxInferDefaults.AuthenticationScheme, o => o.IncludeErrorDescription = false),
        });
        using var response = await app.SendAsync(HttpMethod.Get, "/v1/token/roles", "rxi_garbage");
        Assert.Equal(HttpStatusCode.Unauthorized, response.StatusCode);
        Assert.Equal("Bearer error=\"invalid_token\"", Assert.Single(response.Headers.WwwAuthenticate).ToString());

        using var generate = await app.SendAsync(HttpMethod.Post, "/v1/token/generate", "rxi_garbage");
        Assert.Equal("Bearer error=\"invalid_token\"", Assert.Single(generate.Headers.WwwAuthenticate).ToString());
    }

    [Fact]
    public async Task Mapping_without_the_endpoint_services_fails_with_a_clear_message()
    {
        var builder = Microsoft.AspNetCore.Builder.WebApplication.CreateBuilder();
        await using var app = builder.Build();
        var error = Assert.Throws<InvalidOperationException>(() => Microsoft.AspNetCore.Routing.RxInferEndpointRouteBuilderExtensions.MapRxInfer(app));
        Assert.Contains("AddRxInferEndpoints", error.Message, StringComparison.Ordinal);
    }
}
