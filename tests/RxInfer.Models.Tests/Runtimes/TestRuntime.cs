using System.Text.Json;
using System.Text.Json.Nodes;

namespace RxInfer.Models.Tests;

/// <summary>
/// The learning-call runtime of the protocol's test models: state counts inference calls, learning calls and
/// processed events; parameters start at <c>{"parameter": 0}</c>; inference returns its data and counts; learning
/// adds each event's <c>data.observation</c> to <c>parameter</c>. Every part can be replaced to fail or to wait.
/// </summary>
internal sealed class TestRuntime : IModelRuntime
{
    private int _inferCalls;
    private int _learnCalls;

    public Func<ModelInferenceRequest, CancellationToken, ValueTask<ModelInferenceResult>>? Infer { get; init; }

    public Func<ModelLearningRequest, CancellationToken, ValueTask<ModelLearningResult>>? Learn { get; init; }

    public Func<JsonElement, JsonElement>? InitialParameters { get; init; }

    public bool FailInitialState { get; init; }

    /// <summary>Yields before answering, so concurrent calls interleave if nothing serialises them.</summary>
    public bool YieldInInference { get; init; }

    public int InferCalls => Volatile.Read(ref _inferCalls);

    public int LearnCalls => Volatile.Read(ref _learnCalls);

    public ValueTask<JsonElement> CreateInitialStateAsync(ModelDefinition model, JsonElement arguments, CancellationToken cancellationToken) =>
        FailInitialState
            ? throw new InvalidOperationException("initial state failed")
            : ValueTask.FromResult(Json.Parse("""{"number_of_inference_calls": 0, "number_of_learning_calls": 0, "number_of_processed_events": 0}"""));

    public ValueTask<JsonElement> CreateInitialParametersAsync(ModelDefinition model, JsonElement arguments, CancellationToken cancellationToken) =>
        ValueTask.FromResult(InitialParameters?.Invoke(arguments) ?? Json.Parse("""{"parameter": 0}"""));

    public async ValueTask<ModelInferenceResult> InferAsync(ModelInferenceRequest request, CancellationToken cancellationToken)
    {
        Interlocked.Increment(ref _inferCalls);
        if (Infer is { } infer)
        {
            return await infer(request, cancellationToken);
        }

        if (YieldInInference)
        {
            await Task.Yield();
        }

        var state = JsonNode.Parse(request.State.GetRawText())!.AsObject();
        state["number_of_inference_calls"] = state["number_of_inference_calls"]!.GetValue<long>() + 1;
        return new ModelInferenceResult(request.Data, JsonSerializer.SerializeToElement(state));
    }

    public ValueTask<ModelLearningResult> LearnAsync(ModelLearningRequest request, CancellationToken cancellationToken)
    {
        Interlocked.Increment(ref _learnCalls);
        if (Learn is { } learn)
        {
            return learn(request, cancellationToken);
        }

        var parameter = request.Parameters.GetProperty("parameter").GetInt64();
        var state = JsonNode.Parse(request.State.GetRawText())!.AsObject();
        var processed = state["number_of_processed_events"]!.GetValue<long>();
        foreach (var item in request.Events)
        {
            parameter += item.Data.GetProperty("observation").GetInt64();
            processed++;
        }

        state["number_of_learning_calls"] = state["number_of_learning_calls"]!.GetValue<long>() + 1;
        state["number_of_processed_events"] = processed;
        var parameters = JsonSerializer.SerializeToElement(new { parameter });
        return ValueTask.FromResult(new ModelLearningResult(parameters, JsonSerializer.SerializeToElement(state), parameters));
    }
}
