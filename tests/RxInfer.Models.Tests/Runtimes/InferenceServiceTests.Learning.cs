using Microsoft.Extensions.DependencyInjection;
using RxInfer.Auth;

namespace RxInfer.Models.Tests;

/// <summary>Learning from recorded events.</summary>
public sealed partial class InferenceServiceTests
{
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
}
