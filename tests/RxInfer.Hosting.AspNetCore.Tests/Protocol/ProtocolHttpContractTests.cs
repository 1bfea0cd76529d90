using System.Net;
using System.Reflection;
using System.Text.Json;
using Microsoft.Extensions.DependencyInjection;
using RxInfer.Auth;
using static RxInfer.Hosting.AspNetCore.Tests.ProtocolClient;

namespace RxInfer.Hosting.AspNetCore.Tests;

/// <summary>
/// Every operation and status of the protocol's part 2 (docs/protocol.md) over HTTP with exact bodies, including the
/// original server's own test scenarios on its test models. Written once and run for each token provider.
/// </summary>
public abstract class ProtocolHttpContractTests
{
    private const string Now = "2026-01-02T03:04:05Z";

    /// <summary>Chooses the token provider under test.</summary>
    protected abstract void ConfigureProvider(RxInferAuthBuilder auth);

    private Task<TestApp> StartAsync(string? edition = null) => TestApp.StartAsync(new TestAppOptions
    {
        Provider = ConfigureProvider,
        TestModels = true,
        Services = edition is null ? null : services => services.Configure<RxInferEndpointOptions>(o => o.ServerEdition = edition),
    });

    private static async Task<(TestApp App, ProtocolClient Alice)> StartWithAliceAsync(ProtocolHttpContractTests suite)
    {
        var app = await suite.StartAsync();
        return (app, await ForAsync(app, "alice"));
    }

    private static string EmptyEpisode(Guid id, string name, string parameters = """{"parameter":0}""", string createdAt = Now) =>
        $$"""{"instance_id":"{{id}}","episode_name":{{JsonSerializer.Serialize(name)}},"created_at":"{{createdAt}}","events":[],"parameters":{{parameters}}}""";

    // ---- GET /info ---------------------------------------------------------------------------------------------

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

    // ---- Instances and the default episode ----------------------------------------------------------------------

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

    // ---- Episodes -----------------------------------------------------------------------------------------------

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

    // ---- Inference ----------------------------------------------------------------------------------------------

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

    // ---- Learning -----------------------------------------------------------------------------------------------

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

    // ---- Metadata -----------------------------------------------------------------------------------------------

    [Fact]
    public async Task Metadata_attaches_to_an_inference_event_and_only_to_it()
    {
        var (app, alice) = await StartWithAliceAsync(this);
        await using var _ = app;
        var id = await alice.CreateInstanceAsync("TestModelInferenceCall");
        var first = (await alice.InferAsync(id, """{"data":{"observation":1}}""")).Body.GetProperty("event_id").GetInt64();
        var second = (await alice.InferAsync(id, """{"data":{"observation":2}}""")).Body.GetProperty("event_id").GetInt64();

        (await alice.MetadataAsync(id, "default", first.ToString(System.Globalization.CultureInfo.InvariantCulture), """{"metadata":{"key":"value","hello":"world"}}"""))
            .Ok("""{"message":"Metadata attached to the event successfully"}""");
        var events = (await alice.EpisodeAsync(id, "default")).Body.GetProperty("events");
        Json.Equal("""{"key":"value","hello":"world"}""", events[0].GetProperty("metadata"));
        Assert.False(events[1].TryGetProperty("metadata", out var _));

        (await alice.MetadataAsync(id, "default", second.ToString(System.Globalization.CultureInfo.InvariantCulture), """{"metadata":{"another_key":"another_value"}}""")).Ok();
        events = (await alice.EpisodeAsync(id, "default")).Body.GetProperty("events");
        Json.Equal("""{"key":"value","hello":"world"}""", events[0].GetProperty("metadata"));
        Json.Equal("""{"another_key":"another_value"}""", events[1].GetProperty("metadata"));

        (await alice.MetadataAsync(id, "default", "3", """{"metadata":{}}""")).BadRequest("Unable to attach metadata to the event due to internal error");
        (await alice.MetadataAsync(id, "nope", "1", """{"metadata":{}}""")).NotFound("The requested episode could not be found or the event with the specified ID does not exist");
    }

    // ---- Missing, deleted and foreign instances -----------------------------------------------------------------

    public static TheoryData<string, string, string?, string> EveryOperation => new()
    {
        { "GET", "/parameters", null, InstanceNotFound },
        { "POST", "/infer", """{"data":{"observation":1}}""", InstanceNotFound },
        { "POST", "/learn", """{"episodes":["default"]}""", InstanceNotFound },
        { "POST", "/create-episode", """{"name":"e"}""", InstanceNotFound },
        { "GET", "/episodes", null, InstanceNotFound },
        { "GET", "/episodes/default", null, InstanceNotFound },
        { "DELETE", "/episodes/e1", null, ModelNotFound },
        { "POST", "/episodes/default/attach-events", """{"events":[{"data":{"observation":1}}]}""", ModelNotFound },
        { "POST", "/episodes/default/wipe", null, ModelNotFound },
        { "POST", "/episodes/default/events/1/attach-metadata", """{"metadata":{"k":1}}""", ModelNotFound },
    };

    [Theory]
    [MemberData(nameof(EveryOperation))]
    public async Task Another_identity_a_missing_and_a_deleted_instance_get_the_same_404_and_nothing_changes(string method, string suffix, string? body, string message)
    {
        var (app, alice) = await StartWithAliceAsync(this);
        await using var _ = app;
        var id = await alice.CreateInstanceAsync();
        await alice.CreateEpisodeAsync(id, "e1");
        await alice.AttachAsync(id, "default", """[{"data":{"observation":1},"metadata":{"keep":true}}]""");
        var deleted = await alice.CreateInstanceAsync();
        (await alice.DeleteAsync(I(deleted))).Ok();
        var bob = await ForAsync(app, "bob");
        var before = await alice.SnapshotAsync(id);

        foreach (var (caller, target) in new[] { (bob, I(id)), (bob, I(Guid.NewGuid())), (alice, I(Guid.NewGuid())), (alice, I(deleted)), (alice, "/v1/models/i/not-a-uuid") })
        {
            (await caller.SendAsync(new HttpMethod(method), target + suffix, body)).NotFound(message);
        }

        Assert.Equal(before, await alice.SnapshotAsync(id));
    }
}

/// <summary>The part-2 contract suite on the opaque in-memory provider.</summary>
public sealed class OpaqueProtocolHttpContractTests : ProtocolHttpContractTests
{
    protected override void ConfigureProvider(RxInferAuthBuilder auth) => auth.AddOpaqueTokens();
}

/// <summary>The part-2 contract suite on the signed-JWT provider, with a configured key (an ephemeral one starts in Development only).</summary>
public sealed class JwtProtocolHttpContractTests : ProtocolHttpContractTests
{
    private static readonly string SigningKeyPem = CreateSigningKeyPem();

    protected override void ConfigureProvider(RxInferAuthBuilder auth) => auth.AddJwtTokens(options =>
        options.Keys = [new JwtSigningKeyOptions { KeyId = "protocol-es256", Algorithm = "ES256", Pem = SigningKeyPem }]);

    private static string CreateSigningKeyPem()
    {
        using var key = System.Security.Cryptography.ECDsa.Create(System.Security.Cryptography.ECCurve.NamedCurves.nistP256);
        return key.ExportPkcs8PrivateKeyPem();
    }
}
