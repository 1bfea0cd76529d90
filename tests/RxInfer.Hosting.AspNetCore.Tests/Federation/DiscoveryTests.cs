using System.Buffers.Text;
using System.Net;
using System.Text.Json;
using Microsoft.AspNetCore.Builder;
using Microsoft.AspNetCore.Routing;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.IdentityModel.JsonWebTokens;
using Microsoft.IdentityModel.Tokens;

namespace RxInfer.Hosting.AspNetCore.Tests.Federation;

/// <summary>
/// <c>MapRxInferDiscovery()</c>: another service checks our JWTs with nothing but the stock <c>JwtBearer</c> handler
/// pointed at our host. Real hosts on Kestrel, on loopback ports; the stock handler reads our metadata over HTTP.
/// </summary>
public sealed class DiscoveryTests
{
    private const string Issuer = "https://rxinfer.federation.test";

    [Fact]
    public async Task The_key_set_holds_the_public_part_of_every_RS256_and_ES256_key_and_never_an_HS256_secret_or_a_private_parameter()
    {
        await using var issuer = await KestrelHost.StartJwtIssuerAsync(Issuer, [TestKeys.Es256("es-1"), TestKeys.Rs256("rs-old"), TestKeys.Hs256("hs-old")]);

        using var response = await issuer.GetAsync("/.well-known/jwks.json");
        var text = await response.Content.ReadAsStringAsync();

        Assert.Equal(HttpStatusCode.OK, response.StatusCode);
        var keys = Json.Parse(text).GetProperty("keys").EnumerateArray().ToArray();
        Assert.Equal(["es-1", "rs-old"], keys.Select(static k => k.GetProperty("kid").GetString()));

        var ec = TestKeys.Ec.ExportParameters(includePrivateParameters: false);
        Json.Equal(
            $$"""{"kty":"EC","use":"sig","kid":"es-1","alg":"ES256","crv":"P-256","x":"{{Base64Url.EncodeToString(ec.Q.X)}}","y":"{{Base64Url.EncodeToString(ec.Q.Y)}}"}""",
            keys[0]);
        var rsa = TestKeys.Rsa.ExportParameters(includePrivateParameters: false);
        Json.Equal(
            $$"""{"kty":"RSA","use":"sig","kid":"rs-old","alg":"RS256","n":"{{Base64Url.EncodeToString(rsa.Modulus)}}","e":"{{Base64Url.EncodeToString(rsa.Exponent)}}"}""",
            keys[1]);

        // Nothing secret anywhere in the text: no private member names, no HS256 secret in any encoding.
        foreach (var secretMember in new[] { "\"d\"", "\"p\"", "\"q\"", "\"dp\"", "\"dq\"", "\"qi\"", "\"k\"", "hs-old" })
        {
            Assert.DoesNotContain(secretMember, text, StringComparison.Ordinal);
        }

        Assert.DoesNotContain(TestKeys.HmacSecretBase64, text, StringComparison.Ordinal);
        Assert.DoesNotContain(Base64Url.EncodeToString(TestKeys.HmacSecret), text, StringComparison.Ordinal);
    }

    [Fact]
    public async Task The_metadata_names_the_issuer_and_the_key_set_and_both_are_anonymous_and_cacheable()
    {
        await using var issuer = await KestrelHost.StartJwtIssuerAsync(Issuer, [TestKeys.Es256("es-1"), TestKeys.Rs256("rs-1")]);

        using var metadata = await issuer.GetAsync("/.well-known/openid-configuration");
        using var keys = await issuer.GetAsync("/.well-known/jwks.json");

        Assert.Equal(HttpStatusCode.OK, metadata.StatusCode);
        var document = await Json.ReadAsync(metadata);
        Assert.Equal(Issuer, document.GetProperty("issuer").GetString());
        Assert.Equal(issuer.Origin + "/.well-known/jwks.json", document.GetProperty("jwks_uri").GetString());
        Assert.Equal(["ES256", "RS256"], document.GetProperty("id_token_signing_alg_values_supported").EnumerateArray().Select(static a => a.GetString()));
        Assert.False(document.TryGetProperty("revocation_endpoint", out _), "no revocation endpoint is mapped");
        Assert.False(document.TryGetProperty("introspection_endpoint", out _), "no introspection endpoint is mapped");
        foreach (var response in new[] { metadata, keys })
        {
            Assert.Equal("application/json", response.Content.Headers.ContentType?.MediaType);
            Assert.True(response.Headers.CacheControl?.Public, response.RequestMessage?.RequestUri?.ToString());
            Assert.Equal(TimeSpan.FromMinutes(5), response.Headers.CacheControl?.MaxAge);
        }
    }

    [Fact]
    public async Task The_metadata_names_the_revocation_and_introspection_endpoints_where_the_host_mapped_them()
    {
        await using var issuer = await KestrelHost.StartJwtIssuerAsync(Issuer, [TestKeys.Es256("es-1")], map: static app =>
        {
            var oauth = app.MapGroup("/oauth");
            oauth.MapRxInferRevocation();
            oauth.MapRxInferIntrospection();
        });

        using var metadata = await issuer.GetAsync("/.well-known/openid-configuration");
        var document = await Json.ReadAsync(metadata);

        Assert.Equal(issuer.Origin + "/oauth/token/revoke", document.GetProperty("revocation_endpoint").GetString());
        Assert.Equal(issuer.Origin + "/oauth/token/introspect", document.GetProperty("introspection_endpoint").GetString());
    }

