using System.Diagnostics.Metrics;
using Microsoft.Extensions.Configuration;
using Microsoft.Extensions.Diagnostics.Metrics.Testing;
using Microsoft.Extensions.Options;
using Microsoft.Extensions.Time.Testing;

namespace RxInfer.Auth.Tests.DependencyInjection;

public sealed class RegistrationTests
{
    private readonly FakeTimeProvider _time = TestClock.NewTimeProvider();

    [Fact]
    public async Task Registering_twice_is_harmless()
    {
        var collection = new ServiceCollection().AddSingleton<TimeProvider>(_time).AddLogging();
        collection.AddRxInferAuth().AddOpaqueTokens().AddDevelopmentToken();
        var count = collection.Count;
        collection.AddRxInferAuth().AddOpaqueTokens().AddDevelopmentToken();
        using var services = collection.BuildServiceProvider(validateScopes: true);

        Assert.Single(collection, d => d.ServiceType == typeof(ITokenValidator));
        Assert.Single(collection, d => d.ServiceType == typeof(ITokenProvider));
        Assert.True(collection.Count - count <= 8, "a second registration only repeats option configuration");
        var token = await services.GetRequiredService<ITokenIssuer>().IssueAsync(new TokenRequest("alice", ["user"]));
        Assert.True((await services.GetRequiredService<ITokenValidator>().ValidateAsync(token.Token)).IsValid);
    }

    [Fact]
    public async Task The_registrations_stand_on_their_own_in_a_bare_service_collection()
    {
        var collection = new ServiceCollection();
        collection.AddRxInferAuth();
        using var services = collection.BuildServiceProvider(new ServiceProviderOptions { ValidateOnBuild = true, ValidateScopes = true });
        using var validations = new MetricCollector<long>(services.GetRequiredService<IMeterFactory>(), RxInferAuthDefaults.MeterName, "rxinfer.auth.token_validations");

        var issued = await services.GetRequiredService<ITokenIssuer>().IssueAsync(new TokenRequest("alice", ["user"]));
        var outcome = await services.GetRequiredService<ITokenValidator>().ValidateAsync(issued.Token);
        var key = await services.GetRequiredService<IApiKeyService>().CreateAsync("service", ["user"]);
        var exchanged = await services.GetRequiredService<ITokenExchange>().ExchangeApiKeyAsync(key.Token);

        Assert.True(outcome.IsValid);
        Assert.NotNull(exchanged);
        Assert.Equal("valid", Assert.Single(validations.GetMeasurementSnapshot()).Tags["result"]);
    }

    [Fact]
    public async Task The_jwt_registrations_stand_on_their_own_in_a_bare_service_collection()
    {
        var collection = new ServiceCollection();
        collection.AddRxInferAuth().AddJwtTokens(options => options.Keys = [TestKeys.Es256()]);
        using var services = collection.BuildServiceProvider(new ServiceProviderOptions { ValidateOnBuild = true, ValidateScopes = true });

        var issued = await services.GetRequiredService<ITokenIssuer>().IssueAsync(new TokenRequest("alice", ["user"]));

        Assert.True((await services.GetRequiredService<ITokenValidator>().ValidateAsync(issued.Token)).IsValid);
    }

    [Fact]
    public void Issuer_validator_and_revoker_are_one_service()
    {
        using var services = TestServices.Build(_time);

        var issuer = services.GetRequiredService<ITokenIssuer>();

        Assert.Same(issuer, services.GetRequiredService<ITokenValidator>());
        Assert.Same(issuer, services.GetRequiredService<ITokenRevoker>());
    }

    [Fact]
    public async Task Options_bind_from_configuration()
    {
        var configuration = new ConfigurationBuilder().AddInMemoryCollection(new Dictionary<string, string?>
        {
            ["RxInfer:Auth:AccessTokenLifetime"] = "00:10:00",
            ["RxInfer:Auth:AllowAnonymousTokens"] = "false",
            ["RxInfer:Auth:DefaultRoles:0"] = "guest",
            ["RxInfer:Auth:Opaque:Prefix"] = "acme_",
            ["RxInfer:Auth:DevelopmentToken:Enabled"] = "true",
        }).Build();
        var collection = new ServiceCollection().AddSingleton<TimeProvider>(_time).AddLogging();
        collection.AddRxInferAuth(configuration.GetSection(RxInferAuthDefaults.ConfigurationSection));
        using var services = collection.BuildServiceProvider();

        var options = services.GetRequiredService<IOptions<RxInferAuthOptions>>().Value;
        var token = await services.GetRequiredService<ITokenIssuer>().IssueAsync(new TokenRequest("alice", ["user"]));

        Assert.Equal(TimeSpan.FromMinutes(10), options.AccessTokenLifetime);
        Assert.False(options.AllowAnonymousTokens);
        Assert.Equal(["guest"], options.DefaultRoles);
        Assert.StartsWith("acme_", token.Token, StringComparison.Ordinal);
        Assert.Equal(TestClock.Start + TimeSpan.FromMinutes(10), token.Identity.ExpiresAt);
        Assert.True((await services.GetRequiredService<ITokenValidator>().ValidateAsync("dev-token")).IsValid);
    }

