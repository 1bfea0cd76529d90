using System.Net;
using System.Security.Cryptography;
using RxInfer.Auth;
using RxInfer.Hosting.AspNetCore.Tests.Federation;

namespace RxInfer.Hosting.AspNetCore.Tests.OpenIdConnect;

/// <summary>An OpenIddict server and the second host that accepts its tokens, shared by the tests that only read.</summary>
public sealed class OpenIddictFixture : IAsyncLifetime
{
    internal OpenIddictIssuer Issuer { get; private set; } = null!;

    internal KestrelHost Host { get; private set; } = null!;

    public async Task InitializeAsync()
    {
        Issuer = await OpenIddictIssuer.StartAsync();
        Host = await RelyingHost.StartAsync("openiddict", o =>
        {
            o.Authority = Issuer.Origin;
            o.Audience = OpenIddictIssuer.Audience;
            o.RoleMap["rx.user"] = "user";
        });
        await RelyingHost.WarmUpAsync(Host, await Issuer.ClientCredentialsTokenAsync());
    }

    public async Task DisposeAsync()
    {
        await Host.DisposeAsync();
        await Issuer.DisposeAsync();
    }
}

/// <summary>
/// <c>AddOpenIdConnectIssuer</c> against a real third-party OpenID Connect server (OpenIddict, client credentials, on
/// Kestrel): its tokens open the API with the mapped roles and own what they create, apart from our own subjects;
/// bad tokens are 401 and never 503; forged <c>kid</c>s do not make the host fetch the key set more than once.
/// </summary>
public sealed class OpenIddictIssuerTests(OpenIddictFixture fixture) : IClassFixture<OpenIddictFixture>
{
    private OpenIddictIssuer Issuer => fixture.Issuer;

    private KestrelHost Host => fixture.Host;

    [Fact]
    public async Task A_client_credentials_token_opens_the_roles_and_the_models_its_mapped_roles_allow()
    {
        var token = await Issuer.ClientCredentialsTokenAsync();

        Assert.Equal(["user", "reader"], await RelyingHost.RolesAsync(Host, token));
        using var models = await Host.GetAsync("/v1/models/available", token);
        Assert.Equal(HttpStatusCode.OK, models.StatusCode);
        var names = (await Json.ReadAsync(models)).EnumerateArray().Select(static m => m.GetProperty("details").GetProperty("name").GetString()).ToArray();
        Assert.Contains("coin-toss-v1", names);
        Assert.Contains("sensor-smoothing-v1", names);
        Assert.DoesNotContain("admin-diagnostics-v1", names);
    }

    [Fact]
    public async Task An_external_user_owns_the_instance_it_creates_and_our_own_user_with_the_same_subject_does_not()
    {
        var external = await Issuer.ClientCredentialsTokenAsync();
        var alice = await RelyingHost.AliceTokenAsync(Host); // our own token for subject user-alice, the external token's sub too

        using var created = await RelyingHost.SendAsync(Host, HttpMethod.Post, "/v1/models/create-instance", external, """{"model_name":"coin-toss-v1"}""");
        Assert.Equal(HttpStatusCode.OK, created.StatusCode);
        var id = (await Json.ReadAsync(created)).GetProperty("instance_id").GetString()!;

        using var mine = await Host.GetAsync($"/v1/models/i/{id}", external);
        Assert.Equal(HttpStatusCode.OK, mine.StatusCode);
        using var notAlices = await Host.GetAsync($"/v1/models/i/{id}", alice);
        Assert.Equal(HttpStatusCode.NotFound, notAlices.StatusCode);
        using var alicesList = await Host.GetAsync("/v1/models/instances", alice);
        Assert.DoesNotContain(id, await alicesList.Content.ReadAsStringAsync(), StringComparison.Ordinal);
    }

    [Fact]
    public async Task An_external_token_cannot_be_revoked_here_so_its_jti_never_revokes_one_of_ours()
    {
        var token = await Issuer.ClientCredentialsTokenAsync();
        using var form = new FormUrlEncodedContent(new Dictionary<string, string> { ["token"] = token });

        using var response = await RelyingHost.SendAsync(Host, HttpMethod.Post, "/v1/token/revoke", token, content: form);

        Assert.Equal(HttpStatusCode.BadRequest, response.StatusCode);
        Assert.Equal("unsupported_token_type", (await Json.ReadAsync(response)).GetProperty("error").GetString());
        Assert.Equal(HttpStatusCode.OK, (await Host.GetAsync("/v1/token/roles", token)).StatusCode);
    }

