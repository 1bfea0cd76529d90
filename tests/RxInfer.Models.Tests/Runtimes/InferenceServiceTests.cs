using System.Collections.Concurrent;
using System.Text.Json;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.DependencyInjection.Extensions;
using RxInfer.Auth;

namespace RxInfer.Models.Tests;

public sealed class InferenceServiceTests
{
    private static readonly ModelDefinition Model = ModelDefinition.Create("Learning-v1", "d", "a", ["user"], [new ModelArgument("a", @default: Json.Parse("1.0"))]);
    private static readonly ModelDefinition Plain = ModelDefinition.Create("Plain-v1", "d", "a", ["user"]);
    private static readonly ModelCaller Alice = new("alice", ["user"]);
    private static readonly ModelCaller Bob = new("bob", ["user"]);

    private static ModelsHost Host(TestRuntime runtime, Action<RxInferModelsOptions>? configure = null, Action<IServiceCollection>? services = null) =>
        new(b =>
        {
            b.AddModel(Model).AddModel(Plain).AddModelRuntime(Model.Name, runtime);
            services?.Invoke(b.Services);
        }, configure);

    private static Guid NewInstance(ModelsHost host, string model = "Learning-v1") =>
        Sync.Run(host.Instances.CreateAsync(Alice, model, null, null)).Instance!.InstanceId;

    private static JsonElement Data(int observation) => Json.Parse($$"""{"observation": {{observation}}}""");

    private static void AssertJson(string expected, JsonElement actual) =>
        Assert.True(JsonElement.DeepEquals(Json.Parse(expected), actual), $"Expected {expected}, got {actual.GetRawText()}");

    private static JsonElement State(ModelsHost host, Guid id) => Sync.Run(host.Instances.GetStateAsync(Alice, id))!.Value;

    private static IReadOnlyList<ModelEvent> Events(ModelsHost host, Guid id, string episode = "default") =>
        Sync.Run(host.Episodes.GetEpisodeAsync(Alice, id, episode)).Value!.Events;

    private static void AssertInvalid<T>(string message, ModelResult<T> result)
    {
        Assert.Equal(ModelResultStatus.Invalid, result.Status);
        Assert.Equal(message, result.Error);
    }

    [Fact]
    public async Task Inference_returns_the_runtimes_results_stores_the_new_state_and_records_the_data_as_an_event()
    {
        using var host = Host(new TestRuntime());
        var id = NewInstance(host);
        var at = new DateTimeOffset(2024, 3, 20, 12, 0, 0, TimeSpan.Zero);

        var first = await host.Inference.InferAsync(Alice, id, Data(1), at);
        host.Time.Advance(TimeSpan.FromSeconds(10));
        var second = await host.Inference.InferAsync(Alice, id, Data(2));

        Assert.True(first.Succeeded);
        Assert.Equal(1, first.Value!.EventId);
        AssertJson("""{"observation": 1}""", first.Value.Results);
        Assert.Empty(first.Value.Errors);
        Assert.Equal(2, second.Value!.EventId);
        Assert.Equal(2, State(host, id).GetProperty("number_of_inference_calls").GetInt32());
        var events = Events(host, id);
        Assert.Equal([1L, 2L], events.Select(e => e.EventId));
        Assert.Equal(at, events[0].Timestamp);
        Assert.Equal(ModelsHost.Start.AddSeconds(10), events[1].Timestamp);
        AssertJson("""{"observation": 2}""", events[1].Data);
        Assert.Null(events[1].Metadata);
        Assert.False(events[1].Processed);
    }

