using System.Collections.Concurrent;
using Microsoft.Extensions.DependencyInjection;
using RxInfer.Auth;

namespace RxInfer.Models.Tests;

/// <summary>Inference: results, state, events, failures and refused input.</summary>
public sealed partial class InferenceServiceTests
{
    [Fact]
    public async Task Inference_returns_the_runtimes_results_stores_the_new_state_and_records_the_data_as_an_event()
    {
        using var host = Host(new TestRuntime());
        var id = NewInstance(host);
        var at = new DateTimeOffset(2024, 3, 20, 12, 0, 0, TimeSpan.Zero); // a time the client gives (the protocol's example), not the clock's

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
        Assert.Equal(TestClock.Start.AddSeconds(10), events[1].Timestamp);
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
}