    public static TheoryData<string, string> BadTokens()
    {
        var data = new TheoryData<string, string>();
        foreach (var (name, header, payload) in BadTokenParts())
        {
            data.Add(name, header + "\n" + payload);
        }

        return data;
    }

    private static IEnumerable<(string Name, string Header, string Payload)> BadTokenParts()
    {
        const string Header = """{"alg":"RS256","kid":"KID","typ":"at+jwt"}""";
        yield return ("wrong audience", Header, Payload(aud: "\"someone-else\""));
        yield return ("expired", Header, Payload(exp: Jws.Now(-3600)));
        yield return ("not yet valid", Header, Payload(nbf: Jws.Now(3600)));
        yield return ("no exp", Header, Payload(exp: null));
        yield return ("exp a string", Header, Payload(expText: "\"tomorrow\""));
        yield return ("missing subject", Header, Payload(sub: null));
        yield return ("subject a number", Header, Payload(sub: "42"));
        yield return ("subject with a control character", Header, Payload(sub: "\"a\\u001fb\""));
        yield return ("roles a number", Header, Payload(roles: "7"));
        yield return ("roles an object", Header, Payload(roles: """{"user":true}"""));
        yield return ("roles with a number", Header, Payload(roles: """["user",7]"""));
        yield return ("roles with an empty role", Header, Payload(roles: """["user",""]"""));
        yield return ("duplicate sub", Header, Payload(extra: ""","sub":"someone-else" """));
        yield return ("duplicate alg", """{"alg":"RS256","kid":"KID","alg":"none"}""", Payload());
        yield return ("alg none", """{"alg":"none","kid":"KID"}""", Payload());
        yield return ("alg RS384 not allowed", """{"alg":"RS384","kid":"KID"}""", Payload());
        yield return ("alg HS256 with the public key", """{"alg":"HS256","kid":"KID"}""", Payload());
        yield return ("crit", """{"alg":"RS256","kid":"KID","crit":["exp"],"exp":1}""", Payload());
        yield return ("kid a number", """{"alg":"RS256","kid":7}""", Payload());
        yield return ("header an array", """["RS256"]""", Payload());
        yield return ("payload an array", Header, """["sub"]""");
    }

    private static string Payload(string? aud = "\"" + OpenIddictIssuer.Audience + "\"", long? exp = 0, string? expText = null, long? nbf = null, string? sub = "\"ext-user\"", string roles = """["rx.user"]""", string extra = "") =>
        "{\"iss\":\"ISS\"" + (aud is null ? "" : ",\"aud\":" + aud) + ",\"sub\":" + (sub ?? "null") + (sub is null ? "" : "")
        + (expText is not null ? ",\"exp\":" + expText : exp is null ? "" : ",\"exp\":" + (exp == 0 ? Jws.Now(600) : exp))
        + (nbf is null ? "" : ",\"nbf\":" + nbf) + ",\"iat\":" + Jws.Now(-5) + ",\"jti\":\"j-1\",\"roles\":" + roles + extra + "}";

    private string Make(string header, string payload, RSA? key = null)
    {
        header = header.Replace("KID", Issuer.KeyId, StringComparison.Ordinal);
        payload = payload.Replace("ISS", Issuer.Origin + "/", StringComparison.Ordinal).Replace(",\"sub\":null", "", StringComparison.Ordinal);
        if (header.Contains("\"HS256\"", StringComparison.Ordinal))
        {
            return Jws.SignHs256(header, payload, Issuer.Key.ExportSubjectPublicKeyInfo());
        }

        if (header.Contains("\"none\"", StringComparison.Ordinal))
        {
            return Jws.Encode(header) + "." + Jws.Encode(payload) + ".";
        }

        return Jws.SignRs256(header, payload, key ?? Issuer.Key, header.Contains("RS384", StringComparison.Ordinal) ? HashAlgorithmName.SHA384 : null);
    }

    [Fact]
    public async Task A_token_made_like_the_bad_ones_but_without_the_fault_is_accepted()
    {
        // The bad tokens below differ from this one by one fault each: this proves the fault is what they are refused for.
        var token = Make("""{"alg":"RS256","kid":"KID","typ":"at+jwt"}""", Payload());

        Assert.Equal(["user"], await RelyingHost.RolesAsync(Host, token));
    }

