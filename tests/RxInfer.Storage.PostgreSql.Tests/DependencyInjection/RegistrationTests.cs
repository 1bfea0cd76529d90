using Microsoft.Extensions.Hosting;
using Microsoft.Extensions.Options;
using Npgsql;
using RxInfer.Auth;
using RxInfer.Storage.PostgreSql.Tests.Infrastructure;

namespace RxInfer.Storage.PostgreSql.Tests.DependencyInjection;

/// <summary>One registration call; the connection string from configuration or code; options checked at start; no password anywhere.</summary>
public sealed class RegistrationTests(PostgreSqlDatabaseFixture fixture) : IClassFixture<PostgreSqlDatabaseFixture>
{
    private const string Password = "pw-4f9c1e-never-shown";

    [Fact]
    public async Task One_call_puts_every_auth_store_on_postgresql_with_one_data_source()
    {
        await using var node = await StoreNode.StartAsync(fixture.ConnectionString);

        Assert.IsType<PostgreSqlOpaqueTokenStore>(node.Get<IOpaqueTokenStore>());
        Assert.IsType<PostgreSqlOpaqueTokenStore>(node.Get<IApiKeyStore>());
        Assert.IsType<PostgreSqlRevocationStore>(node.Get<IRevocationStore>());
        Assert.NotSame(node.Get<IOpaqueTokenStore>(), node.Get<IApiKeyStore>());
        Assert.Single(node.Services.GetServices<PostgreSqlDatabase>());
        Assert.Same(node.Get<PostgreSqlDatabase>().DataSource, node.Get<PostgreSqlDatabase>().DataSource);
    }

    [Fact]
    public async Task The_connection_string_comes_from_ConnectionStrings_RxInfer_and_settings_from_RxInfer_PostgreSql()
    {
        using var host = StoreNode.Build(connectionString: null, configuration: new Dictionary<string, string?>
        {
            ["ConnectionStrings:RxInfer"] = fixture.ConnectionString,
            ["RxInfer:PostgreSql:Schema"] = "from_config",
            ["RxInfer:PostgreSql:CacheGracePeriod"] = "00:00:03",
        });
        await host.StartAsync();
        try
        {
            var options = host.Services.GetRequiredService<IOptions<PostgreSqlStoreOptions>>().Value;
            Assert.Equal(fixture.ConnectionString, options.ConnectionString);
            Assert.Equal("from_config", options.Schema);
            Assert.Equal(TimeSpan.FromSeconds(3), options.CacheGracePeriod);
            var issued = await host.Services.GetRequiredService<ITokenIssuer>().IssueAsync(new TokenRequest("alice", ["user"]));
            Assert.True((await host.Services.GetRequiredService<ITokenValidator>().ValidateAsync(issued.Token)).IsValid);
        }
        finally
        {
            await host.StopAsync();
        }
    }

    [Fact]
    public async Task Without_a_connection_string_start_fails_naming_the_setting()
    {
        using var host = StoreNode.Build(connectionString: null);

        var error = await Assert.ThrowsAsync<OptionsValidationException>(() => host.StartAsync());

        Assert.Contains("ConnectionStrings:RxInfer", error.Message, StringComparison.Ordinal);
        Assert.Contains("ConnectionStrings__RxInfer", error.Message, StringComparison.Ordinal);
    }

    [Theory]
    [InlineData("Schema", "Has-Dash")]
    [InlineData("Schema", "")]
    [InlineData("Schema", "a_schema_name_of_fifty_one_characters_is_too_long_x")]
    [InlineData("TokenCacheSize", "-1")]
    [InlineData("CacheGracePeriod", "-00:00:01")]
    [InlineData("MaxConcurrentLookups", "0")]
    [InlineData("MaxConcurrentLookups", "100")]
    [InlineData("LookupQueueTimeout", "00:01:00")]
    [InlineData("SweepInterval", "00:00:00")]
    [InlineData("SweepBatchSize", "0")]
    [InlineData("RevocationLogRetention", "00:00:10")]
    [InlineData("HeartbeatInterval", "00:00:00")]
    public async Task A_bad_setting_fails_start_with_a_message_that_names_it(string setting, string value)
    {
        using var host = StoreNode.Build(connectionString: null, configuration: new Dictionary<string, string?>
        {
            ["ConnectionStrings:RxInfer"] = fixture.ConnectionString,
            [$"RxInfer:PostgreSql:{setting}"] = value,
        });

        var error = await Assert.ThrowsAsync<OptionsValidationException>(() => host.StartAsync());

        Assert.Contains($"PostgreSqlStoreOptions.{setting} (configuration RxInfer:PostgreSql:{setting})", error.Message, StringComparison.Ordinal);
    }

