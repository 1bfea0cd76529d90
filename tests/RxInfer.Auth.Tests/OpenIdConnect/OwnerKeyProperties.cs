using FsCheck;
using FsCheck.Fluent;
using FsCheck.Xunit;
using RxInfer.Auth.Tests.Jwt;
using static RxInfer.Auth.Tests.Jwt.JwtTestKeys;

namespace RxInfer.Auth.Tests.OpenIdConnect;

/// <summary>
/// The owner keys of <see cref="TokenOwner"/> cannot collide: no subject of ours equals an external identity's key,
/// and two distinct (issuer, subject) pairs never share one. Our subjects refuse every C0 control character wherever
/// they are made or accepted.
/// </summary>
public sealed class OwnerKeyProperties
{
    /// <summary>Strings drawn mostly from a tiny alphabet with the separator and other control characters, so collisions would be found.</summary>
    private static Gen<string> TextGen() =>
        Gen.Elements('a', 'b', '/', ':', TokenOwner.Separator, '\u0000', '\u001E', '\u007F', 'é')
            .ArrayOf()
            .Select(static chars => new string(chars));

    private static Arbitrary<string> Texts() => TextGen().ToArbitrary();

    private static Arbitrary<(string, string, string, string)> FourTexts() =>
        (from a in TextGen() from b in TextGen() from c in TextGen() from d in TextGen() select (a, b, c, d)).ToArbitrary();

    [Property(MaxTest = 2000)]
    public Property No_local_subject_and_no_two_distinct_issuer_subject_pairs_share_an_owner_key() =>
        Prop.ForAll(FourTexts(), static texts =>
        {
            var (issuer1, subject1, issuer2, subject2) = texts;
            var local = TryOf(null, subject1);
            var first = TryOf(issuer1, subject1);
            var second = TryOf(issuer2, subject2);
            var distinctPairs = issuer1 != issuer2 || subject1 != subject2;
            return (local is null || first is null || local != first)
                && (local is null || second is null || local != second)
                && (first is null || second is null || !distinctPairs || first != second)
                && (first is null || TokenOwner.IsValidOwner(first))
                && (local is null || TokenOwner.IsValidOwner(local));
        });

    [Property(MaxTest = 1000)]
    public Property An_owner_key_is_made_exactly_when_issuer_and_subject_hold_no_control_character() =>
        Prop.ForAll(Texts(), Texts(), (issuer, subject) =>
        {
            var valid = Valid(issuer) && Valid(subject);
            return (TryOf(issuer, subject) is not null) == valid && TokenOwner.IsValidSubject(subject) == Valid(subject);
        });

    [Theory]
    [InlineData("a\u0000b")]
    [InlineData("a\u001Fb")]
    [InlineData("\u0001")]
    [InlineData("tab\there")]
    [InlineData("")]
    public async Task A_subject_of_ours_with_a_control_character_is_refused_when_a_token_or_an_api_key_is_made(string subject)
    {
        Assert.Throws<ArgumentException>(() => new TokenRequest(subject, ["user"]));
        await using var services = new ServiceCollection().AddLogging().AddRxInferAuth().Services.BuildServiceProvider();
        await Assert.ThrowsAnyAsync<ArgumentException>(async () => await services.GetRequiredService<IApiKeyService>().CreateAsync(subject, ["user"]));
    }

    [Fact]
    public async Task A_JWT_signed_with_our_key_whose_sub_holds_the_separator_is_refused_as_invalid_claims()
    {
        using var jwt = JwtHarness.Hs256();
        var good = Payload(TestClock.Start);
        var bad = Payload(TestClock.Start);
        bad["sub"] = "openiddict" + TokenOwner.Separator + "alice";

        Assert.True((await jwt.ValidateAsync(SignHs256(Header(), good, TestKeys.HmacSecret))).IsValid);
        Assert.Equal(TokenRejectionReason.InvalidClaims, await jwt.ReasonAsync(SignHs256(Header(), bad, TestKeys.HmacSecret)));
    }

    [Fact]
    public void An_external_identity_owns_by_issuer_and_subject_and_ours_by_subject()
    {
        var external = TokenIdentity.External("openiddict", "alice", "j-1", ["user"], TestClock.Start);
        var ours = new TokenIdentity("alice", "j-1", ["user"], TestClock.Start, "jwt");

        Assert.Equal("openiddict\u001Falice", external.Owner);
        Assert.Equal("alice", external.Subject);
        Assert.Equal("openiddict", external.Issuer);
        Assert.Equal("alice", ours.Owner);
        Assert.Null(ours.Issuer);
    }

    private static bool Valid(string text) => text.Length > 0 && !text.Any(static c => c <= '\u001F');

    private static string? TryOf(string? issuer, string subject)
    {
        try
        {
            return TokenOwner.Of(issuer, subject);
        }
        catch (ArgumentException)
        {
            return null;
        }
    }
}
