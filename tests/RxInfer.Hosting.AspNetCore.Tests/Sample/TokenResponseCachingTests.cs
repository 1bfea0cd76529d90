using System.Net;
using System.Net.Http.Headers;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.DependencyInjection.Extensions;
using RxInfer.Auth;

namespace RxInfer.Hosting.AspNetCore.Tests;

/// <summary>
/// RFC 6749 §5.1: every response that carries a token has <c>Cache-Control: no-store</c> and <c>Pragma: no-cache</c>,
/// whichever way the token was obtained, on the sample host's real pipeline and with either provider.
/// </summary>
public sealed class TokenResponseCachingTests
{
    public static TheoryData<string, string> Ways => new()
    {
        { "Opaque", "anonymous" },
        { "Opaque", "bearer token echoed" },
        { "Opaque", "development token echoed" },
        { "Opaque", "development token with roles echoed" },
        { "Opaque", "api key exchanged" },
        { "Opaque", "basic credentials exchanged" },
        { "Jwt", "anonymous" },
        { "Jwt", "bearer token echoed" },
        { "Jwt", "api key exchanged" },
        { "Jwt", "basic credentials exchanged" },
    };

    [Theory]
    [MemberData(nameof(Ways))]
    public async Task A_token_response_forbids_caching(string provider, string way)
    {
        await using var host = await SampleHost.StartAsync(
            ["--RXINFER_SERVER_ENABLE_DEV_TOKEN=true", "--RxInfer:Auth:Provider=" + provider, "--environment=Development"],
            builder => builder.Services.Replace(ServiceDescriptor.Singleton<ICredentialValidator, AliceOnly>()));
        using var request = new HttpRequestMessage(HttpMethod.Post, new Uri("/v1/token/generate", UriKind.Relative));
        switch (way)
        {
            case "bearer token echoed":
                request.Headers.Authorization = new AuthenticationHeaderValue("Bearer", await host.GenerateTokenAsync());
                break;
            case "development token echoed":
                request.Headers.Authorization = new AuthenticationHeaderValue("Bearer", "dev-token");
                break;
            case "development token with roles echoed":
                request.Headers.Authorization = new AuthenticationHeaderValue("Bearer", "dev-token:admin,user");
                break;
            case "api key exchanged":
                request.Headers.Add("X-API-Key", (await host.Services.GetRequiredService<IApiKeyService>().CreateAsync("svc", ["user"])).Token);
                break;
            case "basic credentials exchanged":
                request.Headers.Authorization = new AuthenticationHeaderValue("Basic", Convert.ToBase64String("alice:wonderland"u8.ToArray()));
                break;
        }

        using var response = await host.Client.SendAsync(request);

        Assert.Equal(HttpStatusCode.OK, response.StatusCode);
        Assert.False(string.IsNullOrEmpty((await Json.ReadAsync(response)).GetProperty("token").GetString()));
        Assert.True(response.Headers.CacheControl?.NoStore, $"Cache-Control: {response.Headers.CacheControl}");
        Assert.Equal("no-cache", Assert.Single(response.Headers.Pragma).ToString());
    }

    [Theory]
    [InlineData("Bearer rxi_not-a-token")]
    [InlineData("Basic " + "YWxpY2U6d3Jvbmc=")] // alice:wrong
    [InlineData("Token something")]
    public async Task A_refused_token_request_forbids_caching_too(string authorization)
    {
        await using var host = await SampleHost.StartAsync(configure: builder => builder.Services.Replace(ServiceDescriptor.Singleton<ICredentialValidator, AliceOnly>()));
        using var request = new HttpRequestMessage(HttpMethod.Post, new Uri("/v1/token/generate", UriKind.Relative));
        request.Headers.TryAddWithoutValidation("Authorization", authorization);

        using var response = await host.Client.SendAsync(request);

        Assert.Equal(HttpStatusCode.Unauthorized, response.StatusCode);
        Assert.True(response.Headers.CacheControl?.NoStore);
        Assert.Equal("no-cache", Assert.Single(response.Headers.Pragma).ToString());
    }

    private sealed class AliceOnly : ICredentialValidator
    {
        public ValueTask<TokenSubject?> ValidateAsync(string userName, string password, CancellationToken cancellationToken = default) =>
            new(userName == "alice" && password == "wonderland" ? new TokenSubject("user-alice", ["user"]) : null);
    }
}
