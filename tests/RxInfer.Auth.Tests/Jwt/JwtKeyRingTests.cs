using System.Security.Cryptography;
using Microsoft.Extensions.Hosting;
using Microsoft.Extensions.Logging;
using Microsoft.Extensions.Logging.Testing;
using Microsoft.Extensions.Options;
using Microsoft.Extensions.Time.Testing;
using Microsoft.IdentityModel.Tokens;
using static RxInfer.Auth.Tests.Jwt.JwtTestKeys;

namespace RxInfer.Auth.Tests.Jwt;

/// <summary>The key ring: read once, owned and disposed by the container, and an ephemeral key in development only.</summary>
public sealed class JwtKeyRingTests
{
    [Fact]
    public async Task Every_key_is_read_once_from_start_to_the_first_validation()
    {
        using var jwt = JwtHarness.Create(options => options.Keys = [TestKeys.Hs256(), TestKeys.Rs256(), TestKeys.Es256(publicOnly: true)]);

        jwt.Services.GetRequiredService<IStartupValidator>().Validate();
        _ = jwt.Services.GetRequiredService<IOptions<JwtTokenOptions>>().Value;
        var issued = await jwt.IssueAsync();
        var outcome = await jwt.ValidateAsync(issued.Token);

        Assert.True(outcome.IsValid);
        Assert.Equal(1, jwt.Services.GetRequiredService<JwtKeyRingSource>().Loads);
    }

    [Fact]
    public void The_RSA_and_EC_keys_are_disposed_with_the_service_provider()
    {
        var jwt = JwtHarness.Create(options => options.Keys = [TestKeys.Rs256(), TestKeys.Es256()]);
        var ring = jwt.Services.GetRequiredService<JwtKeyRingSource>().Load(jwt.Services.GetRequiredService<IOptions<JwtTokenOptions>>().Value, out _)!;
        var rsa = Assert.IsType<RsaSecurityKey>(ring.Keys[0].Key).Rsa;
        var ecdsa = Assert.IsType<ECDsaSecurityKey>(ring.Keys[1].Key).ECDsa;
        _ = rsa.ExportParameters(includePrivateParameters: false); // usable while the provider lives

        jwt.Dispose();

        Assert.Throws<ObjectDisposedException>(() => rsa.ExportParameters(includePrivateParameters: false));
        Assert.Throws<ObjectDisposedException>(() => ecdsa.ExportParameters(includePrivateParameters: false));
    }

    [Theory]
    [InlineData("RS256")]
    [InlineData("ES256")]
    [InlineData("HS256")]
    public async Task The_signing_provider_is_made_once_and_disposed_with_the_ring(string algorithm)
    {
        var jwt = JwtHarness.Create(options => options.Keys = [algorithm switch { "RS256" => TestKeys.Rs256(), "ES256" => TestKeys.Es256(), _ => TestKeys.Hs256() }]);
        var ring = jwt.Services.GetRequiredService<JwtKeyRingSource>().Load(jwt.Services.GetRequiredService<IOptions<JwtTokenOptions>>().Value, out _)!;
        for (var i = 0; i < 3; i++)
        {
            Assert.True((await jwt.ValidateAsync((await jwt.IssueAsync($"user-{i}")).Token)).IsValid);
        }

        // IdentityModel signs; the provider's own validator verifies with the key material, not through a provider.
        Assert.Equal(1, ring.SignatureProviders.Count);

        jwt.Dispose();

        Assert.Equal(0, ring.SignatureProviders.Count);
    }

    [Theory]
    [InlineData("RS256")]
    [InlineData("ES256")]
    [InlineData("HS256")]
    public async Task A_host_with_the_same_key_works_after_another_host_with_it_was_disposed(string algorithm)
    {
        // IdentityModel caches signature providers by key material in a process-wide factory: a ring must not
        // share one, or the second host would sign and verify with the first host's disposed key.
        Action<JwtTokenOptions> configure = options => options.Keys = [algorithm switch { "RS256" => TestKeys.Rs256(), "ES256" => TestKeys.Es256(), _ => TestKeys.Hs256() }];
        string firstToken;
        using (var first = JwtHarness.Create(configure))
        {
            firstToken = (await first.IssueAsync()).Token;
            Assert.True((await first.ValidateAsync(firstToken)).IsValid);
        }

        using var second = JwtHarness.Create(configure);
        var secondToken = (await second.IssueAsync()).Token;

        Assert.True((await second.ValidateAsync(secondToken)).IsValid);
        Assert.True((await second.ValidateAsync(firstToken)).IsValid);
    }

    [Fact]
    public async Task An_ephemeral_key_works_in_Development_and_logs_a_warning()
    {
        var collection = new ServiceCollection()
            .AddSingleton<TimeProvider>(TestClock.NewTimeProvider())
            .AddFakeLogging(options => options.CollectRecordsForDisabledLogLevels = true);
        collection.AddRxInferAuth().AddJwtTokens(options => options.GenerateEphemeralKey = true);
        using var host = await TestHost.StartAsync(collection, Environments.Development);

        var issued = await host.Services.GetRequiredService<ITokenIssuer>().IssueAsync(new TokenRequest("alice", ["user"]));

        Assert.True((await host.Services.GetRequiredService<ITokenValidator>().ValidateAsync(issued.Token)).IsValid);
        Assert.Equal("ES256", DecodeSegment(Segments(issued.Token)[0]).GetProperty("alg").GetString());
        var warning = Assert.Single(host.Services.GetFakeLogCollector().GetSnapshot(), r => r.Id.Name == "EphemeralJwtKey");
        Assert.Equal(LogLevel.Warning, warning.Level);
        Assert.DoesNotContain(issued.Token, warning.Message, StringComparison.Ordinal);
    }

    [Theory]
    [InlineData("Production")]
    [InlineData("Staging")]
    [InlineData("Test")]
    public async Task An_ephemeral_key_fails_at_start_outside_Development(string environment)
    {
        var collection = new ServiceCollection();
        collection.AddRxInferAuth().AddJwtTokens(options => options.GenerateEphemeralKey = true);

        var error = await TestHost.StartFailureAsync(collection, environment);

        Assert.Contains(
            $"JwtTokenOptions.GenerateEphemeralKey is allowed only in the Development environment (this host's environment is '{environment}'): configure JwtTokenOptions.Keys.",
            error.Message,
            StringComparison.Ordinal);
    }

    [Fact]
    public void An_ephemeral_key_fails_at_start_when_no_host_environment_is_registered()
    {
        var collection = new ServiceCollection();
        collection.AddRxInferAuth().AddJwtTokens(options => options.GenerateEphemeralKey = true);
        using var services = collection.BuildServiceProvider();

        var error = Assert.Throws<OptionsValidationException>(() => services.GetRequiredService<IStartupValidator>().Validate());

        Assert.Contains("JwtTokenOptions.GenerateEphemeralKey is allowed only in the Development environment (no host environment is registered)", error.Message, StringComparison.Ordinal);
    }

    [Fact]
    public async Task Configured_keys_start_in_any_environment_and_the_ephemeral_switch_then_does_nothing()
    {
        var collection = new ServiceCollection();
        collection.AddRxInferAuth().AddJwtTokens(options => (options.Keys, options.GenerateEphemeralKey) = ([TestKeys.Hs256()], true));
        using var host = await TestHost.StartAsync(collection, Environments.Production);

        var issued = await host.Services.GetRequiredService<ITokenIssuer>().IssueAsync(new TokenRequest("alice", ["user"]));

        Assert.Equal("hs-1", DecodeSegment(Segments(issued.Token)[0]).GetProperty("kid").GetString());
    }
}
