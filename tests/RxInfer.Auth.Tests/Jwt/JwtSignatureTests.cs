using System.Buffers.Text;
using System.Text;
using Microsoft.Extensions.DependencyInjection;
using RxInfer.Auth;
using static RxInfer.Auth.Tests.Jwt.JwtTestKeys;

namespace RxInfer.Auth.Tests.Jwt;

/// <summary>Keys chosen by <c>kid</c>, and signatures that do not verify.</summary>
public sealed class JwtSignatureTests
{
    [Fact]
    public async Task Unknown_kid_is_an_invalid_signature()
    {
        using var jwt = JwtHarness.Hs256();
        var token = SignHs256(Header(kid: "nobody"), Payload(TestClock.Start), TestKeys.HmacSecret);

        Assert.Equal(TokenRejectionReason.InvalidSignature, await jwt.ReasonAsync(token));
    }

    [Fact]
    public async Task Missing_kid_is_an_invalid_signature()
    {
        using var jwt = JwtHarness.Hs256();
        var header = new Dictionary<string, object> { ["alg"] = "HS256", ["typ"] = "at+jwt" };
        var token = SignHs256(header, Payload(TestClock.Start), TestKeys.HmacSecret);

        Assert.Equal(TokenRejectionReason.InvalidSignature, await jwt.ReasonAsync(token));
    }

    [Fact]
    public async Task Token_signed_with_another_secret_is_an_invalid_signature()
    {
        using var jwt = JwtHarness.Hs256();
        var token = SignHs256(Header(), Payload(TestClock.Start), TestKeys.OtherHmacSecret);

        Assert.Equal(TokenRejectionReason.InvalidSignature, await jwt.ReasonAsync(token));
    }

    [Fact]
    public async Task Signature_with_one_bit_flipped_is_an_invalid_signature()
    {
        using var jwt = JwtHarness.Hs256();
        var issued = await jwt.IssueAsync();
        var parts = Segments(issued.Token);
        var signature = Base64Url.DecodeFromChars(parts[2]);
        signature[10] ^= 0x01;

        var tampered = parts[0] + "." + parts[1] + "." + Encode(signature);

        Assert.Equal(TokenRejectionReason.InvalidSignature, await jwt.ReasonAsync(tampered));
    }

    [Fact]
    public async Task Payload_altered_under_the_original_signature_is_an_invalid_signature()
    {
        using var jwt = JwtHarness.Create(options => options.Keys = [TestKeys.Es256()]);
        var issued = await jwt.IssueAsync("alice", "user");
        var parts = Segments(issued.Token);
        var payload = Encoding.UTF8.GetString(Base64Url.DecodeFromChars(parts[1])).Replace("\"user\"", "\"admin\"", StringComparison.Ordinal);

        var tampered = parts[0] + "." + Encode(Encoding.UTF8.GetBytes(payload)) + "." + parts[2];

        Assert.Equal(TokenRejectionReason.InvalidSignature, await jwt.ReasonAsync(tampered));
    }

    [Fact]
    public async Task ES256_signed_by_a_key_outside_the_ring_is_an_invalid_signature()
    {
        using var jwt = JwtHarness.Create(options => options.Keys = [TestKeys.Es256()]);
        var token = SignEs256(Header(alg: "ES256", kid: "es-1"), Payload(TestClock.Start), TestKeys.OtherEc);

        Assert.Equal(TokenRejectionReason.InvalidSignature, await jwt.ReasonAsync(token));
    }
}
