using System.Net;
using System.Security.Cryptography;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Logging;
using Microsoft.Extensions.Logging.Testing;
using RxInfer.Auth;
using RxInfer.Hosting.AspNetCore.Tests.Federation;

namespace RxInfer.Hosting.AspNetCore.Tests.OpenIdConnect;

/// <summary>
/// Our own host in JWT mode with <c>MapRxInferDiscovery()</c> as the identity provider of a second host configured with
/// <c>AddOpenIdConnectIssuer</c>: its tokens are accepted, a rotated key is picked up after one refresh, and while the
/// issuer is down its tokens are 503 (with <c>Retry-After</c> and a warning that names the issuer), never 401, until it
/// is back, without a restart of the second host.
/// </summary>
public sealed class OurJwtIssuerTests
{
    [Theory]
    [InlineData("ES256")]
    [InlineData("RS256")]
    public async Task A_token_of_our_JWT_host_opens_the_second_host_with_its_roles(string algorithm)
    {
        var key = algorithm == "ES256" ? TestKeys.Es256("ec-1") : TestKeys.Rs256("rsa-1");
        await using var issuer = await OurIssuer.StartAsync([key]);
        await using var host = await RelyingHost.StartAsync("rxinfer-idp", o => OurIssuer.Configure(o, issuer));
        var token = await issuer.GenerateTokenAsync();
        await RelyingHost.WarmUpAsync(host, token);

        Assert.Equal(["user"], await RelyingHost.RolesAsync(host, token));
        using var created = await RelyingHost.SendAsync(host, HttpMethod.Post, "/v1/models/create-instance", token, """{"model_name":"coin-toss-v1"}""");
        Assert.Equal(HttpStatusCode.OK, created.StatusCode);
        var id = (await Json.ReadAsync(created)).GetProperty("instance_id").GetString()!;
        using var mine = await host.GetAsync($"/v1/models/i/{id}", token);
        Assert.Equal(HttpStatusCode.OK, mine.StatusCode);
    }

    [Fact]
    public async Task A_token_signed_by_a_key_new_at_the_issuer_is_accepted_after_one_refresh_of_the_key_set()
    {
        var oldKey = TestKeys.Es256("rotate-old");
        var newKey = TestKeys.Es256("rotate-new", key: TestKeys.OtherEc);
        var jwksBefore = new RequestCounter();
        var first = await OurIssuer.StartAsync([oldKey], jwksBefore);
        var port = first.Address.Port;
        await using var host = await RelyingHost.StartAsync("rxinfer-idp", o =>
        {
            OurIssuer.Configure(o, first);
            o.KeyRefreshInterval = TimeSpan.FromHours(1);
        });
        var oldToken = await first.GenerateTokenAsync();
        await RelyingHost.WarmUpAsync(host, oldToken);
        await first.DisposeAsync();

        // The issuer rotates: a new signing key, the old one kept for its live tokens.
        var jwksAfter = new RequestCounter();
        await using var rotated = await OurIssuer.StartAsync([newKey, oldKey], jwksAfter, port);
        var newToken = await rotated.GenerateTokenAsync();

        using var accepted = await host.GetAsync("/v1/token/roles", newToken);
        Assert.Equal(HttpStatusCode.OK, accepted.StatusCode);
        Assert.Equal(1, jwksAfter.Count);
        Assert.Equal(HttpStatusCode.OK, (await host.GetAsync("/v1/token/roles", oldToken)).StatusCode);
        Assert.Equal(1, jwksAfter.Count);
    }

    [Fact]
    public async Task While_the_issuer_is_down_its_tokens_are_503_with_a_warning_never_401_and_200_once_it_is_back()
    {
        var key = TestKeys.Es256("down-1");
        var issuer = await OurIssuer.StartAsync([key]);
        var port = issuer.Address.Port;
        var origin = issuer.Origin;
        var token = await issuer.GenerateTokenAsync();
        await issuer.DisposeAsync();

        await using var host = await RelyingHost.StartAsync("rxinfer-idp", o =>
        {
            o.Authority = origin;
            o.Issuer = OurIssuer.Issuer;
            o.Audience = FederationAudience.Value;
        });

        for (var i = 0; i < 3; i++)
        {
            using var down = await host.GetAsync("/v1/token/roles", token);
            var body = await down.Content.ReadAsStringAsync();
            Assert.Equal(HttpStatusCode.ServiceUnavailable, down.StatusCode);
            Assert.NotNull(down.Headers.RetryAfter);
            Assert.Contains("rxinfer-idp", body, StringComparison.Ordinal);
            Assert.DoesNotContain(token, body, StringComparison.Ordinal);
        }

        var logs = host.Services.GetFakeLogCollector().GetSnapshot();
        var warning = Assert.Single(logs, static r => r.Id.Name == "OpenIdConnectMetadataUnavailable" && r.Level == LogLevel.Warning && r.Message.Contains("cannot be fetched", StringComparison.Ordinal));
        Assert.Contains("rxinfer-idp", warning.Message, StringComparison.Ordinal);
        Assert.Contains(origin + "/.well-known/openid-configuration", warning.Message, StringComparison.Ordinal);
        Assert.All(logs, r => Assert.DoesNotContain(token, r.Message + r.Exception, StringComparison.Ordinal));
        Assert.All(logs, r => Assert.DoesNotContain(token.Split('.')[2], r.Message + r.Exception, StringComparison.Ordinal));

        await using var back = await OurIssuer.StartAsync([key], port: port);
        var statuses = new List<HttpStatusCode>();
        var deadline = TimeProvider.System.GetUtcNow().AddSeconds(60);
        HttpStatusCode status;
        do
        {
            await Task.Delay(200);
            using var response = await host.GetAsync("/v1/token/roles", token);
            status = response.StatusCode;
            statuses.Add(status);
        }
        while (status != HttpStatusCode.OK && TimeProvider.System.GetUtcNow() < deadline);

        Assert.Equal(HttpStatusCode.OK, status);
        Assert.DoesNotContain(HttpStatusCode.Unauthorized, statuses);
        Assert.Contains(host.Services.GetFakeLogCollector().GetSnapshot(), static r => r.Id.Name == "OpenIdConnectMetadataRecovered");
    }

    [Fact]
    public async Task A_token_of_our_own_iss_still_goes_to_our_own_provider_beside_an_external_issuer()
    {
        await using var issuer = await OurIssuer.StartAsync([TestKeys.Es256("side-1")]);
        await using var host = await RelyingHost.StartAsync(
            "rxinfer-idp",
            o => OurIssuer.Configure(o, issuer),
            auth => auth.AddJwtTokens(jwt =>
            {
                jwt.Issuer = "the-relying-host";
                jwt.Audience = "the-relying-host";
                jwt.Keys = [TestKeys.Es256("own-1", key: TestKeys.OtherEc)];
            }));
        var own = await host.GenerateTokenAsync();
        var external = await issuer.GenerateTokenAsync();
        await RelyingHost.WarmUpAsync(host, external);

        Assert.Equal(["user"], await RelyingHost.RolesAsync(host, own));
        Assert.Equal(["user"], await RelyingHost.RolesAsync(host, external));
        Assert.NotNull(host.Services.GetRequiredService<ITokenValidator>());
    }
}
