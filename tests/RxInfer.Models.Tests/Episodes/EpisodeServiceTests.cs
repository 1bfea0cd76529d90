using System.Text.Json;

namespace RxInfer.Models.Tests;

public sealed class EpisodeServiceTests : IDisposable
{
    private static readonly ModelDefinition Model = ModelDefinition.Create("Learning-v1", "d", "a", ["user"]);
    private static readonly ModelCaller Alice = new("alice", ["user"]);
    private static readonly ModelCaller Bob = new("bob", ["user"]);

    private readonly TestRuntime _runtime = new();
    private readonly ModelsHost _host;

    public EpisodeServiceTests()
    {
        _host = new ModelsHost(b => b.AddModel(Model).AddModelRuntime(Model.Name, _runtime), o =>
        {
            o.MaxEpisodesPerInstance = 4;
            o.MaxEventsPerEpisode = 6;
            o.MaxEventsPerAttach = 5;
            o.MaxEventDataSize = 40;
            o.MaxEventMetadataSize = 30;
        });
    }

    public void Dispose() => _host.Dispose();

    private IModelEpisodeService Episodes => _host.Episodes;

    private Guid NewInstance(ModelCaller? caller = null) =>
        Sync.Run(_host.Instances.CreateAsync(caller ?? Alice, Model.Name, null, null)).Instance!.InstanceId;

    private static void AssertJson(string expected, JsonElement actual) =>
        Assert.True(JsonElement.DeepEquals(Json.Parse(expected), actual), $"Expected {expected}, got {actual.GetRawText()}");

    private static ModelEventInput Observation(int value, string? metadata = null) =>
        new(Json.Parse($$"""{"observation": {{value}}}"""), metadata is null ? null : Json.Parse(metadata));

    private ModelEpisode Episode(Guid id, string name = "default")
    {
        var result = Sync.Run(Episodes.GetEpisodeAsync(Alice, id, name));
        Assert.True(result.Succeeded, result.Error);
        return result.Value!;
    }

    private string[] Names(Guid id) => [.. Sync.Run(Episodes.ListEpisodesAsync(Alice, id)).Value!.Select(e => e.Name)];

    private string Current(Guid id) => Sync.Run(_host.Instances.GetAsync(Alice, id))!.CurrentEpisode;

    private static void AssertFailure(ModelResultStatus status, string error, ModelResult result)
    {
        Assert.Equal(status, result.Status);
        Assert.Equal(error, result.Error);
    }

    private static void AssertFailure<T>(ModelResultStatus status, string error, ModelResult<T> result)
    {
        Assert.Equal(status, result.Status);
        Assert.Equal(error, result.Error);
        Assert.Equal(default, result.Value);
    }

    [Fact]
    public void A_new_instance_has_a_current_default_episode_with_the_runtimes_initial_parameters()
    {
        var id = NewInstance();

        var episode = Episode(id);
        Assert.Equal(id, episode.InstanceId);
        Assert.Equal(TestClock.Start, episode.CreatedAt);
        Assert.Empty(episode.Events);
        AssertJson("""{"parameter": 0}""", episode.Parameters);
        AssertJson("""{"parameter": 0}""", Sync.Run(Episodes.GetParametersAsync(Alice, id)).Value);
        Assert.Equal(["default"], Names(id));
        Assert.Equal("default", Current(id));
    }

    [Fact]
    public void A_model_without_a_runtime_has_the_arguments_as_parameters()
    {
        var plain = ModelDefinition.Create("Plain-v1", "d", "a", ["user"], [new ModelArgument("a", @default: Json.Parse("1.0"))]);
        using var host = new ModelsHost(b => b.AddModel(plain));
        var id = Sync.Run(host.Instances.CreateAsync(Alice, plain.Name, Json.Parse("""{"b": 2}"""), null)).Instance!.InstanceId;

        AssertJson("""{"a": 1.0, "b": 2}""", Sync.Run(host.Episodes.GetParametersAsync(Alice, id)).Value);
        AssertJson("""{"a": 1.0, "b": 2}""", Sync.Run(host.Episodes.CreateEpisodeAsync(Alice, id, "e")).Value!.Parameters);
    }

