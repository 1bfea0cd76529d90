using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Logging;
using RxInfer.Auth;

namespace RxInfer.Models.Tests;

/// <summary>
/// Retention through the instance service, on a fake clock: a subject's instances are kept until the expiry of the
/// latest token it used for an instance operation plus <see cref="RxInferModelsOptions.InstanceRetention"/>, then a
/// sweep (at most once per <see cref="RxInferModelsOptions.RetentionSweepInterval"/>, on an instance operation) removes them.
/// </summary>
public sealed class InstanceRetentionTests
{
    private static readonly ModelDefinition Plain = ModelDefinition.Create("Plain-v1", "d", "tests", ["user"]);
    private static readonly TimeSpan Retention = TimeSpan.FromDays(30);

    /// <summary>A subject with a token that never expires, whose operations only serve to start sweeps.</summary>
    private static readonly ModelCaller Bystander = new("bystander", ["user"]) { TokenExpiresAt = TokenIdentity.NeverExpires };

    private static ModelsHost Host(TimeSpan? sweepInterval = null, Action<RxInferModelsBuilder>? build = null) =>
        new(b =>
        {
            b.AddModel(Plain);
            build?.Invoke(b);
        }, o => o.RetentionSweepInterval = sweepInterval ?? TimeSpan.FromTicks(1));

    private static ModelCaller Caller(string subject, DateTimeOffset? tokenExpiresAt) =>
        new(subject, ["user"]) { TokenExpiresAt = tokenExpiresAt };

    private static Guid Create(ModelsHost host, ModelCaller caller) =>
        Sync.Run(host.Instances.CreateAsync(caller, "Plain-v1", null, null)).Instance!.InstanceId;

    /// <summary>What the store holds for <paramref name="subject"/>, read without an instance operation (which would record retention).</summary>
    private static int Stored(ModelsHost host, string subject) =>
        Sync.Run(host.Services.GetRequiredService<IModelInstanceStore>().ListAsync(subject)).Count;

    /// <summary>An instance operation of another subject: it starts a sweep when one is due.</summary>
    private static void Sweep(ModelsHost host) => Sync.Run(host.Instances.ListAsync(Bystander));

    [Fact]
    public void Instances_are_kept_until_token_expiry_plus_retention_and_swept_one_tick_later()
    {
        using var host = Host();
        var expiry = TestClock.Start.AddHours(1);
        var alice = Caller("alice", expiry);
        Create(host, alice);
        Create(host, alice);

        host.Time.SetUtcNow(expiry);
        Sweep(host);
        Assert.Equal(2, Stored(host, "alice"));

        host.Time.SetUtcNow(expiry + Retention);
        Sweep(host);
        Assert.Equal(2, Stored(host, "alice"));

        host.Time.Advance(TimeSpan.FromTicks(1));
        Sweep(host);
        Assert.Equal(0, Stored(host, "alice"));
        var swept = Assert.Single(host.Logs.GetSnapshot(), r => r.Id.Name == "ModelInstancesSwept");
        Assert.Equal(LogLevel.Information, swept.Level);
        Assert.Contains("Removed 2 model instance(s)", swept.Message, StringComparison.Ordinal);
    }

    [Fact]
    public void A_later_token_used_on_the_instances_extends_their_retention()
    {
        using var host = Host();
        var firstExpiry = TestClock.Start.AddHours(1);
        var secondExpiry = firstExpiry.AddDays(10);
        var id = Create(host, Caller("alice", firstExpiry));

        host.Time.SetUtcNow(firstExpiry.AddMinutes(-1));
        Assert.NotNull(Sync.Run(host.Instances.GetAsync(Caller("alice", secondExpiry), id)));

        host.Time.SetUtcNow(firstExpiry + Retention + TimeSpan.FromDays(1));
        Sweep(host);
        Assert.Equal(1, Stored(host, "alice"));

        host.Time.SetUtcNow(secondExpiry + Retention + TimeSpan.FromTicks(1));
        Sweep(host);
        Assert.Equal(0, Stored(host, "alice"));
    }

    public static TheoryData<string> EpisodeAndInferenceOperations() =>
        ["parameters", "list episodes", "get episode", "create episode", "attach events", "wipe", "attach metadata", "infer", "learn"];