    [Fact]
    public async Task Inference_uses_the_current_episodes_parameters_and_records_in_the_named_episode()
    {
        var seen = new ConcurrentQueue<string>();
        var runtime = new TestRuntime
        {
            Infer = (request, _) =>
            {
                seen.Enqueue(request.Parameters.GetRawText());
                return ValueTask.FromResult(new ModelInferenceResult(request.Data, request.State));
            },
        };
        using var host = Host(runtime);
        var id = NewInstance(host);
        await host.Episodes.AttachEventsAsync(Alice, id, "default", [new ModelEventInput(Data(10))]);
        await host.Inference.LearnAsync(Alice, id, ["default"]);
        await host.Episodes.CreateEpisodeAsync(Alice, id, "episode1");
        await host.Episodes.CreateEpisodeAsync(Alice, id, "episode2");

        var one = await host.Inference.InferAsync(Alice, id, Data(1), episodeName: "episode1");
        var two = await host.Inference.InferAsync(Alice, id, Data(0), episodeName: "episode2");
        var main = await host.Inference.InferAsync(Alice, id, Data(5));

        Assert.Equal([1L, 1L, 2L], new[] { one.Value!.EventId!.Value, two.Value!.EventId!.Value, main.Value!.EventId!.Value });
        AssertJson("""{"observation": 1}""", Assert.Single(Events(host, id, "episode1")).Data);
        AssertJson("""{"observation": 0}""", Assert.Single(Events(host, id, "episode2")).Data);
        Assert.Equal(2, Events(host, id).Count);

        // The current episode is episode2 with fresh parameters, whatever episode records the event.
        Assert.All(seen, parameters => AssertJson("""{"parameter": 0}""", Json.Parse(parameters)));
    }

    [Fact]
    public async Task An_unknown_episode_still_answers_with_results_no_event_id_and_one_error()
    {
        using var host = Host(new TestRuntime());
        var id = NewInstance(host);

        var result = await host.Inference.InferAsync(Alice, id, Data(3), episodeName: "nope");

        Assert.True(result.Succeeded);
        Assert.Null(result.Value!.EventId);
        AssertJson("""{"observation": 3}""", result.Value.Results);
        Assert.Equal(["Unable to attach data to the episode due to internal error"], result.Value.Errors);
        Assert.Equal(1, State(host, id).GetProperty("number_of_inference_calls").GetInt32());
        Assert.Empty(Events(host, id));
    }

    [Fact]
    public async Task A_full_episode_still_runs_inference_and_answers_with_no_event_id_and_one_error()
    {
        using var host = Host(new TestRuntime(), o => { o.MaxEventsPerEpisode = 2; o.MaxEventsPerAttach = 2; });
        var id = NewInstance(host);
        await host.Inference.InferAsync(Alice, id, Data(1));
        await host.Inference.InferAsync(Alice, id, Data(2));

        var third = await host.Inference.InferAsync(Alice, id, Data(3));

        Assert.True(third.Succeeded);
        Assert.Null(third.Value!.EventId);
        AssertJson("""{"observation": 3}""", third.Value.Results);
        Assert.Equal(["The episode already holds the maximum of 2 events, so this inference was not recorded in it; wipe it or use another episode"], third.Value.Errors);
        Assert.Equal(3, State(host, id).GetProperty("number_of_inference_calls").GetInt32());
        Assert.Equal(2, Events(host, id).Count);
    }

    public static TheoryData<string> Failures => ["throws", "incomplete", "times out", "ignores cancellation", "cancelled by the caller"];

