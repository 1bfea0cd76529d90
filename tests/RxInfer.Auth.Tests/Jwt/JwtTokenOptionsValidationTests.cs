using Microsoft.Extensions.Configuration;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Options;
using RxInfer.Auth;

namespace RxInfer.Auth.Tests.Jwt;

public sealed class JwtTokenOptionsValidationTests
{
    /// <summary>The message the host's start-up validation (<see cref="IStartupValidator"/>) fails with.</summary>
    private static string FailureOf(Action<JwtTokenOptions> configure)
    {
        using var jwt = JwtHarness.Create(configure);
        var failure = Assert.Throws<OptionsValidationException>(() => jwt.Services.GetRequiredService<IStartupValidator>().Validate());
        return failure.Message;
    }

    [Fact]
    public void Defaults_are_as_documented()
    {
        var options = new JwtTokenOptions();

        Assert.Equal("rxinfer", options.Issuer);
        Assert.Equal("rxinfer", options.Audience);
        Assert.Empty(options.Keys);
        Assert.Null(options.SigningKeyId);
        Assert.Equal(TimeSpan.FromSeconds(30), options.ClockSkew);
        Assert.Equal(8192, options.MaxTokenLength);
        Assert.Equal(10_000, options.CacheSize);
        Assert.Equal(TimeSpan.FromDays(1), options.MaxLifetime);
        Assert.False(options.GenerateEphemeralKey);
    }

    [Fact]
    public void No_key_is_refused_with_the_setting_named()
    {
        var message = FailureOf(_ => { });

        Assert.Contains("JwtTokenOptions.Keys must contain at least one key (or set GenerateEphemeralKey in development)", message, StringComparison.Ordinal);
    }

    [Fact]
    public void No_key_is_refused_when_the_provider_is_resolved()
    {
        using var jwt = JwtHarness.Create(_ => { });

        Assert.Throws<OptionsValidationException>(() => jwt.Issuer);
    }

    [Fact]
    public void Duplicate_kid_is_refused()
    {
        var message = FailureOf(options => options.Keys = [TestKeys.Hs256("same"), TestKeys.Es256("same")]);

        Assert.Contains("JwtTokenOptions.Keys[1].KeyId 'same' is used by another key.", message, StringComparison.Ordinal);
    }

    [Fact]
    public void Missing_kid_is_refused()
    {
        var message = FailureOf(options => options.Keys = [TestKeys.Hs256(kid: null!)]);

        Assert.Contains("JwtTokenOptions.Keys[0].KeyId is required.", message, StringComparison.Ordinal);
    }

    [Fact]
    public void Short_HS256_secret_is_refused_without_repeating_it()
    {
        var secret = Convert.ToBase64String(new byte[31]);
        var message = FailureOf(options => options.Keys = [new JwtSigningKeyOptions { KeyId = "hs", Algorithm = "HS256", Secret = secret }]);

        Assert.Contains("JwtTokenOptions.Keys[0].Secret is 31 bytes once decoded; HS256 needs at least 32.", message, StringComparison.Ordinal);
        Assert.DoesNotContain(secret, message, StringComparison.Ordinal);
    }

    [Fact]
    public void Secret_that_is_not_base64_is_refused()
    {
        var message = FailureOf(options => options.Keys = [new JwtSigningKeyOptions { KeyId = "hs", Algorithm = "HS256", Secret = "not base64!" }]);

        Assert.Contains("JwtTokenOptions.Keys[0].Secret is not valid base64.", message, StringComparison.Ordinal);
    }

    [Theory]
    [InlineData("none")]
    [InlineData("HS512")]
    [InlineData("hs256")]
    [InlineData("PS256")]
    public void Unknown_algorithm_is_refused(string algorithm)
    {
        var message = FailureOf(options => options.Keys = [new JwtSigningKeyOptions { KeyId = "k", Algorithm = algorithm, Secret = TestKeys.HmacSecretBase64 }]);

        Assert.Contains($"JwtTokenOptions.Keys[0].Algorithm '{algorithm}' is not supported; use HS256, RS256 or ES256.", message, StringComparison.Ordinal);
    }

    [Fact]
    public void Pem_that_is_not_a_key_is_refused()
    {
        var message = FailureOf(options => options.Keys = [new JwtSigningKeyOptions { KeyId = "rs", Algorithm = "RS256", Pem = "-----BEGIN PUBLIC KEY-----\nAAAA\n-----END PUBLIC KEY-----" }]);

        Assert.Contains("JwtTokenOptions.Keys[0].Pem is not an RSA key", message, StringComparison.Ordinal);
    }

    [Fact]
    public void EC_key_given_as_RS256_is_refused()
    {
        var message = FailureOf(options => options.Keys = [new JwtSigningKeyOptions { KeyId = "rs", Algorithm = "RS256", Pem = TestKeys.EcPublicPem }]);

        Assert.Contains("JwtTokenOptions.Keys[0].Pem is not an RSA key", message, StringComparison.Ordinal);
    }