    [Theory]
    [MemberData(nameof(EpisodeAndInferenceOperations))]
    public async Task A_later_token_used_on_episodes_events_inference_or_learning_extends_the_retention(string operation)
    {
        using var host = Host(build: b => b.AddModelRuntime(Plain.Name, new TestRuntime()));
        var firstExpiry = TestClock.Start.AddHours(1);
        var secondExpiry = firstExpiry.AddDays(10);
        var id = Create(host, Caller("alice", firstExpiry));
        var later = Caller("alice", secondExpiry);
        var data = Json.Parse("""{"observation": 1}""");
        Assert.True((await host.Episodes.AttachEventsAsync(Caller("alice", firstExpiry), id, "default", [new ModelEventInput(data)])).Succeeded);

        host.Time.SetUtcNow(firstExpiry.AddMinutes(-1));
        var succeeded = operation switch
        {
            "parameters" => (await host.Episodes.GetParametersAsync(later, id)).Succeeded,
            "list episodes" => (await host.Episodes.ListEpisodesAsync(later, id)).Succeeded,
            "get episode" => (await host.Episodes.GetEpisodeAsync(later, id, "default")).Succeeded,
            "create episode" => (await host.Episodes.CreateEpisodeAsync(later, id, "second")).Succeeded,
            "attach events" => (await host.Episodes.AttachEventsAsync(later, id, "default", [new ModelEventInput(data)])).Succeeded,
            "wipe" => (await host.Episodes.WipeEpisodeAsync(later, id, "default")).Succeeded,
            "attach metadata" => (await host.Episodes.AttachMetadataAsync(later, id, "default", 1, Json.Parse("""{"m": 1}"""))).Succeeded,
            "infer" => (await host.Inference.InferAsync(later, id, data)).Succeeded,
            "learn" => (await host.Inference.LearnAsync(later, id, ["default"])).Succeeded,
            _ => throw new ArgumentOutOfRangeException(nameof(operation)),
        };
        Assert.True(succeeded, operation);

        host.Time.SetUtcNow(firstExpiry + Retention + TimeSpan.FromDays(1));
        Sweep(host);
        Assert.Equal(1, Stored(host, "alice"));

        host.Time.SetUtcNow(secondExpiry + Retention + TimeSpan.FromTicks(1));
        Sweep(host);
        Assert.Equal(0, Stored(host, "alice"));
    }

    [Fact]
    public async Task An_abandoned_subjects_instances_are_swept_with_their_episodes_and_events()
    {
        using var host = Host();
        var expiry = TestClock.Start.AddHours(1);
        var alice = Caller("alice", expiry);
        var id = Create(host, alice);
        Assert.True((await host.Episodes.CreateEpisodeAsync(alice, id, "second")).Succeeded);
        Assert.True((await host.Episodes.AttachEventsAsync(alice, id, "second", [new ModelEventInput(Json.Parse("""{"x": 1}"""))])).Succeeded);
        Assert.True((await host.Episodes.AttachEventsAsync(alice, id, "default", [new ModelEventInput(Json.Parse("""{"x": 2}"""))])).Succeeded);

        host.Time.SetUtcNow(expiry + Retention + TimeSpan.FromTicks(1));
        Sweep(host);

        var store = host.Services.GetRequiredService<IModelInstanceStore>();
        Assert.Equal(0, Stored(host, "alice"));
        Assert.Null(await store.ListEpisodesAsync("alice", id));
        Assert.Equal(default, await store.GetEpisodeAsync("alice", id, "second"));
        Assert.Equal(default, await store.GetParametersAsync("alice", id, null));
        Assert.Equal(ModelStoreOutcome.InstanceNotFound, await store.AppendEventsAsync("alice", id, "default", [new ModelEvent(0, expiry, Json.Parse("{}"), null, false)], 10));
        var returning = Caller("alice", TokenIdentity.NeverExpires);
        Assert.Equal(ModelResultStatus.NotFound, (await host.Episodes.ListEpisodesAsync(returning, id)).Status);
    }

    [Fact]
    public void An_older_token_used_later_does_not_shorten_the_retention()
    {
        using var host = Host();
        var longExpiry = TestClock.Start.AddDays(20);
        Create(host, Caller("alice", longExpiry));
        Sync.Run(host.Instances.ListAsync(Caller("alice", TestClock.Start.AddHours(1))));

        host.Time.SetUtcNow(longExpiry + Retention);
        Sweep(host);

        Assert.Equal(1, Stored(host, "alice"));
    }

    [Fact]
    public void A_token_that_never_expires_keeps_its_instances()
    {
        using var host = Host();
        Create(host, Caller("dev-token", TokenIdentity.NeverExpires));

        host.Time.Advance(TimeSpan.FromDays(3650));
        Sweep(host);

        Assert.Equal(1, Stored(host, "dev-token"));
    }

    [Fact]
    public void Without_a_known_expiry_retention_counts_from_the_last_operation()
    {
        using var host = Host();
        var alice = Caller("alice", tokenExpiresAt: null);
        Create(host, alice);
        host.Time.Advance(TimeSpan.FromDays(20));
        Sync.Run(host.Instances.ListAsync(alice));
        var lastOperation = host.Time.GetUtcNow();

        host.Time.SetUtcNow(lastOperation + Retention);
        Sweep(host);
        Assert.Equal(1, Stored(host, "alice"));

        host.Time.Advance(TimeSpan.FromTicks(1));
        Sweep(host);
        Assert.Equal(0, Stored(host, "alice"));
    }

