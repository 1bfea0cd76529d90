using System.Text.Json;
using System.Text.Json.Nodes;
using RxInfer.Models;

namespace RxInfer.Storage.PostgreSql.Tests.Models;

/// <summary>
/// A runtime that counts: the state is <c>{"calls": n}</c> and every inference adds one; inference answers its data.
/// It yields before answering, so calls interleave unless something serialises them. Parameters start at
/// <c>{"sum": 0}</c>; learning adds each event's <c>data.x</c> to <c>sum</c>.
/// </summary>
internal sealed class CountingRuntime : IModelRuntime
{
    public const string ModelName = "counting-v1";

    public static ModelDefinition Model { get; } = ModelDefinition.Create(ModelName, "Counts its inference calls", "tests", ["user"]);

    public ValueTask<JsonElement> CreateInitialStateAsync(ModelDefinition model, JsonElement arguments, CancellationToken cancellationToken) =>
        ValueTask.FromResult(JsonSerializer.SerializeToElement(new { calls = 0 }));

    public ValueTask<JsonElement> CreateInitialParametersAsync(ModelDefinition model, JsonElement arguments, CancellationToken cancellationToken) =>
        ValueTask.FromResult(JsonSerializer.SerializeToElement(new { sum = 0 }));

    public async ValueTask<ModelInferenceResult> InferAsync(ModelInferenceRequest request, CancellationToken cancellationToken)
    {
        await Task.Yield();
        var calls = request.State.GetProperty("calls").GetInt64();
        return new ModelInferenceResult(request.Data, JsonSerializer.SerializeToElement(new { calls = calls + 1 }));
    }

    public ValueTask<ModelLearningResult> LearnAsync(ModelLearningRequest request, CancellationToken cancellationToken)
    {
        var sum = request.Parameters.GetProperty("sum").GetInt64() + request.Events.Sum(e => e.Data.GetProperty("x").GetInt64());
        var state = JsonNode.Parse(request.State.GetRawText())!.AsObject();
        var parameters = JsonSerializer.SerializeToElement(new { sum });
        return ValueTask.FromResult(new ModelLearningResult(parameters, JsonSerializer.SerializeToElement(state), parameters));
    }

    /// <summary>Adds RxInfer.Models with this model and runtime to a node's services.</summary>
    public static void AddTo(IServiceCollection services) =>
        services.AddRxInferModels().AddModel(Model).AddModelRuntime(ModelName, new CountingRuntime());
}
