using RxInfer.Models;
using RxInfer.Models.Tests;
using RxInfer.Storage.PostgreSql.Tests.Infrastructure;

namespace RxInfer.Storage.PostgreSql.Tests.Contract;

/// <summary>
/// The PostgreSQL model instance store keeps the store contract that the in-memory store keeps (the shared suite of
/// RxInfer.Models.Tests, compiled in here). One node on the class's database serves every test; each test uses its own
/// owners and ids.
/// </summary>
public sealed class PostgreSqlModelInstanceStoreContractTests(PostgreSqlDatabaseFixture fixture) : ModelInstanceStoreContractTests, IClassFixture<PostgreSqlDatabaseFixture>, IAsyncLifetime
{
    private StoreNode? _node;

    public async Task InitializeAsync() => _node = await StoreNode.StartAsync(fixture.ConnectionString);

    public async Task DisposeAsync()
    {
        if (_node is not null)
        {
            await _node.DisposeAsync();
        }
    }

    protected override Task<IModelInstanceStore> CreateStoreAsync()
    {
        var store = _node!.Get<IModelInstanceStore>();
        Assert.IsType<PostgreSqlModelInstanceStore>(store);
        return Task.FromResult(store);
    }
}

/// <summary>
/// The PostgreSQL model instance store keeps the quota contract (limits checked in the add's transaction, retention);
/// each test gets a new empty schema (the store-wide limit and the sweep see every owner).
/// </summary>
public sealed class PostgreSqlModelInstanceStoreQuotaContractTests(PostgreSqlDatabaseFixture fixture) : ModelInstanceStoreQuotaContractTests, IClassFixture<PostgreSqlDatabaseFixture>, IAsyncLifetime
{
    private StoreNode? _node;

    public Task InitializeAsync() => Task.CompletedTask;

    public async Task DisposeAsync()
    {
        if (_node is not null)
        {
            await _node.DisposeAsync();
        }
    }

    protected override async Task<IModelInstanceStore> CreateStoreAsync()
    {
        var schema = "quota_" + Convert.ToHexStringLower(System.Security.Cryptography.RandomNumberGenerator.GetBytes(6));
        _node = await StoreNode.StartAsync(fixture.ConnectionString, options: o => o.Schema = schema);
        return Assert.IsType<PostgreSqlModelInstanceStore>(_node.Get<IModelInstanceStore>());
    }
}
