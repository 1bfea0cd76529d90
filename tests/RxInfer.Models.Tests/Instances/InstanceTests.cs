using System.Collections.Concurrent;
using System.Text.Json;
using Microsoft.Extensions.DependencyInjection;

namespace RxInfer.Models.Tests;

public sealed class InstanceTests : IDisposable
{
    // a: default 1; b: required, no default; c: required with a default; d: declared, nothing else.
    private static readonly ModelDefinition Model = ModelDefinition.Create(
        "Merge-v1", "merging", "tests", ["user"],
        [
            new ModelArgument("a", @default: Json.Parse("1")),
            new ModelArgument("b", required: true),
            new ModelArgument("c", @default: Json.Parse("\"x\""), required: true),
            new ModelArgument("d"),
        ]);

    private static readonly ModelDefinition AdminModel = ModelDefinition.Create("Admin-v1", "admins only", "tests", ["admin"]);

    private static readonly ModelCaller Alice = new("alice", ["user"]);
    private static readonly ModelCaller Bob = new("bob", ["user"]);

    private readonly ModelsHost _host = new(b => b.AddModel(Model).AddModel(AdminModel));

    public void Dispose() => _host.Dispose();

    private ModelInstanceCreation Create(ModelCaller caller, string? arguments, string? description = null, string model = "Merge-v1") =>
        Sync.Run(_host.Instances.CreateAsync(caller, model, arguments is null ? null : Json.Parse(arguments), description));

    private static void AssertJson(string expected, JsonElement actual) =>
        Assert.True(JsonElement.DeepEquals(Json.Parse(expected), actual), $"Expected {expected}, got {actual.GetRawText()}");

    [Fact]
    public void Declared_defaults_fill_what_the_caller_leaves_out()
    {
        var created = Create(Alice, """{"b": 2}""");

        Assert.Equal(ModelInstanceCreationStatus.Created, created.Status);
        Assert.Null(created.Error);
        AssertJson("""{"a": 1, "b": 2, "c": "x"}""", created.Instance!.Arguments);
    }

    [Fact]
    public void The_callers_values_override_the_defaults()
    {
        var created = Create(Alice, """{"a": 5, "b": [1, 2], "c": null}""");

        AssertJson("""{"a": 5, "b": [1, 2], "c": null}""", created.Instance!.Arguments);
    }

    [Fact]
    public void Undeclared_caller_keys_are_kept()
    {
        var created = Create(Alice, """{"b": 2, "extra": {"deep": true}, "other": "v"}""");

        AssertJson("""{"a": 1, "b": 2, "c": "x", "extra": {"deep": true}, "other": "v"}""", created.Instance!.Arguments);
    }

    [Fact]
    public void A_required_argument_without_a_default_must_be_given()
    {
        var created = Create(Alice, """{"a": 5}""");

        Assert.Equal(ModelInstanceCreationStatus.InvalidRequest, created.Status);
        Assert.Null(created.Instance);
        Assert.Equal("model configuration validation error - model configuration argument b is required", created.Error);
        Assert.Empty(Sync.Run(_host.Instances.ListAsync(Alice)));
    }

    [Fact]
    public void Absent_arguments_are_an_empty_object_and_still_need_the_required_ones()
    {
        Assert.Equal("model configuration validation error - model configuration argument b is required", Create(Alice, null).Error);

        var noArguments = ModelDefinition.Create("Plain", "d", "a", ["user"]);
        using var host = new ModelsHost(b => b.AddModel(noArguments));
        var created = Sync.Run(host.Instances.CreateAsync(Alice, "Plain", null, null));
        AssertJson("{}", created.Instance!.Arguments);
    }

    [Fact]
    public void A_required_argument_with_a_default_is_satisfied_by_the_default()
    {
        var created = Create(Alice, """{"b": 0}""");

        Assert.Equal(ModelInstanceCreationStatus.Created, created.Status);
        Assert.Equal("x", created.Instance!.Arguments.GetProperty("c").GetString());
    }

