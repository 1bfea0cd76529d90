using System.Net;
using System.Reflection;
using Microsoft.Extensions.DependencyInjection;
using RxInfer.Auth;
using static RxInfer.Hosting.AspNetCore.Tests.ProtocolClient;

namespace RxInfer.Hosting.AspNetCore.Tests;

/// <summary><c>GET /info</c>, and the 401 of every part-two operation.</summary>
public abstract partial class ProtocolHttpContractTests
{
    [Fact]
    public async Task Info_reports_the_library_version_the_edition_and_api_v1_with_unknown_for_julia_and_rxinfer()
    {
        await using var app = await StartAsync();
        var client = await ForAsync(app, "alice");
        var version = typeof(RxInferDefaults).Assembly.GetName().Version!;

        (await client.GetAsync("/v1/info")).Ok($$"""
            {"rxinfer_version":"unknown","server_version":"{{version.Major}}.{{version.Minor}}.{{version.Build}}","server_edition":"CommunityEdition","julia_version":"unknown","api_version":"v1"}
            """);
    }

    [Fact]
    public async Task Info_reports_the_configured_edition_and_needs_a_token()
    {
        await using var app = await StartAsync(edition: "EnterpriseEdition");
        var client = await ForAsync(app, "alice");

        Assert.Equal("EnterpriseEdition", (await client.GetAsync("/v1/info")).Ok().Body.GetProperty("server_edition").GetString());
        using var anonymous = await app.SendAsync(HttpMethod.Get, "/v1/info");
        Assert.Equal(HttpStatusCode.Unauthorized, anonymous.StatusCode);
        Json.Equal(HttpContractTests.Unauthorized, await Json.ReadAsync(anonymous));
    }

    [Theory]
    [InlineData("GET", "/v1/info")]
    [InlineData("GET", "/v1/models/i/{id}/parameters")]
    [InlineData("POST", "/v1/models/i/{id}/infer")]
    [InlineData("POST", "/v1/models/i/{id}/learn")]
    [InlineData("POST", "/v1/models/i/{id}/create-episode")]
    [InlineData("GET", "/v1/models/i/{id}/episodes")]
    [InlineData("GET", "/v1/models/i/{id}/episodes/default")]
    [InlineData("DELETE", "/v1/models/i/{id}/episodes/e")]
    [InlineData("POST", "/v1/models/i/{id}/episodes/default/attach-events")]
    [InlineData("POST", "/v1/models/i/{id}/episodes/default/wipe")]
    [InlineData("POST", "/v1/models/i/{id}/episodes/default/events/1/attach-metadata")]
    public async Task Every_part_two_operation_without_a_token_is_401_and_changes_nothing(string method, string path)
    {
        await using var app = await StartAsync();
        var alice = await ForAsync(app, "alice");
        var id = await alice.CreateInstanceAsync();
        await alice.CreateEpisodeAsync(id, "e");
        var before = await alice.SnapshotAsync(id);

        using var response = await app.SendAsync(new HttpMethod(method), path.Replace("{id}", id.ToString(), StringComparison.Ordinal), token: null, json: """{"data":{},"episodes":["default"],"name":"x","events":[],"metadata":{}}""");

        Assert.Equal(HttpStatusCode.Unauthorized, response.StatusCode);
        Json.Equal(HttpContractTests.Unauthorized, await Json.ReadAsync(response));
        Assert.Equal(before, await alice.SnapshotAsync(id));
    }
}
