using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.DependencyInjection.Extensions;
using RxInfer.Auth;

namespace RxInfer.Models.Tests;

/// <summary>Other owners, missing instances, and instances that change while a result is computed.</summary>
public sealed partial class InferenceServiceTests
{
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
}
