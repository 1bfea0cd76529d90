using System.Net;
using Microsoft.AspNetCore.Builder;
using Microsoft.AspNetCore.TestHost;

namespace RxInfer.Hosting.AspNetCore.Tests.Sample;

/// <summary>CORS on the sample host's own pipeline (<see cref="Program.CreateApp"/>), with its defaults and with the variables set.</summary>
public sealed class SampleCorsTests
{
    private const string Origin = "https://app.example.com";

    private static async Task<WebApplication> StartAsync(params string[] args)
    {
        var app = Program.CreateApp(args, static builder => builder.WebHost.UseTestServer());
        await app.StartAsync();
        return app;
    }

    private static HttpRequestMessage Preflight(string path, string method, string? headers = "authorization,content-type", string origin = Origin)
    {
        var request = new HttpRequestMessage(HttpMethod.Options, path);
        request.Headers.Add("Origin", origin);
        request.Headers.Add("Access-Control-Request-Method", method);
        if (headers is not null)
        {
            request.Headers.Add("Access-Control-Request-Headers", headers);
        }

        return request;
    }

    private static string? Header(HttpResponseMessage response, string name) =>
        response.Headers.TryGetValues(name, out var values) ? string.Join(", ", values) : null;

    private static string[] Items(string? header) =>
        header is null ? [] : [.. header.Split(',', StringSplitOptions.TrimEntries | StringSplitOptions.RemoveEmptyEntries).Select(static h => h.ToUpperInvariant()).Order(StringComparer.Ordinal)];

    [Theory]
    [InlineData("/v1/models/available", "GET")]
    [InlineData("/v1/models/create-instance", "POST")]
    [InlineData("/v1/models/i/6b3c8a55-2a53-4a5e-9d8a-3f3b1f7c0d11", "DELETE")]
    [InlineData("/v1/token/generate", "POST")]
    public async Task A_preflight_without_a_token_is_answered_2xx_with_the_default_headers(string path, string method)
    {
        await using var app = await StartAsync();
        using var client = app.GetTestClient();
        using var response = await client.SendAsync(Preflight(path, method));

        Assert.True(response.IsSuccessStatusCode, $"{(int)response.StatusCode}");
        Assert.Equal("*", Header(response, "Access-Control-Allow-Origin"));
        Assert.Contains(method, Items(Header(response, "Access-Control-Allow-Methods")));
        Assert.Equal(["AUTHORIZATION", "CONTENT-TYPE"], Items(Header(response, "Access-Control-Allow-Headers")));
        Assert.False(response.Headers.Contains("WWW-Authenticate"));
    }

    [Fact]
    public async Task A_GET_with_an_origin_gets_Allow_Origin_and_so_does_its_401()
    {
        await using var app = await StartAsync();
        using var client = app.GetTestClient();

        using var ping = new HttpRequestMessage(HttpMethod.Get, "/v1/ping");
        ping.Headers.Add("Origin", Origin);
        using var pong = await client.SendAsync(ping);
        Assert.Equal(HttpStatusCode.OK, pong.StatusCode);
        Assert.Equal("*", Header(pong, "Access-Control-Allow-Origin"));

        // a browser script must be able to read the 401 body to know it needs a token
        using var roles = new HttpRequestMessage(HttpMethod.Get, "/v1/token/roles");
        roles.Headers.Add("Origin", Origin);
        using var unauthorized = await client.SendAsync(roles);
        Assert.Equal(HttpStatusCode.Unauthorized, unauthorized.StatusCode);
        Assert.Equal("*", Header(unauthorized, "Access-Control-Allow-Origin"));
        Assert.Equal("Unauthorized", (await Json.ReadAsync(unauthorized)).GetProperty("error").GetString());
    }

    [Fact]
    public async Task A_request_without_an_origin_gets_no_CORS_headers()
    {
        await using var app = await StartAsync();
        using var client = app.GetTestClient();
        using var response = await client.GetAsync(new Uri("/v1/ping", UriKind.Relative));
        Assert.Equal(HttpStatusCode.OK, response.StatusCode);
        Assert.DoesNotContain(response.Headers, static h => h.Key.StartsWith("Access-Control-", StringComparison.OrdinalIgnoreCase));
    }

