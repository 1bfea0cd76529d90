using System.Net;
using System.Net.Http.Headers;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Logging;
using Microsoft.Extensions.Logging.Testing;
using Microsoft.Extensions.Options;

namespace RxInfer.Hosting.AspNetCore.Tests;

/// <summary>What the sample host says about itself and logs, against what is in force.</summary>
public sealed class SampleSettingsTests
{
    private static async Task<string> BannerAsync(params string[] args)
    {
        var output = new StringWriter();
        await using var host = await SampleHost.StartAsync(args, builder => builder.Services.AddSingleton(new StartupBanner(output)));
        return output.ToString();
    }

    [Fact]
    public async Task The_banner_says_the_development_token_is_on_when_configuration_turned_it_on()
    {
        var banner = await BannerAsync("--RxInfer:Auth:DevelopmentToken:Enabled=true");

        Assert.Contains("Development token: ON", banner, StringComparison.Ordinal);
        Assert.DoesNotContain("Development token: off", banner, StringComparison.Ordinal);
    }

    [Theory]
    [InlineData("true")]
    [InlineData("TRUE")]
    [InlineData(" True ")]
    public async Task The_banner_says_the_development_token_is_on_when_the_variable_turned_it_on(string value) =>
        Assert.Contains("Development token: ON", await BannerAsync("--RXINFER_SERVER_ENABLE_DEV_TOKEN=" + value), StringComparison.Ordinal);

    [Theory]
    [InlineData]
    [InlineData("--RXINFER_SERVER_ENABLE_DEV_TOKEN=false")]
    [InlineData("--RXINFER_SERVER_ENABLE_DEV_TOKEN=yes")]
    public async Task The_banner_says_the_development_token_is_off_when_it_is(params string[] args)
    {
        var banner = await BannerAsync(args);

        Assert.Contains("Development token: off", banner, StringComparison.Ordinal);
    }

    [Fact]
    public async Task The_banner_reports_the_settings_in_force_after_the_host_is_built()
    {
        var folder = Path.Combine(Path.GetTempPath(), "rxinfer-banner-" + Guid.NewGuid().ToString("N"));
        var output = new StringWriter();
        await using (var host = await SampleHost.StartAsync(
            ["--RXINFER_SERVER_MODELS_LOCATIONS=" + folder, "--RxInfer:Auth:AllowAnonymousTokens=false"],
            builder => builder.Services.AddSingleton(new StartupBanner(output))))
        {
            var lines = output.ToString().Split(Environment.NewLine, StringSplitOptions.RemoveEmptyEntries);
            Assert.Equal($"RxInfer.Server listening on {host.Address.ToString().TrimEnd('/')}/v1 (OpenAPI: {host.Address.ToString().TrimEnd('/')}/openapi/v1.json)", lines[0]);
            Assert.Equal("Token provider: Opaque; anonymous tokens: off", lines[1]);
            Assert.Equal($"Model folders: {folder}", lines[3]);

            // ... and they are what the host does.
            using var refused = await host.Client.PostAsync(new Uri("/v1/token/generate", UriKind.Relative), content: null);
            Assert.Equal(HttpStatusCode.Unauthorized, refused.StatusCode);
            Assert.Equal([folder], host.Services.GetRequiredService<IOptions<RxInfer.Models.RxInferModelsOptions>>().Value.Locations);
        }
    }

    [Fact]
    public async Task The_adapters_refusals_pass_the_samples_own_log_filter()
    {
        // The sample's appsettings.json keeps Microsoft.AspNetCore at Warning; the adapter's lines are Information.
        await using var host = await SampleHost.StartAsync(configure: builder => builder.Logging.AddFakeLogging());
        using var request = new HttpRequestMessage(HttpMethod.Post, new Uri("/v1/token/generate", UriKind.Relative));
        request.Headers.TryAddWithoutValidation("Authorization", "Token not-a-scheme-we-know");

        using var response = await host.Client.SendAsync(request);

        Assert.Equal(HttpStatusCode.Unauthorized, response.StatusCode);
        var refusal = Assert.Single(host.Services.GetFakeLogCollector().GetSnapshot(), r => r.Id.Name == "TokenGenerationRefused");
        Assert.Equal("RxInfer.Hosting.AspNetCore.TokenEndpoints", refusal.Category);
        Assert.Equal(LogLevel.Information, refusal.Level);
        Assert.Contains("malformed Authorization header", refusal.Message, StringComparison.Ordinal);
    }

    [Theory]
    [InlineData("/v1/token/roles", "GET")]
    [InlineData("/v1/token/generate", "POST")]
    [InlineData("/v1/models/available", "GET")]
    public async Task A_rejected_token_is_validated_and_logged_once(string path, string method)
    {
        // Every level of every category, past the sample's own filter.
        await using var host = await SampleHost.StartAsync(configure: builder => builder.Logging.AddFakeLogging().AddFilter<FakeLoggerProvider>(category: null, LogLevel.Trace));
        var collector = host.Services.GetFakeLogCollector();
        var token = await host.GenerateTokenAsync();
        var unknown = "rxi_" + new string('A', token.Length - 8) + token[^4..]; // well formed, never issued
        collector.Clear();

        using var request = new HttpRequestMessage(new HttpMethod(method), new Uri(path, UriKind.Relative));
        request.Headers.Authorization = new AuthenticationHeaderValue("Bearer", unknown);
        using var response = await host.Client.SendAsync(request);

        Assert.Equal(HttpStatusCode.Unauthorized, response.StatusCode);
        var records = collector.GetSnapshot();
        var rejected = Assert.Single(records, r => r.Id.Name == "TokenRejected");
        Assert.StartsWith("RxInfer.Auth", rejected.Category, StringComparison.Ordinal);
        Assert.DoesNotContain(records, r => r.Message.Contains("Failure message", StringComparison.Ordinal));
        Assert.DoesNotContain(records, r => r.Id.Name == "TokenGenerationRefused");
        Assert.All(records, r => Assert.DoesNotContain(unknown, r.Message, StringComparison.Ordinal));
    }
}