    [Fact]
    public async Task A_created_episode_has_fresh_parameters_no_events_and_becomes_current()
    {
        var id = NewInstance();
        _host.Time.Advance(TimeSpan.FromMinutes(1));

        var created = await Episodes.CreateEpisodeAsync(Alice, id, "e1");

        Assert.True(created.Succeeded);
        Assert.Equal("e1", created.Value!.Name);
        Assert.Equal(TestClock.Start.AddMinutes(1), created.Value.CreatedAt);
        Assert.Empty(created.Value.Events);
        AssertJson("""{"parameter": 0}""", created.Value.Parameters);
        Assert.Equal("e1", Current(id));
        Assert.Equal(["default", "e1"], Names(id));
        Assert.Equal(created.Value.CreatedAt, Episode(id, "e1").CreatedAt);
    }

    [Fact]
    public async Task A_live_episode_name_cannot_be_created_again_but_a_deleted_one_can()
    {
        var id = NewInstance();
        await Episodes.CreateEpisodeAsync(Alice, id, "e1");
        await Episodes.AttachEventsAsync(Alice, id, "e1", [Observation(1)]);

        AssertFailure(ModelResultStatus.Invalid, "The requested episode already exists", await Episodes.CreateEpisodeAsync(Alice, id, "e1"));
        AssertFailure(ModelResultStatus.Invalid, "The requested episode already exists", await Episodes.CreateEpisodeAsync(Alice, id, "default"));
        Assert.Single(Episode(id, "e1").Events);

        Assert.True((await Episodes.DeleteEpisodeAsync(Alice, id, "e1")).Succeeded);
        var again = await Episodes.CreateEpisodeAsync(Alice, id, "e1");
        Assert.True(again.Succeeded);
        Assert.Empty(Episode(id, "e1").Events);
    }

    [Fact]
    public async Task An_empty_episode_name_is_refused_and_any_other_text_works()
    {
        var id = NewInstance();
        AssertFailure(ModelResultStatus.Invalid, "The episode name must not be empty", await Episodes.CreateEpisodeAsync(Alice, id, ""));

        const string odd = " %%% -- ////// %% <> >< == () {} [] | # % & * + , / : ; = ? @ [ ] .. ";
        Assert.True((await Episodes.CreateEpisodeAsync(Alice, id, odd)).Succeeded);
        Assert.True((await Episodes.AttachEventsAsync(Alice, id, odd, [Observation(1)])).Succeeded);
        Assert.Equal(odd, Episode(id, odd).Name);
    }

    [Fact]
    public async Task Episodes_past_the_limit_are_refused_with_a_clear_message_and_nothing_changes()
    {
        var id = NewInstance();
        foreach (var name in new[] { "e1", "e2", "e3" })
        {
            Assert.True((await Episodes.CreateEpisodeAsync(Alice, id, name)).Succeeded);
        }

        AssertFailure(ModelResultStatus.Invalid, "The model instance already has the maximum of 4 episodes; delete one first", await Episodes.CreateEpisodeAsync(Alice, id, "e4"));
        Assert.Equal(["default", "e1", "e2", "e3"], Names(id));
        Assert.Equal("e3", Current(id));
    }

    [Fact]
    public async Task An_episode_whose_runtime_fails_is_not_created()
    {
        var failing = new TestRuntime { InitialParameters = _ => throw new InvalidOperationException("no parameters today") };
        var calls = 0;
        var flaky = new TestRuntime { InitialParameters = _ => ++calls == 1 ? Json.Parse("""{"parameter": 0}""") : throw new InvalidOperationException("boom") };
        using var host = new ModelsHost(b => b.AddModel(Model).AddModelRuntime(Model.Name, flaky));
        var id = Sync.Run(host.Instances.CreateAsync(Alice, Model.Name, null, null)).Instance!.InstanceId;

        AssertFailure(ModelResultStatus.Invalid, "Unable to create episode due to internal error", await host.Episodes.CreateEpisodeAsync(Alice, id, "e1"));

        Assert.Equal(["default"], Sync.Run(host.Episodes.ListEpisodesAsync(Alice, id)).Value!.Select(e => e.Name));
        Assert.Equal("default", Sync.Run(host.Instances.GetAsync(Alice, id))!.CurrentEpisode);
        Assert.Contains(host.Logs.GetSnapshot(), r => r.Id.Name == "ModelRuntimeFailed" && r.Exception?.Message == "boom");

        using var broken = new ModelsHost(b => b.AddModel(Model).AddModelRuntime(Model.Name, failing));
        var creation = Sync.Run(broken.Instances.CreateAsync(Alice, Model.Name, null, null));
        Assert.Equal(ModelInstanceCreationStatus.InvalidRequest, creation.Status);
        Assert.Equal("Unable to create model instance due to internal error", creation.Error);
        Assert.Empty(Sync.Run(broken.Instances.ListAsync(Alice)));
    }