    [Fact]
    public async Task A_stock_JwtBearer_host_pointed_at_our_host_accepts_the_token_our_host_issued()
    {
        await using var issuer = await KestrelHost.StartJwtIssuerAsync(Issuer, [TestKeys.Es256("es-1"), TestKeys.Rs256("rs-1")]);
        await using var stock = await KestrelHost.StartStockRelyingPartyAsync(issuer.Origin);
        var token = await issuer.GenerateTokenAsync();
        var subject = new JsonWebToken(token).Subject;

        using var response = await stock.GetAsync("/whoami", token);

        Assert.Equal(HttpStatusCode.OK, response.StatusCode);
        Assert.Equal(subject, await response.Content.ReadAsStringAsync());
        Assert.False(string.IsNullOrEmpty(subject));
    }

    [Fact]
    public async Task After_a_rotation_a_retired_key_still_verifies_at_a_stock_host_and_once_the_ring_drops_it_a_freshly_started_stock_host_rejects_its_tokens()
    {
        // 1: rs-1 signs.
        string oldToken;
        await using (var first = await KestrelHost.StartJwtIssuerAsync(Issuer, [TestKeys.Rs256("rs-1")]))
        {
            oldToken = await first.GenerateTokenAsync();
        }

        // 2: es-2 signs, rs-1 is retired: both published, the old token still verifies.
        await using (var second = await KestrelHost.StartJwtIssuerAsync(Issuer, [TestKeys.Es256("es-2"), TestKeys.Rs256("rs-1")]))
        await using (var stock = await KestrelHost.StartStockRelyingPartyAsync(second.Origin))
        {
            using var old = await stock.GetAsync("/whoami", oldToken);
            using var fresh = await stock.GetAsync("/whoami", await second.GenerateTokenAsync());
            Assert.Equal(HttpStatusCode.OK, old.StatusCode);
            Assert.Equal(HttpStatusCode.OK, fresh.StatusCode);
        }

        // 3: rs-1 dropped from the ring: no longer published, its token refused for want of its key.
        await using var third = await KestrelHost.StartJwtIssuerAsync(Issuer, [TestKeys.Es256("es-2")]);
        await using var freshStock = await KestrelHost.StartStockRelyingPartyAsync(third.Origin);
        using var keys = await third.GetAsync("/.well-known/jwks.json");
        using var refused = await freshStock.GetAsync("/whoami", oldToken);
        using var accepted = await freshStock.GetAsync("/whoami", await third.GenerateTokenAsync());

        Assert.Equal(["es-2"], (await Json.ReadAsync(keys)).GetProperty("keys").EnumerateArray().Select(static k => k.GetProperty("kid").GetString()));
        Assert.Equal(HttpStatusCode.Unauthorized, refused.StatusCode);
        Assert.Contains("signature key was not found", refused.Headers.WwwAuthenticate.ToString(), StringComparison.Ordinal);
        Assert.Equal(HttpStatusCode.OK, accepted.StatusCode);
    }

    [Fact]
    public async Task A_stock_host_rejects_an_HS256_token_that_our_own_host_accepts()
    {
        await using var issuer = await KestrelHost.StartJwtIssuerAsync(Issuer, [TestKeys.Es256("es-1"), TestKeys.Hs256("hs-1")]);
        await using var stock = await KestrelHost.StartStockRelyingPartyAsync(issuer.Origin);
        var now = DateTimeOffset.UtcNow;
        var hs256 = new JsonWebTokenHandler().CreateToken(new SecurityTokenDescriptor
        {
            Issuer = Issuer,
            Audience = FederationAudience.Value,
            TokenType = "at+jwt",
            IssuedAt = now.UtcDateTime,
            NotBefore = now.UtcDateTime,
            Expires = now.AddMinutes(10).UtcDateTime,
            SigningCredentials = new SigningCredentials(new SymmetricSecurityKey(TestKeys.HmacSecret) { KeyId = "hs-1" }, SecurityAlgorithms.HmacSha256),
            Claims = new Dictionary<string, object> { ["sub"] = "hs-user", ["jti"] = "hs-token-1", ["roles"] = new[] { "user" } },
        });

        using var ours = await issuer.GetAsync("/v1/token/roles", hs256);
        using var theirs = await stock.GetAsync("/whoami", hs256);

        Assert.Equal(HttpStatusCode.OK, ours.StatusCode);
        Assert.Equal(HttpStatusCode.Unauthorized, theirs.StatusCode);
    }

    [Fact]
    public async Task Mapping_discovery_without_the_JWT_provider_fails_at_start_and_says_what_to_register()
    {
        var failure = await Assert.ThrowsAsync<InvalidOperationException>(() => KestrelHost.StartAsync(
            builder =>
            {
                builder.Services.AddRxInferAuth().AddOpaqueTokens();
                builder.Services.AddRxInferAuthentication();
                builder.Services.AddRxInferEndpoints();
            },
            app => app.MapRxInferDiscovery()));

        Assert.Contains("AddJwtTokens()", failure.Message, StringComparison.Ordinal);
    }
}