    [Theory]
    [MemberData(nameof(Failures))]
    public async Task A_failing_inference_is_a_400_and_changes_nothing(string failure)
    {
        var gate = new TaskCompletionSource<ModelInferenceResult>(TaskCreationOptions.RunContinuationsAsynchronously);
        var runtime = new TestRuntime
        {
            Infer = failure switch
            {
                "throws" => (_, _) => throw new InvalidOperationException("model exploded"),
                "incomplete" => (request, _) => ValueTask.FromResult(new ModelInferenceResult(request.Data, default)),
                "times out" => async (_, ct) =>
                {
                    await Task.Delay(Timeout.Infinite, ct);
                    throw new System.Diagnostics.UnreachableException();
                },
                _ => (_, _) => new ValueTask<ModelInferenceResult>(gate.Task), // never finishes, never looks at its token
            },
        };
        using var host = Host(runtime, o => o.RuntimeTimeout = TimeSpan.FromSeconds(5));
        var id = NewInstance(host);
        await host.Episodes.AttachEventsAsync(Alice, id, "default", [new ModelEventInput(Data(1))]);
        using var caller = new CancellationTokenSource();

        var pending = host.Inference.InferAsync(Alice, id, Data(2), cancellationToken: caller.Token).AsTask();
        if (failure == "cancelled by the caller")
        {
            await caller.CancelAsync();
        }
        else
        {
            host.Time.Advance(TimeSpan.FromSeconds(5));
        }

        var result = await pending.WaitAsync(TimeSpan.FromSeconds(30));

        AssertInvalid("Unable to run inference due to internal error", result);
        Assert.Equal(0, State(host, id).GetProperty("number_of_inference_calls").GetInt32());
        Assert.Equal([1L], Events(host, id).Select(e => e.EventId));
        var expectedLog = failure switch
        {
            "throws" => "ModelRuntimeFailed",
            "incomplete" => "ModelRuntimeIncomplete",
            "cancelled by the caller" => "ModelRuntimeCancelled",
            _ => "ModelRuntimeTimedOut",
        };
        Assert.Contains(host.Logs.GetSnapshot(), r => r.Id.Name == expectedLog);
        Assert.Equal(0, host.Services.GetRequiredService<InstanceLocks>().Count);
    }

    [Fact]
    public async Task A_runtime_that_refuses_its_input_gives_its_own_message_and_changes_nothing()
    {
        var runtime = new TestRuntime
        {
            Infer = (_, _) => throw new ModelDataException("data observation must be a number"),
            Learn = (_, _) => throw new ModelDataException("event 1: data observation must be a number"),
        };
        using var host = Host(runtime);
        var id = NewInstance(host);
        await host.Episodes.AttachEventsAsync(Alice, id, "default", [new ModelEventInput(Data(1))]);

        AssertInvalid("data observation must be a number", await host.Inference.InferAsync(Alice, id, Data(1)));
        AssertInvalid("event 1: data observation must be a number", await host.Inference.LearnAsync(Alice, id, ["default"]));

        Assert.Equal(0, State(host, id).GetProperty("number_of_inference_calls").GetInt32());
        Assert.False(Assert.Single(Events(host, id)).Processed);
        Assert.Equal(2, host.Logs.GetSnapshot().Count(r => r.Id.Name == "ModelRuntimeRefusedInput"));
        Assert.DoesNotContain(host.Logs.GetSnapshot(), r => r.Id.Name == "ModelRuntimeFailed");
    }

    [Fact]
    public void An_instance_whose_runtime_refuses_the_arguments_is_not_created_and_the_message_is_the_runtimes()
    {
        var runtime = new TestRuntime { InitialParameters = _ => throw new ModelDataException("argument a must be a positive finite number") };
        using var host = Host(runtime);

        var creation = Sync.Run(host.Instances.CreateAsync(Alice, Model.Name, Json.Parse("""{"a": -1}"""), null));

        Assert.Equal(ModelInstanceCreationStatus.InvalidRequest, creation.Status);
        Assert.Equal("argument a must be a positive finite number", creation.Error);
        Assert.Empty(Sync.Run(host.Instances.ListAsync(Alice)));
    }

    [Fact]
    public async Task A_model_without_a_runtime_refuses_inference_and_learning_with_a_clear_message()
    {
        using var host = Host(new TestRuntime());
        var id = NewInstance(host, "Plain-v1");

        AssertInvalid("The model `Plain-v1` has no runtime, so inference is not available for its instances", await host.Inference.InferAsync(Alice, id, Data(1)));
        AssertInvalid("The model `Plain-v1` has no runtime, so learning is not available for its instances", await host.Inference.LearnAsync(Alice, id, ["default"]));
        Assert.Empty(Events(host, id));
    }