    [Fact]
    public void Signing_key_id_naming_no_key_is_refused()
    {
        var message = FailureOf(options => (options.Keys, options.SigningKeyId) = ([TestKeys.Hs256("a")], "b"));

        Assert.Contains("JwtTokenOptions.SigningKeyId 'b' names no key of Keys.", message, StringComparison.Ordinal);
    }

    [Fact]
    public void Signing_key_that_is_public_only_is_refused()
    {
        var message = FailureOf(options => options.Keys = [TestKeys.Es256(publicOnly: true), TestKeys.Hs256()]);

        Assert.Contains("must name a key that can sign", message, StringComparison.Ordinal);
        Assert.Contains("JwtTokenOptions.Keys[0]", message, StringComparison.Ordinal);
    }

    [Theory]
    [InlineData(-1)]
    [InlineData(301)]
    public void Clock_skew_outside_zero_to_five_minutes_is_refused(int seconds)
    {
        var message = FailureOf(options => (options.Keys, options.ClockSkew) = ([TestKeys.Hs256()], TimeSpan.FromSeconds(seconds)));

        Assert.Contains("The field JwtTokenOptions.ClockSkew must be between 00:00:00 and 00:05:00.", message, StringComparison.Ordinal);
    }

    [Fact]
    public void Every_problem_is_reported_at_once()
    {
        var message = FailureOf(options =>
        {
            options.Keys = [TestKeys.Hs256("same"), TestKeys.Hs256("same"), new JwtSigningKeyOptions { KeyId = "x", Algorithm = "RS512" }];
            options.MaxTokenLength = 0;
            options.CacheSize = -1;
        });

        Assert.Contains("KeyId 'same' is used by another key", message, StringComparison.Ordinal);
        Assert.Contains("Algorithm 'RS512' is not supported", message, StringComparison.Ordinal);
        Assert.Contains("The field JwtTokenOptions.MaxTokenLength must be between 1 and 2147483647.", message, StringComparison.Ordinal);
        Assert.Contains("The field JwtTokenOptions.CacheSize must be between 0 and 2147483647.", message, StringComparison.Ordinal);
    }

    [Fact]
    public void Empty_issuer_audience_and_lifetime_are_refused_naming_the_properties()
    {
        var message = FailureOf(options => (options.Keys, options.Issuer, options.Audience, options.MaxLifetime) = ([TestKeys.Hs256()], " ", "", TimeSpan.Zero));

        Assert.Contains("The JwtTokenOptions.Issuer field is required.", message, StringComparison.Ordinal);
        Assert.Contains("The JwtTokenOptions.Audience field is required.", message, StringComparison.Ordinal);
        Assert.Contains("JwtTokenOptions.MaxLifetime must be greater than zero (was 00:00:00).", message, StringComparison.Ordinal);
    }

    [Fact]
    public void A_key_bound_from_configuration_is_named_by_property_and_path_and_its_secret_is_not_shown()
    {
        var secret = Convert.ToBase64String(System.Security.Cryptography.RandomNumberGenerator.GetBytes(31));
        var configuration = new ConfigurationBuilder().AddInMemoryCollection(new Dictionary<string, string?>
        {
            ["RxInfer:Auth:Jwt:Keys:0:KeyId"] = "short",
            ["RxInfer:Auth:Jwt:Keys:0:Algorithm"] = "HS256",
            ["RxInfer:Auth:Jwt:Keys:0:Secret"] = secret,
            ["RxInfer:Auth:Jwt:CacheSize"] = "-1",
        }).Build();
        var collection = new ServiceCollection();
        collection.AddRxInferAuth(configuration.GetSection(RxInferAuthDefaults.ConfigurationSection)).AddJwtTokens();
        using var services = collection.BuildServiceProvider();

        var error = Assert.Throws<OptionsValidationException>(() => services.GetRequiredService<IStartupValidator>().Validate());

        Assert.Contains("JwtTokenOptions.Keys[0].Secret (configuration RxInfer:Auth:Jwt:Keys:0:Secret) is 31 bytes once decoded; HS256 needs at least 32.", error.Message, StringComparison.Ordinal);
        Assert.Contains("The field JwtTokenOptions.CacheSize (configuration RxInfer:Auth:Jwt:CacheSize) must be between 0 and 2147483647.", error.Message, StringComparison.Ordinal);
        Assert.DoesNotContain(secret, error.Message, StringComparison.Ordinal);
    }

    [Fact]
    public void Valid_ring_of_all_three_algorithms_passes()
    {
        using var jwt = JwtHarness.Create(options => (options.Keys, options.SigningKeyId) = ([TestKeys.Hs256(), TestKeys.Rs256(publicOnly: true), TestKeys.Es256()], "es-1"));

        jwt.Services.GetRequiredService<IStartupValidator>().Validate();

        Assert.Equal(3, jwt.Services.GetRequiredService<IOptions<JwtTokenOptions>>().Value.Keys.Length);
    }
}
