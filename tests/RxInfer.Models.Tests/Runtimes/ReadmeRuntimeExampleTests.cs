using System.Text.Json;
using Microsoft.Extensions.DependencyInjection;

namespace RxInfer.Models.Tests;

/// <summary>The runtime example of the package README, verbatim, and its walkthrough.</summary>
public sealed class ReadmeRuntimeExampleTests
{
    /// <summary>Sums observations: inference predicts total + x and counts calls; learning folds events' x into total.</summary>
    public sealed class RunningSumRuntime : IModelRuntime
    {
        public ValueTask<JsonElement> CreateInitialStateAsync(ModelDefinition model, JsonElement arguments, CancellationToken cancellationToken) =>
            ValueTask.FromResult(JsonSerializer.SerializeToElement(new { count = 0 }));

        public ValueTask<JsonElement> CreateInitialParametersAsync(ModelDefinition model, JsonElement arguments, CancellationToken cancellationToken) =>
            ValueTask.FromResult(JsonSerializer.SerializeToElement(new { total = 0.0 }));

        public ValueTask<ModelInferenceResult> InferAsync(ModelInferenceRequest request, CancellationToken cancellationToken)
        {
            var count = request.State.GetProperty("count").GetInt32() + 1;
            var prediction = request.Parameters.GetProperty("total").GetDouble() + request.Data.GetProperty("x").GetDouble();
            return ValueTask.FromResult(new ModelInferenceResult(
                JsonSerializer.SerializeToElement(new { prediction }),
                JsonSerializer.SerializeToElement(new { count })));
        }

        public ValueTask<ModelLearningResult> LearnAsync(ModelLearningRequest request, CancellationToken cancellationToken)
        {
            var total = request.Parameters.GetProperty("total").GetDouble();
            foreach (var fed in request.Events)
            {
                total += fed.Data.GetProperty("x").GetDouble();
            }

            var parameters = JsonSerializer.SerializeToElement(new { total });
            return ValueTask.FromResult(new ModelLearningResult(parameters, request.State, parameters));
        }
    }

    [Fact]
    public async Task The_readme_walkthrough_gives_what_the_readme_says()
    {
        var services = new ServiceCollection();
        services.AddRxInferModels()
            .AddModel(ModelDefinition.Create("RunningSum-v1", "Sums observations", "me", ["user"]))
            .AddModelRuntime("RunningSum-v1", new RunningSumRuntime());
        await using var provider = services.BuildServiceProvider();
        var instances = provider.GetRequiredService<IModelInstanceService>();
        var episodes = provider.GetRequiredService<IModelEpisodeService>();
        var inference = provider.GetRequiredService<IModelInferenceService>();

        var caller = new ModelCaller("alice", ["user"]);
        var id = (await instances.CreateAsync(caller, "RunningSum-v1", null, null)).Instance!.InstanceId;
        var inferred = await inference.InferAsync(caller, id, JsonDocument.Parse("""{"x": 2}""").RootElement);
        await episodes.AttachEventsAsync(caller, id, "default", [new ModelEventInput(JsonDocument.Parse("""{"x": 3}""").RootElement)]);
        var learned = await inference.LearnAsync(caller, id, ["default"]);
        var parameters = await episodes.GetParametersAsync(caller, id);

        Assert.Equal(1, inferred.Value!.EventId);
        Assert.Equal(2.0, inferred.Value.Results.GetProperty("prediction").GetDouble());
        Assert.Empty(inferred.Value.Errors);
        Assert.Equal(5.0, learned.Value.GetProperty("total").GetDouble());
        Assert.Equal(5.0, parameters.Value.GetProperty("total").GetDouble());
        Assert.All((await episodes.GetEpisodeAsync(caller, id, "default")).Value!.Events, e => Assert.True(e.Processed));
        Assert.Equal(1, (await instances.GetStateAsync(caller, id))!.Value.GetProperty("count").GetInt32());
    }
}
