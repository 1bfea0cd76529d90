using System.Net;
using System.Text.Json;
using Microsoft.Extensions.DependencyInjection;
using RxInfer.Auth;

namespace RxInfer.Hosting.AspNetCore.Tests;

/// <summary>Model instances: create, get, list, delete, state, and who owns them.</summary>
public abstract partial class HttpContractTests
{
    [Fact]
    public async Task Create_then_get_shows_the_instance_with_merged_arguments()
    {
        await using var app = await StartAsync();
        var token = await app.GenerateTokenAsync();
        var id = await app.CreateInstanceAsync(token, """{"model_name":"coin-toss-v1","arguments":{"heads_prior":3,"extra":"kept"}}""");

        using var response = await app.SendAsync(HttpMethod.Get, $"/v1/models/i/{id}", token);
        Assert.Equal(HttpStatusCode.OK, response.StatusCode);
        var body = await Json.ReadAsync(response);
        Assert.Equal(["instance_id", "model_name", "created_at", "description", "arguments", "current_episode"], body.EnumerateObject().Select(p => p.Name));
        Assert.Equal(id.ToString(), body.GetProperty("instance_id").GetString());
        Assert.Equal("coin-toss-v1", body.GetProperty("model_name").GetString());
        Assert.Equal("", body.GetProperty("description").GetString());
        Assert.Equal("default", body.GetProperty("current_episode").GetString());
        Json.Equal("""{"heads_prior":3,"tails_prior":1.0,"extra":"kept"}""", body.GetProperty("arguments"));

        // UTC with a Z suffix, never +00:00 (the official JavaScript client rejects an offset).
        Assert.Equal("2026-01-02T03:04:05Z", body.GetProperty("created_at").GetString());
    }

    [Fact]
    public async Task Create_response_is_exactly_the_instance_id()
    {
        await using var app = await StartAsync();
        using var response = await app.SendAsync(HttpMethod.Post, "/v1/models/create-instance", "dev-token", """{"model_name":"coin-toss-v1","description":"my coin"}""");
        Assert.Equal(HttpStatusCode.OK, response.StatusCode);
        var body = await Json.ReadAsync(response);
        Assert.Equal(["instance_id"], body.EnumerateObject().Select(p => p.Name));
        Assert.True(Guid.TryParseExact(body.GetProperty("instance_id").GetString(), "D", out _));
    }

    [Fact]
    public async Task Create_without_a_required_argument_is_400_with_the_exact_message()
    {
        await using var app = await StartAsync();
        using var response = await app.SendAsync(HttpMethod.Post, "/v1/models/create-instance", "dev-token", """{"model_name":"sensor-smoothing-v1","arguments":{"sensor_noise":1}}""");
        await AssertBadRequestAsync(response, "model configuration validation error - model configuration argument sampling_interval is required");
        await AssertNoInstancesAsync(app, "dev-token");

        var id = await app.CreateInstanceAsync("dev-token", """{"model_name":"sensor-smoothing-v1","arguments":{"sampling_interval":0.1}}""");
        using var state = await app.SendAsync(HttpMethod.Get, $"/v1/models/i/{id}/state", "dev-token");
        Assert.Equal(HttpStatusCode.OK, state.StatusCode);
        Json.Equal("""{"state":{"sampling_interval":0.1,"sensor_noise":0.5,"process_noise":0.1,"initial_mean":0.0,"initial_variance":100.0}}""", await Json.ReadAsync(state));
    }

    [Theory]
    [InlineData("no-such-model")]
    [InlineData("admin-diagnostics-v1")]
    public async Task Create_of_an_unknown_or_forbidden_model_is_404(string name)
    {
        await using var app = await StartAsync();
        using var response = await app.SendAsync(HttpMethod.Post, "/v1/models/create-instance", "dev-token", JsonSerializer.Serialize(new { model_name = name }));
        await AssertErrorAsync(response, HttpStatusCode.NotFound, ModelNotFound(name));
    }

    [Fact]
    public async Task Instances_belong_to_their_subject_and_another_identity_gets_404_and_an_empty_list()
    {
        await using var app = await StartAsync();
        var owner = await app.GenerateTokenAsync();
        var other = await app.GenerateTokenAsync();
        var id = await app.CreateInstanceAsync(owner, """{"model_name":"coin-toss-v1"}""");

        await AssertNoInstancesAsync(app, other);
        foreach (var (method, path) in new[] { ("GET", $"/v1/models/i/{id}"), ("GET", $"/v1/models/i/{id}/state"), ("DELETE", $"/v1/models/i/{id}") })
        {
            using var response = await app.SendAsync(new HttpMethod(method), path, other);
            await AssertErrorAsync(response, HttpStatusCode.NotFound, InstanceNotFound);
        }

        using var list = await app.SendAsync(HttpMethod.Get, "/v1/models/instances", owner);
        var instances = await Json.ReadAsync(list);
        Assert.Equal(id.ToString(), Assert.Single(instances.EnumerateArray()).GetProperty("instance_id").GetString());
    }

    [Fact]
    public async Task Every_development_token_variant_is_the_same_owner()
    {
        await using var app = await StartAsync();
        var id = await app.CreateInstanceAsync("dev-token", """{"model_name":"sensor-smoothing-v1","arguments":{"sampling_interval":1}}""");
        using var response = await app.SendAsync(HttpMethod.Get, $"/v1/models/i/{id}", "dev-token:admin");
        Assert.Equal(HttpStatusCode.OK, response.StatusCode);
    }

    [Fact]
    public async Task Delete_removes_the_instance_for_every_operation_and_a_second_delete_is_404()
    {
        await using var app = await StartAsync();
        var token = await app.GenerateTokenAsync();
        var id = await app.CreateInstanceAsync(token, """{"model_name":"coin-toss-v1"}""");

        using (var delete = await app.SendAsync(HttpMethod.Delete, $"/v1/models/i/{id}", token))
        {
            Assert.Equal(HttpStatusCode.OK, delete.StatusCode);
            Json.Equal("""{"message":"Model instance deleted successfully"}""", await Json.ReadAsync(delete));
        }

        foreach (var (method, path) in new[] { ("GET", $"/v1/models/i/{id}"), ("GET", $"/v1/models/i/{id}/state"), ("DELETE", $"/v1/models/i/{id}") })
        {
            using var response = await app.SendAsync(new HttpMethod(method), path, token);
            await AssertErrorAsync(response, HttpStatusCode.NotFound, InstanceNotFound);
        }

        await AssertNoInstancesAsync(app, token);
    }

    [Fact]
    public async Task State_is_the_merged_arguments_under_state()
    {
        await using var app = await StartAsync();
        var id = await app.CreateInstanceAsync("dev-token", """{"model_name":"coin-toss-v1"}""");
        using var response = await app.SendAsync(HttpMethod.Get, $"/v1/models/i/{id}/state", "dev-token");
        Assert.Equal(HttpStatusCode.OK, response.StatusCode);
        Json.Equal("""{"state":{"heads_prior":1.0,"tails_prior":1.0}}""", await Json.ReadAsync(response));
    }

    [Fact]
    public async Task List_is_empty_for_a_new_identity()
    {
        await using var app = await StartAsync();
        await AssertNoInstancesAsync(app, await app.GenerateTokenAsync());
    }

    internal static async Task AssertNoInstancesAsync(TestApp app, string token)
    {
        using var response = await app.SendAsync(HttpMethod.Get, "/v1/models/instances", token);
        Assert.Equal(HttpStatusCode.OK, response.StatusCode);
        Json.Equal("[]", await Json.ReadAsync(response));
    }
}