    [Theory]
    [InlineData("[1, 2]", "The event data must be a JSON object")]
    [InlineData("null", "The event data must be a JSON object")]
    [InlineData("\"x\"", "The event data must be a JSON object")]
    [InlineData("""{"observation": "xxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxx"}""", "The event data is larger than the limit of 32 bytes")]
    public async Task Data_that_is_not_an_object_or_too_large_is_refused_before_the_runtime_runs(string data, string message)
    {
        var runtime = new TestRuntime();
        using var host = Host(runtime, o => o.MaxEventDataSize = 32);
        var id = NewInstance(host);

        AssertInvalid(message, await host.Inference.InferAsync(Alice, id, Json.Parse(data)));
        Assert.Equal(0, runtime.InferCalls);
    }

    [Fact]
    public async Task A_hundred_concurrent_inferences_on_one_instance_count_a_hundred_and_number_every_event_once()
    {
        var runtime = new TestRuntime { YieldInInference = true };
        using var host = Host(runtime);
        var id = NewInstance(host);

        var results = await Task.WhenAll(Enumerable.Range(1, 100).Select(i => Task.Run(() => host.Inference.InferAsync(Alice, id, Data(i)).AsTask())));

        Assert.All(results, r => Assert.True(r.Succeeded));
        Assert.Equal(Enumerable.Range(1, 100).Select(i => (long)i), results.Select(r => r.Value!.EventId!.Value).Order());
        Assert.Equal(100, State(host, id).GetProperty("number_of_inference_calls").GetInt32());
        var events = Events(host, id);
        Assert.Equal(Enumerable.Range(1, 100).Select(i => (long)i), events.Select(e => e.EventId));
        Assert.Equal(Enumerable.Range(1, 100).ToHashSet(), events.Select(e => e.Data.GetProperty("observation").GetInt32()).ToHashSet());
        Assert.Equal(0, host.Services.GetRequiredService<InstanceLocks>().Count);
    }

    [Fact]
    public async Task Inference_on_another_instance_runs_while_one_instance_is_busy()
    {
        var release = new TaskCompletionSource(TaskCreationOptions.RunContinuationsAsynchronously);
        var started = new TaskCompletionSource(TaskCreationOptions.RunContinuationsAsynchronously);
        var runtime = new TestRuntime
        {
            Infer = async (request, ct) =>
            {
                if (request.Data.TryGetProperty("block", out var unused))
                {
                    started.TrySetResult();
                    await release.Task;
                }

                return new ModelInferenceResult(request.Data, request.State);
            },
        };
        using var host = Host(runtime, o => o.RuntimeTimeout = TimeSpan.FromDays(1));
        var busy = NewInstance(host);
        var free = NewInstance(host);

        var blocked = host.Inference.InferAsync(Alice, busy, Json.Parse("""{"block": true}""")).AsTask();
        await started.Task.WaitAsync(TimeSpan.FromSeconds(30));
        var other = await host.Inference.InferAsync(Alice, free, Data(1)).AsTask().WaitAsync(TimeSpan.FromSeconds(30));
        var sameInstance = host.Inference.InferAsync(Alice, busy, Data(2)).AsTask();

        Assert.True(other.Succeeded);
        Assert.False(blocked.IsCompleted);
        Assert.False(sameInstance.IsCompleted);
        release.SetResult();
        Assert.Equal(1, (await blocked.WaitAsync(TimeSpan.FromSeconds(30))).Value!.EventId);
        Assert.Equal(2, (await sameInstance.WaitAsync(TimeSpan.FromSeconds(30))).Value!.EventId);
    }