    [Fact]
    public async Task Deleting_default_is_refused_before_the_instance_is_looked_up()
    {
        var id = NewInstance();
        const string message = "Default episode cannot be deleted, wipe data instead";

        AssertFailure(ModelResultStatus.Invalid, message, await Episodes.DeleteEpisodeAsync(Alice, id, "default"));
        AssertFailure(ModelResultStatus.Invalid, message, await Episodes.DeleteEpisodeAsync(Bob, id, "default"));
        AssertFailure(ModelResultStatus.Invalid, message, await Episodes.DeleteEpisodeAsync(Alice, Guid.NewGuid(), "default"));
        Assert.Equal(["default"], Names(id));
    }

    [Fact]
    public async Task Deleting_the_current_episode_makes_default_current_and_deleting_another_leaves_the_current_one()
    {
        var id = NewInstance();
        await Episodes.CreateEpisodeAsync(Alice, id, "e1");
        await Episodes.CreateEpisodeAsync(Alice, id, "e2");
        await Episodes.AttachEventsAsync(Alice, id, "e2", [Observation(5)]);

        Assert.True((await Episodes.DeleteEpisodeAsync(Alice, id, "e1")).Succeeded);
        Assert.Equal("e2", Current(id));
        Assert.Single(Episode(id, "e2").Events);

        Assert.True((await Episodes.DeleteEpisodeAsync(Alice, id, "e2")).Succeeded);
        Assert.Equal("default", Current(id));
        Assert.Equal(["default"], Names(id));

        AssertFailure(ModelResultStatus.NotFound, "The requested episode could not be found", await Episodes.DeleteEpisodeAsync(Alice, id, "e2"));
        AssertFailure(ModelResultStatus.NotFound, "The requested episode could not be found", await Episodes.GetEpisodeAsync(Alice, id, "e2"));
    }

    [Fact]
    public async Task Attached_events_are_numbered_from_one_and_get_their_defaults()
    {
        var id = NewInstance();
        var given = new DateTimeOffset(2024, 3, 20, 12, 0, 0, TimeSpan.Zero); // a time the client gives (the protocol's example), not the clock's
        _host.Time.Advance(TimeSpan.FromSeconds(30));

        Assert.True((await Episodes.AttachEventsAsync(Alice, id, "default",
        [
            new ModelEventInput(Json.Parse("""{"observation": 1}"""), Json.Parse("""{"a": "b"}"""), given, Processed: true),
            new ModelEventInput(),
            new ModelEventInput(Json.Parse("null"), Json.Parse("null")),
        ])).Succeeded);
        Assert.True((await Episodes.AttachEventsAsync(Alice, id, "default", [Observation(4)])).Succeeded);

        var events = Episode(id).Events;
        Assert.Equal([1L, 2L, 3L, 4L], events.Select(e => e.EventId));
        Assert.Equal(given, events[0].Timestamp);
        Assert.True(events[0].Processed);
        AssertJson("""{"a": "b"}""", events[0].Metadata!.Value);
        Assert.Equal(TestClock.Start.AddSeconds(30), events[1].Timestamp);
        Assert.False(events[1].Processed);
        AssertJson("{}", events[1].Data);
        AssertJson("{}", events[1].Metadata!.Value);
        AssertJson("{}", events[2].Data);
        AssertJson("{}", events[2].Metadata!.Value);
    }

    [Fact]
    public async Task A_wipe_empties_the_episode_restores_its_parameters_and_ids_start_again_at_one()
    {
        var id = NewInstance();
        await Episodes.AttachEventsAsync(Alice, id, "default", [Observation(1), Observation(2)]);
        await _host.Inference.LearnAsync(Alice, id, ["default"]);
        AssertJson("""{"parameter": 3}""", Sync.Run(Episodes.GetParametersAsync(Alice, id)).Value);

        Assert.True((await Episodes.WipeEpisodeAsync(Alice, id, "default")).Succeeded);
        Assert.Empty(Episode(id).Events);
        AssertJson("""{"parameter": 0}""", Sync.Run(Episodes.GetParametersAsync(Alice, id)).Value);

        Assert.True((await Episodes.WipeEpisodeAsync(Alice, id, "default")).Succeeded);
        await Episodes.AttachEventsAsync(Alice, id, "default", [Observation(7)]);
        Assert.Equal(1, Assert.Single(Episode(id).Events).EventId);
        AssertFailure(ModelResultStatus.NotFound, "The requested episode could not be found", await Episodes.WipeEpisodeAsync(Alice, id, "nope"));
    }

