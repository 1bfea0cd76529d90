using System.Text.Json;
using RxInfer.Models;

namespace RxInfer.Hosting.AspNetCore.Tests.Sample;

/// <summary>Calls a runtime through <see cref="IModelRuntime"/> with JSON written as text, as the protocol layer would.</summary>
internal sealed class RuntimeHarness(IModelRuntime runtime, string modelName)
{
    private readonly ModelDefinition _model = ModelDefinition.Create(modelName, "test", "test", ["user"]);

    public JsonElement InitialState(string arguments) =>
        runtime.CreateInitialStateAsync(_model, Json.Parse(arguments), CancellationToken.None).AsTask().GetAwaiter().GetResult();

    public JsonElement InitialParameters(string arguments) =>
        runtime.CreateInitialParametersAsync(_model, Json.Parse(arguments), CancellationToken.None).AsTask().GetAwaiter().GetResult();

    public ModelInferenceResult Infer(JsonElement state, JsonElement parameters, string data) =>
        runtime.InferAsync(new ModelInferenceRequest(_model, Json.Parse("{}"), state, parameters, Json.Parse(data)), CancellationToken.None)
            .AsTask().GetAwaiter().GetResult();

    public ModelLearningResult Learn(JsonElement state, JsonElement parameters, params string[] eventData) =>
        runtime.LearnAsync(
                new ModelLearningRequest(_model, Json.Parse("{}"), state, parameters, [.. eventData.Select((data, i) => new ModelEvent(i + 1, TestClock.Start, Json.Parse(data), null, false))]),
                CancellationToken.None)
            .AsTask().GetAwaiter().GetResult();

    public static double Number(JsonElement element, string name) => element.GetProperty(name).GetDouble();

    public static double[] Numbers(JsonElement element, string name) => [.. element.GetProperty(name).EnumerateArray().Select(static e => e.GetDouble())];

    /// <summary>Asserts that two doubles agree to a relative tolerance (the filters and updates are a handful of flops).</summary>
    public static void Close(double expected, double actual, double tolerance = 1e-12) =>
        Assert.True(Math.Abs(expected - actual) <= tolerance * Math.Max(1, Math.Abs(expected)), $"expected {expected:R}, actual {actual:R}");
}