    [Fact]
    public async Task Learning_feeds_unprocessed_events_and_relearn_feeds_all_of_them_without_resetting()
    {
        var runtime = new TestRuntime();
        using var host = Host(runtime);
        var id = NewInstance(host);
        await host.Episodes.AttachEventsAsync(Alice, id, "default", [.. Enumerable.Range(1, 10).Select(i => new ModelEventInput(Data(i)))]);

        var first = await host.Inference.LearnAsync(Alice, id, ["default"]);
        AssertJson("""{"parameter": 55}""", first.Value);
        AssertJson("""{"number_of_inference_calls": 0, "number_of_learning_calls": 1, "number_of_processed_events": 10}""", State(host, id));
        Assert.All(Events(host, id), e => Assert.True(e.Processed));

        var second = await host.Inference.LearnAsync(Alice, id, ["default"], relearn: false);
        AssertJson("""{"parameter": 55}""", second.Value);
        AssertJson("""{"number_of_inference_calls": 0, "number_of_learning_calls": 2, "number_of_processed_events": 10}""", State(host, id));

        var third = await host.Inference.LearnAsync(Alice, id, ["default"], relearn: true);
        AssertJson("""{"parameter": 110}""", third.Value);
        AssertJson("""{"number_of_inference_calls": 0, "number_of_learning_calls": 3, "number_of_processed_events": 20}""", State(host, id));
        AssertJson("""{"parameter": 110}""", Sync.Run(host.Episodes.GetParametersAsync(Alice, id)).Value);
    }

    [Fact]
    public async Task Learning_a_non_current_episode_changes_only_that_episode()
    {
        using var host = Host(new TestRuntime());
        var id = NewInstance(host);
        await host.Episodes.CreateEpisodeAsync(Alice, id, "episode1");
        await host.Episodes.CreateEpisodeAsync(Alice, id, "episode2");
        await host.Episodes.AttachEventsAsync(Alice, id, "episode1", [.. Enumerable.Range(1, 10).Select(i => new ModelEventInput(Data(i)))]);

        AssertJson("""{"parameter": 55}""", (await host.Inference.LearnAsync(Alice, id, ["episode1"])).Value);

        Assert.Equal("episode2", Sync.Run(host.Instances.GetAsync(Alice, id))!.CurrentEpisode);
        AssertJson("""{"parameter": 0}""", Sync.Run(host.Episodes.GetParametersAsync(Alice, id)).Value);
        AssertJson("""{"parameter": 55}""", Sync.Run(host.Episodes.GetEpisodeAsync(Alice, id, "episode1")).Value!.Parameters);
    }

    [Fact]
    public async Task Learning_needs_exactly_one_existing_episode()
    {
        using var host = Host(new TestRuntime());
        var id = NewInstance(host);

        AssertInvalid("Learning is supported only for one episode at a time", await host.Inference.LearnAsync(Alice, id, []));
        AssertInvalid("Learning is supported only for one episode at a time", await host.Inference.LearnAsync(Alice, id, ["default", "default"]));
        var unknown = await host.Inference.LearnAsync(Alice, id, ["nope"]);
        Assert.Equal(ModelResultStatus.NotFound, unknown.Status);
        Assert.Equal("The requested episode could not be found", unknown.Error);
    }

    [Fact]
    public async Task A_failing_learning_is_a_400_and_changes_nothing()
    {
        var runtime = new TestRuntime { Learn = (_, _) => throw new InvalidOperationException("learning exploded") };
        using var host = Host(runtime);
        var id = NewInstance(host);
        await host.Episodes.AttachEventsAsync(Alice, id, "default", [new ModelEventInput(Data(1))]);

        AssertInvalid("Unable to run learning due to internal error", await host.Inference.LearnAsync(Alice, id, ["default"]));

        Assert.False(Assert.Single(Events(host, id)).Processed);
        AssertJson("""{"parameter": 0}""", Sync.Run(host.Episodes.GetParametersAsync(Alice, id)).Value);
        Assert.Equal(0, State(host, id).GetProperty("number_of_learning_calls").GetInt32());
    }

    [Fact]
    public async Task Another_owner_and_a_missing_instance_get_the_same_answers_and_change_nothing()
    {
        var runtime = new TestRuntime();
        using var host = Host(runtime);
        var id = NewInstance(host);

        foreach (var target in new[] { id, Guid.NewGuid() })
        {
            var infer = await host.Inference.InferAsync(Bob, target, Data(1));
            var learn = await host.Inference.LearnAsync(Bob, target, ["default"]);
            var learnTwo = await host.Inference.LearnAsync(Bob, target, ["a", "b"]);
            foreach (var (status, error) in new[] { (infer.Status, infer.Error), (learn.Status, learn.Error), (learnTwo.Status, learnTwo.Error) })
            {
                Assert.Equal(ModelResultStatus.NotFound, status);
                Assert.Equal("The requested model instance could not be found", error);
            }
        }

        Assert.Equal(0, runtime.InferCalls);
        Assert.Equal(0, runtime.LearnCalls);
        Assert.Empty(Events(host, id));
    }

