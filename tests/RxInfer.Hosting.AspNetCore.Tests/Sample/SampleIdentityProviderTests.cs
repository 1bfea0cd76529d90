using System.Diagnostics;
using System.Net;
using System.Net.Http.Headers;

namespace RxInfer.Hosting.AspNetCore.Tests;

/// <summary>
/// The sample host in JWT mode as the identity provider of a second sample host configured, through configuration
/// alone, to accept its tokens as those of the external OpenID Connect issuer <c>idp</c> (the sample README's
/// "Two hosts" recipe, on Kestrel over loopback).
/// </summary>
public sealed class SampleIdentityProviderTests
{
    private static readonly TimeSpan FirstFetchDeadline = TimeSpan.FromSeconds(60); // generous: the suite runs in parallel on 2 cores

    [Fact]
    public async Task In_JWT_mode_the_sample_publishes_its_issuer_and_public_keys()
    {
        await using var issuer = await SampleHost.StartAsync(["--RxInfer:Auth:Provider=Jwt", "--environment=Development"]);

        using var discovery = await issuer.Client.GetAsync("/.well-known/openid-configuration");
        Assert.Equal(HttpStatusCode.OK, discovery.StatusCode);
        var document = await Json.ReadAsync(discovery);
        Assert.Equal("rxinfer-sample", document.GetProperty("issuer").GetString());

        using var jwks = await issuer.Client.GetAsync("/.well-known/jwks.json");
        Assert.Equal(HttpStatusCode.OK, jwks.StatusCode);
        var key = Assert.Single((await Json.ReadAsync(jwks)).GetProperty("keys").EnumerateArray());
        Assert.Equal("EC", key.GetProperty("kty").GetString());
        Assert.False(key.TryGetProperty("d", out _)); // never the private part
    }

    [Fact]
    public async Task In_opaque_mode_the_sample_serves_no_discovery_document()
    {
        await using var host = await SampleHost.StartAsync();

        using var discovery = await host.Client.GetAsync("/.well-known/openid-configuration");

        Assert.Equal(HttpStatusCode.NotFound, discovery.StatusCode);
    }

    [Fact]
    public async Task A_token_of_the_sample_in_JWT_mode_opens_a_second_sample_that_accepts_it_as_an_external_issuer()
    {
        await using var issuer = await SampleHost.StartAsync(["--RxInfer:Auth:Provider=Jwt", "--environment=Development"]);
        await using var relying = await SampleHost.StartAsync(
        [
            "--RxInfer:Auth:OpenIdConnect:idp:Authority=" + issuer.Address.GetLeftPart(UriPartial.Authority),
            "--RxInfer:Auth:OpenIdConnect:idp:Issuer=rxinfer-sample",
            "--RxInfer:Auth:OpenIdConnect:idp:Audience=rxinfer-sample",
            "--RxInfer:Auth:OpenIdConnect:idp:RequireHttpsMetadata=false",
        ]);
        var token = await GenerateTokenAsync(issuer);

        // Until the second host has fetched the issuer's metadata its tokens are 503 (never 401), then 200.
        using var roles = await UntilMetadataFetchedAsync(relying, token);
        Assert.Equal(HttpStatusCode.OK, roles.StatusCode);
        Assert.Equal(["user"], (await Json.ReadAsync(roles)).GetProperty("roles").EnumerateArray().Select(r => r.GetString()));

        using var created = await SendAsync(relying, HttpMethod.Post, "/v1/models/create-instance", token, """{"model_name":"coin-toss-v1"}""");
        Assert.Equal(HttpStatusCode.OK, created.StatusCode);
        var id = (await Json.ReadAsync(created)).GetProperty("instance_id").GetString()!;
        using var mine = await SendAsync(relying, HttpMethod.Get, $"/v1/models/i/{id}", token);
        Assert.Equal(HttpStatusCode.OK, mine.StatusCode);

        // The second host's own token is another owner.
        var local = await GenerateTokenAsync(relying);
        using var theirs = await SendAsync(relying, HttpMethod.Get, $"/v1/models/i/{id}", local);
        Assert.Equal(HttpStatusCode.NotFound, theirs.StatusCode);

        // And the issuer does not accept a token of the second host: it trusts no one.
        using var back = await SendAsync(issuer, HttpMethod.Get, "/v1/token/roles", local);
        Assert.Equal(HttpStatusCode.Unauthorized, back.StatusCode);
    }

    private static async Task<string> GenerateTokenAsync(SampleHost host)
    {
        using var response = await host.Client.PostAsync("/v1/token/generate", content: null);
        Assert.Equal(HttpStatusCode.OK, response.StatusCode);
        return (await Json.ReadAsync(response)).GetProperty("token").GetString()!;
    }

    private static async Task<HttpResponseMessage> UntilMetadataFetchedAsync(SampleHost host, string token)
    {
        var waited = Stopwatch.StartNew();
        while (true)
        {
            var response = await SendAsync(host, HttpMethod.Get, "/v1/token/roles", token);
            if (response.StatusCode != HttpStatusCode.ServiceUnavailable || waited.Elapsed > FirstFetchDeadline)
            {
                return response;
            }

            response.Dispose();
            await Task.Delay(TimeSpan.FromMilliseconds(200));
        }
    }

    private static async Task<HttpResponseMessage> SendAsync(SampleHost host, HttpMethod method, string path, string token, string? json = null)
    {
        using var request = new HttpRequestMessage(method, path);
        request.Headers.Authorization = new AuthenticationHeaderValue("Bearer", token);
        if (json is not null)
        {
            request.Content = new StringContent(json, System.Text.Encoding.UTF8, "application/json");
        }

        return await host.Client.SendAsync(request);
    }
}