    [Theory]
    [InlineData("00:00:00", "RxInferAuthOptions.AccessTokenLifetime must be greater than zero (was 00:00:00).")]
    [InlineData("-00:00:01", "RxInferAuthOptions.AccessTokenLifetime must be greater than zero (was -00:00:01).")]
    public async Task A_lifetime_that_is_not_positive_fails_at_start(string lifetime, string message)
    {
        var collection = new ServiceCollection();
        collection.AddRxInferAuth(options => options.AccessTokenLifetime = TimeSpan.Parse(lifetime, System.Globalization.CultureInfo.InvariantCulture));

        var error = await TestHost.StartFailureAsync(collection);

        Assert.Contains(message, error.Message, StringComparison.Ordinal);
    }

    [Theory]
    [InlineData(" ")]
    [InlineData("")]
    public async Task A_blank_default_role_fails_at_start(string blank)
    {
        var collection = new ServiceCollection();
        collection.AddRxInferAuth(options => options.DefaultRoles = ["user", blank]);

        var error = await TestHost.StartFailureAsync(collection);

        Assert.Contains("RxInferAuthOptions.DefaultRoles must not contain an empty role", error.Message, StringComparison.Ordinal);
        Assert.DoesNotContain("configuration", error.Message, StringComparison.Ordinal); // set in code
    }

    [Fact]
    public async Task Default_roles_left_empty_are_the_user_role()
    {
        var collection = new ServiceCollection();
        collection.AddRxInferAuth(options => options.DefaultRoles = []);
        using var host = await TestHost.StartAsync(collection);

        var anonymous = await host.Services.GetRequiredService<ITokenExchange>().IssueAnonymousAsync();

        Assert.Equal(["user"], anonymous!.Identity.Roles);
    }

    /// <summary>Every options type the package validates is validated when the host starts, not on first use.</summary>
    public static TheoryData<string, string> InvalidSettings => new()
    {
        { "RxInfer:Auth:AccessTokenLifetime", "00:00:00" },
        { "RxInfer:Auth:Opaque:Prefix", "no-underscore" },
        { "RxInfer:Auth:ApiKeys:Prefix", "x" },
        { "RxInfer:Auth:ApiKeys:Lifetime", "-1.00:00:00" },
        { "RxInfer:Auth:ApiKeys:Keys:0:Id", "configured-key-without-hash" },
        { "RxInfer:Auth:Jwt:ClockSkew", "01:00:00" },
        { "RxInfer:Auth:Jwt:Issuer", "" },
        { "RxInfer:Auth:Jwt:MaxLifetime", "00:00:00" },
    };

    [Theory]
    [MemberData(nameof(InvalidSettings))]
    public async Task Each_invalid_setting_fails_the_start_of_the_host_and_is_named(string setting, string value)
    {
        var configuration = new ConfigurationBuilder().AddInMemoryCollection(new Dictionary<string, string?> { [setting] = value }).Build();
        var collection = new ServiceCollection();
        var builder = collection.AddRxInferAuth(configuration.GetSection(RxInferAuthDefaults.ConfigurationSection));
        if (setting.StartsWith("RxInfer:Auth:Jwt", StringComparison.Ordinal))
        {
            builder.AddJwtTokens(options => options.Keys = [TestKeys.Hs256()]);
        }

        var error = await TestHost.StartFailureAsync(collection);

        var named = setting.StartsWith("RxInfer:Auth:ApiKeys:Keys:0", StringComparison.Ordinal) ? "RxInfer:Auth:ApiKeys:Keys:0:Sha256" : setting;
        Assert.Contains(named, error.Message, StringComparison.Ordinal);
        Assert.Contains($"(configuration {named})", error.Message, StringComparison.Ordinal); // after the property's name
    }
}
