using System.Text;
using Microsoft.Extensions.Options;
using static RxInfer.Auth.Tests.Jwt.JwtTestKeys;

namespace RxInfer.Auth.Tests.OpenIdConnect;

/// <summary>
/// A token is routed by the first top-level <c>iss</c> of its payload, read without trusting it; anything else (ours,
/// an unknown issuer, no iss, a nested one, not JSON) goes to our own provider.
/// </summary>
public sealed class OpenIdConnectRoutingTests
{
    private static readonly (byte[] Issuer, OpenIdConnectTokenValidator Validator)[] Routes =
    [
        (Encoding.UTF8.GetBytes("https://idp.example"), null!),
        (Encoding.UTF8.GetBytes("https://idp.example/"), null!),
        (Encoding.UTF8.GetBytes("https://other.example"), null!),
    ];

    private static string Token(string payloadJson) => "eyJhbGciOiJSUzI1NiJ9." + Encode(Encoding.UTF8.GetBytes(payloadJson)) + ".c2ln";

    [Theory]
    [InlineData("""{"iss":"https://idp.example"}""", 0)]
    [InlineData("""{"sub":"a","iss":"https://idp.example/","aud":"x"}""", 1)]
    [InlineData("""{"nested":{"iss":"https://idp.example"},"iss":"https://other.example"}""", 2)]
    [InlineData("""{"iss":"https:\/\/other.example"}""", 2)]
    [InlineData("""{"iss":"rxinfer"}""", -1)]
    [InlineData("""{"nested":{"iss":"https://idp.example"}}""", -1)]
    [InlineData("""{"iss":7}""", -1)]
    [InlineData("""{"iss":["https://idp.example"]}""", -1)]
    [InlineData("""["iss","https://idp.example"]""", -1)]
    [InlineData("""{"iss":"https://idp.example" """, 0)]
    [InlineData("""not json""", -1)]
    [InlineData("""{"a":""", -1)]
    public void The_first_top_level_iss_picks_the_route(string payload, int expected) =>
        Assert.Equal(expected, OpenIdConnectRouter.ReadIssuer(Token(payload), Routes));

    [Theory]
    [InlineData("rxi_abcdef")]
    [InlineData("")]
    [InlineData(".")]
    [InlineData("a..b")]
    [InlineData("a.b.c.d.e")]
    [InlineData("a.!!!.c")]
    public void Text_that_is_no_compact_JWS_is_not_routed(string token) =>
        Assert.Equal(-1, OpenIdConnectRouter.ReadIssuer(token, Routes));

    [Fact]
    public void A_payload_larger_than_the_stack_buffer_is_read_too()
    {
        var payload = "{\"padding\":\"" + new string('x', 5000) + "\",\"iss\":\"https://other.example\"}";

        Assert.Equal(2, OpenIdConnectRouter.ReadIssuer(Token(payload), Routes));
    }

    [Fact]
    public void Our_own_JWT_is_not_routed_to_an_external_issuer()
    {
        var ours = SignHs256(Header(), Payload(DateTimeOffset.UnixEpoch), TestKeys.HmacSecret);

        Assert.Equal(-1, OpenIdConnectRouter.ReadIssuer(ours, Routes));
    }
}

/// <summary>The options of an issuer are validated at start, with messages that name the option.</summary>
public sealed class OpenIdConnectIssuerOptionsTests
{
    private static OptionsValidationException Failure(Action<OpenIdConnectIssuerOptions> configure)
    {
        using var services = new ServiceCollection().AddLogging().AddRxInferAuth().AddOpenIdConnectIssuer("idp", configure).Services.BuildServiceProvider();
        return Assert.Throws<OptionsValidationException>(() => services.GetRequiredService<IOptionsMonitor<OpenIdConnectIssuerOptions>>().Get("idp"));
    }

    [Fact]
    public void Authority_and_Audience_are_required()
    {
        var failure = Failure(static _ => { });

        Assert.Contains(failure.Failures, static f => f.Contains("Authority", StringComparison.Ordinal));
        Assert.Contains(failure.Failures, static f => f.Contains("Audience", StringComparison.Ordinal));
    }

    [Theory]
    [InlineData("HS256")]
    [InlineData("none")]
    [InlineData("rs256")]
    public void An_algorithm_that_is_not_an_asymmetric_signature_is_refused(string algorithm)
    {
        var failure = Failure(o =>
        {
            o.Authority = "https://idp.example";
            o.Audience = "api";
            o.Algorithms = ["RS256", algorithm];
        });

        Assert.Contains(failure.Failures, f => f.Contains("RxInfer:Auth:OpenIdConnect:idp:Algorithms", StringComparison.Ordinal) && f.Contains(algorithm, StringComparison.Ordinal));
    }

