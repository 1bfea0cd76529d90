using RxInfer.Models;
using RxInfer.Storage.PostgreSql.Tests.Infrastructure;

namespace RxInfer.Storage.PostgreSql.Tests.Models;

/// <summary>The cross-node lock of a model instance: a PostgreSQL advisory lock per owner and instance.</summary>
public sealed class InstanceLockTests(PostgreSqlDatabaseFixture fixture) : IClassFixture<PostgreSqlDatabaseFixture>
{
    private static readonly TimeSpan Generous = TimeSpan.FromSeconds(10);

    [Fact]
    public async Task A_lock_held_on_A_makes_B_wait_until_it_is_released_and_another_owner_never_waits()
    {
        await using var a = await StoreNode.StartAsync(fixture.ConnectionString, services: CountingRuntime.AddTo);
        await using var b = await StoreNode.StartAsync(fixture.ConnectionString, services: CountingRuntime.AddTo);
        var id = Guid.NewGuid();
        Assert.IsType<PostgreSqlInstanceLockProvider>(a.Get<IModelInstanceLockProvider>());

        var held = await a.Get<IModelInstanceLockProvider>().AcquireAsync("alice", id);
        var waiting = b.Get<IModelInstanceLockProvider>().AcquireAsync("alice", id).AsTask();
        await using (await b.Get<IModelInstanceLockProvider>().AcquireAsync("mallory", id).AsTask().WaitAsync(Generous))
        {
        }

        await Task.Delay(300);
        Assert.False(waiting.IsCompleted, "B took the lock that A holds");

        await held.DisposeAsync();
        await (await waiting.WaitAsync(Generous)).DisposeAsync();
    }

    [Fact]
    public async Task A_wait_that_is_cancelled_leaves_no_lock_behind()
    {
        await using var a = await StoreNode.StartAsync(fixture.ConnectionString, services: CountingRuntime.AddTo);
        await using var b = await StoreNode.StartAsync(fixture.ConnectionString, services: CountingRuntime.AddTo);
        var id = Guid.NewGuid();
        var held = await a.Get<IModelInstanceLockProvider>().AcquireAsync("alice", id);

        using var cancel = new CancellationTokenSource(TimeSpan.FromMilliseconds(200));
        await Assert.ThrowsAnyAsync<OperationCanceledException>(async () => await b.Get<IModelInstanceLockProvider>().AcquireAsync("alice", id, cancel.Token));
        await held.DisposeAsync();

        await using (await a.Get<IModelInstanceLockProvider>().AcquireAsync("alice", id).AsTask().WaitAsync(Generous))
        {
        }

        await using (await b.Get<IModelInstanceLockProvider>().AcquireAsync("alice", id).AsTask().WaitAsync(Generous))
        {
        }

        Assert.Equal(0L, await Schema.MigrationTests.ScalarAsync<long>(fixture.ConnectionString, "SELECT count(*) FROM pg_locks WHERE locktype = 'advisory' AND granted AND database = (SELECT oid FROM pg_database WHERE datname = current_database())"));
    }
}