    [Fact]
    public async Task A_result_computed_on_a_changed_instance_is_computed_again()
    {
        var store = new ConflictingStore(conflicts: 2);
        var runtime = new TestRuntime();
        using var host = Host(runtime, services: s => s.Replace(ServiceDescriptor.Singleton<IModelInstanceStore>(store)));
        var id = NewInstance(host);

        var result = await host.Inference.InferAsync(Alice, id, Data(1));

        Assert.Equal(1, result.Value!.EventId);
        Assert.Equal(3, runtime.InferCalls);
        Assert.Equal(1, State(host, id).GetProperty("number_of_inference_calls").GetInt32());
        Assert.Equal(2, host.Logs.GetSnapshot().Count(r => r.Id.Name == "ModelInstanceChangedDuringRuntimeCall"));
    }

    [Fact]
    public async Task An_instance_that_keeps_changing_is_a_503_and_nothing_is_stored()
    {
        var store = new ConflictingStore(conflicts: int.MaxValue);
        var runtime = new TestRuntime();
        using var host = Host(runtime, services: s => s.Replace(ServiceDescriptor.Singleton<IModelInstanceStore>(store)));
        var id = NewInstance(host);
        await host.Episodes.AttachEventsAsync(Alice, id, "default", [new ModelEventInput(Data(1))]);

        var inference = await Assert.ThrowsAsync<ServiceUnavailableException>(async () => await host.Inference.InferAsync(Alice, id, Data(1)));
        await Assert.ThrowsAsync<ServiceUnavailableException>(async () => await host.Inference.LearnAsync(Alice, id, ["default"]));

        Assert.Equal(5, runtime.InferCalls);
        Assert.Equal(5, runtime.LearnCalls);
        Assert.Equal("The model instance kept changing while the call ran, try again", inference.Message);
        Assert.Equal(0, State(host, id).GetProperty("number_of_inference_calls").GetInt32());
        Assert.False(Assert.Single(Events(host, id)).Processed);
    }

    /// <summary>Answers the first <c>conflicts</c> commits with a version conflict, as if another node had written in between.</summary>
    private sealed class ConflictingStore(int conflicts) : DelegatingModelInstanceStore(new InMemoryModelInstanceStore())
    {
        private int _left = conflicts;

        public override ValueTask<ModelInferenceCommit> CommitInferenceAsync(string ownerSubject, Guid instanceId, long expectedVersion, JsonElement state, string episodeName, ModelEvent inferenceEvent, int maxEvents, CancellationToken cancellationToken = default) =>
            Interlocked.Decrement(ref _left) >= 0
                ? ValueTask.FromResult(new ModelInferenceCommit(ModelStoreOutcome.VersionConflict, ModelStoreOutcome.VersionConflict, 0))
                : base.CommitInferenceAsync(ownerSubject, instanceId, expectedVersion, state, episodeName, inferenceEvent, maxEvents, cancellationToken);

        public override ValueTask<ModelStoreOutcome> CommitLearningAsync(string ownerSubject, Guid instanceId, long expectedVersion, JsonElement state, string episodeName, JsonElement parameters, IReadOnlyList<long> processedEventIds, CancellationToken cancellationToken = default) =>
            Interlocked.Decrement(ref _left) >= 0
                ? ValueTask.FromResult(ModelStoreOutcome.VersionConflict)
                : base.CommitLearningAsync(ownerSubject, instanceId, expectedVersion, state, episodeName, parameters, processedEventIds, cancellationToken);
    }
}
