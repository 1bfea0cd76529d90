using System.Collections.Concurrent;
using Microsoft.Extensions.DependencyInjection;

namespace RxInfer.Models.Tests;

/// <summary>
/// A registered <see cref="IModelInstanceLockProvider"/> (a store shared by several processes) is taken after the
/// process's own lock of the instance and released before it, by every service that holds that lock.
/// </summary>
public sealed class SharedInstanceLockTests
{
    [Fact]
    public async Task The_shared_lock_is_taken_inside_the_process_lock_and_released_on_dispose()
    {
        var shared = new RecordingLockProvider();
        var locks = new InstanceLocks(shared);
        var id = Guid.NewGuid();

        var held = await locks.AcquireAsync("alice", id, CancellationToken.None);
        Assert.Equal(["acquire alice " + id], shared.Calls);
        Assert.Equal(1, locks.Count);

        await held.DisposeAsync();
        await held.DisposeAsync(); // once only
        Assert.Equal(["acquire alice " + id, "release alice " + id], shared.Calls);
        Assert.Equal(0, locks.Count);
    }

    [Fact]
    public async Task A_shared_lock_that_fails_leaves_the_process_lock_free_for_the_next_caller()
    {
        var shared = new RecordingLockProvider { FailNext = true };
        var locks = new InstanceLocks(shared);
        var id = Guid.NewGuid();

        await Assert.ThrowsAsync<InvalidOperationException>(async () => await locks.AcquireAsync("alice", id, CancellationToken.None));
        Assert.Equal(0, locks.Count);

        var next = locks.AcquireAsync("alice", id, CancellationToken.None);
        Assert.True(next.IsCompleted, "the process lock was left held");
        await (await next).DisposeAsync();
    }

    [Fact]
    public async Task The_registered_provider_serialises_the_inference_service_calls()
    {
        var shared = new RecordingLockProvider();
        var runtime = new TestRuntime();
        var services = new ServiceCollection();
        services.AddSingleton<IModelInstanceLockProvider>(shared);
        services.AddRxInferModels()
            .AddModel(ModelDefinition.Create("Counter-v1", "d", "a", ["user"]))
            .AddModelRuntime("Counter-v1", runtime);
        await using var provider = services.BuildServiceProvider();
        var caller = new ModelCaller("alice", ["user"]);
        var created = await provider.GetRequiredService<IModelInstanceService>().CreateAsync(caller, "Counter-v1", null, null);
        var id = created.Instance!.InstanceId;

        await provider.GetRequiredService<IModelInferenceService>().InferAsync(caller, id, Json.Parse("""{"x": 1}"""));
        await provider.GetRequiredService<IModelInferenceService>().LearnAsync(caller, id, ["default"]);

        Assert.Equal(["acquire alice " + id, "release alice " + id, "acquire alice " + id, "release alice " + id], shared.Calls);
    }

    private sealed class RecordingLockProvider : IModelInstanceLockProvider
    {
        private readonly ConcurrentQueue<string> _calls = new();

        public bool FailNext { get; set; }

        public IReadOnlyList<string> Calls => [.. _calls];

        public ValueTask<IAsyncDisposable> AcquireAsync(string ownerSubject, Guid instanceId, CancellationToken cancellationToken = default)
        {
            if (FailNext)
            {
                FailNext = false;
                throw new InvalidOperationException("the database is down");
            }

            _calls.Enqueue($"acquire {ownerSubject} {instanceId}");
            return ValueTask.FromResult<IAsyncDisposable>(new Release(() => _calls.Enqueue($"release {ownerSubject} {instanceId}")));
        }

        private sealed class Release(Action release) : IAsyncDisposable
        {
            public ValueTask DisposeAsync()
            {
                release();
                return ValueTask.CompletedTask;
            }
        }
    }
}
