using System.Text;
using FsCheck;
using FsCheck.Fluent;
using FsCheck.Xunit;
using Microsoft.Extensions.Time.Testing;

namespace RxInfer.Auth.Tests.Development;

public sealed class DevelopmentTokenTests : IDisposable
{
    private readonly FakeTimeProvider _time = TestClock.NewTimeProvider();
    private readonly ServiceProvider _enabled;

    public DevelopmentTokenTests() => _enabled = TestServices.Build(_time, builder => builder.AddDevelopmentToken());

    public void Dispose() => _enabled.Dispose();

    private async Task<TokenValidationOutcome> ValidateAsync(string token) =>
        await _enabled.GetRequiredService<ITokenValidator>().ValidateAsync(token);

    [Fact]
    public async Task The_development_token_is_off_by_default()
    {
        using var services = TestServices.Build(_time);

        var outcome = await services.GetRequiredService<ITokenValidator>().ValidateAsync("dev-token");

        Assert.Equal(TokenRejectionReason.Malformed, outcome.Reason);
    }

    [Fact]
    public async Task Dev_token_authenticates_with_the_user_role()
    {
        var outcome = await ValidateAsync("dev-token");

        Assert.True(outcome.IsValid);
        Assert.Equal("dev-token", outcome.Identity.Subject);
        Assert.Equal(["user"], outcome.Identity.Roles);
        Assert.Equal(TokenIdentity.NeverExpires, outcome.Identity.ExpiresAt);
    }

    [Fact]
    public async Task Dev_token_with_roles_authenticates_with_those_roles_in_order()
    {
        var outcome = await ValidateAsync("dev-token:r2,r1,admin");

        Assert.True(outcome.IsValid);
        Assert.Equal(["r2", "r1", "admin"], outcome.Identity.Roles);
    }

    [Fact]
    public async Task Every_variant_is_the_same_identity()
    {
        var plain = await ValidateAsync("dev-token");
        var withRoles = await ValidateAsync("dev-token:admin");

        Assert.Equal(plain.Identity!.Subject, withRoles.Identity!.Subject);
    }

    [Fact]
    public async Task The_development_token_never_expires()
    {
        _time.Advance(TimeSpan.FromDays(10_000));

        Assert.True((await ValidateAsync("dev-token")).IsValid);
    }

    [Theory]
    [InlineData("dev-token:a:b")]
    [InlineData("dev-token:")]
    [InlineData("dev-token:a,,b")]
    [InlineData("dev-token:a,")]
    [InlineData("dev-tokens")]
    [InlineData("Dev-Token")]
    [InlineData(" dev-token")]
    [InlineData("dev-token:a\nb")]
    public async Task Near_misses_are_not_development_tokens(string token)
    {
        Assert.False((await ValidateAsync(token)).IsValid);
    }

    /// <summary>Roles that are not Unicode text, as UTF-16 code units (xunit cannot carry lone surrogates in strings).</summary>
    public static TheoryData<int[]> RolesThatAreNotText => new()
    {
        new[] { 0xD800 },
        new[] { 0xDC00 },
        new[] { 'a', 0xD800, 'b' },
        new[] { 0xDFFF, 0xD800 },
        new[] { 'u', 's', 'e', 'r', 0xD83D },
    };

    [Theory]
    [MemberData(nameof(RolesThatAreNotText))]
    public async Task A_role_with_a_lone_surrogate_is_not_a_development_token(int[] role)
    {
        var text = new string([.. role.Select(static c => (char)c)]);

        Assert.False((await ValidateAsync("dev-token:" + text)).IsValid);
        Assert.False((await ValidateAsync("dev-token:user," + text)).IsValid);
    }

    [Property(MaxTest = 1000)]
    public Property Any_roles_text_is_taken_exactly_or_refused() =>
        Prop.ForAll(
            Gen.OneOf(Gen.Choose(0x20, 0x7E), Gen.Choose(0, 0x1F), Gen.Choose(0x80, 0xD7FF), Gen.Choose(0xD800, 0xDFFF), Gen.Choose(0xE000, 0xFFFF), Gen.Constant((int)','))
                .Select(static code => (char)code)
                .ArrayOf()
                .Select(static chars => new string(chars))
                .ToArbitrary(),
            roles =>
            {
                var outcome = ValidateAsync("dev-token:" + roles).GetAwaiter().GetResult();
                var expected = roles.Split(',');
                var acceptable = Array.TrueForAll(expected, role => role.Length > 0
                    && !role.Any(char.IsControl)
                    && !role.Contains(':', StringComparison.Ordinal)
                    && Encoding.UTF8.GetString(Encoding.UTF8.GetBytes(role)) == role); // no lone surrogate
                return acceptable
                    ? (outcome.IsValid && outcome.Identity.Roles.SequenceEqual(expected)).Label(outcome.ToString())
                    : (!outcome.IsValid).Label(outcome.ToString());
            });
}
