using System.Text;
using FsCheck.Xunit;
using RxInfer.Auth;

namespace RxInfer.Auth.Tests.Jwt;

/// <summary>The strict payload reader alone: pure, no key, no clock; bytes in, what was found or malformed out, never a throw.</summary>
public sealed class JwtPayloadReaderTests
{
    private static readonly byte[] Issuer = "https://issuer.test"u8.ToArray();
    private static readonly byte[] Audience = "rxinfer"u8.ToArray();

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
    public void A_large_payload_is_read_whole()
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
    [InlineData("""{"sub":"a","jti":"c","roles":[],"exp":1,"exp":2}""")] // a duplicate of any claim read here
    [InlineData("""{"sub":"a","jti":"c","roles":[],"iss":"x","iss":"x"}""")]
    [InlineData("""{"sub":"a","jti":"c","roles":[],"exp":"1"}""")] // exp of the wrong type
    [InlineData("""{"sub":"a","jti":"c","roles":[],"iat":1.5}""")] // iat not an integer
    public void A_claim_of_the_wrong_shape_is_invalid_claims(string json) =>
        Assert.Equal(TokenRejectionReason.InvalidClaims, Read(json, out _, out _, out _));

    [Theory]
    [InlineData("""{"sub":"a\ud800","jti":"c","roles":[]}""")] // lone surrogate escape
    [InlineData("""{"sub":"a","jti":"c","roles":["\udc00"]}""")]
    [InlineData("""{"sub":"a","jti":"c","roles":[],"other":"\udc00"}""")] // in a member not read
    [InlineData("""{"sub":"a","jti":"c","roles":[],"n":1e999}""")] // a number no double holds
    [InlineData("""{"sub":"a","jti":"c","roles":[]""")] // truncated
    [InlineData("""{"sub":"a","jti":"c","roles":[]} {}""")] // something after the object
    [InlineData("""{"sub":"a",,"jti":"c","roles":[]}""")]
    [InlineData("""{"sub":'a',"jti":"c","roles":[]}""")]
    [InlineData("not json")]
    [InlineData("")]
    [InlineData("""[{"sub":"a","jti":"c","roles":[]}]""")] // not an object
    [InlineData("\"text\"")]
    public void Text_that_is_not_a_JSON_object_of_Unicode_text_is_malformed(string json) =>
        Assert.Equal(TokenRejectionReason.Malformed, Read(json, out _, out _, out _));

    [Theory]
    [InlineData(new byte[] { 0x7b, 0x22, 0x73, 0x75, 0x62, 0x22, 0x3a, 0x22, 0xc3, 0x28, 0x22, 0x7d })] // {"sub":"<invalid UTF-8>"}
    [InlineData(new byte[] { 0x7b, 0x22, 0x73, 0x75, 0x62, 0x22, 0x3a, 0x22, 0xed, 0xa0, 0x80, 0x22, 0x7d })] // an encoded surrogate
    [InlineData(new byte[] { 0x7b, 0x22, 0x78, 0x22, 0x3a, 0x22, 0xff, 0x22, 0x7d })] // {"x":"<0xFF>"}, in a member not read
    public void Bytes_that_are_not_UTF_8_are_malformed(byte[] payload)
    {
        Assert.Equal(TokenRejectionReason.Malformed, JwtPayloadReader.Read(payload, Issuer, Audience, out var found));
        Assert.False(found.IdentityIsWellFormed);
    }