    [Theory]
    [InlineData("[1, 2]")]
    [InlineData("\"text\"")]
    [InlineData("42")]
    [InlineData("true")]
    [InlineData("null")]
    public void Arguments_that_are_not_an_object_are_an_invalid_request(string arguments)
    {
        var created = Create(Alice, arguments);

        Assert.Equal(ModelInstanceCreationStatus.InvalidRequest, created.Status);
        Assert.Equal(ModelErrors.ArgumentsNotObject, created.Error);
        Assert.Contains("object", created.Error, StringComparison.Ordinal);
        Assert.Empty(Sync.Run(_host.Instances.ListAsync(Alice)));
    }

    [Fact]
    public void Unknown_and_forbidden_models_give_the_same_not_found_message()
    {
        var unknown = Create(Alice, "{}", model: "Nope");
        var forbidden = Create(Alice, "{}", model: "Admin-v1");

        Assert.Equal(ModelInstanceCreationStatus.ModelNotFound, unknown.Status);
        Assert.Equal("The requested model name `Nope` could not be found", unknown.Error);
        Assert.Equal(ModelInstanceCreationStatus.ModelNotFound, forbidden.Status);
        Assert.Equal("The requested model name `Admin-v1` could not be found", forbidden.Error);
    }

    [Fact]
    public void A_description_of_128_characters_is_accepted_and_129_is_not()
    {
        var accepted = Create(Alice, """{"b": 1}""", new string('d', 128));
        var rejected = Create(Alice, """{"b": 1}""", new string('d', 129));

        Assert.Equal(new string('d', 128), accepted.Instance!.Description);
        Assert.Equal(ModelInstanceCreationStatus.InvalidRequest, rejected.Status);
        Assert.Equal(ModelErrors.DescriptionTooLong(128), rejected.Error);
        Assert.Contains("128", rejected.Error, StringComparison.Ordinal);
        Assert.Single(Sync.Run(_host.Instances.ListAsync(Alice)));
    }

    [Fact]
    public void The_description_limit_counts_characters_not_utf16_units()
    {
        var rockets = string.Concat(Enumerable.Repeat("🚀", 128));
        Assert.Equal(256, rockets.Length);

        Assert.Equal(ModelInstanceCreationStatus.Created, Create(Alice, """{"b": 1}""", rockets).Status);
        Assert.Equal(ModelInstanceCreationStatus.InvalidRequest, Create(Alice, """{"b": 1}""", rockets + "🚀").Status);
    }

    [Fact]
    public void The_description_limit_comes_from_the_options()
    {
        using var host = new ModelsHost(b => b.AddModel(Model), o => o.MaxDescriptionLength = 3);

        Assert.Equal(ModelInstanceCreationStatus.Created, Sync.Run(host.Instances.CreateAsync(Alice, "Merge-v1", Json.Parse("""{"b": 1}"""), "abc")).Status);
        var rejected = Sync.Run(host.Instances.CreateAsync(Alice, "Merge-v1", Json.Parse("""{"b": 1}"""), "abcd"));
        Assert.Equal(ModelErrors.DescriptionTooLong(3), rejected.Error);
    }

    [Fact]
    public void A_new_instance_has_an_empty_description_the_default_episode_a_random_id_and_the_clock_time()
    {
        _host.Time.Advance(TimeSpan.FromMinutes(5));
        var instance = Create(Alice, """{"b": 1}""").Instance!;

        Assert.Equal("", instance.Description);
        Assert.Equal("default", instance.CurrentEpisode);
        Assert.Equal(TestClock.Start.AddMinutes(5), instance.CreatedAt);
        Assert.Equal(4, instance.InstanceId.Version);
        Assert.Equal("Merge-v1", instance.ModelName);
        Assert.Equal("alice", instance.OwnerSubject);
        Assert.NotEqual(instance.InstanceId, Create(Alice, """{"b": 1}""").Instance!.InstanceId);
    }

