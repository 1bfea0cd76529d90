using Microsoft.Extensions.Diagnostics.Metrics.Testing;
using Microsoft.Extensions.Logging.Testing;
using Microsoft.Extensions.Time.Testing;

namespace RxInfer.Auth.Tests.Diagnostics;

public sealed class TelemetryTests
{
    private static readonly string[] UserRoles = ["user"];
    private readonly FakeTimeProvider _time = TestClock.NewTimeProvider();

    [Fact]
    public async Task No_token_or_key_text_is_ever_logged()
    {
        using var services = TestServices.Build(_time, builder => builder.AddDevelopmentToken().AddCredentialValidator<AnyPassword>());
        var issuer = services.GetRequiredService<ITokenIssuer>();
        var validator = services.GetRequiredService<ITokenValidator>();
        var exchange = services.GetRequiredService<ITokenExchange>();
        var secrets = new List<string>();

        var issued = await issuer.IssueAsync(new TokenRequest("alice", UserRoles));
        secrets.Add(issued.Token);
        await validator.ValidateAsync(issued.Token);
        await validator.ValidateAsync(issued.Token[..^1] + "x");
        secrets.Add(issued.Token[..^1] + "x");
        var key = await services.GetRequiredService<IApiKeyService>().CreateAsync("service", UserRoles);
        secrets.Add(key.Token);
        var exchanged = await exchange.ExchangeApiKeyAsync(key.Token);
        secrets.Add(exchanged!.Token);
        await exchange.ExchangeApiKeyAsync(key.Token + "0");
        secrets.Add(key.Token + "0");
        var user = await exchange.ExchangeCredentialsAsync("bob", "hunter2-password");
        secrets.Add(user!.Token);
        secrets.Add("hunter2-password");
        var anonymous = await exchange.IssueAnonymousAsync();
        secrets.Add(anonymous!.Token);
        await services.GetRequiredService<ITokenRevoker>().RevokeAsync(issued.Identity.TokenId);
        await validator.ValidateAsync(issued.Token);

        var records = services.GetFakeLogCollector().GetSnapshot();
        Assert.Contains(records, r => r.Id.Name == "TokenIssued");
        Assert.Contains(records, r => r.Id.Name == "TokenRejected");
        Assert.Contains(records, r => r.Id.Name == "TokenRevoked");
        Assert.Contains(records, r => r.Id.Name == "ApiKeyExchanged");
        Assert.Contains(records, r => r.Id.Name == "TokenRefused");
        Assert.Contains(records, r => r.Id.Name == "DevelopmentTokenEnabled");
        foreach (var record in records)
        {
            var text = record.Message + " " + string.Join(" ", record.StructuredState?.Select(pair => pair.Value) ?? []) + " " + record.Exception;
            foreach (var secret in secrets)
            {
                Assert.DoesNotContain(secret, text, StringComparison.Ordinal);
            }
        }
    }

    [Fact]
    public async Task Rejections_are_logged_with_their_reason()
    {
        using var services = TestServices.Build(_time);

        await services.GetRequiredService<ITokenValidator>().ValidateAsync("rxi_garbage");

        var rejected = Assert.Single(services.GetFakeLogCollector().GetSnapshot(), r => r.Id.Name == "TokenRejected");
        Assert.Equal("Rejected a presented token: Malformed", rejected.Message);
    }

    [Fact]
    public async Task Metrics_count_issued_tokens_and_validations_by_result()
    {
        using var services = TestServices.Build(_time, configure: null, services: s => s.AddMetrics());
        var meterFactory = services.GetRequiredService<System.Diagnostics.Metrics.IMeterFactory>();
        using var issuedCollector = new MetricCollector<long>(meterFactory, RxInferAuthDefaults.MeterName, "rxinfer.auth.tokens_issued");
        using var validations = new MetricCollector<long>(meterFactory, RxInferAuthDefaults.MeterName, "rxinfer.auth.token_validations");
        var issued = await services.GetRequiredService<ITokenIssuer>().IssueAsync(new TokenRequest("alice", UserRoles));

        await services.GetRequiredService<ITokenValidator>().ValidateAsync(issued.Token);
        await services.GetRequiredService<ITokenValidator>().ValidateAsync("nonsense");

        var issue = Assert.Single(issuedCollector.GetMeasurementSnapshot());
        Assert.Equal("access_token", issue.Tags["kind"]);
        Assert.Equal("opaque", issue.Tags["provider"]);
        Assert.Equal(["valid", "Malformed"], validations.GetMeasurementSnapshot().Select(m => (string?)m.Tags["result"]));
        Assert.All(validations.GetMeasurementSnapshot(), m => Assert.DoesNotContain(m.Tags.Values, v => v is string s && s.Contains(issued.Token, StringComparison.Ordinal)));
    }

    [Fact]
    public async Task Jwt_cache_misses_count_only_tokens_validated_in_full()
    {
        using var services = TestServices.Build(
            _time, builder => builder.AddJwtTokens(options => options.Keys = [TestKeys.Hs256()]), s => s.AddMetrics());
        var meterFactory = services.GetRequiredService<System.Diagnostics.Metrics.IMeterFactory>();
        using var misses = new MetricCollector<long>(meterFactory, RxInferAuthDefaults.MeterName, "rxinfer.auth.jwt.cache_misses");
        var validator = services.GetRequiredService<ITokenValidator>();
        var first = await services.GetRequiredService<ITokenIssuer>().IssueAsync(new TokenRequest("alice", UserRoles));
        var second = await services.GetRequiredService<ITokenIssuer>().IssueAsync(new TokenRequest("bob", UserRoles));

        Assert.True((await validator.ValidateAsync(first.Token)).IsValid); // miss
        Assert.True((await validator.ValidateAsync(first.Token)).IsValid); // hit
        Assert.True((await validator.ValidateAsync(second.Token)).IsValid); // miss
        Assert.True((await validator.ValidateAsync(second.Token)).IsValid); // hit
        Assert.False((await validator.ValidateAsync("not-a-jwt")).IsValid); // refused by its shape, before the cache

        Assert.Equal(2, misses.GetMeasurementSnapshot().Sum(m => m.Value));
    }

    private sealed class AnyPassword : ICredentialValidator
    {
        public ValueTask<TokenSubject?> ValidateAsync(string userName, string password, CancellationToken cancellationToken = default) =>
            new(new TokenSubject(userName, UserRoles));
    }
}