    [Fact]
    public void Plain_http_metadata_needs_RequireHttpsMetadata_off_and_the_intervals_have_bounds()
    {
        var failure = Failure(static o =>
        {
            o.Authority = "http://idp.example";
            o.Audience = "api";
            o.KeyRefreshInterval = TimeSpan.Zero;
            o.ClockSkew = TimeSpan.FromHours(1);
        });

        Assert.Contains(failure.Failures, static f => f.Contains("Authority must use https", StringComparison.Ordinal) && f.Contains("RequireHttpsMetadata", StringComparison.Ordinal));
        Assert.Contains(failure.Failures, static f => f.Contains("KeyRefreshInterval", StringComparison.Ordinal));
        Assert.Contains(failure.Failures, static f => f.Contains("ClockSkew", StringComparison.Ordinal));
    }

    [Fact]
    public void An_issuer_with_the_iss_of_our_own_JWTs_is_refused_so_our_tokens_stay_ours()
    {
        using var services = new ServiceCollection().AddLogging().AddRxInferAuth()
            .AddJwtTokens(static jwt => jwt.Keys = [TestKeys.Hs256()])
            .AddOpenIdConnectIssuer("idp", static o => { o.Authority = "https://idp.example"; o.Issuer = "rxinfer"; o.Audience = "api"; })
            .Services.BuildServiceProvider();

        Assert.Equal("rxinfer", services.GetRequiredService<IOptions<JwtTokenOptions>>().Value.Issuer);
        var failure = Assert.Throws<OptionsValidationException>(() => services.GetRequiredService<IOptionsMonitor<OpenIdConnectIssuerOptions>>().Get("idp"));

        Assert.Contains(failure.Failures, static f => f.Contains("must differ from RxInfer:Auth:Jwt:Issuer", StringComparison.Ordinal));
    }

    [Fact]
    public void Two_registrations_of_one_iss_are_refused_at_start_naming_both_and_different_ones_are_not()
    {
        // The same iss, once as Authority and once as Issuer with a trailing slash: routing treats them as one.
        using var services = new ServiceCollection().AddLogging().AddRxInferAuth()
            .AddOpenIdConnectIssuer("first", static o => { o.Authority = "https://idp.example"; o.Audience = "api"; })
            .AddOpenIdConnectIssuer("second", static o => { o.Authority = "https://other.example"; o.Issuer = "https://idp.example/"; o.Audience = "api"; })
            .AddOpenIdConnectIssuer("third", static o => { o.Authority = "https://third.example"; o.Audience = "api"; })
            .Services.BuildServiceProvider();
        var monitor = services.GetRequiredService<IOptionsMonitor<OpenIdConnectIssuerOptions>>();

        var first = Assert.Throws<OptionsValidationException>(() => monitor.Get("first"));
        var second = Assert.Throws<OptionsValidationException>(() => monitor.Get("second"));

        Assert.Contains(first.Failures, static f => f.Contains("RxInfer:Auth:OpenIdConnect:first:Issuer", StringComparison.Ordinal) && f.Contains("RxInfer:Auth:OpenIdConnect:second too", StringComparison.Ordinal));
        Assert.Contains(second.Failures, static f => f.Contains("RxInfer:Auth:OpenIdConnect:second:Issuer", StringComparison.Ordinal) && f.Contains("RxInfer:Auth:OpenIdConnect:first too", StringComparison.Ordinal));
        Assert.Equal("https://third.example", monitor.Get("third").Authority);
    }

    [Fact]
    public void Valid_options_pass_and_keep_the_defaults()
    {
        using var services = new ServiceCollection().AddLogging().AddRxInferAuth()
            .AddOpenIdConnectIssuer("idp", static o => { o.Authority = "http://127.0.0.1:5000"; o.Audience = "api"; o.RequireHttpsMetadata = false; })
            .Services.BuildServiceProvider();

        var options = services.GetRequiredService<IOptionsMonitor<OpenIdConnectIssuerOptions>>().Get("idp");

        Assert.Equal("sub", options.SubjectClaim);
        Assert.Equal(TimeSpan.FromMinutes(1), options.KeyRefreshInterval);
        Assert.Null(options.Algorithms);
    }

    [Theory]
    [InlineData("")]
    [InlineData("has space")]
    [InlineData("sep\u001F")]
    public void A_name_that_could_not_be_part_of_an_owner_key_is_refused_at_registration(string name) =>
        Assert.Throws<ArgumentException>(() => new ServiceCollection().AddRxInferAuth().AddOpenIdConnectIssuer(name));

    [Fact]
    public void The_same_name_twice_is_refused_at_registration()
    {
        var auth = new ServiceCollection().AddRxInferAuth().AddOpenIdConnectIssuer("idp");

        Assert.Throws<ArgumentException>(() => auth.AddOpenIdConnectIssuer("idp"));
    }
}
