using System.Text;
using Microsoft.Extensions.DependencyInjection;
using RxInfer.Auth;
using static RxInfer.Auth.Tests.Jwt.JwtTestKeys;

namespace RxInfer.Auth.Tests.Jwt;

/// <summary>Algorithm confusion: <c>none</c>, HS256 over a public key, an algorithm outside the ring.</summary>
public sealed class JwtAlgorithmAttackTests
{
    [Fact]
    public async Task Alg_none_is_an_invalid_algorithm()
    {
        using var jwt = JwtHarness.Hs256();
        var token = Encode(Header(alg: "none")) + "." + Encode(Payload(TestClock.Start)) + ".";

        Assert.Equal(TokenRejectionReason.InvalidAlgorithm, await jwt.ReasonAsync(token));
    }

    [Fact]
    public async Task HS256_signed_with_the_RS256_public_key_as_secret_is_an_invalid_algorithm()
    {
        using var jwt = JwtHarness.Create(options => options.Keys = [TestKeys.Rs256()]);
        var token = SignHs256(Header(alg: "HS256", kid: "rs-1"), Payload(TestClock.Start), Encoding.ASCII.GetBytes(TestKeys.RsaPublicPem));

        Assert.Equal(TokenRejectionReason.InvalidAlgorithm, await jwt.ReasonAsync(token));
    }

    [Fact]
    public async Task HS256_signed_with_the_ES256_public_key_as_secret_is_an_invalid_algorithm()
    {
        using var jwt = JwtHarness.Create(options => options.Keys = [TestKeys.Es256()]);
        var token = SignHs256(Header(alg: "HS256", kid: "es-1"), Payload(TestClock.Start), Encoding.ASCII.GetBytes(TestKeys.EcPublicPem));

        Assert.Equal(TokenRejectionReason.InvalidAlgorithm, await jwt.ReasonAsync(token));
    }

    [Fact]
    public async Task HS256_on_an_RSA_key_is_invalid_even_when_another_key_of_the_ring_is_HS256()
    {
        using var jwt = JwtHarness.Create(options => options.Keys = [TestKeys.Hs256(), TestKeys.Rs256(publicOnly: true)]);
        var token = SignHs256(Header(alg: "HS256", kid: "rs-1"), Payload(TestClock.Start), Encoding.ASCII.GetBytes(TestKeys.RsaPublicPem));

        Assert.Equal(TokenRejectionReason.InvalidAlgorithm, await jwt.ReasonAsync(token));
    }

    [Fact]
    public async Task Algorithm_outside_the_ring_is_invalid_even_with_a_valid_signature()
    {
        using var jwt = JwtHarness.Hs256();
        var token = SignEs256(Header(alg: "ES256", kid: "hs-1"), Payload(TestClock.Start), TestKeys.Ec);

        Assert.Equal(TokenRejectionReason.InvalidAlgorithm, await jwt.ReasonAsync(token));
    }
}
