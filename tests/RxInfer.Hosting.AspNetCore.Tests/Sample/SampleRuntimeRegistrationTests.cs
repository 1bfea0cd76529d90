using System.Net;
using Microsoft.AspNetCore.Builder;
using Microsoft.AspNetCore.TestHost;
using Microsoft.Extensions.DependencyInjection;
using RxInfer.Models;
using RxInfer.Server.Runtimes;
using static RxInfer.Hosting.AspNetCore.Tests.Sample.RuntimeHarness;

namespace RxInfer.Hosting.AspNetCore.Tests.Sample;

/// <summary>The sample host wires its runtimes to its own model folder, and refuses unusable arguments with a 400.</summary>
public sealed class SampleRuntimeRegistrationTests
{
    private static async Task<WebApplication> StartAsync()
    {
        var app = Program.CreateApp(["--RXINFER_SERVER_ENABLE_DEV_TOKEN=true"], static builder => builder.WebHost.UseTestServer());
        await app.StartAsync();
        return app;
    }

    [Fact]
    public async Task The_sample_host_registers_a_runtime_for_the_coin_and_the_sensor_and_none_for_the_admin_model()
    {
        await using var app = await StartAsync();
        Assert.IsType<CoinTossRuntime>(app.Services.GetKeyedService<IModelRuntime>("coin-toss-v1"));
        Assert.IsType<SensorSmoothingRuntime>(app.Services.GetKeyedService<IModelRuntime>("sensor-smoothing-v1"));
        Assert.Null(app.Services.GetKeyedService<IModelRuntime>("admin-diagnostics-v1"));
    }

    [Fact]
    public async Task The_declared_defaults_of_the_sensor_model_give_a_working_filter()
    {
        await using var app = await StartAsync();
        using var client = app.GetTestClient();
        using var created = await client.SendAsync(TestApp.Request(HttpMethod.Post, "/v1/models/create-instance", "dev-token", """{"model_name":"sensor-smoothing-v1","arguments":{"sampling_interval":4}}"""));
        Assert.Equal(HttpStatusCode.OK, created.StatusCode);
        var id = (await Json.ReadAsync(created)).GetProperty("instance_id").GetString();
        using var instance = await client.SendAsync(TestApp.Request(HttpMethod.Get, $"/v1/models/i/{id}", "dev-token"));
        var arguments = (await Json.ReadAsync(instance)).GetProperty("arguments");

        var sensor = new RuntimeHarness(new SensorSmoothingRuntime(), SensorSmoothingRuntime.ModelName);
        var parameters = sensor.InitialParameters(arguments.ToString());

        // config.yaml: process_noise 0.1, sensor_noise 0.5, initial_mean 0, initial_variance 100
        Close(0.1 * 0.1 * 4, Number(parameters, "process_noise_variance"));
        Close(0.25, Number(parameters, "observation_noise_variance"));
        Close(0, Number(parameters, "mean"));
        Close(100, Number(parameters, "variance"));
    }

    [Theory]
    [InlineData("""{"model_name":"sensor-smoothing-v1","arguments":{"sampling_interval":0}}""", "argument sampling_interval must be a positive finite number")]
    [InlineData("""{"model_name":"sensor-smoothing-v1","arguments":{"sampling_interval":"fast"}}""", "argument sampling_interval must be a positive finite number")]
    [InlineData("""{"model_name":"sensor-smoothing-v1","arguments":{"sampling_interval":1,"sensor_noise":-1}}""", "argument sensor_noise must be a positive finite number")]
    [InlineData("""{"model_name":"coin-toss-v1","arguments":{"heads_prior":0}}""", "argument heads_prior must be a positive finite number")]
    [InlineData("""{"model_name":"coin-toss-v1","arguments":{"tails_prior":null}}""", "argument tails_prior must be a positive finite number")]
    public async Task Arguments_a_runtime_cannot_use_are_a_400_with_its_message_and_create_nothing(string body, string message)
    {
        await using var app = await StartAsync();
        using var client = app.GetTestClient();
        using var response = await client.SendAsync(TestApp.Request(HttpMethod.Post, "/v1/models/create-instance", "dev-token", body));

        Assert.Equal(HttpStatusCode.BadRequest, response.StatusCode);
        Assert.Equal("application/json", response.Content.Headers.ContentType?.MediaType);
        Json.Equal($$"""{"error":"Bad Request","message":"{{message}}"}""", await Json.ReadAsync(response));
        using var list = await client.SendAsync(TestApp.Request(HttpMethod.Get, "/v1/models/instances", "dev-token"));
        Json.Equal("[]", await Json.ReadAsync(list));
    }
}