    [Theory]
    [InlineData("""{"exp":2000,"iat":1000}""", true)]
    [InlineData("""{"exp":2000,"iat":1000,"nbf":1000}""", true)]
    [InlineData("""{"exp":2000,"iat":1000,"nbf":2000}""", true)]
    [InlineData("""{"exp":2000,"iat":1000,"nbf":2001}""", false)] // nbf after exp
    [InlineData("""{"iat":1000}""", false)] // no exp
    [InlineData("""{"exp":2000}""", false)] // no iat
    [InlineData("""{"exp":"2000","iat":1000}""", false)] // a string
    [InlineData("""{"exp":2000.5,"iat":1000}""", false)] // not an integer
    [InlineData("""{"exp":2000,"iat":1e3}""", false)] // an exponent is not an integer here
    [InlineData("""{"exp":2000,"iat":null}""", false)]
    [InlineData("""{"exp":2000,"iat":1000,"nbf":"1000"}""", false)]
    [InlineData("""{"exp":2000,"iat":-1}""", false)] // before 1970
    [InlineData("""{"exp":253402300800,"iat":1000}""", false)] // after the year 9999
    [InlineData("""{"exp":99999999999999999999,"iat":1000}""", false)] // no long holds it
    public void The_time_claims_are_integer_seconds_a_date_holds_and_nbf_is_not_after_exp(string json, bool wellFormed)
    {
        Assert.Equal(TokenRejectionReason.None, JwtPayloadReader.Read(Encoding.UTF8.GetBytes(json), Issuer, Audience, out var found));
        Assert.Equal(wellFormed, found.TimesAreWellFormed);
    }

    [Theory]
    [InlineData("""{"iss":"https://issuer.test","aud":"rxinfer"}""", true, true)]
    [InlineData("""{"iss":"https://issuer.test/","aud":["other","rxinfer"]}""", false, true)] // no trailing-slash leniency
    [InlineData("""{"iss":"HTTPS://ISSUER.TEST","aud":"RxInfer"}""", false, false)] // ordinal
    [InlineData("""{"iss":"https:\/\/issuer.test","aud":"rx\u0069nfer"}""", true, true)] // escapes compare unescaped
    [InlineData("""{"iss":["https://issuer.test"],"aud":["rxinfer",1]}""", false, false)] // an array of issuers; a non-string audience
    [InlineData("""{"aud":[]}""", false, false)] // none
    [InlineData("{}", false, false)]
    public void Issuer_and_audience_compare_ordinal_and_an_audience_may_be_an_array_of_strings(string json, bool issuer, bool audience)
    {
        Assert.Equal(TokenRejectionReason.None, JwtPayloadReader.Read(Encoding.UTF8.GetBytes(json), Issuer, Audience, out var found));
        Assert.Equal(issuer, found.IssuerMatches);
        Assert.Equal(audience, found.AudienceMatches);
    }

    [Property(MaxTest = 2000)]
    public bool Any_bytes_give_a_reason_and_never_throw(byte[] payload)
    {
        var json = payload ?? [];
        var reason = JwtPayloadReader.Read(json, Issuer, Audience, out var found);
        return reason is TokenRejectionReason.None or TokenRejectionReason.Malformed
            && (reason == TokenRejectionReason.None || !found.IdentityIsWellFormed)
            && (!found.IdentityIsWellFormed || (found.GetSubject(json).Length > 0 && found.GetTokenId(json).Length > 0));
    }

    [Property(MaxTest = 2000)]
    public bool Any_text_gives_a_reason_and_never_throws(string text) =>
        JwtPayloadReader.Read(Encoding.UTF8.GetBytes("{\"sub\":" + (text ?? string.Empty) + "}"), Issuer, Audience, out _) is TokenRejectionReason.None or TokenRejectionReason.Malformed;

    /// <summary>The reader as the validator uses it for the identity: malformed, invalid claims, or the strings it holds.</summary>
    private static TokenRejectionReason Read(string json, out string subject, out string tokenId, out List<string> roles)
    {
        var bytes = Encoding.UTF8.GetBytes(json);
        (subject, tokenId, roles) = (string.Empty, string.Empty, []);
        var reason = JwtPayloadReader.Read(bytes, Issuer, Audience, out var found);
        if (reason != TokenRejectionReason.None)
        {
            return reason;
        }

        if (!found.IdentityIsWellFormed)
        {
            return TokenRejectionReason.InvalidClaims;
        }

        subject = found.GetSubject(bytes);
        tokenId = found.GetTokenId(bytes);
        found.AddRoles(bytes, roles);
        return TokenRejectionReason.None;
    }
}
