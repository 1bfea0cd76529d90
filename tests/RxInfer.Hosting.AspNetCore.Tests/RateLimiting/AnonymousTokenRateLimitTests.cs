using System.Net;
using System.Net.Http.Headers;
using Microsoft.AspNetCore.Http;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Options;

namespace RxInfer.Hosting.AspNetCore.Tests;

/// <summary>
/// The rate limit of anonymous <c>POST /token/generate</c> per client address, through the sample host's real pipeline
/// (<c>app.UseRateLimiter()</c>) on a fake clock: the limiter reads the host's <see cref="TimeProvider"/>, so the
/// window moves only when the test moves the clock.
/// </summary>
public sealed class AnonymousTokenRateLimitTests
{
    private const string ClientA = "203.0.113.10";
    private const string ClientB = "203.0.113.11";

    [Fact]
    public async Task The_61st_anonymous_token_in_a_minute_is_429_with_the_contract_body_and_Retry_After()
    {
        await using var host = await FakeClockSampleHost.StartAsync();

        var statuses = await host.GenerateManyAsync(60, ClientA);
        using var refused = await host.GenerateAsync(ClientA);

        Assert.All(statuses, static status => Assert.Equal(HttpStatusCode.OK, status));
        Assert.Equal(HttpStatusCode.TooManyRequests, refused.StatusCode);
        Assert.Equal("application/json", refused.Content.Headers.ContentType?.MediaType);
        Assert.Equal(TimeSpan.FromSeconds(60), refused.Headers.RetryAfter?.Delta);
        Assert.True(refused.Headers.CacheControl?.NoStore);
        Json.Equal(
            """{"error":"Too Many Requests","message":"Too many anonymous tokens requested from this address (at most 60 a minute), try again in 60 seconds"}""",
            await Json.ReadAsync(refused));
        Assert.Equal(60, host.TokensIssued);
    }

    [Fact]
    public async Task The_window_reopens_after_a_minute_and_Retry_After_counts_down()
    {
        await using var host = await FakeClockSampleHost.StartAsync();
        await host.GenerateManyAsync(60, ClientA);

        host.Time.Advance(TimeSpan.FromSeconds(45.5));
        using (var refused = await host.GenerateAsync(ClientA))
        {
            Assert.Equal(HttpStatusCode.TooManyRequests, refused.StatusCode);
            Assert.Equal(TimeSpan.FromSeconds(15), refused.Headers.RetryAfter?.Delta); // 14.5 s left, rounded up
        }

        host.Time.Advance(TimeSpan.FromSeconds(14.5));
        using var reopened = await host.GenerateAsync(ClientA);
        Assert.Equal(HttpStatusCode.OK, reopened.StatusCode);
        Assert.Equal(61, host.TokensIssued);
    }

    [Fact]
    public async Task Each_client_address_has_its_own_limit()
    {
        await using var host = await FakeClockSampleHost.StartAsync();
        await host.GenerateManyAsync(60, ClientA);

        using var otherClient = await host.GenerateAsync(ClientB);
        using var sameClient = await host.GenerateAsync(ClientA);

        Assert.Equal(HttpStatusCode.OK, otherClient.StatusCode);
        Assert.Equal(HttpStatusCode.TooManyRequests, sameClient.StatusCode);
    }

    [Fact]
    public async Task An_ipv4_mapped_address_counts_as_its_ipv4_address_and_ipv6_counts_by_its_64_bit_prefix()
    {
        await using var host = await FakeClockSampleHost.StartAsync("--RXINFER_SERVER_ANONYMOUS_TOKENS_PER_MINUTE=2");
        await host.GenerateManyAsync(2, ClientA);
        await host.GenerateManyAsync(2, "2001:db8:1:2::1");

        Assert.Equal(HttpStatusCode.TooManyRequests, (await host.GenerateAsync("::ffff:" + ClientA)).StatusCode);
        Assert.Equal(HttpStatusCode.TooManyRequests, (await host.GenerateAsync("2001:db8:1:2:ffff::9")).StatusCode);
        Assert.Equal(HttpStatusCode.OK, (await host.GenerateAsync("2001:db8:1:3::1")).StatusCode);
    }

