using Microsoft.Extensions.Time.Testing;

namespace RxInfer.Auth.Tests.Development;

public sealed class DevelopmentTokenTests : IDisposable
{
    private readonly FakeTimeProvider _time = new(TestServices.Start);
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
}
