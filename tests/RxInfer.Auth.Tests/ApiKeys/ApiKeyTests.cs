using System.Security.Cryptography;
using System.Text;
using Microsoft.Extensions.Options;
using Microsoft.Extensions.Time.Testing;

namespace RxInfer.Auth.Tests.ApiKeys;

public sealed class ApiKeyTests
{
    private static readonly string[] Analyst = ["analyst"];
    private readonly FakeTimeProvider _time = new(TestServices.Start);

    [Fact]
    public async Task A_created_key_exchanges_for_an_access_token_with_the_keys_subject_and_roles()
    {
        using var services = TestServices.Build(_time);
        var key = await services.GetRequiredService<IApiKeyService>().CreateAsync("service-a", Analyst);

        var token = await services.GetRequiredService<ITokenExchange>().ExchangeApiKeyAsync(key.Token);

        Assert.NotNull(token);
        Assert.StartsWith("rxk_", key.Token, StringComparison.Ordinal);
        Assert.Equal(TokenKind.ApiKey, key.Identity.Kind);
        var outcome = await services.GetRequiredService<ITokenValidator>().ValidateAsync(token.Token);
        Assert.True(outcome.IsValid);
        Assert.Equal("service-a", outcome.Identity.Subject);
        Assert.Equal(Analyst, outcome.Identity.Roles);
        Assert.Equal(TokenKind.AccessToken, outcome.Identity.Kind);
    }

    [Fact]
    public async Task A_key_is_not_a_bearer_token_and_a_bearer_token_is_not_a_key()
    {
        using var services = TestServices.Build(_time);
        var key = await services.GetRequiredService<IApiKeyService>().CreateAsync("service-a", Analyst);
        var access = await services.GetRequiredService<ITokenIssuer>().IssueAsync(new TokenRequest("alice", Analyst));

        Assert.False((await services.GetRequiredService<ITokenValidator>().ValidateAsync(key.Token)).IsValid);
        Assert.False((await services.GetRequiredService<IApiKeyService>().ValidateAsync(access.Token)).IsValid);
        Assert.Null(await services.GetRequiredService<ITokenExchange>().ExchangeApiKeyAsync(access.Token));
    }

    [Fact]
    public async Task A_revoked_key_no_longer_exchanges()
    {
        using var services = TestServices.Build(_time);
        var keys = services.GetRequiredService<IApiKeyService>();
        var key = await keys.CreateAsync("service-a", Analyst);

        Assert.True(await keys.RevokeAsync(key.Identity.TokenId));

        Assert.Null(await services.GetRequiredService<ITokenExchange>().ExchangeApiKeyAsync(key.Token));
    }

    [Fact]
    public async Task An_expired_key_no_longer_exchanges()
    {
        using var services = TestServices.Build(_time);
        var key = await services.GetRequiredService<IApiKeyService>().CreateAsync("service-a", Analyst, TimeSpan.FromDays(1));

        _time.Advance(TimeSpan.FromDays(1));

        Assert.Equal(TokenRejectionReason.Expired, (await services.GetRequiredService<IApiKeyService>().ValidateAsync(key.Token)).Reason);
        Assert.Null(await services.GetRequiredService<ITokenExchange>().ExchangeApiKeyAsync(key.Token));
    }

    [Fact]
    public async Task A_key_configured_by_its_hash_exchanges_and_can_be_revoked_by_its_id()
    {
        // Make a well-formed key with one host, then configure a second host with only its SHA-256.
        using var maker = TestServices.Build(_time);
        var key = (await maker.GetRequiredService<IApiKeyService>().CreateAsync("unused", Analyst)).Token;
        var sha256 = Convert.ToHexString(SHA256.HashData(Encoding.UTF8.GetBytes(key)));
        using var services = TestServices.Build(_time, builder => builder.AddApiKeys(options => options.Keys =
        [
            new ConfiguredApiKey { Id = "ci", Subject = "ci-bot", Roles = ["deployer"], Sha256 = sha256 },
        ]));
        var exchange = services.GetRequiredService<ITokenExchange>();

        var token = await exchange.ExchangeApiKeyAsync(key);

        Assert.NotNull(token);
        Assert.Equal("ci-bot", token.Identity.Subject);
        Assert.Equal(["deployer"], token.Identity.Roles);
        Assert.True(await services.GetRequiredService<IApiKeyService>().RevokeAsync("ci"));
        Assert.Null(await exchange.ExchangeApiKeyAsync(key));
    }

    [Fact]
    public void Configured_keys_are_checked_at_start_with_messages_that_name_the_setting()
    {
        using var services = TestServices.Build(_time, builder => builder.AddApiKeys(options => options.Keys =
        [
            new ConfiguredApiKey { Id = "a", Subject = "s", Sha256 = "not-hex" },
            new ConfiguredApiKey { Id = "a", Subject = "", Roles = [], Sha256 = new string('0', 64) },
        ]));

        var error = Assert.Throws<OptionsValidationException>(() => services.GetRequiredService<IOptions<ApiKeyOptions>>().Value);

        Assert.Contains("RxInfer:Auth:ApiKeys:Keys:0:Sha256", error.Message, StringComparison.Ordinal);
        Assert.Contains("RxInfer:Auth:ApiKeys:Keys:1:Id 'a' is used by another key", error.Message, StringComparison.Ordinal);
        Assert.Contains("RxInfer:Auth:ApiKeys:Keys:1:Subject is required", error.Message, StringComparison.Ordinal);
        Assert.Contains("RxInfer:Auth:ApiKeys:Keys:1:Roles must name at least one role", error.Message, StringComparison.Ordinal);
    }

    [Theory]
    [InlineData("")]
    [InlineData("rxk_")]
    [InlineData("garbage")]
    public async Task Garbage_keys_are_refused_without_throwing(string garbage)
    {
        using var services = TestServices.Build(_time);

        Assert.Null(await services.GetRequiredService<ITokenExchange>().ExchangeApiKeyAsync(garbage));
    }
}
