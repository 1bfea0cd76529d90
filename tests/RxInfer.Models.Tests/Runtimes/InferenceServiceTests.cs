using System.Text.Json;
using Microsoft.Extensions.DependencyInjection;
using RxInfer.Auth;

namespace RxInfer.Models.Tests;

/// <summary>The inference service on a test runtime; the shared hosts and helpers, the tests in the files beside this one by subject.</summary>
public sealed partial class InferenceServiceTests
{
    private static readonly ModelDefinition Model = ModelDefinition.Create("Learning-v1", "d", "a", ["user"], [new ModelArgument("a", @default: Json.Parse("1.0"))]);
    private static readonly ModelDefinition Plain = ModelDefinition.Create("Plain-v1", "d", "a", ["user"]);
    private static readonly ModelCaller Alice = new("alice", ["user"]);
    private static readonly ModelCaller Bob = new("bob", ["user"]);

    private static ModelsHost Host(TestRuntime runtime, Action<RxInferModelsOptions>? configure = null, Action<IServiceCollection>? services = null) =>
        new(b =>
        {
            b.AddModel(Model).AddModel(Plain).AddModelRuntime(Model.Name, runtime);
            services?.Invoke(b.Services);
        }, configure);

    private static Guid NewInstance(ModelsHost host, string model = "Learning-v1") =>
        Sync.Run(host.Instances.CreateAsync(Alice, model, null, null)).Instance!.InstanceId;

    private static JsonElement Data(int observation) => Json.Parse($$"""{"observation": {{observation}}}""");

    private static void AssertJson(string expected, JsonElement actual) =>
        Assert.True(JsonElement.DeepEquals(Json.Parse(expected), actual), $"Expected {expected}, got {actual.GetRawText()}");

    private static JsonElement State(ModelsHost host, Guid id) => Sync.Run(host.Instances.GetStateAsync(Alice, id))!.Value;

    private static IReadOnlyList<ModelEvent> Events(ModelsHost host, Guid id, string episode = "default") =>
        Sync.Run(host.Episodes.GetEpisodeAsync(Alice, id, episode)).Value!.Events;

    private static void AssertInvalid<T>(string message, ModelResult<T> result)
    {
        Assert.Equal(ModelResultStatus.Invalid, result.Status);
        Assert.Equal(message, result.Error);
    }

    /// <summary>Answers the first <c>conflicts</c> commits with a version conflict, as if another node had written in between.</summary>
    private sealed class ConflictingStore(int conflicts) : DelegatingModelInstanceStore(new InMemoryModelInstanceStore())
    {
        private int _left = conflicts;

        public override ValueTask<ModelInferenceCommit> CommitInferenceAsync(string ownerSubject, Guid instanceId, long expectedVersion, JsonElement state, string episodeName, ModelEvent inferenceEvent, int maxEvents, CancellationToken cancellationToken = default) =>
            Interlocked.Decrement(ref _left) >= 0
                ? ValueTask.FromResult(new ModelInferenceCommit(ModelStoreOutcome.VersionConflict, ModelStoreOutcome.VersionConflict, 0))
                : base.CommitInferenceAsync(ownerSubject, instanceId, expectedVersion, state, episodeName, inferenceEvent, maxEvents, cancellationToken);

        public override ValueTask<ModelStoreOutcome> CommitLearningAsync(string ownerSubject, Guid instanceId, long expectedVersion, JsonElement state, string episodeName, JsonElement parameters, IReadOnlyList<long> processedEventIds, CancellationToken cancellationToken = default) =>
            Interlocked.Decrement(ref _left) >= 0
                ? ValueTask.FromResult(ModelStoreOutcome.VersionConflict)
                : base.CommitLearningAsync(ownerSubject, instanceId, expectedVersion, state, episodeName, parameters, processedEventIds, cancellationToken);
    }
}