    [Fact]
    public async Task The_variables_choose_the_origin_the_methods_and_the_headers()
    {
        await using var app = await StartAsync(
            "--RXINFER_SERVER_CORS_ACCESS_CONTROL_ALLOW_ORIGIN=https://app.example.com, http://localhost:5173",
            "--RXINFER_SERVER_CORS_ACCESS_CONTROL_ALLOW_METHODS=GET, POST",
            "--RXINFER_SERVER_CORS_ACCESS_CONTROL_ALLOW_HEADERS=Authorization, X-API-Key");
        using var client = app.GetTestClient();

        using var allowed = await client.SendAsync(Preflight("/v1/token/generate", "POST", "x-api-key"));
        Assert.True(allowed.IsSuccessStatusCode);
        Assert.Equal(Origin, Header(allowed, "Access-Control-Allow-Origin"));
        Assert.Equal(["GET", "POST"], Items(Header(allowed, "Access-Control-Allow-Methods")));
        Assert.Equal(["AUTHORIZATION", "X-API-KEY"], Items(Header(allowed, "Access-Control-Allow-Headers")));

        using var second = await client.SendAsync(Preflight("/v1/models/available", "GET", headers: null, origin: "http://localhost:5173"));
        Assert.Equal("http://localhost:5173", Header(second, "Access-Control-Allow-Origin"));

        // another origin, a method or a header outside the lists: not granted, so the browser blocks the call
        using var otherOrigin = await client.SendAsync(Preflight("/v1/models/available", "GET", origin: "https://evil.example"));
        Assert.Null(Header(otherOrigin, "Access-Control-Allow-Origin"));
        using var otherMethod = await client.SendAsync(Preflight("/v1/models/i/6b3c8a55-2a53-4a5e-9d8a-3f3b1f7c0d11", "DELETE"));
        Assert.DoesNotContain("DELETE", Items(Header(otherMethod, "Access-Control-Allow-Methods")));
        using var otherHeader = await client.SendAsync(Preflight("/v1/models/available", "GET", "content-type"));
        Assert.DoesNotContain("CONTENT-TYPE", Items(Header(otherHeader, "Access-Control-Allow-Headers")));

        using var get = new HttpRequestMessage(HttpMethod.Get, "/v1/ping");
        get.Headers.Add("Origin", "https://evil.example");
        using var response = await client.SendAsync(get);
        Assert.Equal(HttpStatusCode.OK, response.StatusCode); // CORS is enforced by the browser, not by refusing the request
        Assert.Null(Header(response, "Access-Control-Allow-Origin"));
    }

    [Fact]
    public async Task Star_in_the_variables_allows_any_method_and_header()
    {
        await using var app = await StartAsync(
            "--RXINFER_SERVER_CORS_ACCESS_CONTROL_ALLOW_METHODS=*",
            "--RXINFER_SERVER_CORS_ACCESS_CONTROL_ALLOW_HEADERS=*");
        using var client = app.GetTestClient();
        using var response = await client.SendAsync(Preflight("/v1/models/available", "PATCH", "x-custom"));
        Assert.Equal(["PATCH"], Items(Header(response, "Access-Control-Allow-Methods")));
        Assert.Equal(["X-CUSTOM"], Items(Header(response, "Access-Control-Allow-Headers")));
    }

    [Theory]
    [InlineData("RXINFER_SERVER_CORS_ACCESS_CONTROL_ALLOW_ORIGIN", "app.example.com", "'app.example.com' is not")]
    [InlineData("RXINFER_SERVER_CORS_ACCESS_CONTROL_ALLOW_ORIGIN", "https://app.example.com/path", "'https://app.example.com/path' is not")]
    [InlineData("RXINFER_SERVER_CORS_ACCESS_CONTROL_ALLOW_ORIGIN", "*, https://app.example.com", "'*' is not")]
    [InlineData("RXINFER_SERVER_CORS_ACCESS_CONTROL_ALLOW_ORIGIN", ",", "',' is not")]
    [InlineData("RXINFER_SERVER_CORS_ACCESS_CONTROL_ALLOW_METHODS", "GET, PO ST", "'PO ST' is not")]
    [InlineData("RXINFER_SERVER_CORS_ACCESS_CONTROL_ALLOW_HEADERS", "Authorization, X:Y", "'X:Y' is not")]
    public void A_value_that_is_not_a_list_fails_the_start_with_a_message_naming_the_variable(string variable, string value, string fragment)
    {
        var error = Assert.Throws<InvalidOperationException>(() => Program.CreateApp([$"--{variable}={value}"]));
        Assert.StartsWith(variable + " must be * or a comma-separated list", error.Message, StringComparison.Ordinal);
        Assert.Contains(fragment, error.Message, StringComparison.Ordinal);
    }
}
