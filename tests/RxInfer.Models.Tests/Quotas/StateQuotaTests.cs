using System.Text.Json;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Logging;

namespace RxInfer.Models.Tests;

/// <summary>
/// The stored-size quota (<see cref="RxInferModelsOptions.MaxInstanceSize"/>: arguments + state) on the states that
/// inference and learning produce: at the limit the result is stored, one byte over it the call is refused and
/// nothing of it is stored (state, event, parameters, processed marks).
/// </summary>
public sealed class StateQuotaTests
{
    private const int Limit = 1000;

    private static readonly ModelDefinition Model = ModelDefinition.Create("Growing-v1", "no declared arguments", "tests", ["user"]);
    private static readonly ModelCaller Alice = new("alice", ["user"]);

    /// <summary>
    /// A state of exactly <paramref name="bytes"/> bytes of compact JSON: <c>{"s":"aaa..."}</c> is 8 bytes of syntax
    /// (<c>{</c>, <c>"s"</c>, <c>:</c>, two quotes, <c>}</c>) plus one byte per letter.
    /// </summary>
    private static JsonElement StateOf(int bytes) => Json.Parse($$"""{"s":"{{new string('a', bytes - 8)}}"}""");

    /// <summary>A host whose runtime answers inference and learning with a state of <paramref name="stateBytes"/> bytes.</summary>
    private static ModelsHost Host(int stateBytes) =>
        new(
            b => b.AddModel(Model).AddModelRuntime(Model.Name, new TestRuntime
            {
                Infer = (request, _) => ValueTask.FromResult(new ModelInferenceResult(request.Data, StateOf(stateBytes))),
                Learn = (_, _) => ValueTask.FromResult(new ModelLearningResult(Json.Parse("""{"parameter": 7}"""), StateOf(stateBytes), Json.Parse("""{"parameter": 7}"""))),
            }),
            o => o.MaxInstanceSize = Limit);

    /// <summary>An instance whose arguments are <c>{}</c> (2 bytes), so a new state of <see cref="Limit"/> - 2 bytes fills the quota exactly.</summary>
    private static (Guid Id, ModelInstance Stored) NewInstance(ModelsHost host)
    {
        var created = Sync.Run(host.Instances.CreateAsync(Alice, Model.Name, null, null));
        Assert.Equal(ModelInstanceCreationStatus.Created, created.Status);
        Assert.Equal("{}", created.Instance!.Arguments.GetRawText());
        return (created.Instance.InstanceId, Stored(host, created.Instance.InstanceId));
    }

    private static ModelInstance Stored(ModelsHost host, Guid id) =>
        Sync.Run(host.Services.GetRequiredService<IModelInstanceStore>().GetAsync(Alice.Subject, id))!;

    private static ModelEpisode Default(ModelsHost host, Guid id) => Sync.Run(host.Episodes.GetEpisodeAsync(Alice, id, ModelInstance.DefaultEpisode)).Value!;

    [Fact]
    public async Task Inference_whose_arguments_and_new_state_fill_the_limit_exactly_is_stored()
    {
        using var host = Host(Limit - 2);
        var (id, _) = NewInstance(host);

        var inferred = await host.Inference.InferAsync(Alice, id, Json.Parse("""{"x": 1}"""));

        Assert.True(inferred.Succeeded, inferred.Error);
        Assert.Equal(1, inferred.Value!.EventId);
        Assert.True(JsonElement.DeepEquals(StateOf(Limit - 2), Stored(host, id).State));
    }

    [Fact]
    public async Task Inference_whose_new_state_passes_the_limit_by_one_byte_is_refused_and_stores_nothing()
    {
        using var host = Host(Limit - 1);
        var (id, before) = NewInstance(host);

        var inferred = await host.Inference.InferAsync(Alice, id, Json.Parse("""{"x": 1}"""));

        Assert.Equal(ModelResultStatus.Invalid, inferred.Status);
        Assert.Equal(
            "model instance would be too large after inference: its arguments and new state take 1001 bytes of JSON, more than the limit of 1000 bytes; nothing was stored",
            inferred.Error);
        var after = Stored(host, id);
        Assert.Equal(before.Version, after.Version);
        Assert.True(JsonElement.DeepEquals(before.State, after.State));
        Assert.Empty(Default(host, id).Events);
        var logged = Assert.Single(host.Logs.GetSnapshot(), r => r.Id.Name == "ModelInstanceSizeLimitReached");
        Assert.Equal(LogLevel.Information, logged.Level);
        Assert.Contains(id.ToString(), logged.Message, StringComparison.Ordinal);
    }

    [Fact]
    public async Task Learning_whose_arguments_and_new_state_fill_the_limit_exactly_is_stored()
    {
        using var host = Host(Limit - 2);
        var (id, _) = NewInstance(host);
        Assert.True((await host.Episodes.AttachEventsAsync(Alice, id, ModelInstance.DefaultEpisode, [new ModelEventInput(Json.Parse("""{"observation": 3}"""))])).Succeeded);

        var learned = await host.Inference.LearnAsync(Alice, id, [ModelInstance.DefaultEpisode]);

        Assert.True(learned.Succeeded, learned.Error);
        Assert.True(JsonElement.DeepEquals(StateOf(Limit - 2), Stored(host, id).State));
        var episode = Default(host, id);
        Assert.True(JsonElement.DeepEquals(Json.Parse("""{"parameter": 7}"""), episode.Parameters));
        Assert.True(Assert.Single(episode.Events).Processed);
    }

    [Fact]
    public async Task Learning_whose_new_state_passes_the_limit_by_one_byte_is_refused_and_stores_nothing()
    {
        using var host = Host(Limit - 1);
        var (id, _) = NewInstance(host);
        Assert.True((await host.Episodes.AttachEventsAsync(Alice, id, ModelInstance.DefaultEpisode, [new ModelEventInput(Json.Parse("""{"observation": 3}"""))])).Succeeded);
        var before = Stored(host, id);
        var episodeBefore = Default(host, id);

        var learned = await host.Inference.LearnAsync(Alice, id, [ModelInstance.DefaultEpisode]);

        Assert.Equal(ModelResultStatus.Invalid, learned.Status);
        Assert.Equal(
            "model instance would be too large after learning: its arguments and new state take 1001 bytes of JSON, more than the limit of 1000 bytes; nothing was stored",
            learned.Error);
        var after = Stored(host, id);
        Assert.Equal(before.Version, after.Version);
        Assert.True(JsonElement.DeepEquals(before.State, after.State));
        var episode = Default(host, id);
        Assert.True(JsonElement.DeepEquals(episodeBefore.Parameters, episode.Parameters));
        Assert.False(Assert.Single(episode.Events).Processed);
    }

    [Fact]
    public async Task Zero_turns_the_size_limit_off_for_inference_too()
    {
        using var host = new ModelsHost(
            b => b.AddModel(Model).AddModelRuntime(Model.Name, new TestRuntime
            {
                Infer = (request, _) => ValueTask.FromResult(new ModelInferenceResult(request.Data, StateOf(200_000))),
            }),
            o => o.MaxInstanceSize = 0);
        var id = Sync.Run(host.Instances.CreateAsync(Alice, Model.Name, null, null)).Instance!.InstanceId;

        var inferred = await host.Inference.InferAsync(Alice, id, Json.Parse("""{"x": 1}"""));

        Assert.True(inferred.Succeeded, inferred.Error);
        Assert.Equal(200_000 - 8, Stored(host, id).State.GetProperty("s").GetString()!.Length);
    }
}
