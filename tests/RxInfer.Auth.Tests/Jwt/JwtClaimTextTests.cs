using System.Text;
using FsCheck;
using FsCheck.Fluent;
using FsCheck.Xunit;
using static RxInfer.Auth.Tests.Jwt.JwtTestKeys;

namespace RxInfer.Auth.Tests.Jwt;

/// <summary>
/// Text a client controls inside a correctly signed JWT: strings that are not Unicode text (lone surrogate escapes,
/// bytes that are not UTF-8) are rejected as malformed or invalid claims, never thrown, never turned into U+FFFD;
/// every string that is Unicode text round-trips exactly.
/// </summary>
public sealed class JwtClaimTextTests : IDisposable
{
    private readonly JwtHarness _jwt = JwtHarness.Hs256();

    public void Dispose() => _jwt.Dispose();

    /// <summary>Members and JSON string literals (as ASCII text: test data holding a lone surrogate would not survive xunit's serialization).</summary>
    public static TheoryData<string, string> EscapedTexts()
    {
        var data = new TheoryData<string, string>();
        foreach (var member in new[] { "sub", "jti", "roles", "iss", "aud" })
        {
            foreach (var literal in new[] { "\"\\ud800\"", "\"\\udc00\"", "\"a\\ud800b\"", "\"\\udfff\\ud800\"", "\"\\ud800\\ud800\"", "\"\\uD83D\"" })
            {
                data.Add(member, literal);
            }
        }

        return data;
    }

    [Theory]
    [MemberData(nameof(EscapedTexts))]
    public async Task A_lone_surrogate_escape_in_a_claim_is_rejected(string member, string literal)
    {
        var json = member == "roles" ? "[" + literal + "]" : literal;
        var token = SignHs256Raw(HeaderJson(), PayloadJson(TestClock.Start, new Dictionary<string, string> { [member] = json }));

        var outcome = await _jwt.ValidateAsync(token);

        Assert.True(outcome.Reason is TokenRejectionReason.Malformed or TokenRejectionReason.InvalidClaims, outcome.ToString());
    }

    [Theory]
    [InlineData("kid")]
    [InlineData("typ")]
    [InlineData("alg")]
    public async Task A_lone_surrogate_escape_in_a_header_parameter_is_rejected(string member)
    {
        var header = new Dictionary<string, string> { ["alg"] = "\"HS256\"", ["typ"] = "\"at+jwt\"", ["kid"] = "\"hs-1\"" };
        header[member] = JsonString("hs\ud800");
        var token = SignHs256Raw("{" + string.Join(",", header.Select(p => JsonString(p.Key) + ":" + p.Value)) + "}", PayloadJson(TestClock.Start));

        var outcome = await _jwt.ValidateAsync(token);

        Assert.False(outcome.IsValid);
        Assert.NotEqual(TokenRejectionReason.None, outcome.Reason);
    }

    public static TheoryData<string, byte[]> InvalidUtf8()
    {
        var data = new TheoryData<string, byte[]>();
        foreach (var member in new[] { "sub", "jti", "roles", "kid" })
        {
            foreach (var bytes in new byte[][] { [0xFF], [0xC0, 0xAF], [0xED, 0xA0, 0x80], [0xE2, 0x82], [0x80], [0xF4, 0x90, 0x80, 0x80] })
            {
                data.Add(member, bytes);
            }
        }

        return data;
    }

    [Theory]
    [MemberData(nameof(InvalidUtf8))]
    public async Task Bytes_that_are_not_UTF8_in_a_string_are_rejected(string member, byte[] bytes)
    {
        const string Marker = "MARKER";
        var header = Encoding.UTF8.GetBytes(member == "kid" ? "{\"alg\":\"HS256\",\"typ\":\"at+jwt\",\"kid\":\"MARKER\"}" : HeaderJson());
        var payloadJson = PayloadJson(TestClock.Start, member == "kid" ? null : new Dictionary<string, string> { [member] = member == "roles" ? "[\"MARKER\"]" : "\"MARKER\"" });
        var payload = Encoding.UTF8.GetBytes(payloadJson);
        var target = member == "kid" ? header : payload;
        var at = Encoding.UTF8.GetString(target).IndexOf(Marker, StringComparison.Ordinal);
        byte[] changed = [.. target[..at], .. bytes, .. target[(at + Marker.Length)..]];
        var token = member == "kid" ? SignHs256Raw(changed, payload) : SignHs256Raw(header, changed);

        var outcome = await _jwt.ValidateAsync(token);

        Assert.Contains(outcome.Reason, new[] { TokenRejectionReason.Malformed, TokenRejectionReason.InvalidClaims, TokenRejectionReason.InvalidSignature });
        Assert.False(outcome.IsValid);
    }

    [Property(MaxTest = 500)]
    public Property Subject_token_id_and_role_round_trip_exactly_or_are_rejected() =>
        Prop.ForAll(AnyText().ToArbitrary(), AnyText().ToArbitrary(), AnyText().ToArbitrary(), (subject, tokenId, role) =>
        {
            var payload = PayloadJson(TestClock.Start, new Dictionary<string, string>
            {
                ["sub"] = JsonString(subject),
                ["jti"] = JsonString(tokenId),
                ["roles"] = "[" + JsonString(role) + "]",
            });
            var outcome = _jwt.Validator.ValidateAsync(SignHs256Raw(HeaderJson(), payload)).AsTask().GetAwaiter().GetResult();

            // Our subjects hold no control character (TokenOwner): U+001F separates an external issuer from its subject.
            var acceptable = IsText(subject) && IsText(tokenId) && IsText(role) && TokenOwner.IsValidSubject(subject) && tokenId.Length > 0 && role.Length > 0;
            if (!acceptable)
            {
                return (outcome.Reason is TokenRejectionReason.Malformed or TokenRejectionReason.InvalidClaims).Label($"rejected as {outcome.Reason}");
            }

            // Valid, or revoked/... never: a fresh jti. The identity holds exactly the text that was signed.
            return (outcome.IsValid
                && outcome.Identity.Subject == subject
                && outcome.Identity.TokenId == tokenId
                && outcome.Identity.Roles.SequenceEqual([role])).Label(outcome.ToString());
        });

    private static string HeaderJson() => "{\"alg\":\"HS256\",\"typ\":\"at+jwt\",\"kid\":\"hs-1\"}";

    /// <summary>Strings from every part of UTF-16: ASCII, controls, other planes, U+FFFD itself, and lone surrogates.</summary>
    private static Gen<string> AnyText() =>
        Gen.OneOf(
                Gen.Choose(0x20, 0x7E),
                Gen.Choose(0, 0x1F),
                Gen.Choose(0x80, 0xD7FF),
                Gen.Choose(0xD800, 0xDFFF),
                Gen.Choose(0xE000, 0xFFFF),
                Gen.Constant(0xFFFD))
            .Select(code => (char)code)
            .ArrayOf()
            .Select(chars => new string(chars));

    /// <summary>Whether every surrogate in <paramref name="text"/> is half of a pair (the text is Unicode text).</summary>
    private static bool IsText(string text)
    {
        for (var i = 0; i < text.Length; i++)
        {
            if (char.IsHighSurrogate(text[i]) && i + 1 < text.Length && char.IsLowSurrogate(text[i + 1]))
            {
                i++;
            }
            else if (char.IsSurrogate(text[i]))
            {
                return false;
            }
        }

        return true;
    }
}
