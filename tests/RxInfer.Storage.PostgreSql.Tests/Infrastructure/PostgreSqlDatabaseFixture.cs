namespace RxInfer.Storage.PostgreSql.Tests.Infrastructure;

/// <summary>
/// A class fixture: an empty database of its own on the shared <see cref="PostgreSqlServer"/>, dropped after the
/// class has run, plus any further empty databases a test asks for (<see cref="CreateDatabaseAsync"/>), dropped too.
/// </summary>
public sealed class PostgreSqlDatabaseFixture : IAsyncLifetime
{
    private readonly List<string> _extra = [];
    private readonly Lock _lock = new();

    /// <summary>The connection string of this fixture's database.</summary>
    public string ConnectionString { get; private set; } = "";

    public async Task InitializeAsync() => ConnectionString = await PostgreSqlServer.CreateDatabaseAsync("class");

    /// <summary>Creates another empty database, dropped with the fixture.</summary>
    public async Task<string> CreateDatabaseAsync(string purpose)
    {
        var connectionString = await PostgreSqlServer.CreateDatabaseAsync(purpose);
        lock (_lock)
        {
            _extra.Add(connectionString);
        }

        return connectionString;
    }

    public async Task DisposeAsync()
    {
        foreach (var database in _extra.Append(ConnectionString).Where(static c => c.Length > 0))
        {
            await PostgreSqlServer.DropDatabaseAsync(database);
        }
    }
}