    [Fact]
    public async Task Requests_that_present_credentials_are_not_limited()
    {
        await using var host = await FakeClockSampleHost.StartAsync("--RXINFER_SERVER_ENABLE_DEV_TOKEN=true");
        var token = (await Json.ReadAsync(await host.GenerateAsync(ClientA))).GetProperty("token").GetString()!;
        await host.GenerateManyAsync(59, ClientA);
        Assert.Equal(HttpStatusCode.TooManyRequests, (await host.GenerateAsync(ClientA)).StatusCode);

        // A valid bearer token is returned as it is; every other credential is decided by the endpoint (401), never 429.
        Assert.Equal(HttpStatusCode.OK, await StatusAsync(r => r.Headers.Authorization = new AuthenticationHeaderValue("Bearer", token)));
        Assert.Equal(HttpStatusCode.OK, await StatusAsync(r => r.Headers.Authorization = new AuthenticationHeaderValue("Bearer", "dev-token")));
        Assert.Equal(HttpStatusCode.Unauthorized, await StatusAsync(r => r.Headers.Authorization = new AuthenticationHeaderValue("Bearer", "rxi_garbage")));
        Assert.Equal(HttpStatusCode.Unauthorized, await StatusAsync(r => r.Headers.Authorization = new AuthenticationHeaderValue("Basic", "YWxpY2U6c2VjcmV0")));
        Assert.Equal(HttpStatusCode.Unauthorized, await StatusAsync(r => r.Headers.Add("X-API-Key", "rxk_unknown")));
        Assert.Equal(StatusCodes.Status401Unauthorized, await host.GenerateRawAsync(ClientA, static r => r.Headers.Authorization = ""));
        Assert.Equal(StatusCodes.Status401Unauthorized, await host.GenerateRawAsync(ClientA, static r => r.Headers["X-API-Key"] = ""));
        Assert.Equal(60, host.TokensIssued);

        // Other endpoints are not limited either.
        using var roles = new HttpRequestMessage(HttpMethod.Get, "/v1/token/roles") { Headers = { Authorization = new AuthenticationHeaderValue("Bearer", token) } };
        roles.Headers.Add(FakeClockSampleHost.ClientAddressHeader, ClientA);
        Assert.Equal(HttpStatusCode.OK, (await host.Client.SendAsync(roles)).StatusCode);

        async Task<HttpStatusCode> StatusAsync(Action<HttpRequestMessage> credentials)
        {
            using var response = await host.GenerateAsync(ClientA, credentials);
            return response.StatusCode;
        }
    }

    [Fact]
    public async Task The_variable_sets_the_limit_and_zero_turns_it_off()
    {
        await using (var limited = await FakeClockSampleHost.StartAsync("--RXINFER_SERVER_ANONYMOUS_TOKENS_PER_MINUTE=3"))
        {
            Assert.Equal(
                [HttpStatusCode.OK, HttpStatusCode.OK, HttpStatusCode.OK, HttpStatusCode.TooManyRequests],
                await limited.GenerateManyAsync(4, ClientA));
        }

        await using var unlimited = await FakeClockSampleHost.StartAsync("--RXINFER_SERVER_ANONYMOUS_TOKENS_PER_MINUTE=0");
        Assert.All(await unlimited.GenerateManyAsync(100, ClientA), static status => Assert.Equal(HttpStatusCode.OK, status));
        Assert.Equal(0, unlimited.Services.GetRequiredService<IOptions<RxInferEndpointOptions>>().Value.AnonymousTokensPerMinute);
    }

    [Fact]
    public async Task The_sample_defaults_to_60_a_minute()
    {
        await using var host = await FakeClockSampleHost.StartAsync();

        Assert.Equal(60, host.Services.GetRequiredService<IOptions<RxInferEndpointOptions>>().Value.AnonymousTokensPerMinute);
    }

    [Theory]
    [InlineData("", "on, at most 60 a minute per client address")]
    [InlineData("--RXINFER_SERVER_ANONYMOUS_TOKENS_PER_MINUTE=7", "on, at most 7 a minute per client address")]
    [InlineData("--RXINFER_SERVER_ANONYMOUS_TOKENS_PER_MINUTE=0", "on, not rate limited")]
    public async Task The_banner_reports_the_rate_limit_in_force(string setting, string expected)
    {
        var output = new StringWriter();
        string[] args = setting.Length == 0 ? [] : [setting];
        await using (var host = await SampleHost.StartAsync(args, builder => builder.Services.AddSingleton(new StartupBanner(output))))
        {
            Assert.Contains($"Token provider: Opaque; anonymous tokens: {expected}", output.ToString(), StringComparison.Ordinal);
        }
    }

    [Theory]
    [InlineData("sixty")]
    [InlineData("-1")]
    [InlineData("1.5")]
    public void A_variable_that_is_not_a_whole_number_fails_at_start_naming_it(string value)
    {
        var error = Assert.Throws<InvalidOperationException>(() => Program.CreateApp([$"--RXINFER_SERVER_ANONYMOUS_TOKENS_PER_MINUTE={value}"]));

        Assert.Contains("RXINFER_SERVER_ANONYMOUS_TOKENS_PER_MINUTE", error.Message, StringComparison.Ordinal);
        Assert.Contains(value, error.Message, StringComparison.Ordinal);
    }
}
