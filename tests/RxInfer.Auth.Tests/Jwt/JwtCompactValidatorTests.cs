using static RxInfer.Auth.Tests.Jwt.JwtTestKeys;

namespace RxInfer.Auth.Tests.Jwt;

/// <summary>The validator of a token not seen before, through the provider: what it refuses before any JSON is read.</summary>
public sealed class JwtCompactValidatorTests : IDisposable
{
    private readonly JwtHarness _jwt = JwtHarness.Hs256();

    public void Dispose() => _jwt.Dispose();

    [Theory]
    [InlineData("e")] // a length base64 cannot have
    [InlineData("e3*0")]
    [InlineData("e3+0")]
    [InlineData("e3==")] // padding
    public async Task A_payload_segment_that_is_not_base64url_is_malformed(string encodedPayload)
    {
        var segments = Segments((await _jwt.IssueAsync()).Token);

        Assert.Equal(TokenRejectionReason.Malformed, await _jwt.ReasonAsync(segments[0] + "." + encodedPayload + "." + segments[2]));
    }

    [Fact]
    public async Task A_payload_that_is_not_a_JSON_object_is_malformed_even_when_signed()
    {
        var token = SignHs256Raw("{\"alg\":\"HS256\",\"typ\":\"at+jwt\",\"kid\":\"hs-1\"}", "[]");

        Assert.Equal(TokenRejectionReason.Malformed, await _jwt.ReasonAsync(token));
    }
}
