using Microsoft.Extensions.DependencyInjection;
using RxInfer.Auth;

namespace RxInfer.Models.Tests;

/// <summary>Concurrent inference on one instance and on several.</summary>
public sealed partial class InferenceServiceTests
{
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
}
