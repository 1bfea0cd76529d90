using System.Text.Json;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Logging;
using RxInfer.Auth;

namespace RxInfer.Models.Tests;

/// <summary>The per-subject limits (400) and the store's capacity (503) as the instance service applies them.</summary>
public sealed class InstanceQuotaTests
{
    private const int DefaultMaxSize = 65536;

    private static readonly ModelDefinition Plain = ModelDefinition.Create("Plain-v1", "no declared arguments", "tests", ["user"]);
    private static readonly ModelCaller Alice = new("alice", ["user"]);
    private static readonly ModelCaller Bob = new("bob", ["user"]);

    private static ModelsHost Host(Action<RxInferModelsOptions>? configure = null, Action<RxInferModelsBuilder>? build = null) =>
        new(b =>
        {
            b.AddModel(Plain);
            build?.Invoke(b);
        }, configure);

    private static ModelInstanceCreation Create(ModelsHost host, ModelCaller caller, string? arguments = null) =>
        Sync.Run(host.Instances.CreateAsync(caller, "Plain-v1", arguments is null ? null : Json.Parse(arguments), null));

    private static int Count(ModelsHost host, ModelCaller caller) => Sync.Run(host.Instances.ListAsync(caller)).Count;

    /// <summary><c>{"x":"aaa..."}</c> with <paramref name="length"/> letters: <paramref name="length"/> + 8 bytes of JSON.</summary>
    private static string ArgumentsOfLength(int length, char letter = 'a') => $$"""{"x":"{{new string(letter, length)}}"}""";

    // ---- live instances per subject -----------------------------------------------------------------------------

    [Fact]
    public void A_subject_keeps_100_instances_by_default_and_the_101st_is_refused_with_nothing_stored()
    {
        using var host = Host();
        for (var i = 0; i < 100; i++)
        {
            Assert.Equal(ModelInstanceCreationStatus.Created, Create(host, Alice).Status);
        }

        var refused = Create(host, Alice);

        Assert.Equal(ModelInstanceCreationStatus.InvalidRequest, refused.Status);
        Assert.Null(refused.Instance);
        Assert.Equal("model instance limit reached: a token's owner may keep at most 100 model instances, delete one to create another", refused.Error);
        Assert.Equal(100, Count(host, Alice));
    }

    [Fact]
    public void The_limit_is_per_subject_and_a_deletion_frees_a_place()
    {
        using var host = Host(o => o.MaxInstancesPerSubject = 2);
        var first = Create(host, Alice).Instance!;
        Assert.Equal(ModelInstanceCreationStatus.Created, Create(host, Alice).Status);
        Assert.Equal(ModelInstanceCreationStatus.InvalidRequest, Create(host, Alice).Status);

        Assert.Equal(ModelInstanceCreationStatus.Created, Create(host, Bob).Status);
        Assert.True(Sync.Run(host.Instances.DeleteAsync(Alice, first.InstanceId)));

        Assert.Equal(ModelInstanceCreationStatus.Created, Create(host, Alice).Status);
        Assert.Equal(2, Count(host, Alice));
        Assert.Equal(1, Count(host, Bob));
    }

    [Fact]
    public void Reaching_the_subject_limit_is_logged_with_the_subject()
    {
        using var host = Host(o => o.MaxInstancesPerSubject = 1);
        Create(host, Alice);
        Create(host, Alice);

        var record = Assert.Single(host.Logs.GetSnapshot(), r => r.Id.Name == "ModelInstanceLimitReached");
        Assert.Equal(LogLevel.Information, record.Level);
        Assert.Contains("alice", record.Message, StringComparison.Ordinal);
    }

    [Fact]
    public void Zero_turns_the_subject_limit_off()
    {
        using var host = Host(o => o.MaxInstancesPerSubject = 0);
        for (var i = 0; i < 150; i++)
        {
            Assert.Equal(ModelInstanceCreationStatus.Created, Create(host, Alice).Status);
        }

        Assert.Equal(150, Count(host, Alice));
    }

    // ---- stored size -------------------------------------------------------------------------------------------

    [Fact]
    public void Arguments_and_state_of_exactly_64_KiB_are_stored_and_one_byte_more_is_refused_with_nothing_stored()
    {
        // A runtime whose state is {} (2 bytes): arguments of n + 8 bytes and the state make n + 10 bytes.
        using var host = Host(build: b => b.AddModelRuntime<EmptyStateRuntime>("Plain-v1"));
        var atLimit = Create(host, Alice, ArgumentsOfLength(DefaultMaxSize - 10));
        var overLimit = Create(host, Bob, ArgumentsOfLength(DefaultMaxSize - 9));

        Assert.Equal(ModelInstanceCreationStatus.Created, atLimit.Status);
        Assert.Equal(ModelInstanceCreationStatus.InvalidRequest, overLimit.Status);
        Assert.Equal("model instance is too large: its arguments and state take 65537 bytes of JSON, more than the limit of 65536 bytes", overLimit.Error);
        Assert.Empty(Sync.Run(host.Instances.ListAsync(Bob)));
    }

