using Microsoft.Extensions.DependencyInjection;
using RxInfer.Auth;
using static RxInfer.Hosting.AspNetCore.Tests.ProtocolClient;

namespace RxInfer.Hosting.AspNetCore.Tests;

/// <summary>Learning from recorded events, including the original server's scenarios.</summary>
public abstract partial class ProtocolHttpContractTests
{
    [Fact]
    public async Task Learning_from_inference_events_updates_parameters_and_state()
    {
        var (app, alice) = await StartWithAliceAsync(this);
        await using var _ = app;
        var id = await alice.CreateInstanceAsync();
        for (var i = 1; i <= 10; i++)
        {
            (await alice.InferAsync(id, "{\"data\":{\"observation\":" + i.ToString(System.Globalization.CultureInfo.InvariantCulture) + "}}")).Ok();
        }

        (await alice.LearnAsync(id, """{"episodes":["default"]}""")).Ok("""{"learned_parameters":{"parameter":55}}""");
        (await alice.GetAsync($"{I(id)}/parameters")).Ok("""{"parameters":{"parameter":55}}""");
        (await alice.GetAsync($"{I(id)}/state")).Ok("""{"state":{"number_of_inference_calls":10,"number_of_learning_calls":1,"number_of_processed_events":10}}""");

        for (var i = 1; i <= 10; i++)
        {
            await alice.InferAsync(id, """{"data":{"observation":-1}}""");
        }

        (await alice.LearnAsync(id, """{"episodes":["default"]}""")).Ok("""{"learned_parameters":{"parameter":45}}""");
        (await alice.GetAsync($"{I(id)}/state")).Ok("""{"state":{"number_of_inference_calls":20,"number_of_learning_calls":2,"number_of_processed_events":20}}""");
    }

    [Fact]
    public async Task Learning_feeds_only_unprocessed_events_unless_relearn_55_then_55_then_110()
    {
        var (app, alice) = await StartWithAliceAsync(this);
        await using var _ = app;
        var id = await alice.CreateInstanceAsync();
        await alice.AttachAsync(id, "default", Observations(1, 10));

        (await alice.LearnAsync(id, """{"episodes":["default"]}""")).Ok("""{"learned_parameters":{"parameter":55}}""");
        (await alice.GetAsync($"{I(id)}/state")).Ok("""{"state":{"number_of_inference_calls":0,"number_of_learning_calls":1,"number_of_processed_events":10}}""");
        Assert.All((await alice.EpisodeAsync(id, "default")).Body.GetProperty("events").EnumerateArray(), e => Assert.True(e.GetProperty("processed").GetBoolean()));

        (await alice.LearnAsync(id, """{"episodes":["default"],"relearn":false}""")).Ok("""{"learned_parameters":{"parameter":55}}""");
        (await alice.GetAsync($"{I(id)}/state")).Ok("""{"state":{"number_of_inference_calls":0,"number_of_learning_calls":2,"number_of_processed_events":10}}""");

        (await alice.LearnAsync(id, """{"episodes":["default"],"relearn":true}""")).Ok("""{"learned_parameters":{"parameter":110}}""");
        (await alice.GetAsync($"{I(id)}/state")).Ok("""{"state":{"number_of_inference_calls":0,"number_of_learning_calls":3,"number_of_processed_events":20}}""");

        await alice.AttachAsync(id, "default", Observations(11, 20));
        (await alice.LearnAsync(id, """{"episodes":["default"]}""")).Ok("""{"learned_parameters":{"parameter":265}}""");
        var episode = (await alice.EpisodeAsync(id, "default")).Body;
        Assert.Equal(20, episode.GetProperty("events").GetArrayLength());
        Json.Equal("""{"parameter":265}""", episode.GetProperty("parameters"));
    }

