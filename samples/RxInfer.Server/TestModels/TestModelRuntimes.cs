using System.Text.Json;
using System.Text.Json.Nodes;
using RxInfer.Models;

namespace RxInfer.Server.TestModels;

/// <summary>
/// <c>TestModelInferenceCall</c>: state <c>{"number_of_inference_calls": 0}</c>, parameters are the arguments,
/// inference returns its data as results and adds 1 to the counter. It cannot learn.
/// </summary>
public sealed class InferenceCallRuntime : IModelRuntime
{
    public ValueTask<JsonElement> CreateInitialStateAsync(ModelDefinition model, JsonElement arguments, CancellationToken cancellationToken) =>
        ValueTask.FromResult(JsonSerializer.SerializeToElement(new JsonObject { ["number_of_inference_calls"] = 0 }));

    public ValueTask<JsonElement> CreateInitialParametersAsync(ModelDefinition model, JsonElement arguments, CancellationToken cancellationToken) =>
        ValueTask.FromResult(arguments);

    public ValueTask<ModelInferenceResult> InferAsync(ModelInferenceRequest request, CancellationToken cancellationToken) =>
        ValueTask.FromResult(TestModelCounting.Infer(request));

    public ValueTask<ModelLearningResult> LearnAsync(ModelLearningRequest request, CancellationToken cancellationToken) =>
        throw new NotSupportedException("TestModelInferenceCall does not learn.");
}

/// <summary>
/// <c>TestModelLearningCall</c>: state counts inference calls, learning calls and processed events; parameters
/// start at <c>{"parameter": 0}</c>; inference as <see cref="InferenceCallRuntime"/>; learning adds each fed event's
/// <c>data.observation</c> to <c>parameter</c> and returns <c>{"parameter": p}</c>.
/// </summary>
public sealed class LearningCallRuntime : IModelRuntime
{
    public ValueTask<JsonElement> CreateInitialStateAsync(ModelDefinition model, JsonElement arguments, CancellationToken cancellationToken) =>
        ValueTask.FromResult(JsonSerializer.SerializeToElement(new JsonObject
        {
            ["number_of_inference_calls"] = 0,
            ["number_of_learning_calls"] = 0,
            ["number_of_processed_events"] = 0,
        }));

    public ValueTask<JsonElement> CreateInitialParametersAsync(ModelDefinition model, JsonElement arguments, CancellationToken cancellationToken) =>
        ValueTask.FromResult(JsonSerializer.SerializeToElement(new JsonObject { ["parameter"] = 0 }));

    public ValueTask<ModelInferenceResult> InferAsync(ModelInferenceRequest request, CancellationToken cancellationToken) =>
        ValueTask.FromResult(TestModelCounting.Infer(request));

    public ValueTask<ModelLearningResult> LearnAsync(ModelLearningRequest request, CancellationToken cancellationToken)
    {
        var parameter = TestModelCounting.Number(request.Parameters.GetProperty("parameter"));
        var state = JsonNode.Parse(request.State.GetRawText())!.AsObject();
        var processed = state["number_of_processed_events"]!.GetValue<long>();
        foreach (var item in request.Events)
        {
            parameter = TestModelCounting.Add(parameter, TestModelCounting.Number(item.Data.GetProperty("observation")));
            processed++;
        }

        state["number_of_learning_calls"] = state["number_of_learning_calls"]!.GetValue<long>() + 1;
        state["number_of_processed_events"] = processed;
        var parameters = JsonSerializer.SerializeToElement(new JsonObject { ["parameter"] = parameter });
        return ValueTask.FromResult(new ModelLearningResult(parameters, JsonSerializer.SerializeToElement(state), parameters));
    }
}

/// <summary>The shared arithmetic of the test models: integers stay integers (55, not 55.0), anything else is a double.</summary>
internal static class TestModelCounting
{
    public static ModelInferenceResult Infer(ModelInferenceRequest request)
    {
        var state = JsonNode.Parse(request.State.GetRawText())!.AsObject();
        state["number_of_inference_calls"] = state["number_of_inference_calls"]!.GetValue<long>() + 1;
        return new ModelInferenceResult(request.Data, JsonSerializer.SerializeToElement(state));
    }

    public static JsonNode Number(JsonElement value) =>
        value.TryGetInt64(out var integer) ? JsonValue.Create(integer) : JsonValue.Create(value.GetDouble());

    public static JsonNode Add(JsonNode left, JsonNode right) =>
        left.GetValueKind() == JsonValueKind.Number && left.AsValue().TryGetValue<long>(out var a) && right.AsValue().TryGetValue<long>(out var b)
            ? JsonValue.Create(a + b)
            : JsonValue.Create(ToDouble(left) + ToDouble(right));

    private static double ToDouble(JsonNode node) =>
        node.AsValue().TryGetValue<long>(out var integer) ? integer : node.GetValue<double>();
}
