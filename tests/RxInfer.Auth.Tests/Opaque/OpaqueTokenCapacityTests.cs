using Microsoft.Extensions.Configuration;
using Microsoft.Extensions.Logging;
using Microsoft.Extensions.Logging.Testing;
using Microsoft.Extensions.Options;
using Microsoft.Extensions.Time.Testing;

namespace RxInfer.Auth.Tests.Opaque;

/// <summary><see cref="OpaqueTokenOptions.MaxTokens"/>: issuing at the cap is a <see cref="ServiceUnavailableException"/> (503) with a warning.</summary>
public sealed class OpaqueTokenCapacityTests : IDisposable
{
    private readonly FakeTimeProvider _time = TestClock.NewTimeProvider();
    private readonly InMemoryOpaqueTokenStore _store;
    private readonly ServiceProvider _services;

    public OpaqueTokenCapacityTests()
    {
        _store = new InMemoryOpaqueTokenStore(_time);
        _services = TestServices.Build(
            _time,
            auth => auth.AddOpaqueTokens(o => o.MaxTokens = 3),
            services => services.AddSingleton<IOpaqueTokenStore>(_store));
    }

    private ITokenIssuer Issuer => _services.GetRequiredService<ITokenIssuer>();

    public void Dispose() => _services.Dispose();

    [Fact]
    public async Task Issuing_at_the_cap_is_service_unavailable_with_a_warning_and_stores_nothing()
    {
        var issued = new List<IssuedToken>();
        for (var i = 0; i < 3; i++)
        {
            issued.Add(await Issuer.IssueAsync(new TokenRequest(null, ["user"])));
        }

        var error = await Assert.ThrowsAsync<ServiceUnavailableException>(async () => await Issuer.IssueAsync(new TokenRequest(null, ["user"])));

        Assert.Equal("The server cannot issue more tokens now, try again later", error.Message);
        Assert.Equal(TimeSpan.FromMinutes(1), error.RetryAfter);
        Assert.Equal(3, _store.Count);
        var warning = Assert.Single(_services.GetFakeLogCollector().GetSnapshot(), r => r.Id.Name == "TokenCapacityReached");
        Assert.Equal(LogLevel.Warning, warning.Level);
        Assert.Contains("holds 3 token(s)", warning.Message, StringComparison.Ordinal);
        foreach (var token in issued)
        {
            Assert.True((await _services.GetRequiredService<ITokenValidator>().ValidateAsync(token.Token)).IsValid);
        }
    }

    [Fact]
    public async Task The_cap_applies_to_named_subjects_too_and_a_revocation_frees_a_place()
    {
        for (var i = 0; i < 3; i++)
        {
            await Issuer.IssueAsync(new TokenRequest("alice", ["user"]));
        }

        await Assert.ThrowsAsync<ServiceUnavailableException>(async () => await Issuer.IssueAsync(new TokenRequest("bob", ["user"])));
        Assert.Equal(3, await _services.GetRequiredService<ITokenRevoker>().RevokeSubjectAsync("alice"));

        var bob = await Issuer.IssueAsync(new TokenRequest("bob", ["user"]));
        Assert.Equal("bob", bob.Identity.Subject);
    }

    [Fact]
    public async Task Expired_tokens_leave_the_cap_at_the_next_sweep()
    {
        for (var i = 0; i < 3; i++)
        {
            await Issuer.IssueAsync(new TokenRequest(null, ["user"]) { Lifetime = TimeSpan.FromSeconds(30) });
        }

        await Assert.ThrowsAsync<ServiceUnavailableException>(async () => await Issuer.IssueAsync(new TokenRequest(null, ["user"])));

        _time.Advance(PeriodicSweep.Interval);
        var issued = await Issuer.IssueAsync(new TokenRequest(null, ["user"]));
        Assert.Equal(1, _store.Count);
        Assert.True((await _services.GetRequiredService<ITokenValidator>().ValidateAsync(issued.Token)).IsValid);
    }

    [Fact]
    public void The_default_cap_is_a_million_tokens()
    {
        using var services = TestServices.Build(_time);
        Assert.Equal(1_000_000, services.GetRequiredService<IOptions<OpaqueTokenOptions>>().Value.MaxTokens);
    }

    [Fact]
    public void A_negative_cap_from_configuration_fails_at_start_naming_the_option()
    {
        var configuration = new ConfigurationBuilder()
            .AddInMemoryCollection(new Dictionary<string, string?> { ["Opaque:MaxTokens"] = "-1" })
            .Build();
        var collection = new ServiceCollection().AddSingleton<TimeProvider>(_time);
        collection.AddRxInferAuth(configuration);
        using var services = collection.BuildServiceProvider();

        var error = Assert.Throws<OptionsValidationException>(() => services.GetRequiredService<IStartupValidator>().Validate());
        Assert.Contains("The field OpaqueTokenOptions.MaxTokens (configuration Opaque:MaxTokens) must be between 0 and 2147483647.", error.Message, StringComparison.Ordinal);
    }
}