    [Fact]
    public void The_default_state_is_the_merged_arguments()
    {
        var instance = Create(Alice, """{"b": 1, "z": "extra"}""").Instance!;

        var state = Sync.Run(_host.Instances.GetStateAsync(Alice, instance.InstanceId));
        AssertJson("""{"a": 1, "b": 1, "c": "x", "z": "extra"}""", state!.Value);
    }

    [Fact]
    public void A_custom_runtime_gives_the_initial_state()
    {
        using var host = new ModelsHost(b => b.AddModel(Model).AddModelRuntime<CountingRuntime>("Merge-v1"));

        var instance = Sync.Run(host.Instances.CreateAsync(Alice, "Merge-v1", Json.Parse("""{"b": 1}"""), null)).Instance!;

        AssertJson("""{"model": "Merge-v1", "arguments": 3}""", Sync.Run(host.Instances.GetStateAsync(Alice, instance.InstanceId))!.Value);
    }

    [Fact]
    public void A_runtime_applies_only_to_the_model_it_is_registered_for()
    {
        var other = ModelDefinition.Create("Other-v1", "d", "a", ["user"]);
        using var host = new ModelsHost(b => b.AddModel(Model).AddModel(other).AddModelRuntime<CountingRuntime>("Merge-v1"));

        var instance = Sync.Run(host.Instances.CreateAsync(Alice, "Other-v1", Json.Parse("""{"k": 1}"""), null)).Instance!;

        AssertJson("""{"k": 1}""", Sync.Run(host.Instances.GetStateAsync(Alice, instance.InstanceId))!.Value);
    }

    [Fact]
    public void A_second_runtime_registration_for_a_name_replaces_the_first()
    {
        using var host = new ModelsHost(b => b.AddModel(Model)
            .AddModelRuntime("Merge-v1", new CountingRuntime())
            .AddModelRuntime<FixedStateRuntime>("Merge-v1"));

        var instance = Sync.Run(host.Instances.CreateAsync(Alice, "Merge-v1", Json.Parse("""{"b": 1}"""), null)).Instance!;

        AssertJson("""{"fixed": true}""", Sync.Run(host.Instances.GetStateAsync(Alice, instance.InstanceId))!.Value);
    }

    [Fact]
    public void Instances_belong_to_the_subject_not_to_the_role_list()
    {
        var instance = Create(Alice, """{"b": 1}""").Instance!;
        var aliceWithOtherRoles = new ModelCaller("alice", ["admin"]);

        Assert.Same(instance, Sync.Run(_host.Instances.GetAsync(aliceWithOtherRoles, instance.InstanceId)));
        Assert.Equal([instance], Sync.Run(_host.Instances.ListAsync(aliceWithOtherRoles)));
    }

    [Fact]
    public void Another_owners_instance_behaves_as_a_missing_one()
    {
        var instance = Create(Alice, """{"b": 1}""").Instance!;

        Assert.Null(Sync.Run(_host.Instances.GetAsync(Bob, instance.InstanceId)));
        Assert.Null(Sync.Run(_host.Instances.GetStateAsync(Bob, instance.InstanceId)));
        Assert.False(Sync.Run(_host.Instances.DeleteAsync(Bob, instance.InstanceId)));
        Assert.Empty(Sync.Run(_host.Instances.ListAsync(Bob)));

        // Bob's attempt changed nothing for Alice.
        Assert.Same(instance, Sync.Run(_host.Instances.GetAsync(Alice, instance.InstanceId)));
    }

    [Fact]
    public void A_deleted_instance_is_gone_for_every_operation_and_a_second_delete_fails()
    {
        var instance = Create(Alice, """{"b": 1}""").Instance!;

        Assert.True(Sync.Run(_host.Instances.DeleteAsync(Alice, instance.InstanceId)));

        Assert.Null(Sync.Run(_host.Instances.GetAsync(Alice, instance.InstanceId)));
        Assert.Null(Sync.Run(_host.Instances.GetStateAsync(Alice, instance.InstanceId)));
        Assert.Empty(Sync.Run(_host.Instances.ListAsync(Alice)));
        Assert.False(Sync.Run(_host.Instances.DeleteAsync(Alice, instance.InstanceId)));
    }

