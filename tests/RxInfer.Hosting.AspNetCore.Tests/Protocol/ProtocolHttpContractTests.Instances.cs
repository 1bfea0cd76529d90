using Microsoft.Extensions.DependencyInjection;
using RxInfer.Auth;
using static RxInfer.Hosting.AspNetCore.Tests.ProtocolClient;

namespace RxInfer.Hosting.AspNetCore.Tests;

/// <summary>Instances and their default episode.</summary>
public abstract partial class ProtocolHttpContractTests
{
    [Fact]
    public async Task Creating_an_instance_creates_the_default_episode_with_initial_parameters_as_current()
    {
        var (app, alice) = await StartWithAliceAsync(this);
        await using var _ = app;
        var id = await alice.CreateInstanceAsync();

        (await alice.GetAsync($"{I(id)}/episodes")).Ok($"[{EmptyEpisode(id, "default")}]");
        (await alice.EpisodeAsync(id, "default")).Ok(EmptyEpisode(id, "default"));
        (await alice.GetAsync($"{I(id)}/parameters")).Ok("""{"parameters":{"parameter":0}}""");
        (await alice.GetAsync($"{I(id)}/state")).Ok("""{"state":{"number_of_inference_calls":0,"number_of_learning_calls":0,"number_of_processed_events":0}}""");
        Assert.Equal("default", (await alice.GetAsync(I(id))).Body.GetProperty("current_episode").GetString());
    }

    [Fact]
    public async Task Instance_and_episode_times_are_utc_with_a_z_suffix()
    {
        var (app, alice) = await StartWithAliceAsync(this);
        await using var _ = app;
        var id = await alice.CreateInstanceAsync();
        app.Time.Advance(TimeSpan.FromMilliseconds(1500));
        await alice.InferAsync(id, """{"data":{"observation":1}}""");
        await alice.InferAsync(id, """{"data":{"observation":2},"timestamp":"2024-03-20T14:00:00+02:00"}""");
        await alice.InferAsync(id, """{"data":{"observation":3},"timestamp":"2024-03-20T12:00:00"}""");

        Assert.Equal(Now, (await alice.GetAsync(I(id))).Body.GetProperty("created_at").GetString());
        Assert.Equal(Now, (await alice.GetAsync("/v1/models/instances")).Body[0].GetProperty("created_at").GetString());
        var episode = (await alice.EpisodeAsync(id, "default")).Ok().Body;
        Assert.Equal(Now, episode.GetProperty("created_at").GetString());
        Assert.Equal(
            ["2026-01-02T03:04:06.5Z", "2024-03-20T12:00:00Z", "2024-03-20T12:00:00Z"],
            episode.GetProperty("events").EnumerateArray().Select(e => e.GetProperty("timestamp").GetString()));
    }

    [Fact]
    public async Task A_model_without_a_runtime_has_its_arguments_as_state_and_parameters_and_refuses_inference_and_learning()
    {
        var (app, alice) = await StartWithAliceAsync(this);
        await using var _ = app;
        var id = await alice.CreateInstanceAsync("TestModelCreateEndpoint", """{"b":2.5}""");

        (await alice.GetAsync($"{I(id)}/state")).Ok("""{"state":{"a":1.0,"b":2.5}}""");
        (await alice.GetAsync($"{I(id)}/parameters")).Ok("""{"parameters":{"a":1.0,"b":2.5}}""");
        (await alice.InferAsync(id, """{"data":{}}""")).BadRequest("The model `TestModelCreateEndpoint` has no runtime, so inference is not available for its instances");
        (await alice.LearnAsync(id, """{"episodes":["default"]}""")).BadRequest("The model `TestModelCreateEndpoint` has no runtime, so learning is not available for its instances");
        (await alice.EpisodeAsync(id, "default")).Ok(EmptyEpisode(id, "default", """{"a":1.0,"b":2.5}"""));
    }
}
