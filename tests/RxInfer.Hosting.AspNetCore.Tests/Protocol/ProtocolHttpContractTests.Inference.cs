using Microsoft.Extensions.DependencyInjection;
using RxInfer.Auth;
using static RxInfer.Hosting.AspNetCore.Tests.ProtocolClient;

namespace RxInfer.Hosting.AspNetCore.Tests;

/// <summary>Inference and the events it records.</summary>
public abstract partial class ProtocolHttpContractTests
{
    [Fact]
    public async Task Inference_echoes_its_data_counts_the_calls_and_records_events()
    {
        var (app, alice) = await StartWithAliceAsync(this);
        await using var _ = app;
        var id = await alice.CreateInstanceAsync("TestModelInferenceCall");

        (await alice.InferAsync(id, """{"data":{"observation":1}}""")).Ok("""{"event_id":1,"results":{"observation":1},"errors":[]}""");
        (await alice.InferAsync(id, """{"data":{"observation":0,"nested":{"k":[1,2]}},"episode_name":"default"}""")).Ok("""{"event_id":2,"results":{"observation":0,"nested":{"k":[1,2]}},"errors":[]}""");

        (await alice.GetAsync($"{I(id)}/state")).Ok("""{"state":{"number_of_inference_calls":2}}""");
        (await alice.GetAsync($"{I(id)}/parameters")).Ok("""{"parameters":{"a":1.0,"b":1.0}}""");
        var events = (await alice.EpisodeAsync(id, "default")).Ok().Body.GetProperty("events");
        Json.Equal($$"""{"event_id":1,"data":{"observation":1},"timestamp":"{{Now}}","processed":false}""", events[0]);
        Assert.False(events[0].TryGetProperty("metadata", out var _), "an event recorded by inference has no metadata key");
    }

    [Fact]
    public async Task Inference_records_in_the_named_episode_and_an_unknown_one_gives_a_null_event_id_and_one_error()
    {
        var (app, alice) = await StartWithAliceAsync(this);
        await using var _ = app;
        var id = await alice.CreateInstanceAsync();
        await alice.CreateEpisodeAsync(id, "episode1");
        await alice.CreateEpisodeAsync(id, "episode2");

        (await alice.InferAsync(id, """{"data":{"observation":1},"episode_name":"episode1"}""")).Ok("""{"event_id":1,"results":{"observation":1},"errors":[]}""");
        (await alice.InferAsync(id, """{"data":{"observation":0},"episode_name":"episode2"}""")).Ok("""{"event_id":1,"results":{"observation":0},"errors":[]}""");
        (await alice.InferAsync(id, """{"data":{"observation":5},"episode_name":"unknown"}""")).Ok("""
            {"event_id":null,"results":{"observation":5},"errors":[{"error":"Bad Request","message":"Unable to attach data to the episode due to internal error"}]}
            """);

        Assert.Equal(1, (await alice.EpisodeAsync(id, "episode1")).Body.GetProperty("events").GetArrayLength());
        Assert.Equal(0, (await alice.EpisodeAsync(id, "episode2")).Body.GetProperty("events")[0].GetProperty("data").GetProperty("observation").GetInt32());
        Assert.Empty((await alice.EpisodeAsync(id, "default")).Body.GetProperty("events").EnumerateArray());
        Assert.Equal(3, (await alice.GetAsync($"{I(id)}/state")).Body.GetProperty("state").GetProperty("number_of_inference_calls").GetInt32());
    }

    [Fact]
    public async Task An_inference_into_a_full_episode_answers_200_with_a_null_event_id_and_one_error()
    {
        await using var app = await TestApp.StartAsync(new TestAppOptions
        {
            Provider = ConfigureProvider,
            TestModels = true,
            Models = o => { o.MaxEventsPerEpisode = 2; o.MaxEventsPerAttach = 2; },
        });
        var alice = await ForAsync(app, "alice");
        var id = await alice.CreateInstanceAsync();
        await alice.AttachAsync(id, "default", Observations(1, 2));

        (await alice.InferAsync(id, """{"data":{"observation":3}}""")).Ok("""
            {"event_id":null,"results":{"observation":3},"errors":[{"error":"Bad Request","message":"The episode already holds the maximum of 2 events, so this inference was not recorded in it; wipe it or use another episode"}]}
            """);
        Assert.Equal(1, (await alice.GetAsync($"{I(id)}/state")).Body.GetProperty("state").GetProperty("number_of_inference_calls").GetInt32());
    }
}
