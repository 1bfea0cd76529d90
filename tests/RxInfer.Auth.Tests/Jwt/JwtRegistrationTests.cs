using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Configuration;
using Microsoft.Extensions.Options;
using Microsoft.Extensions.Time.Testing;
using static RxInfer.Auth.Tests.Jwt.JwtTestKeys;

namespace RxInfer.Auth.Tests.Jwt;

public sealed class JwtRegistrationTests
{
    private readonly FakeTimeProvider _time = TestClock.NewTimeProvider();

    [Fact]
    public async Task Options_bind_from_the_Jwt_section_once_however_often_AddJwtTokens_runs()
    {
        var configuration = new ConfigurationBuilder().AddInMemoryCollection(new Dictionary<string, string?>
        {
            ["RxInfer:Auth:Jwt:Issuer"] = "https://auth.example",
            ["RxInfer:Auth:Jwt:Audience"] = "models",
            ["RxInfer:Auth:Jwt:ClockSkew"] = "00:00:05",
            ["RxInfer:Auth:Jwt:SigningKeyId"] = "2030",
            ["RxInfer:Auth:Jwt:Keys:0:KeyId"] = "2029",
            ["RxInfer:Auth:Jwt:Keys:0:Algorithm"] = "ES256",
            ["RxInfer:Auth:Jwt:Keys:0:Pem"] = TestKeys.EcPublicPem,
            ["RxInfer:Auth:Jwt:Keys:1:KeyId"] = "2030",
            ["RxInfer:Auth:Jwt:Keys:1:Algorithm"] = "HS256",
            ["RxInfer:Auth:Jwt:Keys:1:Secret"] = TestKeys.HmacSecretBase64,
        }).Build();
        var collection = new ServiceCollection().AddSingleton<TimeProvider>(_time).AddLogging();
        collection.AddRxInferAuth(configuration.GetSection(RxInferAuthDefaults.ConfigurationSection)).AddJwtTokens().AddJwtTokens();
        using var services = collection.BuildServiceProvider();

        var options = services.GetRequiredService<IOptions<JwtTokenOptions>>().Value;
        var issued = await services.GetRequiredService<ITokenIssuer>().IssueAsync(new TokenRequest("alice", ["user"]));
        var payload = DecodeSegment(Segments(issued.Token)[1]);

        Assert.Equal(["2029", "2030"], options.Keys.Select(k => k.KeyId));
        Assert.Equal(TimeSpan.FromSeconds(5), options.ClockSkew);
        Assert.Equal("https://auth.example", payload.GetProperty("iss").GetString());
        Assert.Equal("models", payload.GetProperty("aud").GetString());
        Assert.Equal("2030", DecodeSegment(Segments(issued.Token)[0]).GetProperty("kid").GetString());
        Assert.True((await services.GetRequiredService<ITokenValidator>().ValidateAsync(issued.Token)).IsValid);
    }

    [Fact]
    public async Task AddJwtTokens_replaces_the_opaque_provider_and_AddOpaqueTokens_brings_it_back()
    {
        var jwtServices = new ServiceCollection().AddSingleton<TimeProvider>(_time).AddLogging();
        jwtServices.AddRxInferAuth().AddOpaqueTokens().AddJwtTokens(options => options.Keys = [TestKeys.Hs256()]);
        var opaqueServices = new ServiceCollection().AddSingleton<TimeProvider>(_time).AddLogging();
        opaqueServices.AddRxInferAuth().AddJwtTokens(options => options.Keys = [TestKeys.Hs256()]).AddOpaqueTokens();
        using var jwt = jwtServices.BuildServiceProvider();
        using var opaque = opaqueServices.BuildServiceProvider();

        var fromJwt = await jwt.GetRequiredService<ITokenIssuer>().IssueAsync(new TokenRequest("alice", ["user"]));
        var fromOpaque = await opaque.GetRequiredService<ITokenIssuer>().IssueAsync(new TokenRequest("alice", ["user"]));

        Assert.Equal("jwt", fromJwt.Identity.IssuedBy);
        Assert.Equal("opaque", fromOpaque.Identity.IssuedBy);
    }

    [Fact]
    public async Task A_host_revocation_store_is_kept_and_used()
    {
        var store = new RecordingRevocationStore();
        var collection = new ServiceCollection().AddSingleton<TimeProvider>(_time).AddLogging().AddSingleton<IRevocationStore>(store);
        collection.AddRxInferAuth().AddJwtTokens(options => (options.Keys, options.ClockSkew) = ([TestKeys.Hs256()], TimeSpan.Zero));
        using var services = collection.BuildServiceProvider();
        var issued = await services.GetRequiredService<ITokenIssuer>().IssueAsync(new TokenRequest("alice", ["user"]));

        await services.GetRequiredService<ITokenRevoker>().RevokeAsync(issued.Identity.TokenId);
        var outcome = await services.GetRequiredService<ITokenValidator>().ValidateAsync(issued.Token);

        Assert.Equal(TokenRejectionReason.Revoked, outcome.Reason);
        var (tokenId, keepUntil) = Assert.Single(store.Revoked);
        Assert.Equal(issued.Identity.TokenId, tokenId);
        Assert.True(keepUntil >= issued.Identity.ExpiresAt, "a revocation outlives the token it revokes");
    }

    /// <summary>A store that completes asynchronously, as a database would, so the provider's slow paths run.</summary>
    private sealed class RecordingRevocationStore : IRevocationStore
    {
        public List<(string TokenId, DateTimeOffset KeepUntil)> Revoked { get; } = [];

        public async ValueTask RevokeAsync(string tokenId, DateTimeOffset keepUntil, CancellationToken cancellationToken = default)
        {
            await Task.Yield();
            Revoked.Add((tokenId, keepUntil));
        }

        public async ValueTask<bool> IsRevokedAsync(string tokenId, CancellationToken cancellationToken = default)
        {
            await Task.Yield();
            return Revoked.Exists(r => r.TokenId == tokenId);
        }

        public ValueTask RevokeSubjectAsync(string subject, DateTimeOffset issuedAtOrBefore, DateTimeOffset keepUntil, CancellationToken cancellationToken = default) =>
            ValueTask.CompletedTask;

        public async ValueTask<DateTimeOffset?> GetSubjectCutoffAsync(string subject, CancellationToken cancellationToken = default)
        {
            await Task.Yield();
            return null;
        }
    }

    [Fact]
    public async Task Calling_AddJwtTokens_twice_is_harmless()
    {
        var services = new ServiceCollection().AddSingleton<TimeProvider>(TestClock.NewTimeProvider()).AddLogging();
        services.AddRxInferAuth().AddJwtTokens(options => options.Keys = [TestKeys.Hs256()]).AddJwtTokens();
        using var provider = services.BuildServiceProvider();

        var validators = provider.GetServices<IValidateOptions<JwtTokenOptions>>().Select(static v => v.GetType()).ToList();
        Assert.Equal(2, validators.Count); // the annotations' and the key ring's, each once
        Assert.Contains(typeof(JwtTokenOptionsValidator), validators);
        Assert.Equal(validators.Count, validators.Distinct().Count());
        Assert.Single(provider.GetServices<IRevocationStore>());
        var issued = await provider.GetRequiredService<ITokenIssuer>().IssueAsync(new TokenRequest("alice", ["user"]));
        Assert.Equal("jwt", issued.Identity.IssuedBy);
        Assert.True((await provider.GetRequiredService<ITokenValidator>().ValidateAsync(issued.Token)).IsValid);
    }
}