    [Fact]
    public async Task An_invalid_connection_string_is_refused_without_being_repeated()
    {
        using var host = StoreNode.Build($"Host=127.0.0.1;Password={Password};Nonsense Key=1");

        var error = await Assert.ThrowsAsync<OptionsValidationException>(() => host.StartAsync());

        Assert.Contains("not a valid Npgsql connection string", error.Message, StringComparison.Ordinal);
        Assert.DoesNotContain(Password, error.ToString(), StringComparison.Ordinal);
    }

    [Fact]
    public async Task A_server_that_cannot_be_reached_fails_start_without_showing_the_password()
    {
        var port = TestPorts.FreeLoopbackPort();
        using var host = StoreNode.Build($"Host=127.0.0.1;Port={port};Database=nowhere;Username=someone;Password={Password};Timeout=3");

        var error = await Assert.ThrowsAsync<InvalidOperationException>(() => host.StartAsync());

        Assert.Contains($"127.0.0.1:{port}/nowhere as someone", error.Message, StringComparison.Ordinal);
        Assert.DoesNotContain(Password, error.ToString(), StringComparison.Ordinal);
        Assert.DoesNotContain(host.Services.GetFakeLogCollector().GetSnapshot(), record => record.Message.Contains(Password, StringComparison.Ordinal)
            || (record.Exception?.ToString().Contains(Password, StringComparison.Ordinal) ?? false));
    }

    [Fact]
    public void DescribeServer_shows_where_and_who_but_never_the_password()
    {
        var options = new PostgreSqlStoreOptions { ConnectionString = $"Host=db.example;Port=6543;Database=rx;Username=app;Password={Password}" };

        Assert.Equal("db.example:6543/rx as app", options.DescribeServer());
        Assert.Equal("(invalid connection string)", new PostgreSqlStoreOptions { ConnectionString = $"Password={Password};Bogus=1" }.DescribeServer());
    }

    [Fact]
    public void Registering_twice_is_harmless()
    {
        var services = new ServiceCollection().AddLogging();
        services.AddRxInferAuth().AddPostgreSqlStores("Host=127.0.0.1").AddPostgreSqlStores(o => o.Schema = "again");
        using var provider = services.BuildServiceProvider();

        Assert.Single(provider.GetServices<IHostedService>());
        Assert.Equal("again", provider.GetRequiredService<IOptions<PostgreSqlStoreOptions>>().Value.Schema);
        Assert.Equal("Host=127.0.0.1", provider.GetRequiredService<IOptions<PostgreSqlStoreOptions>>().Value.ConnectionString);
    }

    [Fact]
    public void The_stores_replace_the_in_memory_ones_whichever_comes_first_the_provider_or_the_stores()
    {
        var before = new ServiceCollection().AddLogging();
        before.AddRxInferAuth().AddPostgreSqlStores("Host=127.0.0.1").AddJwtTokens().AddOpaqueTokens();
        var after = new ServiceCollection().AddLogging();
        after.AddRxInferAuth().AddJwtTokens().AddPostgreSqlStores("Host=127.0.0.1");

        foreach (var services in new[] { before, after })
        {
            using var provider = services.BuildServiceProvider();
            Assert.IsType<PostgreSqlRevocationStore>(provider.GetRequiredService<IRevocationStore>());
            Assert.IsType<PostgreSqlOpaqueTokenStore>(provider.GetRequiredService<IOpaqueTokenStore>());
            Assert.IsType<PostgreSqlOpaqueTokenStore>(provider.GetRequiredService<IApiKeyStore>());
        }
    }
}
