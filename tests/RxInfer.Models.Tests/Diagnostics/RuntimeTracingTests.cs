using System.Collections.Concurrent;
using System.Diagnostics;

namespace RxInfer.Models.Tests.Diagnostics;

/// <summary>The <c>RxInfer.Models</c> activity source, seen by a listener as OpenTelemetry would see it.</summary>
public sealed class RuntimeTracingTests
{
    private static readonly ModelDefinition Model = ModelDefinition.Create("Traced-v1", "d", "a", ["user"], [new ModelArgument("a", @default: Json.Parse("1.0"))]);
    private static readonly ModelCaller Alice = new("alice", ["user"]);
    private static readonly ActivitySource TestSource = new("RxInfer.Models.Tests.Tracing");

    [Fact]
    public async Task Every_runtime_call_is_one_activity_with_model_operation_instance_and_outcome_and_no_data()
    {
        // Listeners are process-wide and other tests run in parallel: keep only the activities of this test's trace.
        var recorded = new ConcurrentQueue<Activity>();
        using var listener = new ActivityListener
        {
            ShouldListenTo = static source => source.Name is RxInferModelsDefaults.ActivitySourceName or "RxInfer.Models.Tests.Tracing",
            Sample = static (ref ActivityCreationOptions<ActivityContext> _) => ActivitySamplingResult.AllDataAndRecorded,
            ActivityStopped = recorded.Enqueue,
        };
        ActivitySource.AddActivityListener(listener);
        var refuse = false;
        var runtime = new TestRuntime
        {
            Infer = (request, _) => refuse
                ? throw new ModelDataException("observation must be a number")
                : ValueTask.FromResult(new ModelInferenceResult(request.Data, request.State)),
        };
        using var host = new ModelsHost(b => b.AddModel(Model).AddModelRuntime(Model.Name, runtime));

        Guid id;
        string traceId;
        using (var parent = TestSource.StartActivity("test"))
        {
            Assert.NotNull(parent);
            traceId = parent.TraceId.ToString();
            id = (await host.Instances.CreateAsync(Alice, Model.Name, null, null)).Instance!.InstanceId;
            Assert.True((await host.Inference.InferAsync(Alice, id, Json.Parse("""{"observation": 12345}"""))).Succeeded);
            refuse = true;
            Assert.False((await host.Inference.InferAsync(Alice, id, Json.Parse("""{"observation": "secret-ish"}"""))).Succeeded);
        }

        var calls = recorded.Where(a => a.TraceId.ToString() == traceId && a.OperationName == "rxinfer.model.runtime").ToList();
        Assert.Equal(["initial state", "initial parameters", "inference", "inference"], calls.Select(a => a.GetTagItem("rxinfer.model.operation")));
        Assert.Equal(["ok", "ok", "ok", "refused"], calls.Select(a => a.GetTagItem("rxinfer.model.outcome")));
        Assert.All(calls, a => Assert.Equal(Model.Name, a.GetTagItem("rxinfer.model.name")));
        Assert.Equal(id.ToString(), calls[2].GetTagItem("rxinfer.model.instance_id"));
        Assert.All(calls, a => Assert.All(a.TagObjects, tag =>
        {
            Assert.DoesNotContain("12345", tag.Value?.ToString() ?? string.Empty, StringComparison.Ordinal);
            Assert.DoesNotContain("secret-ish", tag.Value?.ToString() ?? string.Empty, StringComparison.Ordinal);
        }));
    }
}
