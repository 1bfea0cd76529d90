using System.Text.Json;
using Microsoft.Extensions.DependencyInjection;
using RxInfer.Auth;
using static RxInfer.Hosting.AspNetCore.Tests.ProtocolClient;

namespace RxInfer.Hosting.AspNetCore.Tests;

/// <summary>Episodes: create, delete, wipe, events, names.</summary>
public abstract partial class ProtocolHttpContractTests
{
    [Fact]
    public async Task Episodes_are_created_refused_when_they_exist_deleted_and_current_follows()
    {
        var (app, alice) = await StartWithAliceAsync(this);
        await using var _ = app;
        var id = await alice.CreateInstanceAsync();
        string Current(Reply reply) => reply.Body.GetProperty("current_episode").GetString()!;

        (await alice.CreateEpisodeAsync(id, "e1")).Ok(EmptyEpisode(id, "e1"));
        Assert.Equal("e1", Current(await alice.GetAsync(I(id))));
        (await alice.CreateEpisodeAsync(id, "e1")).BadRequest("The requested episode already exists");
        (await alice.CreateEpisodeAsync(id, "default")).BadRequest("The requested episode already exists");
        (await alice.CreateEpisodeAsync(id, "e2")).Ok();
        Assert.Equal(["default", "e1", "e2"], (await alice.GetAsync($"{I(id)}/episodes")).Body.EnumerateArray().Select(e => e.GetProperty("episode_name").GetString()));

        // Deleting a non-current episode leaves the current one.
        (await alice.DeleteAsync(E(id, "e1"))).Ok("""{"message":"Episode deleted successfully"}""");
        Assert.Equal("e2", Current(await alice.GetAsync(I(id))));
        (await alice.EpisodeAsync(id, "e1")).NotFound(EpisodeNotFound);
        (await alice.DeleteAsync(E(id, "e1"))).NotFound(EpisodeNotFound);

        // Deleting the current episode makes default current again.
        (await alice.DeleteAsync(E(id, "e2"))).Ok("""{"message":"Episode deleted successfully"}""");
        Assert.Equal("default", Current(await alice.GetAsync(I(id))));

        // The default episode cannot be deleted; a deleted name can be used again.
        (await alice.DeleteAsync(E(id, "default"))).BadRequest("Default episode cannot be deleted, wipe data instead");
        (await alice.CreateEpisodeAsync(id, "e1")).Ok(EmptyEpisode(id, "e1"));
    }

    [Fact]
    public async Task Deleting_default_is_a_400_for_a_missing_or_foreign_instance_too()
    {
        var (app, alice) = await StartWithAliceAsync(this);
        await using var _ = app;
        var id = await alice.CreateInstanceAsync();
        var bob = await ForAsync(app, "bob");

        foreach (var path in new[] { E(id, "default"), E(Guid.NewGuid(), "default"), "/v1/models/i/not-a-uuid/episodes/default" })
        {
            (await bob.DeleteAsync(path)).BadRequest("Default episode cannot be deleted, wipe data instead");
        }
    }

    [Fact]
    public async Task Attached_events_get_ids_from_one_and_after_a_wipe_from_one_again()
    {
        var (app, alice) = await StartWithAliceAsync(this);
        await using var _ = app;
        var id = await alice.CreateInstanceAsync();
        await alice.CreateEpisodeAsync(id, "load-data-here");

        (await alice.AttachAsync(id, "load-data-here", """
            [{"data":{"observation":1},"metadata":{"a":"b"},"timestamp":"2024-03-20T12:00:00Z"},
             {"data":{"observation":0},"metadata":{"c":"d"},"processed":true},
             {}]
            """)).Ok("""{"message":"Events attached to the episode successfully"}""");
        (await alice.EpisodeAsync(id, "load-data-here")).Ok($$"""
            {"instance_id":"{{id}}","episode_name":"load-data-here","created_at":"{{Now}}","parameters":{"parameter":0},"events":[
              {"event_id":1,"data":{"observation":1},"timestamp":"2024-03-20T12:00:00Z","metadata":{"a":"b"},"processed":false},
              {"event_id":2,"data":{"observation":0},"timestamp":"{{Now}}","metadata":{"c":"d"},"processed":true},
              {"event_id":3,"data":{},"timestamp":"{{Now}}","metadata":{},"processed":false}]}
            """);
        Assert.Empty((await alice.EpisodeAsync(id, "default")).Body.GetProperty("events").EnumerateArray());

        (await alice.WipeAsync(id, "load-data-here")).Ok("""{"message":"Episode wiped successfully"}""");
        (await alice.EpisodeAsync(id, "load-data-here")).Ok(EmptyEpisode(id, "load-data-here"));
        (await alice.WipeAsync(id, "load-data-here")).Ok("""{"message":"Episode wiped successfully"}""");

        await alice.AttachAsync(id, "load-data-here", Observations(7, 8));
        Assert.Equal([1L, 2L], (await alice.EpisodeAsync(id, "load-data-here")).Body.GetProperty("events").EnumerateArray().Select(e => e.GetProperty("event_id").GetInt64()));
        (await alice.AttachAsync(id, "nope", Observations(1, 1))).NotFound(EpisodeNotFound);
        (await alice.WipeAsync(id, "nope")).NotFound(EpisodeNotFound);
    }

    [Theory]
    [InlineData("a/b")]
    [InlineData("100% sure")]
    [InlineData("x y#?@[]")]
    [InlineData("ünïcødé €")]
    [InlineData(" %%% -- ////// %% <> >< == () {} [] | # % & * + , / : ; = ? @ [ ]")]
    public async Task Episode_names_with_any_characters_work_percent_encoded(string name)
    {
        // On the test server, which has no raw request target; Kestrel, where it has one, is tested in EpisodeNamesOnKestrelTests.
        var (app, alice) = await StartWithAliceAsync(this);
        await using var _ = app;
        var id = await alice.CreateInstanceAsync();

        (await alice.CreateEpisodeAsync(id, name)).Ok(EmptyEpisode(id, name));
        (await alice.EpisodeAsync(id, name)).Ok(EmptyEpisode(id, name));
        (await alice.AttachAsync(id, name, Observations(1, 2))).Ok();
        (await alice.MetadataAsync(id, name, "2", """{"metadata":{"k":1}}""")).Ok();
        (await alice.LearnAsync(id, JsonSerializer.Serialize(new { episodes = new[] { name } }))).Ok("""{"learned_parameters":{"parameter":3}}""");
        (await alice.WipeAsync(id, name)).Ok();
        (await alice.InferAsync(id, JsonSerializer.Serialize(new { data = new { observation = 1 }, episode_name = name }))).Ok("""{"event_id":1,"results":{"observation":1},"errors":[]}""");
        (await alice.DeleteAsync(E(id, name))).Ok();
        (await alice.EpisodeAsync(id, name)).NotFound(EpisodeNotFound);
    }
}
