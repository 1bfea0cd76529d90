using System.Net;
using System.Text.Json;
using Microsoft.AspNetCore.Builder;
using Microsoft.AspNetCore.TestHost;

namespace RxInfer.Hosting.AspNetCore.Tests;

/// <summary>
/// The sample host's served OpenAPI document against this project's expectation table, written from the original
/// server's OpenAPI document (every operation of it: operationId, tag and the statuses it lists) and docs/protocol.md
/// (the statuses we add: the 401 of <c>POST /token/generate</c>, its 429 of the anonymous rate limit, the 503 of a full
/// token or instance store, the 400 of inference, learning and attach-metadata).
/// </summary>
public sealed class OpenApiCompatibilityTests
{
    private const string Server = "Server";
    private const string Authentication = "Authentication";
    private const string Models = "Models";
    private const string Instance = "/v1/models/i/{instance_id}";
    private const string Episode = Instance + "/episodes/{episode_name}";

    /// <summary>method, path, operationId, tag, the original's statuses, ours.</summary>
    public static TheoryData<string, string, string, string, int[], int[]> Operations => new()
    {
        { "get", "/v1/info", "getServerInfo", Server, [200, 401], [200, 401] },
        { "get", "/v1/ping", "pingServer", Server, [200], [200] },
        { "post", "/v1/token/generate", "tokenGenerate", Authentication, [200, 400], [200, 400, 401, 429, 503] },
        { "get", "/v1/token/roles", "tokenRoles", Authentication, [200, 401], [200, 401] },
        { "get", "/v1/models/available", "getAvailableModels", Models, [200, 401], [200, 401] },
        { "get", "/v1/models/available/{model_name}", "getAvailableModel", Models, [200, 401, 404], [200, 401, 404] },
        { "post", "/v1/models/create-instance", "createModelInstance", Models, [200, 400, 401, 404], [200, 400, 401, 404, 503] },
        { "get", "/v1/models/instances", "getModelInstances", Models, [200, 401], [200, 401] },
        { "get", Instance, "getModelInstance", Models, [200, 401, 404], [200, 401, 404] },
        { "delete", Instance, "deleteModelInstance", Models, [200, 401, 404], [200, 401, 404] },
        { "get", Instance + "/state", "getModelInstanceState", Models, [200, 400, 401, 404], [200, 400, 401, 404] },
        { "get", Instance + "/parameters", "getModelInstanceParameters", Models, [200, 400, 401, 404], [200, 400, 401, 404] },
        { "post", Instance + "/infer", "runInference", Models, [200, 401, 404], [200, 400, 401, 404] },
        { "post", Instance + "/learn", "runLearning", Models, [200, 401, 404], [200, 400, 401, 404] },
        { "post", Instance + "/create-episode", "createEpisode", Models, [200, 400, 401, 404], [200, 400, 401, 404] },
        { "get", Instance + "/episodes", "getEpisodes", Models, [200, 401, 404], [200, 401, 404] },
        { "get", Episode, "getEpisodeInfo", Models, [200, 401, 404], [200, 401, 404] },
        { "delete", Episode, "deleteEpisode", Models, [200, 400, 401, 404], [200, 400, 401, 404] },
        { "post", Episode + "/attach-events", "attachEventsToEpisode", Models, [200, 400, 401, 404], [200, 400, 401, 404] },
        { "post", Episode + "/wipe", "wipeEpisode", Models, [200, 401, 404], [200, 401, 404] },
        { "post", Episode + "/events/{event_id}/attach-metadata", "attachMetadataToEvent", Models, [200, 401, 404], [200, 400, 401, 404] },
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
    public async Task Served_document_has_the_operation_with_its_id_tag_and_every_status_of_the_original(string method, string path, string operationId, string tag, int[] original, int[] statuses)
    {
        Assert.Empty(original.Except(statuses));
        var document = await FetchDocumentAsync();
        Assert.True(document.GetProperty("paths").TryGetProperty(path, out var item), $"no path {path}");
        Assert.True(item.TryGetProperty(method, out var operation), $"no {method} {path}");
        Assert.Equal(operationId, operation.GetProperty("operationId").GetString());
        Assert.Equal([tag], operation.GetProperty("tags").EnumerateArray().Select(t => t.GetString()));

        var codes = operation.GetProperty("responses").EnumerateObject().Select(r => int.Parse(r.Name, System.Globalization.CultureInfo.InvariantCulture)).Order();
        Assert.Equal(statuses, codes);
        foreach (var status in statuses.Where(s => s != 200))
        {
            var content = operation.GetProperty("responses").GetProperty(status.ToString(System.Globalization.CultureInfo.InvariantCulture)).GetProperty("content");
            Assert.True(content.TryGetProperty("application/json", out _), $"{operationId} {status} is not application/json");
        }
    }

    [Fact]
    public async Task Every_operation_of_the_original_appears_exactly_once()
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
    [InlineData("/v1/models/i/{instance_id}/parameters", "get", "instance_id")]
    [InlineData("/v1/models/i/{instance_id}/infer", "post", "instance_id")]
    [InlineData("/v1/models/i/{instance_id}/episodes/{episode_name}", "get", "instance_id,episode_name")]
    [InlineData("/v1/models/i/{instance_id}/episodes/{episode_name}/events/{event_id}/attach-metadata", "post", "instance_id,episode_name,event_id")]
    public async Task Path_parameters_keep_the_original_names(string path, string method, string names)
    {
        var document = await FetchDocumentAsync();
        var parameters = document.GetProperty("paths").GetProperty(path).GetProperty(method).GetProperty("parameters");
        Assert.Equal(names.Split(','), parameters.EnumerateArray().Select(p => p.GetProperty("name").GetString()));
        Assert.All(parameters.EnumerateArray(), p => Assert.Equal("path", p.GetProperty("in").GetString()));
    }

    [Theory]
    [InlineData("/v1/models/i/{instance_id}/infer", "data", "episode_name")]
    [InlineData("/v1/models/i/{instance_id}/learn", "episodes", "relearn")]
    [InlineData("/v1/models/i/{instance_id}/create-episode", "name", null)]
    [InlineData("/v1/models/i/{instance_id}/episodes/{episode_name}/attach-events", "events", null)]
    [InlineData("/v1/models/i/{instance_id}/episodes/{episode_name}/events/{event_id}/attach-metadata", "metadata", null)]
    public async Task Part_two_bodies_are_documented_as_json_with_the_snake_case_fields(string path, string field, string? other)
    {
        var document = await FetchDocumentAsync();
        var content = document.GetProperty("paths").GetProperty(path).GetProperty("post").GetProperty("requestBody").GetProperty("content");
        Assert.True(content.TryGetProperty("application/json", out var json));
        var schema = json.GetProperty("schema");
        var properties = schema.TryGetProperty("$ref", out var reference)
            ? document.GetProperty("components").GetProperty("schemas").GetProperty(reference.GetString()!.Split('/')[^1]).GetProperty("properties")
            : schema.GetProperty("properties");
        Assert.True(properties.TryGetProperty(field, out _), $"{path} has no {field}");
        if (other is not null)
        {
            Assert.True(properties.TryGetProperty(other, out _), $"{path} has no {other}");
        }
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
