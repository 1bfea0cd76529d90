using Microsoft.Extensions.Logging.Abstractions;
using Microsoft.Extensions.Options;
using Microsoft.Extensions.Time.Testing;
using RxInfer.Auth;
using RxInfer.Auth.Tests.Stores;
using RxInfer.Storage.PostgreSql.Tests.Infrastructure;

namespace RxInfer.Storage.PostgreSql.Tests.Contract;

/// <summary>The PostgreSQL access-token store (cache and revocation feed on) keeps the store contract.</summary>
public sealed class PostgreSqlAccessTokenStoreContractTests(PostgreSqlDatabaseFixture fixture) : OpaqueTokenStoreContractTests, IClassFixture<PostgreSqlDatabaseFixture>
{
    private StoreNode? _node;

    protected override async Task<IOpaqueTokenStore> CreateStoreAsync(FakeTimeProvider time)
    {
        _node = await StoreNode.StartAsync(fixture.ConnectionString, time: time);
        return _node.Get<IOpaqueTokenStore>();
    }

    protected override async Task DisposeStoreAsync() => await _node!.DisposeAsync();
}

/// <summary>The PostgreSQL API key store keeps the store contract.</summary>
public sealed class PostgreSqlApiKeyStoreContractTests(PostgreSqlDatabaseFixture fixture) : OpaqueTokenStoreContractTests, IClassFixture<PostgreSqlDatabaseFixture>
{
    private StoreNode? _node;

    protected override async Task<IOpaqueTokenStore> CreateStoreAsync(FakeTimeProvider time)
    {
        _node = await StoreNode.StartAsync(fixture.ConnectionString, time: time);
        return _node.Get<IApiKeyStore>();
    }

    protected override async Task DisposeStoreAsync() => await _node!.DisposeAsync();
}

/// <summary>The PostgreSQL access-token store with its revocation feed never connected (every lookup asks the database) keeps the store contract.</summary>
public sealed class PostgreSqlAccessTokenStoreWithoutFeedContractTests(PostgreSqlDatabaseFixture fixture) : OpaqueTokenStoreContractTests, IClassFixture<PostgreSqlDatabaseFixture>
{
    private StoreNode? _node;

    protected override async Task<IOpaqueTokenStore> CreateStoreAsync(FakeTimeProvider time)
    {
        _node = await StoreNode.StartAsync(fixture.ConnectionString, time: time);
        var cache = new TokenHashCache(1000);
        var feed = Unstarted.Feed(_node, cache, time);
        return new PostgreSqlOpaqueTokenStore(_node.Get<PostgreSqlDatabase>(), _node.Get<LookupLimiter>(), time, "access_tokens", feed, cache);
    }

    protected override async Task DisposeStoreAsync() => await _node!.DisposeAsync();
}

/// <summary>
/// The PostgreSQL access-token store keeps the capacity contract; each test gets a schema of its own (the cap counts
/// every row of the table).
/// </summary>
public sealed class PostgreSqlAccessTokenStoreCapacityContractTests(PostgreSqlDatabaseFixture fixture) : OpaqueTokenStoreCapacityContractTests, IClassFixture<PostgreSqlDatabaseFixture>
{
    private StoreNode? _node;

    protected override async Task<IOpaqueTokenStore> CreateEmptyStoreAsync(FakeTimeProvider time)
    {
        var schema = "capacity_" + Convert.ToHexStringLower(System.Security.Cryptography.RandomNumberGenerator.GetBytes(6));
        _node = await StoreNode.StartAsync(fixture.ConnectionString, options: o => o.Schema = schema, time: time);
        return _node.Get<IOpaqueTokenStore>();
    }

    protected override async Task DisposeStoreAsync() => await _node!.DisposeAsync();
}

/// <summary>The PostgreSQL revocation store answering from its node's copy (feed connected) keeps the store contract.</summary>
public sealed class PostgreSqlRevocationStoreContractTests(PostgreSqlDatabaseFixture fixture) : RevocationStoreContractTests, IClassFixture<PostgreSqlDatabaseFixture>
{
    private StoreNode? _node;

    protected override async Task<IRevocationStore> CreateStoreAsync(FakeTimeProvider time)
    {
        _node = await StoreNode.StartAsync(fixture.ConnectionString, time: time);
        return _node.Get<IRevocationStore>();
    }

    protected override async Task DisposeStoreAsync() => await _node!.DisposeAsync();
}

/// <summary>The PostgreSQL revocation store with its feed never connected (every question goes to the database) keeps the store contract.</summary>
public sealed class PostgreSqlRevocationStoreWithoutFeedContractTests(PostgreSqlDatabaseFixture fixture) : RevocationStoreContractTests, IClassFixture<PostgreSqlDatabaseFixture>
{
    private StoreNode? _node;

    protected override async Task<IRevocationStore> CreateStoreAsync(FakeTimeProvider time)
    {
        _node = await StoreNode.StartAsync(fixture.ConnectionString, time: time);
        var local = new LocalRevocations();
        var feed = Unstarted.Feed(_node, new TokenHashCache(1000), time, local);
        return new PostgreSqlRevocationStore(_node.Get<PostgreSqlDatabase>(), _node.Get<LookupLimiter>(), feed, local, time);
    }

    protected override async Task DisposeStoreAsync() => await _node!.DisposeAsync();
}

/// <summary>A revocation feed that is never started: never trusted, so the stores ask the database every time.</summary>
internal static class Unstarted
{
    public static RevocationFeed Feed(StoreNode node, TokenHashCache cache, TimeProvider time, LocalRevocations? local = null) => new(
        node.Get<PostgreSqlDatabase>(),
        cache,
        local ?? new LocalRevocations(),
        node.Get<IOptions<PostgreSqlStoreOptions>>(),
        time,
        NullLogger<RevocationFeed>.Instance);
}