    [Theory]
    [MemberData(nameof(BadTokens))]
    public async Task A_bad_token_of_the_issuer_is_401_never_503(string fault, string parts)
    {
        var split = parts.Split('\n');
        var token = Make(split[0], split[1]);

        using var response = await Host.GetAsync("/v1/token/roles", token);

        Assert.True(response.StatusCode == HttpStatusCode.Unauthorized, $"{fault}: {response.StatusCode}");
    }

    [Theory]
    [InlineData("garbage")]
    [InlineData("a.b.c")]
    [InlineData("eyJhbGciOiJSUzI1NiJ9.eyJpc3MiOjd9.c2ln")]
    [InlineData("....")]
    public async Task Garbage_is_401(string token)
    {
        using var response = await Host.GetAsync("/v1/token/roles", token);

        Assert.Equal(HttpStatusCode.Unauthorized, response.StatusCode);
    }

    [Fact]
    public async Task A_token_signed_by_another_key_under_the_issuers_kid_or_with_an_unknown_iss_is_401()
    {
        var forged = Make("""{"alg":"RS256","kid":"KID"}""", Payload(), TestKeys.OtherRsa);
        var unknownIssuer = Jws.SignRs256(
            $$"""{"alg":"RS256","kid":"{{Issuer.KeyId}}"}""",
            Payload().Replace("ISS", "https://unknown.example/", StringComparison.Ordinal),
            Issuer.Key);

        using var forgedResponse = await Host.GetAsync("/v1/token/roles", forged);
        using var unknownResponse = await Host.GetAsync("/v1/token/roles", unknownIssuer);

        Assert.Equal(HttpStatusCode.Unauthorized, forgedResponse.StatusCode);
        Assert.Equal(HttpStatusCode.Unauthorized, unknownResponse.StatusCode);
    }

    [Fact]
    public async Task Scope_as_the_role_claim_gives_each_space_separated_scope_as_a_role_and_the_allow_list_keeps_only_some()
    {
        await using var host = await RelyingHost.StartAsync("openiddict-scopes", o =>
        {
            o.Authority = Issuer.Origin;
            o.Audience = OpenIddictIssuer.Audience;
            o.RoleClaim = "scope";
            o.RoleMap["models"] = "user";
            o.AllowedRoles = ["user"];
        });
        var token = await Issuer.ClientCredentialsTokenAsync("models instances");
        await RelyingHost.WarmUpAsync(host, token);

        Assert.Equal(["user"], await RelyingHost.RolesAsync(host, token));
    }

    [Fact]
    public async Task A_flood_of_tokens_with_forged_kids_fetches_the_key_set_at_most_once_per_interval()
    {
        await using var issuer = await OpenIddictIssuer.StartAsync();
        await using var host = await RelyingHost.StartAsync("openiddict", o =>
        {
            o.Authority = issuer.Origin;
            o.Audience = OpenIddictIssuer.Audience;
            o.KeyRefreshInterval = TimeSpan.FromHours(1);
        });
        var valid = await issuer.ClientCredentialsTokenAsync();
        await RelyingHost.WarmUpAsync(host, valid);
        var before = issuer.Jwks.Count;
        Assert.True(before >= 1, "the host read the key set once to accept the first token");

        var payload = Payload().Replace("ISS", issuer.Origin + "/", StringComparison.Ordinal);
        var statuses = new List<HttpStatusCode>();
        for (var batch = 0; batch < 10; batch++)
        {
            var responses = await Task.WhenAll(Enumerable.Range(0, 30).Select(async _ =>
            {
                var kid = Convert.ToHexStringLower(RandomNumberGenerator.GetBytes(8));
                using var response = await host.GetAsync("/v1/token/roles", Jws.SignRs256($$"""{"alg":"RS256","kid":"{{kid}}"}""", payload, TestKeys.OtherRsa));
                return response.StatusCode;
            }));
            statuses.AddRange(responses);
        }

        Assert.Equal(300, statuses.Count);
        Assert.All(statuses, static status => Assert.Equal(HttpStatusCode.Unauthorized, status));
        Assert.InRange(issuer.Jwks.Count - before, 0, 1);
        Assert.Equal(HttpStatusCode.OK, (await host.GetAsync("/v1/token/roles", valid)).StatusCode);
    }
}
