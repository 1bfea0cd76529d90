using Microsoft.Extensions.DependencyInjection;
using RxInfer.Auth;
using static RxInfer.Auth.Tests.Jwt.JwtTestKeys;

namespace RxInfer.Auth.Tests.Jwt;

/// <summary>Retiring, removing and adding keys of the ring.</summary>
public sealed class JwtKeyRotationTests
{
    [Fact]
    public async Task Retired_key_still_validates_and_a_removed_key_does_not()
    {
        using var before = JwtHarness.Hs256(options => options.Keys = [TestKeys.Hs256("old")]);
        var oldToken = (await before.IssueAsync()).Token;

        using var rotated = JwtHarness.Hs256(options => options.Keys = [TestKeys.Hs256("new", TestKeys.OtherHmacSecret), TestKeys.Hs256("old")]);
        using var removed = JwtHarness.Hs256(options => options.Keys = [TestKeys.Hs256("new", TestKeys.OtherHmacSecret)]);

        Assert.True((await rotated.ValidateAsync(oldToken)).IsValid);
        Assert.Equal(TokenRejectionReason.InvalidSignature, await removed.ReasonAsync(oldToken));
    }

    [Fact]
    public async Task Rotation_signs_with_the_new_key_while_old_tokens_stay_valid()
    {
        using var before = JwtHarness.Create(options => options.Keys = [TestKeys.Es256("2029"), TestKeys.Rs256("2030")]);
        var oldToken = (await before.IssueAsync()).Token;

        using var after = JwtHarness.Create(options =>
        {
            options.Keys = [TestKeys.Es256("2029", publicOnly: true), TestKeys.Rs256("2030")];
            options.SigningKeyId = "2030";
        });
        var newToken = (await after.IssueAsync()).Token;

        Assert.Equal("2029", DecodeSegment(Segments(oldToken)[0]).GetProperty("kid").GetString());
        Assert.Equal("2030", DecodeSegment(Segments(newToken)[0]).GetProperty("kid").GetString());
        Assert.Equal("RS256", DecodeSegment(Segments(newToken)[0]).GetProperty("alg").GetString());
        Assert.True((await after.ValidateAsync(oldToken)).IsValid);
        Assert.True((await after.ValidateAsync(newToken)).IsValid);
    }
}
