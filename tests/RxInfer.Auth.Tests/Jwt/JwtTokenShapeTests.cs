using Microsoft.Extensions.DependencyInjection;
using RxInfer.Auth;
using static RxInfer.Auth.Tests.Jwt.JwtTestKeys;

namespace RxInfer.Auth.Tests.Jwt;

/// <summary>Text that is too long or not three segments is refused before any parsing of its content.</summary>
public sealed class JwtTokenShapeTests
{
    [Fact]
    public async Task Token_over_the_maximum_length_is_too_large()
    {
        using var jwt = JwtHarness.Hs256(options => options.MaxTokenLength = 64);
        var issued = await jwt.IssueAsync();

        Assert.True(issued.Token.Length > 64);
        Assert.Equal(TokenRejectionReason.TooLarge, await jwt.ReasonAsync(issued.Token));
    }

    [Fact]
    public async Task Text_one_over_the_default_maximum_is_too_large_and_at_it_is_not()
    {
        using var jwt = JwtHarness.Hs256();

        Assert.Equal(TokenRejectionReason.TooLarge, await jwt.ReasonAsync(new string('a', JwtTokenOptions.DefaultMaxTokenLength + 1)));
        Assert.Equal(TokenRejectionReason.Malformed, await jwt.ReasonAsync(new string('a', JwtTokenOptions.DefaultMaxTokenLength)));
    }

    [Theory]
    [InlineData("")]
    [InlineData(".")]
    [InlineData("..")]
    [InlineData("...")]
    [InlineData("abc")]
    [InlineData("eyJhbGciOiJIUzI1NiJ9..c2ln")]
    [InlineData(".eyJzdWIiOiJhIn0.c2ln")]
    [InlineData("!!!.@@@.###")]
    [InlineData("eyJhbGc iOiJIUzI1NiJ9.e30.c2ln")]
    [InlineData("eyJhbGciOiJIUzI1NiJ9.e30=.c2ln")]
    [InlineData("Zm9v.YmFy.YmF6")]
    [InlineData("bm90IGpzb24.bm90IGpzb24.c2ln")]
    public async Task Garbage_is_malformed(string token)
    {
        using var jwt = JwtHarness.Hs256();

        Assert.Equal(TokenRejectionReason.Malformed, await jwt.ReasonAsync(token));
    }

    [Fact]
    public async Task Truncated_token_of_two_segments_is_malformed()
    {
        using var jwt = JwtHarness.Hs256();
        var parts = Segments((await jwt.IssueAsync()).Token);

        Assert.Equal(TokenRejectionReason.Malformed, await jwt.ReasonAsync(parts[0] + "." + parts[1]));
    }

    [Fact]
    public async Task Token_with_an_extra_segment_is_malformed()
    {
        using var jwt = JwtHarness.Hs256();
        var token = (await jwt.IssueAsync()).Token;

        Assert.Equal(TokenRejectionReason.Malformed, await jwt.ReasonAsync(token + ".c2ln"));
    }

    [Fact]
    public async Task JWE_shaped_text_of_five_segments_is_malformed()
    {
        using var jwt = JwtHarness.Hs256();
        var header = Encode(new Dictionary<string, object> { ["alg"] = "dir", ["enc"] = "A256GCM", ["kid"] = "hs-1" });
        var jwe = header + "..aXZpdml2aXZpdg.Y2lwaGVydGV4dA.dGFndGFndGFn";

        Assert.Equal(TokenRejectionReason.Malformed, await jwt.ReasonAsync(jwe));
    }
}
