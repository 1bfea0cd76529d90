using System.Buffers.Text;
using System.Text;
using FsCheck.Xunit;
using RxInfer.Auth;

namespace RxInfer.Auth.Tests.Jwt;

/// <summary>The strict payload reader alone: pure, no key, no clock; every input answers a reason, none throws.</summary>
public sealed class JwtPayloadReaderTests
{
    [Fact]
    public void Reads_sub_jti_and_roles_in_order_and_skips_other_members()
    {
        var reason = Read("""{"iss":"x","sub":"alice","nested":{"sub":"mallory","roles":[1]},"jti":"t-1","roles":["user","admin"],"exp":1}""", out var subject, out var tokenId, out var roles);

        Assert.Equal(TokenRejectionReason.None, reason);
        Assert.Equal("alice", subject);
        Assert.Equal("t-1", tokenId);
        Assert.Equal(["user", "admin"], roles);
    }

    [Fact]
    public void An_empty_roles_array_is_read_as_no_roles()
    {
        Assert.Equal(TokenRejectionReason.None, Read("""{"sub":"a","jti":"b","roles":[]}""", out _, out _, out var roles));
        Assert.Empty(roles);
    }

    [Fact]
    public void Escaped_text_is_unescaped_exactly()
    {
        Assert.Equal(TokenRejectionReason.None, Read("""{"sub":"a\u00e9\"\ud83d\ude00","jti":"b","roles":["r\/1"]}""", out var subject, out _, out var roles));
        Assert.Equal("a\u00e9\"\ud83d\ude00", subject);
        Assert.Equal(["r/1"], roles);
    }

    [Fact]
    public void A_payload_larger_than_the_stack_buffer_is_read_from_a_pooled_buffer()
    {
        var filler = new string('x', 4000);
        Assert.Equal(TokenRejectionReason.None, Read("{\"pad\":\"" + filler + "\",\"sub\":\"a\",\"jti\":\"b\",\"roles\":[\"" + filler + "\"]}", out var subject, out _, out var roles));
        Assert.Equal("a", subject);
        Assert.Equal(filler, Assert.Single(roles));
    }

    [Theory]
    [InlineData("""{"sub":"a","sub":"b","jti":"c","roles":[]}""")] // duplicate sub
    [InlineData("""{"sub":"a","jti":"c","jti":"c","roles":[]}""")] // duplicate jti
    [InlineData("""{"sub":"a","jti":"c","roles":[],"roles":["x"]}""")] // duplicate roles
    [InlineData("""{"sub":"a","jti":"c","roles":"user"}""")] // one string where an array belongs
    [InlineData("""{"sub":"a","jti":"c","roles":["user",1]}""")]
    [InlineData("""{"sub":"a","jti":"c","roles":["user",null]}""")]
    [InlineData("""{"sub":"a","jti":"c","roles":["user",["x"]]}""")]
    [InlineData("""{"sub":"a","jti":"c","roles":[""]}""")]
    [InlineData("""{"sub":"","jti":"c","roles":[]}""")]
    [InlineData("""{"sub":"a","jti":"","roles":[]}""")]
    [InlineData("""{"sub":1,"jti":"c","roles":[]}""")]
    [InlineData("""{"sub":null,"jti":"c","roles":[]}""")]
    [InlineData("""{"sub":["a"],"jti":"c","roles":[]}""")]
    [InlineData("""{"jti":"c","roles":[]}""")] // no sub
    [InlineData("""{"sub":"a","roles":[]}""")] // no jti
    [InlineData("""{"sub":"a","jti":"c"}""")] // no roles
    [InlineData("""[{"sub":"a","jti":"c","roles":[]}]""")] // not an object
    [InlineData("\"text\"")]
    public void A_claim_of_the_wrong_shape_is_invalid_claims(string json)
    {
        Assert.Equal(TokenRejectionReason.InvalidClaims, Read(json, out var subject, out var tokenId, out var roles));
        Assert.Equal(string.Empty, subject);
        Assert.Equal(string.Empty, tokenId);
        Assert.Empty(roles);
    }

    [Theory]
    [InlineData("""{"sub":"a\ud800","jti":"c","roles":[]}""")] // lone surrogate escape
    [InlineData("""{"sub":"a","jti":"c","roles":["\udc00"]}""")]
    [InlineData("""{"sub":"a","jti":"c","roles":[]""")] // truncated
    [InlineData("""{"sub":"a",,"jti":"c","roles":[]}""")]
    [InlineData("""{"sub":'a',"jti":"c","roles":[]}""")]
    [InlineData("not json")]
    public void Text_that_is_not_JSON_of_Unicode_text_is_malformed(string json) =>
        Assert.Equal(TokenRejectionReason.Malformed, Read(json, out _, out _, out _));

    [Theory]
    [InlineData(new byte[] { 0x7b, 0x22, 0x73, 0x75, 0x62, 0x22, 0x3a, 0x22, 0xc3, 0x28, 0x22, 0x7d })] // {"sub":"<invalid UTF-8>"}
    [InlineData(new byte[] { 0x7b, 0x22, 0x73, 0x75, 0x62, 0x22, 0x3a, 0x22, 0xed, 0xa0, 0x80, 0x22, 0x7d })] // an encoded surrogate
    public void Bytes_that_are_not_UTF_8_are_malformed(byte[] payload) =>
        Assert.Equal(TokenRejectionReason.Malformed, JwtPayloadReader.TryReadClaims(Base64Url.EncodeToString(payload), out _, out _, out _));

    [Theory]
    [InlineData("e3*0")]
    [InlineData("e3+0")]
    [InlineData("e")] // a length base64 cannot have
    public void Text_that_is_not_base64url_is_malformed(string encoded) =>
        Assert.Equal(TokenRejectionReason.Malformed, JwtPayloadReader.TryReadClaims(encoded, out _, out _, out _));

    [Property(MaxTest = 2000)]
    public bool Any_bytes_give_a_reason_and_never_throw(byte[] payload)
    {
        var reason = JwtPayloadReader.TryReadClaims(Base64Url.EncodeToString(payload ?? []), out var subject, out var tokenId, out var roles);
        return reason is TokenRejectionReason.None or TokenRejectionReason.InvalidClaims or TokenRejectionReason.Malformed
            && (reason == TokenRejectionReason.None) == (subject.Length > 0 && tokenId.Length > 0);
    }

    [Property(MaxTest = 2000)]
    public bool Any_text_gives_a_reason_and_never_throws(string encoded) =>
        JwtPayloadReader.TryReadClaims(encoded ?? string.Empty, out _, out _, out _) is TokenRejectionReason.None or TokenRejectionReason.InvalidClaims or TokenRejectionReason.Malformed;

    private static TokenRejectionReason Read(string json, out string subject, out string tokenId, out List<string> roles) =>
        JwtPayloadReader.TryReadClaims(Base64Url.EncodeToString(Encoding.UTF8.GetBytes(json)), out subject, out tokenId, out roles);
}
