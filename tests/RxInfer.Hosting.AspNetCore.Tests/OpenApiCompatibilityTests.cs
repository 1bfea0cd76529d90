using System.Net;
using System.Text.Json;
using Microsoft.AspNetCore.Builder;
using Microsoft.AspNetCore.TestHost;

namespace RxInfer.Hosting.AspNetCore.Tests;

/// <summary>
/// The sample host's served OpenAPI document against this project's expectation table, written from docs/protocol.md ("Operations")
/// (the status codes are the original server's for each operation, plus the 401 our <c>POST /token/generate</c> adds,
/// its 429 of the anonymous rate limit, and the 503 of a full token or instance store).
/// </summary>
public sealed class OpenApiCompatibilityTests
{
    public static TheoryData<string, string, string, int[]> Operations => new()
    {
        { "post", "/v1/token/generate", "tokenGenerate", [200, 400, 401, 429, 503] },
        { "get", "/v1/token/roles", "tokenRoles", [200, 401] },
        { "get", "/v1/models/available", "getAvailableModels", [200, 401] },
        { "get", "/v1/models/available/{model_name}", "getAvailableModel", [200, 401, 404] },
        { "post", "/v1/models/create-instance", "createModelInstance", [200, 400, 401, 404, 503] },
        { "get", "/v1/models/instances", "getModelInstances", [200, 401] },
        { "get", "/v1/models/i/{instance_id}", "getModelInstance", [200, 401, 404] },
        { "delete", "/v1/models/i/{instance_id}", "deleteModelInstance", [200, 401, 404] },
        { "get", "/v1/models/i/{instance_id}/state", "getModelInstanceState", [200, 400, 401, 404] },
    };

    private static async Task<JsonElement> FetchDocumentAsync()
    {
        await using var app = Program.CreateApp([], static builder => builder.WebHost.UseTestServer());
        await app.StartAsync();
        using var client = app.GetTestClient();
        using var response = await client.GetAsync(new Uri("/openapi/v1.json", UriKind.Relative));
        Assert.Equal(HttpStatusCode.OK, response.StatusCode);
        return await Json.ReadAsync(response);
    }

    [Theory]
    [MemberData(nameof(Operations))]
    public async Task Served_document_has_the_operation_with_its_id_and_status_codes(string method, string path, string operationId, int[] statuses)
    {
        var document = await FetchDocumentAsync();
        Assert.True(document.GetProperty("paths").TryGetProperty(path, out var item), $"no path {path}");
        Assert.True(item.TryGetProperty(method, out var operation), $"no {method} {path}");
        Assert.Equal(operationId, operation.GetProperty("operationId").GetString());

        var codes = operation.GetProperty("responses").EnumerateObject().Select(r => int.Parse(r.Name, System.Globalization.CultureInfo.InvariantCulture)).Order();
        Assert.Equal(statuses, codes);
        foreach (var status in statuses.Where(s => s != 200))
        {
            var content = operation.GetProperty("responses").GetProperty(status.ToString(System.Globalization.CultureInfo.InvariantCulture)).GetProperty("content");
            Assert.True(content.TryGetProperty("application/json", out _), $"{operationId} {status} is not application/json");
        }
    }

    [Fact]
    public async Task Every_contract_operation_id_appears_exactly_once()
    {
        var document = await FetchDocumentAsync();
        var ids = document.GetProperty("paths").EnumerateObject()
            .SelectMany(path => path.Value.EnumerateObject())
            .Where(op => op.Value.ValueKind == JsonValueKind.Object && op.Value.TryGetProperty("operationId", out _))
            .Select(op => op.Value.GetProperty("operationId").GetString()!)
            .ToList();
        foreach (var expected in Operations.Select(row => (string)row[2]))
        {
            Assert.Single(ids, expected);
        }
    }

    [Theory]
    [InlineData("/v1/models/available/{model_name}", "get", "model_name")]
    [InlineData("/v1/models/i/{instance_id}", "get", "instance_id")]
    [InlineData("/v1/models/i/{instance_id}", "delete", "instance_id")]
    [InlineData("/v1/models/i/{instance_id}/state", "get", "instance_id")]
    public async Task Path_parameters_keep_the_original_names(string path, string method, string parameter)
    {
        var document = await FetchDocumentAsync();
        var parameters = document.GetProperty("paths").GetProperty(path).GetProperty(method).GetProperty("parameters");
        var only = Assert.Single(parameters.EnumerateArray());
        Assert.Equal(parameter, only.GetProperty("name").GetString());
        Assert.Equal("path", only.GetProperty("in").GetString());
    }

    [Fact]
    public async Task Create_instance_documents_a_json_body_with_the_snake_case_fields()
    {
        var document = await FetchDocumentAsync();
        var body = document.GetProperty("paths").GetProperty("/v1/models/create-instance").GetProperty("post").GetProperty("requestBody");
        Assert.True(body.GetProperty("content").TryGetProperty("application/json", out _));
        var text = document.GetRawText();
        foreach (var field in new[] { "model_name", "instance_id", "created_at", "current_episode" })
        {
            Assert.Contains($"\"{field}\"", text, StringComparison.Ordinal);
        }
    }
}
