using System.Net;
using System.Text.Json;
using Microsoft.Extensions.DependencyInjection;
using RxInfer.Auth;

namespace RxInfer.Hosting.AspNetCore.Tests;

/// <summary>
/// Every operation and status of docs/protocol.md (Part 1) over HTTP, with exact bodies and headers. Written once and run
/// for each token provider: a subclass supplies the provider.
/// </summary>
public abstract partial class HttpContractTests
{
    internal const string Unauthorized = """{"error":"Unauthorized","message":"The request requires authentication, generate a token using the /token/generate endpoint or use the development token `dev-token`"}""";
    internal const string UnauthorizedWithoutDevToken = """{"error":"Unauthorized","message":"The request requires authentication, generate a token using the /token/generate endpoint"}""";
    internal const string InstanceNotFound = """{"error":"Not Found","message":"The requested model instance could not be found"}""";

    /// <summary>Chooses the token provider under test.</summary>
    protected abstract void ConfigureProvider(RxInferAuthBuilder auth);

    private Task<TestApp> StartAsync(bool developmentToken = true, bool allowAnonymous = true, long? maxBody = null) =>
        TestApp.StartAsync(new TestAppOptions
        {
            Provider = ConfigureProvider,
            DevelopmentToken = developmentToken,
            AllowAnonymousTokens = allowAnonymous,
            MaxRequestBodySize = maxBody,
        });

    private static string ModelNotFound(string name) =>
        JsonSerializer.Serialize(new { error = "Not Found", message = $"The requested model name `{name}` could not be found" });

    private static async Task AssertErrorAsync(HttpResponseMessage response, HttpStatusCode status, string expectedBody)
    {
        Assert.Equal(status, response.StatusCode);
        Assert.Equal("application/json", response.Content.Headers.ContentType?.MediaType);
        Json.Equal(expectedBody, await Json.ReadAsync(response));
    }

    private static async Task AssertBadRequestAsync(HttpResponseMessage response, string message) =>
        await AssertErrorAsync(response, HttpStatusCode.BadRequest, JsonSerializer.Serialize(new { error = "Bad Request", message }));

    private static async Task AssertNoTokenAsync(HttpResponseMessage response, string body = Unauthorized)
    {
        await AssertErrorAsync(response, HttpStatusCode.Unauthorized, body);
        Assert.Equal("Bearer", Assert.Single(response.Headers.WwwAuthenticate).ToString());
    }

    private static async Task AssertRejectedTokenAsync(HttpResponseMessage response, string description, string? token = null)
    {
        await AssertErrorAsync(response, HttpStatusCode.Unauthorized, Unauthorized);
        var challenge = Assert.Single(response.Headers.WwwAuthenticate).ToString();
        Assert.Equal($"Bearer error=\"invalid_token\", error_description=\"{description}\"", challenge);
        if (token is not null)
        {
            Assert.DoesNotContain(token, challenge, StringComparison.Ordinal);
        }
    }

    private static async Task<string[]> RolesAsync(TestApp app, string token)
    {
        using var response = await app.SendAsync(HttpMethod.Get, "/v1/token/roles", token);
        Assert.Equal(HttpStatusCode.OK, response.StatusCode);
        var body = await Json.ReadAsync(response);
        Assert.Equal(["roles"], body.EnumerateObject().Select(p => p.Name));
        return [.. body.GetProperty("roles").EnumerateArray().Select(r => r.GetString()!)];
    }

}

/// <summary>The contract suite on the opaque in-memory provider.</summary>
public sealed class OpaqueHttpContractTests : HttpContractTests
{
    protected override void ConfigureProvider(RxInferAuthBuilder auth) => auth.AddOpaqueTokens();
}

/// <summary>The contract suite on the signed-JWT provider (ES256, a key generated once for the test run).</summary>
public sealed class JwtHttpContractTests : HttpContractTests
{
    // A configured key, as in production: an ephemeral one (GenerateEphemeralKey) starts in Development only.
    protected override void ConfigureProvider(RxInferAuthBuilder auth) => auth.AddJwtTokens(options =>
        options.Keys = [TestKeys.Es256("test-es256")]);

    protected override TimeSpan ExpiryGrace => TimeSpan.FromSeconds(30);
}