    public static TheoryData<string, string> BadEvents => new()
    {
        { """{"data": [1]}""", "The event data must be a JSON object" },
        { """{"data": "text"}""", "The event data must be a JSON object" },
        { """{"metadata": 5}""", "The event metadata must be a JSON object" },
        { """{"data": {"observation": "xxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxx"}}""", "The event data is larger than the limit of 40 bytes" },
        { """{"metadata": {"m": "xxxxxxxxxxxxxxxxxxxxxxxxxxxx"}}""", "The event metadata is larger than the limit of 30 bytes" },
    };

    [Theory]
    [MemberData(nameof(BadEvents))]
    public async Task A_bad_event_refuses_the_whole_call_with_a_clear_message(string bad, string message)
    {
        var id = NewInstance();
        var parsed = Json.Parse(bad);
        var badEvent = new ModelEventInput(
            parsed.TryGetProperty("data", out var data) ? data : null,
            parsed.TryGetProperty("metadata", out var metadata) ? metadata : null);

        AssertFailure(ModelResultStatus.Invalid, message, await Episodes.AttachEventsAsync(Alice, id, "default", [badEvent]));
        AssertFailure(ModelResultStatus.Invalid, message + " (event 2 of 2)", await Episodes.AttachEventsAsync(Alice, id, "default", [Observation(1), badEvent]));
        Assert.Empty(Episode(id).Events);
    }

    [Fact]
    public async Task Event_limits_per_call_and_per_episode_refuse_the_whole_call()
    {
        var id = NewInstance();
        var six = Enumerable.Range(1, 6).Select(i => Observation(i)).ToArray();

        AssertFailure(ModelResultStatus.Invalid, "At most 5 events may be attached in one call", await Episodes.AttachEventsAsync(Alice, id, "default", six));
        Assert.Empty(Episode(id).Events);

        Assert.True((await Episodes.AttachEventsAsync(Alice, id, "default", six[..4])).Succeeded);
        AssertFailure(ModelResultStatus.Invalid, "The episode would hold more than the maximum of 6 events; wipe it or use another episode", await Episodes.AttachEventsAsync(Alice, id, "default", six[..3]));
        Assert.Equal(4, Episode(id).Events.Count);
        Assert.True((await Episodes.AttachEventsAsync(Alice, id, "default", six[..2])).Succeeded);
        Assert.Equal(6, Episode(id).Events.Count);
    }

    [Fact]
    public async Task Metadata_replaces_an_events_metadata_and_missing_targets_get_the_protocols_answers()
    {
        var id = NewInstance();
        await Episodes.AttachEventsAsync(Alice, id, "default", [Observation(1, """{"old": 1}"""), Observation(2)]);

        Assert.True((await Episodes.AttachMetadataAsync(Alice, id, "default", 2, Json.Parse("""{"k": "v"}"""))).Succeeded);
        Assert.True((await Episodes.AttachMetadataAsync(Alice, id, "default", 1, Json.Parse("""{"new": 1}"""))).Succeeded);
        AssertJson("""{"new": 1}""", Episode(id).Events[0].Metadata!.Value);
        AssertJson("""{"k": "v"}""", Episode(id).Events[1].Metadata!.Value);

        AssertFailure(ModelResultStatus.Invalid, "Unable to attach metadata to the event due to internal error", await Episodes.AttachMetadataAsync(Alice, id, "default", 3, Json.Parse("{}")));
        AssertFailure(ModelResultStatus.NotFound, "The requested episode could not be found or the event with the specified ID does not exist", await Episodes.AttachMetadataAsync(Alice, id, "nope", 1, Json.Parse("{}")));
        AssertFailure(ModelResultStatus.Invalid, "The event metadata must be a JSON object", await Episodes.AttachMetadataAsync(Alice, id, "default", 1, Json.Parse("[]")));
        AssertFailure(ModelResultStatus.Invalid, "The event metadata is larger than the limit of 30 bytes", await Episodes.AttachMetadataAsync(Alice, id, "default", 1, Json.Parse("""{"m": "xxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxx"}""")));
        AssertJson("""{"new": 1}""", Episode(id).Events[0].Metadata!.Value);
    }

