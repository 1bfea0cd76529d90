using System.Net;
using System.Text.Json;
using Microsoft.AspNetCore.Builder;
using Microsoft.AspNetCore.TestHost;

namespace RxInfer.Hosting.AspNetCore.Tests.Sample;

/// <summary>What the API reference page is built from: the bearer scheme in the served OpenAPI document, and the page's own files.</summary>
public sealed class ApiReferenceDocumentTests
{
    private static async Task<WebApplication> StartAsync()
    {
        var app = Program.CreateApp([], static builder => builder.WebHost.UseTestServer());
        await app.StartAsync();
        return app;
    }

    [Fact]
    public async Task The_document_declares_the_bearer_scheme_as_the_original_does_and_requires_it_on_every_operation_but_the_anonymous_ones()
    {
        await using var app = await StartAsync();
        using var client = app.GetTestClient();
        var document = await Json.ReadAsync(await client.GetAsync(new Uri("/openapi/v1.json", UriKind.Relative)));

        var scheme = document.GetProperty("components").GetProperty("securitySchemes").GetProperty("ApiKeyAuth");
        Assert.Equal("http", scheme.GetProperty("type").GetString());
        Assert.Equal("bearer", scheme.GetProperty("scheme").GetString());

        var operations = document.GetProperty("paths").EnumerateObject()
            .SelectMany(static path => path.Value.EnumerateObject().Where(static m => m.Value.ValueKind == JsonValueKind.Object && m.Value.TryGetProperty("operationId", out _)))
            .ToDictionary(static op => op.Value.GetProperty("operationId").GetString()!, static op => op.Value.GetProperty("security"));
        Json.Equal("[]", operations["tokenGenerate"]);
        Json.Equal("[]", operations["pingServer"]);
        foreach (var (id, security) in operations.Where(static op => op.Key is not ("tokenGenerate" or "pingServer")))
        {
            Assert.True(JsonElement.DeepEquals(Json.Parse("""[{"ApiKeyAuth":[]}]"""), security), $"{id}: {security}");
        }

        Assert.Contains("getModelInstanceState", operations.Keys);
    }

    [Theory]
    [InlineData("/swagger/index.html", "text/html")]
    [InlineData("/swagger/swagger-ui-bundle.js", "text/javascript")]
    [InlineData("/swagger/swagger-ui.css", "text/css")]
    public async Task The_page_and_its_assets_are_served_by_the_host_without_a_token(string path, string mediaType)
    {
        await using var app = await StartAsync();
        using var client = app.GetTestClient();
        using var response = await client.GetAsync(new Uri(path, UriKind.Relative));
        Assert.Equal(HttpStatusCode.OK, response.StatusCode);
        Assert.Equal(mediaType, response.Content.Headers.ContentType?.MediaType);
    }

    [Fact]
    public async Task The_root_sends_a_browser_to_the_page()
    {
        await using var app = await StartAsync();
        using var client = app.GetTestClient();
        using var response = await client.GetAsync(new Uri("/", UriKind.Relative));
        Assert.Equal(HttpStatusCode.Redirect, response.StatusCode);
        Assert.Equal("/swagger/index.html", response.Headers.Location?.OriginalString);
    }
}
