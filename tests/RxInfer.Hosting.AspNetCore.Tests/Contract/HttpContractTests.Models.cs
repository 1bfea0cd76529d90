using System.Net;
using Microsoft.Extensions.DependencyInjection;
using RxInfer.Auth;

namespace RxInfer.Hosting.AspNetCore.Tests;

/// <summary>The model catalogue as the roles allow it.</summary>
public abstract partial class HttpContractTests
{
    [Fact]
    public async Task Available_models_are_only_those_the_roles_allow()
    {
        await using var app = await StartAsync();
        Assert.Equal(["coin-toss-v1", "sensor-smoothing-v1"], await ModelNamesAsync("dev-token"));
        Assert.Equal(["admin-diagnostics-v1", "sensor-smoothing-v1"], await ModelNamesAsync("dev-token:admin"));
        Assert.Equal(["admin-diagnostics-v1", "coin-toss-v1", "sensor-smoothing-v1"], await ModelNamesAsync("dev-token:user,admin"));
        Assert.Empty(await ModelNamesAsync("dev-token:nobody"));
        Assert.Empty(await ModelNamesAsync("dev-token:USER")); // roles are case-sensitive

        async Task<string[]> ModelNamesAsync(string token)
        {
            using var response = await app.SendAsync(HttpMethod.Get, "/v1/models/available", token);
            Assert.Equal(HttpStatusCode.OK, response.StatusCode);
            var body = await Json.ReadAsync(response);
            return [.. body.EnumerateArray().Select(m => m.GetProperty("details").GetProperty("name").GetString()!).Order(StringComparer.Ordinal)];
        }
    }

    [Fact]
    public async Task Available_model_has_details_and_the_whole_configuration()
    {
        await using var app = await StartAsync();
        using var response = await app.SendAsync(HttpMethod.Get, "/v1/models/available/coin-toss-v1", "dev-token");
        Assert.Equal(HttpStatusCode.OK, response.StatusCode);
        var body = await Json.ReadAsync(response);

        Assert.Equal(["details", "config"], body.EnumerateObject().Select(p => p.Name));
        Json.Equal(
            """{"name":"coin-toss-v1","description":"Learns the bias of a coin from a stream of heads and tails (Beta prior, Bernoulli tosses)","author":"RxInfer.NET sample","roles":["user"]}""",
            body.GetProperty("details"));
        var config = body.GetProperty("config");
        Assert.Equal("coin-toss-v1", config.GetProperty("name").GetString());
        Json.Equal("""[{"name":"toss","type":"boolean"}]""", config.GetProperty("observations"));
        Assert.Equal(2, config.GetProperty("arguments").GetArrayLength());
    }

    [Theory]
    [InlineData("admin-diagnostics-v1")] // exists, but not for the role user
    [InlineData("no-such-model")]
    [InlineData("COIN-TOSS-V1")]
    public async Task Unknown_and_forbidden_models_give_the_same_404(string name)
    {
        await using var app = await StartAsync();
        using var response = await app.SendAsync(HttpMethod.Get, $"/v1/models/available/{name}", "dev-token");
        await AssertErrorAsync(response, HttpStatusCode.NotFound, ModelNotFound(name));
    }
}