    [Fact]
    public void A_retention_of_zero_removes_the_instances_once_the_token_has_expired()
    {
        using var host = new ModelsHost(b => b.AddModel(Plain), o =>
        {
            o.InstanceRetention = TimeSpan.Zero;
            o.RetentionSweepInterval = TimeSpan.FromTicks(1);
        });
        var expiry = TestClock.Start.AddHours(1);
        Create(host, Caller("alice", expiry));

        host.Time.SetUtcNow(expiry);
        Sweep(host);
        Assert.Equal(1, Stored(host, "alice"));

        host.Time.Advance(TimeSpan.FromTicks(1));
        Sweep(host);
        Assert.Equal(0, Stored(host, "alice"));
    }

    [Fact]
    public void The_sweep_runs_at_most_once_per_interval()
    {
        using var host = Host(TimeSpan.FromHours(1), b => b.AddInstanceStore<CountingStore>());
        var store = (CountingStore)host.Services.GetRequiredService<IModelInstanceStore>();

        Sweep(host);
        host.Time.Advance(TimeSpan.FromMinutes(59));
        Sweep(host);
        Sweep(host);
        Assert.Equal(1, store.Sweeps);

        host.Time.Advance(TimeSpan.FromMinutes(1));
        Sweep(host);
        Assert.Equal(2, store.Sweeps);
    }

    [Fact]
    public void A_failing_sweep_is_logged_and_the_operation_still_succeeds()
    {
        using var host = Host(build: b => b.AddInstanceStore<CountingStore>());
        var store = (CountingStore)host.Services.GetRequiredService<IModelInstanceStore>();
        store.Failure = new InvalidOperationException("the store is down");

        var id = Create(host, Bystander);

        Assert.NotNull(Sync.Run(host.Instances.GetAsync(Bystander, id)));
        var failure = Assert.Single(host.Logs.GetSnapshot(), r => r.Id.Name == "RetentionSweepFailed");
        Assert.Equal(LogLevel.Warning, failure.Level);
        Assert.Same(store.Failure, failure.Exception);
    }

    [Fact]
    public async Task A_sweep_that_fails_later_is_logged_and_the_next_one_runs_after_the_interval()
    {
        using var host = Host(TimeSpan.FromHours(1), b => b.AddInstanceStore<CountingStore>());
        var store = (CountingStore)host.Services.GetRequiredService<IModelInstanceStore>();
        var pending = new TaskCompletionSource<int>(TaskCreationOptions.RunContinuationsAsynchronously);
        store.PendingSweep = pending.Task;
        Sweep(host);

        pending.SetException(new TimeoutException("the database did not answer"));
        await WaitUntilAsync(() => host.Logs.GetSnapshot().Any(r => r.Id.Name == "RetentionSweepFailed"));
        store.PendingSweep = null;
        host.Time.Advance(TimeSpan.FromHours(1));
        Sweep(host);

        Assert.Equal(2, store.Sweeps);
        Assert.IsType<TimeoutException>(Assert.Single(host.Logs.GetSnapshot(), r => r.Id.Name == "RetentionSweepFailed").Exception);
    }

    [Fact]
    public async Task A_sweep_that_completes_later_runs_in_the_background_and_never_twice_at_once()
    {
        using var host = Host(build: b => b.AddInstanceStore<CountingStore>());
        var store = (CountingStore)host.Services.GetRequiredService<IModelInstanceStore>();
        var pending = new TaskCompletionSource<int>(TaskCreationOptions.RunContinuationsAsynchronously);
        store.PendingSweep = pending.Task;

        Sweep(host); // starts the sweep, which does not complete: the operation does not wait for it
        host.Time.Advance(TimeSpan.FromHours(1));
        Sweep(host);
        Assert.Equal(1, store.Sweeps);

        pending.SetResult(3);
        await WaitUntilAsync(() => host.Logs.GetSnapshot().Any(r => r.Id.Name == "ModelInstancesSwept"));
        store.PendingSweep = null;
        host.Time.Advance(TimeSpan.FromHours(1));
        Sweep(host);
        Assert.Equal(2, store.Sweeps);
    }

    private static async Task WaitUntilAsync(Func<bool> condition)
    {
        var waited = System.Diagnostics.Stopwatch.StartNew();
        while (!condition())
        {
            Assert.True(waited.Elapsed < TimeSpan.FromSeconds(10), "The background sweep did not finish within 10 s (a generous bound: the machine is shared).");
            await Task.Delay(10);
        }
    }

    /// <summary>The in-memory store, counting sweeps; a sweep can fail or stay pending on request.</summary>
    private sealed class CountingStore() : DelegatingModelInstanceStore(new InMemoryModelInstanceStore())
    {
        public int Sweeps { get; private set; }

        public Exception? Failure { get; set; }

        public Task<int>? PendingSweep { get; set; }

        public override ValueTask<int> RemoveExpiredAsync(DateTimeOffset now, CancellationToken cancellationToken = default)
        {
            Sweeps++;
            if (Failure is not null)
            {
                throw Failure;
            }

            return PendingSweep is { } pending ? new(pending) : Inner.RemoveExpiredAsync(now, cancellationToken);
        }
    }
}
