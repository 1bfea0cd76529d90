using static RxInfer.Auth.Tests.Jwt.JwtTestKeys;

namespace RxInfer.Auth.Tests.Jwt;

/// <summary>
/// RFC 7515 §4.1.11: a JWS whose <c>crit</c> header lists an extension the validator does not understand (it
/// understands none), or whose <c>crit</c> is not a non-empty array of strings, is invalid. Every token here is
/// signed with the ring's key after its header is set, so the signature is never what rejects it.
/// </summary>
public sealed class JwtCriticalHeaderTests
{
    private const string Header = "\"alg\":\"HS256\",\"typ\":\"at+jwt\",\"kid\":\"hs-1\"";

    public static TheoryData<string, TokenRejectionReason> CritShapes => new()
    {
        { "", TokenRejectionReason.None }, // absent
        { ",\"crit\":[\"b64\"],\"b64\":false", TokenRejectionReason.UnsupportedCriticalExtension }, // RFC 7797, not understood
        { ",\"crit\":[\"x\"],\"x\":1", TokenRejectionReason.UnsupportedCriticalExtension },
        { ",\"crit\":[\"x\"]", TokenRejectionReason.UnsupportedCriticalExtension }, // listed but absent
        { ",\"crit\":[\"exp\"]", TokenRejectionReason.UnsupportedCriticalExtension },
        { ",\"crit\":[\"x\",\"y\"],\"x\":1,\"y\":2", TokenRejectionReason.UnsupportedCriticalExtension },
        { ",\"crit\":[\"\"]", TokenRejectionReason.UnsupportedCriticalExtension },
        { ",\"\\u0063rit\":[\"x\"]", TokenRejectionReason.UnsupportedCriticalExtension }, // the name escaped
        { ",\"crit\":[]", TokenRejectionReason.Malformed },
        { ",\"crit\":\"b64\"", TokenRejectionReason.Malformed },
        { ",\"crit\":[1]", TokenRejectionReason.Malformed },
        { ",\"crit\":[\"x\",1]", TokenRejectionReason.Malformed },
        { ",\"crit\":[null]", TokenRejectionReason.Malformed },
        { ",\"crit\":[[\"x\"]]", TokenRejectionReason.Malformed },
        { ",\"crit\":null", TokenRejectionReason.Malformed },
        { ",\"crit\":{}", TokenRejectionReason.Malformed },
        { ",\"crit\":{\"x\":1}", TokenRejectionReason.Malformed },
        { ",\"crit\":true", TokenRejectionReason.Malformed },
        { ",\"crit\":1", TokenRejectionReason.Malformed },
        { ",\"crit\":[\"x\"],\"crit\":null", TokenRejectionReason.Malformed }, // a duplicate: the last one counts
    };

    [Theory]
    [MemberData(nameof(CritShapes))]
    public async Task Crit_is_honoured(string crit, TokenRejectionReason expected)
    {
        using var jwt = JwtHarness.Hs256();
        var token = SignHs256Raw("{" + Header + crit + "}", PayloadJson(TestClock.Start));

        var outcome = await jwt.ValidateAsync(token);

        Assert.Equal(expected, outcome.Reason);
        Assert.Equal(expected == TokenRejectionReason.None, outcome.IsValid);
    }

    [Fact]
    public async Task A_crit_token_is_rejected_on_every_use()
    {
        using var jwt = JwtHarness.Hs256();
        var token = SignHs256Raw("{" + Header + ",\"crit\":[\"x\"],\"x\":1}", PayloadJson(TestClock.Start));

        Assert.Equal(TokenRejectionReason.UnsupportedCriticalExtension, await jwt.ReasonAsync(token));
        Assert.Equal(TokenRejectionReason.UnsupportedCriticalExtension, await jwt.ReasonAsync(token));
    }
}