    [Fact]
    public async Task Another_owner_gets_exactly_the_answers_of_a_missing_instance_and_changes_nothing()
    {
        var id = NewInstance();
        await Episodes.CreateEpisodeAsync(Alice, id, "e1");
        await Episodes.AttachEventsAsync(Alice, id, "e1", [Observation(1, """{"keep": 1}""")]);
        var missing = Guid.NewGuid();
        var before = JsonSerializer.Serialize(Sync.Run(Episodes.ListEpisodesAsync(Alice, id)).Value!.Select(e => new { e.Name, e.Events.Count, Parameters = e.Parameters.GetRawText() }));

        foreach (var target in new[] { id, missing })
        {
            AssertFailure(ModelResultStatus.NotFound, ModelErrors.InstanceNotFound, await Episodes.GetParametersAsync(Bob, target));
            AssertFailure(ModelResultStatus.NotFound, ModelErrors.InstanceNotFound, await Episodes.ListEpisodesAsync(Bob, target));
            AssertFailure(ModelResultStatus.NotFound, ModelErrors.InstanceNotFound, await Episodes.GetEpisodeAsync(Bob, target, "e1"));
            AssertFailure(ModelResultStatus.NotFound, ModelErrors.InstanceNotFound, await Episodes.CreateEpisodeAsync(Bob, target, "e2"));
            AssertFailure(ModelResultStatus.NotFound, "The requested model could not be found", await Episodes.DeleteEpisodeAsync(Bob, target, "e1"));
            AssertFailure(ModelResultStatus.NotFound, "The requested model could not be found", await Episodes.AttachEventsAsync(Bob, target, "e1", [Observation(9)]));
            AssertFailure(ModelResultStatus.NotFound, "The requested model could not be found", await Episodes.WipeEpisodeAsync(Bob, target, "e1"));
            AssertFailure(ModelResultStatus.NotFound, "The requested model could not be found", await Episodes.AttachMetadataAsync(Bob, target, "e1", 1, Json.Parse("""{"bob": 1}""")));
        }

        var after = JsonSerializer.Serialize(Sync.Run(Episodes.ListEpisodesAsync(Alice, id)).Value!.Select(e => new { e.Name, e.Events.Count, Parameters = e.Parameters.GetRawText() }));
        Assert.Equal(before, after);
        Assert.Equal("e1", Current(id));
        AssertJson("""{"keep": 1}""", Episode(id, "e1").Events[0].Metadata!.Value);
    }

    [Fact]
    public async Task A_deleted_instance_is_gone_for_every_episode_operation()
    {
        var id = NewInstance();
        Assert.True(Sync.Run(_host.Instances.DeleteAsync(Alice, id)));

        AssertFailure(ModelResultStatus.NotFound, ModelErrors.InstanceNotFound, await Episodes.GetParametersAsync(Alice, id));
        AssertFailure(ModelResultStatus.NotFound, ModelErrors.InstanceNotFound, await Episodes.ListEpisodesAsync(Alice, id));
        AssertFailure(ModelResultStatus.NotFound, "The requested model could not be found", await Episodes.WipeEpisodeAsync(Alice, id, "default"));
        AssertFailure(ModelResultStatus.NotFound, "The requested model could not be found", await Episodes.AttachMetadataAsync(Alice, id, "default", 1, Json.Parse("{}")));
    }

    [Fact]
    public async Task A_caller_without_a_subject_is_refused_by_every_part_two_service()
    {
        var id = NewInstance();
        var nobody = new ModelCaller("", ["user"]);

        await Assert.ThrowsAsync<ArgumentException>(() => Episodes.ListEpisodesAsync(nobody, id).AsTask());
        await Assert.ThrowsAsync<ArgumentException>(() => Episodes.AttachEventsAsync(default, id, "default", []).AsTask());
        await Assert.ThrowsAsync<ArgumentException>(() => _host.Inference.InferAsync(nobody, id, Json.Parse("{}")).AsTask());
        await Assert.ThrowsAsync<ArgumentException>(() => _host.Inference.LearnAsync(default, id, ["default"]).AsTask());
    }
}