    [Fact]
    public async Task A_new_episode_starts_from_initial_parameters_and_wipe_and_delete_restore_the_original_scenario()
    {
        var (app, alice) = await StartWithAliceAsync(this);
        await using var _ = app;
        var id = await alice.CreateInstanceAsync();
        await alice.AttachAsync(id, "default", Observations(1, 10));
        (await alice.LearnAsync(id, """{"episodes":["default"]}""")).Ok("""{"learned_parameters":{"parameter":55}}""");

        (await alice.CreateEpisodeAsync(id, "new_episode")).Ok(EmptyEpisode(id, "new_episode"));
        await alice.AttachAsync(id, "new_episode", Observations(1, 5));
        (await alice.LearnAsync(id, """{"episodes":["new_episode"]}""")).Ok("""{"learned_parameters":{"parameter":15}}""");
        Json.Equal("""{"parameter":55}""", (await alice.EpisodeAsync(id, "default")).Body.GetProperty("parameters"));
        (await alice.GetAsync($"{I(id)}/parameters")).Ok("""{"parameters":{"parameter":15}}""");

        (await alice.WipeAsync(id, "new_episode")).Ok("""{"message":"Episode wiped successfully"}""");
        (await alice.GetAsync($"{I(id)}/parameters")).Ok("""{"parameters":{"parameter":0}}""");
        Json.Equal("""{"parameter":55}""", (await alice.EpisodeAsync(id, "default")).Body.GetProperty("parameters"));

        (await alice.DeleteAsync(E(id, "new_episode"))).Ok("""{"message":"Episode deleted successfully"}""");
        (await alice.GetAsync($"{I(id)}/parameters")).Ok("""{"parameters":{"parameter":55}}""");
    }

    [Fact]
    public async Task Learning_a_non_current_episode_does_not_change_the_current_parameters()
    {
        var (app, alice) = await StartWithAliceAsync(this);
        await using var _ = app;
        var id = await alice.CreateInstanceAsync();
        (await alice.CreateEpisodeAsync(id, "episode1")).Ok(EmptyEpisode(id, "episode1"));
        (await alice.CreateEpisodeAsync(id, "episode2")).Ok(EmptyEpisode(id, "episode2"));
        await alice.AttachAsync(id, "episode1", Observations(1, 10));

        (await alice.LearnAsync(id, """{"episodes":["episode1"]}""")).Ok("""{"learned_parameters":{"parameter":55}}""");

        Assert.Equal("episode2", (await alice.GetAsync(I(id))).Body.GetProperty("current_episode").GetString());
        Json.Equal("""{"parameter":0}""", (await alice.EpisodeAsync(id, "episode2")).Body.GetProperty("parameters"));
        (await alice.GetAsync($"{I(id)}/parameters")).Ok("""{"parameters":{"parameter":0}}""");
    }

    [Fact]
    public async Task Learning_needs_exactly_one_known_episode()
    {
        var (app, alice) = await StartWithAliceAsync(this);
        await using var _ = app;
        var id = await alice.CreateInstanceAsync();

        (await alice.LearnAsync(id, """{"episodes":["default","default"]}""")).BadRequest("Learning is supported only for one episode at a time");
        (await alice.LearnAsync(id, """{"episodes":[]}""")).BadRequest("Learning is supported only for one episode at a time");
        (await alice.LearnAsync(id, """{"episodes":["nope"]}""")).NotFound(EpisodeNotFound);
    }

    [Fact]
    public async Task A_runtime_that_fails_is_a_400_and_changes_nothing()
    {
        var (app, alice) = await StartWithAliceAsync(this);
        await using var _ = app;
        var id = await alice.CreateInstanceAsync("TestModelInferenceCall");
        await alice.AttachAsync(id, "default", Observations(1, 3));
        var before = await alice.SnapshotAsync(id);

        // TestModelInferenceCall cannot learn: its runtime throws.
        (await alice.LearnAsync(id, """{"episodes":["default"]}""")).BadRequest("Unable to run learning due to internal error");

        Assert.Equal(before, await alice.SnapshotAsync(id));
        Assert.All((await alice.EpisodeAsync(id, "default")).Body.GetProperty("events").EnumerateArray(), e => Assert.False(e.GetProperty("processed").GetBoolean()));
    }
}