    [Fact]
    public void Creates_from_many_threads_all_land_with_distinct_ids_under_their_owners()
    {
        const int PerOwner = 500;
        string[] owners = ["o1", "o2", "o3", "o4"];
        var created = new ConcurrentBag<(string Owner, Guid Id)>();
        using var host = new ModelsHost(b => b.AddModel(Model), o => o.MaxInstancesPerSubject = PerOwner); // each owner exactly at its limit

        Parallel.For(0, owners.Length * PerOwner, new ParallelOptions { MaxDegreeOfParallelism = 16 }, i =>
        {
            var owner = owners[i % owners.Length];
            var result = Sync.Run(host.Instances.CreateAsync(new ModelCaller(owner, ["user"]), "Merge-v1", Json.Parse("""{"b": 1}"""), $"#{i}"));
            created.Add((owner, result.Instance!.InstanceId));
        });

        Assert.Equal(owners.Length * PerOwner, created.Select(c => c.Id).Distinct().Count());
        foreach (var owner in owners)
        {
            var listed = Sync.Run(host.Instances.ListAsync(new ModelCaller(owner, [])));
            Assert.Equal(PerOwner, listed.Count);
            Assert.Equal(created.Where(c => c.Owner == owner).Select(c => c.Id).Order(), listed.Select(i => i.InstanceId).Order());
        }
    }

    [Fact]
    public async Task A_caller_without_a_subject_is_refused()
    {
        await Assert.ThrowsAsync<ArgumentException>(async () => await _host.Instances.ListAsync(default));
        await Assert.ThrowsAsync<ArgumentException>(async () => await _host.Instances.ListAsync(new ModelCaller("", ["user"])));
    }

    private sealed class CountingRuntime : IModelRuntime
    {
        public ValueTask<JsonElement> CreateInitialStateAsync(ModelDefinition model, JsonElement arguments, CancellationToken cancellationToken) =>
            ValueTask.FromResult(Json.Parse($$"""{"model": "{{model.Name}}", "arguments": {{arguments.EnumerateObject().Count()}}}"""));

        public ValueTask<JsonElement> CreateInitialParametersAsync(ModelDefinition model, JsonElement arguments, CancellationToken cancellationToken) =>
            ValueTask.FromResult(Json.Parse("{}"));

        public ValueTask<ModelInferenceResult> InferAsync(ModelInferenceRequest request, CancellationToken cancellationToken) =>
            throw new NotSupportedException();

        public ValueTask<ModelLearningResult> LearnAsync(ModelLearningRequest request, CancellationToken cancellationToken) =>
            throw new NotSupportedException();
    }

    private sealed class FixedStateRuntime : IModelRuntime
    {
        public ValueTask<JsonElement> CreateInitialStateAsync(ModelDefinition model, JsonElement arguments, CancellationToken cancellationToken) =>
            ValueTask.FromResult(Json.Parse("""{"fixed": true}"""));

        public ValueTask<JsonElement> CreateInitialParametersAsync(ModelDefinition model, JsonElement arguments, CancellationToken cancellationToken) =>
            ValueTask.FromResult(Json.Parse("{}"));

        public ValueTask<ModelInferenceResult> InferAsync(ModelInferenceRequest request, CancellationToken cancellationToken) =>
            throw new NotSupportedException();

        public ValueTask<ModelLearningResult> LearnAsync(ModelLearningRequest request, CancellationToken cancellationToken) =>
            throw new NotSupportedException();
    }

    [Fact]
    public void The_default_outcome_is_not_a_success()
    {
        var outcome = default(ModelInstanceCreation);

        Assert.Equal(ModelInstanceCreationStatus.None, outcome.Status);
        Assert.NotEqual(ModelInstanceCreationStatus.Created, outcome.Status);
        Assert.Null(outcome.Instance);
        Assert.NotEqual(ModelInstanceCreation.Created(new ModelInstance(Guid.Empty, "m", "s", DateTimeOffset.UnixEpoch, null, Json.Parse("{}"), Json.Parse("{}"))), outcome);
    }
}
