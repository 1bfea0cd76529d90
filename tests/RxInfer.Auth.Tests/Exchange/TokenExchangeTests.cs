using Microsoft.Extensions.Time.Testing;

namespace RxInfer.Auth.Tests.Exchange;

public sealed class TokenExchangeTests
{
    private readonly FakeTimeProvider _time = TestClock.NewTimeProvider();

    [Fact]
    public async Task Anonymous_issuing_is_on_by_default_with_the_user_role()
    {
        using var services = TestServices.Build(_time);

        var token = await services.GetRequiredService<ITokenExchange>().IssueAnonymousAsync();

        Assert.NotNull(token);
        Assert.Equal(["user"], token.Identity.Roles);
        Assert.True((await services.GetRequiredService<ITokenValidator>().ValidateAsync(token.Token)).IsValid);
    }

    [Fact]
    public async Task Anonymous_issuing_uses_the_configured_default_roles()
    {
        var collection = new ServiceCollection().AddSingleton<TimeProvider>(_time).AddLogging();
        collection.AddRxInferAuth(options => options.DefaultRoles = ["guest", "reader"]);
        using var services = collection.BuildServiceProvider();

        var token = await services.GetRequiredService<ITokenExchange>().IssueAnonymousAsync();

        Assert.Equal(["guest", "reader"], token!.Identity.Roles);
    }

    [Fact]
    public async Task Anonymous_issuing_can_be_turned_off()
    {
        var collection = new ServiceCollection().AddSingleton<TimeProvider>(_time).AddLogging();
        collection.AddRxInferAuth(options => options.AllowAnonymousTokens = false);
        using var services = collection.BuildServiceProvider();

        Assert.Null(await services.GetRequiredService<ITokenExchange>().IssueAnonymousAsync());
    }

    [Fact]
    public async Task Without_a_credential_validator_every_credential_is_refused()
    {
        using var services = TestServices.Build(_time);

        Assert.Null(await services.GetRequiredService<ITokenExchange>().ExchangeCredentialsAsync("alice", "secret"));
    }

    [Fact]
    public async Task Credentials_accepted_by_the_host_validator_give_a_token_for_that_user()
    {
        using var services = TestServices.Build(_time, builder => builder.AddCredentialValidator<OneUserValidator>());
        var exchange = services.GetRequiredService<ITokenExchange>();

        var token = await exchange.ExchangeCredentialsAsync("alice", "correct horse");

        Assert.NotNull(token);
        Assert.Equal("user-42", token.Identity.Subject);
        Assert.Equal(["user", "admin"], token.Identity.Roles);
        Assert.Null(await exchange.ExchangeCredentialsAsync("alice", "wrong"));
    }

    [Fact]
    public async Task A_host_role_resolver_replaces_the_token_roles()
    {
        using var services = TestServices.Build(_time, builder => builder.AddRoleResolver<UpperCaseRoles>());
        var token = await services.GetRequiredService<ITokenIssuer>().IssueAsync(new TokenRequest("alice", ["user"]));

        var roles = await services.GetRequiredService<IRoleResolver>().GetRolesAsync(token.Identity);

        Assert.Equal(["USER"], roles);
    }

    [Fact]
    public async Task The_default_role_resolver_returns_the_token_roles()
    {
        using var services = TestServices.Build(_time);
        var token = await services.GetRequiredService<ITokenIssuer>().IssueAsync(new TokenRequest("alice", ["b", "a"]));

        Assert.Equal(["b", "a"], await services.GetRequiredService<IRoleResolver>().GetRolesAsync(token.Identity));
    }

    private sealed class OneUserValidator : ICredentialValidator
    {
        public ValueTask<TokenSubject?> ValidateAsync(string userName, string password, CancellationToken cancellationToken = default) =>
            new(userName == "alice" && password == "correct horse" ? new TokenSubject("user-42", ["user", "admin"]) : null);
    }

    private sealed class UpperCaseRoles : IRoleResolver
    {
        public ValueTask<IReadOnlyList<string>> GetRolesAsync(TokenIdentity identity, CancellationToken cancellationToken = default) =>
            new(identity.Roles.Select(role => role.ToUpperInvariant()).ToArray());
    }
}
