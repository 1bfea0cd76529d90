using System.Net.Http.Headers;
using System.Text;
using Microsoft.AspNetCore.Builder;
using Microsoft.AspNetCore.TestHost;

namespace RxInfer.Hosting.AspNetCore.Tests;

/// <summary>The sample host's settings of the protocol's part 2: the test models and the edition.</summary>
public sealed class SampleHostTestModelsTests
{
    private static async Task<(WebApplication App, HttpClient Client)> StartAsync(params string[] args)
    {
        var app = Program.CreateApp(["--RXINFER_SERVER_ENABLE_DEV_TOKEN=true", .. args], static builder => builder.WebHost.UseTestServer());
        await app.StartAsync();
        return (app, app.GetTestClient());
    }

    private static async Task<System.Text.Json.JsonElement> GetAsync(HttpClient client, string token, string path)
    {
        using var request = new HttpRequestMessage(HttpMethod.Get, path);
        request.Headers.Authorization = new AuthenticationHeaderValue("Bearer", token);
        using var response = await client.SendAsync(request);
        return await Json.ReadAsync(response);
    }

    [Fact]
    public async Task The_test_models_load_with_their_names_roles_and_author_when_switched_on()
    {
        var (app, client) = await StartAsync("--RXINFER_SERVER_LOAD_TEST_MODELS=TRUE");
        await using var _ = app;

        var testOnly = await GetAsync(client, "dev-token:test-only", "/v1/models/available");
        Assert.Equal(
            ["TestModelCreateEndpoint", "TestModelInferenceCall", "TestModelInformationEndpoint", "TestModelLearningCall"],
            testOnly.EnumerateArray().Select(m => m.GetProperty("details").GetProperty("name").GetString()!).Order(StringComparer.Ordinal));
        Assert.All(testOnly.EnumerateArray(), m =>
        {
            Assert.Equal("Lazy Dynamics", m.GetProperty("details").GetProperty("author").GetString());
            Assert.Equal(["test-only"], m.GetProperty("details").GetProperty("roles").EnumerateArray().Select(r => r.GetString()));
        });

        var information = await GetAsync(client, "dev-token:test-only", "/v1/models/available/TestModelInformationEndpoint");
        Assert.Equal("This model is used to test the information endpoint.", information.GetProperty("details").GetProperty("description").GetString());

        var roles = await GetAsync(client, "dev-token:test-model-roles-availability", "/v1/models/available");
        var only = Assert.Single(roles.EnumerateArray());
        Json.Equal("""{"name":"TestModelRolesAvailability","author":"Lazy Dynamics","roles":["test-model-roles-availability"]}""",
            Json.Parse(System.Text.Json.JsonSerializer.Serialize(new
            {
                name = only.GetProperty("details").GetProperty("name").GetString(),
                author = only.GetProperty("details").GetProperty("author").GetString(),
                roles = only.GetProperty("details").GetProperty("roles"),
            })));

        // The user's own models stay as they were.
        Assert.Equal(
            ["coin-toss-v1", "sensor-smoothing-v1"],
            (await GetAsync(client, "dev-token", "/v1/models/available")).EnumerateArray().Select(m => m.GetProperty("details").GetProperty("name").GetString()!).Order(StringComparer.Ordinal));

        using var create = new HttpRequestMessage(HttpMethod.Post, "/v1/models/create-instance")
        {
            Content = new StringContent("""{"model_name":"TestModelCreateEndpoint"}""", Encoding.UTF8, "application/json"),
        };
        create.Headers.Authorization = new AuthenticationHeaderValue("Bearer", "dev-token:test-only");
        var id = (await Json.ReadAsync(await client.SendAsync(create))).GetProperty("instance_id").GetString();
        Json.Equal("""{"a":1.0,"b":1.0}""", (await GetAsync(client, "dev-token:test-only", $"/v1/models/i/{id}")).GetProperty("arguments"));
        Json.Equal("""{"parameters":{"a":1.0,"b":1.0}}""", await GetAsync(client, "dev-token:test-only", $"/v1/models/i/{id}/parameters"));
    }

    [Theory]
    [InlineData(null)]
    [InlineData("--RXINFER_SERVER_LOAD_TEST_MODELS=false")]
    [InlineData("--RXINFER_SERVER_LOAD_TEST_MODELS=yes")]
    public async Task The_test_models_are_off_unless_the_switch_is_true(string? setting)
    {
        var (app, client) = await StartAsync(setting is null ? [] : [setting]);
        await using var _ = app;

        Assert.Empty((await GetAsync(client, "dev-token:test-only", "/v1/models/available")).EnumerateArray());
    }

    [Fact]
    public async Task The_edition_comes_from_RXINFER_SERVER_EDITION_and_defaults_to_community()
    {
        var (app, client) = await StartAsync("--RXINFER_SERVER_EDITION=TestEdition");
        await using (app)
        {
            Assert.Equal("TestEdition", (await GetAsync(client, "dev-token", "/v1/info")).GetProperty("server_edition").GetString());
        }

        var (plain, plainClient) = await StartAsync();
        await using (plain)
        {
            var info = await GetAsync(plainClient, "dev-token", "/v1/info");
            Assert.Equal("CommunityEdition", info.GetProperty("server_edition").GetString());
            Assert.Equal("v1", info.GetProperty("api_version").GetString());
        }
    }
}