    [Fact]
    public void With_the_default_runtime_the_state_is_the_arguments_so_both_count()
    {
        // State = arguments: 2 * (n + 8) bytes; n = 32760 makes exactly 65536.
        using var host = Host();

        Assert.Equal(ModelInstanceCreationStatus.Created, Create(host, Alice, ArgumentsOfLength(32760)).Status);
        var refused = Create(host, Bob, ArgumentsOfLength(32761));
        Assert.Equal(ModelInstanceCreationStatus.InvalidRequest, refused.Status);
        Assert.Contains("65538 bytes", refused.Error, StringComparison.Ordinal);
    }

    [Fact]
    public void Size_is_counted_in_utf8_bytes_of_compact_json()
    {
        // 'é' is 2 bytes in UTF-8; whitespace and escapes of the request text do not count: \u00e9 is stored as é.
        using var host = Host(o => o.MaxInstanceSize = 100, b => b.AddModelRuntime<EmptyStateRuntime>("Plain-v1"));
        var fits = $$"""{ "x" :   "{{string.Concat(Enumerable.Repeat("\\u00e9", 45))}}"  }"""; // 8 + 90 + 2 = 100
        var tooLarge = $$"""{"x":"{{new string('é', 46)}}"}""";                                  // 8 + 92 + 2 = 102

        Assert.Equal(ModelInstanceCreationStatus.Created, Create(host, Alice, fits).Status);
        Assert.Equal("model instance is too large: its arguments and state take 102 bytes of JSON, more than the limit of 100 bytes", Create(host, Bob, tooLarge).Error);
    }

    [Fact]
    public void A_state_too_large_from_the_runtime_is_refused_with_nothing_stored()
    {
        using var host = Host(build: b => b.AddModelRuntime<LargeStateRuntime>("Plain-v1"));

        var refused = Create(host, Alice, """{"small":1}""");

        Assert.Equal(ModelInstanceCreationStatus.InvalidRequest, refused.Status);
        Assert.StartsWith("model instance is too large", refused.Error, StringComparison.Ordinal);
        Assert.Empty(Sync.Run(host.Instances.ListAsync(Alice)));
    }

    [Fact]
    public void Zero_turns_the_size_limit_off()
    {
        using var host = Host(o => o.MaxInstanceSize = 0);

        Assert.Equal(ModelInstanceCreationStatus.Created, Create(host, Alice, ArgumentsOfLength(200_000)).Status);
    }

    // ---- the store's capacity ----------------------------------------------------------------------------------

    [Fact]
    public async Task A_full_store_refuses_every_subject_with_503_and_a_warning_and_stores_nothing()
    {
        using var host = Host(o => o.MaxInstances = 2);
        var carol = new ModelCaller("carol", ["user"]);
        var first = Create(host, Alice).Instance!;
        Create(host, Bob);

        var error = await Assert.ThrowsAsync<ServiceUnavailableException>(async () => await host.Instances.CreateAsync(carol, "Plain-v1", null, null));

        Assert.Equal("The server cannot store more model instances now, try again later", error.Message);
        Assert.Equal(TimeSpan.FromMinutes(1), error.RetryAfter);
        Assert.Empty(Sync.Run(host.Instances.ListAsync(carol)));
        var warning = Assert.Single(host.Logs.GetSnapshot(), r => r.Id.Name == "ModelInstanceCapacityReached");
        Assert.Equal(LogLevel.Warning, warning.Level);

        Assert.True(Sync.Run(host.Instances.DeleteAsync(Alice, first.InstanceId)));
        Assert.Equal(ModelInstanceCreationStatus.Created, Create(host, carol).Status);
    }

    /// <summary>A runtime whose initial state is <c>{}</c>.</summary>
    private sealed class EmptyStateRuntime : InitialStateRuntime
    {
        public override ValueTask<JsonElement> CreateInitialStateAsync(ModelDefinition model, JsonElement arguments, CancellationToken cancellationToken) =>
            ValueTask.FromResult(Json.Parse("{}"));
    }

    /// <summary>A runtime whose initial state is about 70 KB.</summary>
    private sealed class LargeStateRuntime : InitialStateRuntime
    {
        public override ValueTask<JsonElement> CreateInitialStateAsync(ModelDefinition model, JsonElement arguments, CancellationToken cancellationToken) =>
            ValueTask.FromResult(Json.Parse($$"""{"weights":"{{new string('w', 70_000)}}"}"""));
    }

    /// <summary>A runtime that only makes initial states (these tests create instances and nothing else).</summary>
    private abstract class InitialStateRuntime : IModelRuntime
    {
        public abstract ValueTask<JsonElement> CreateInitialStateAsync(ModelDefinition model, JsonElement arguments, CancellationToken cancellationToken);

        public ValueTask<JsonElement> CreateInitialParametersAsync(ModelDefinition model, JsonElement arguments, CancellationToken cancellationToken) =>
            ValueTask.FromResult(arguments);

        public ValueTask<ModelInferenceResult> InferAsync(ModelInferenceRequest request, CancellationToken cancellationToken) =>
            throw new NotSupportedException();

        public ValueTask<ModelLearningResult> LearnAsync(ModelLearningRequest request, CancellationToken cancellationToken) =>
            throw new NotSupportedException();
    }
}
