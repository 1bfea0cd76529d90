using FsCheck;
using FsCheck.Fluent;
using FsCheck.Xunit;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Time.Testing;

namespace RxInfer.Auth.Tests.Contract;

/// <summary>
/// The contract every access-token provider keeps, written once and run on each provider (opaque, JWT):
/// issue-validate round trips, expiry at the exact instant, revocation, tampering, bad input and concurrency.
/// </summary>
public abstract class TokenProviderContractTests : IDisposable
{
    private static readonly string[] UserRoles = ["user"];
    private readonly Lazy<ServiceProvider> _services;

    protected TokenProviderContractTests()
    {
        _services = new(() => TestServices.Build(Time, builder =>
        {
            ConfigureProvider(builder);
            ConfigureMore(builder);
        }));
    }

    /// <summary>The fake clock every provider reads.</summary>
    protected FakeTimeProvider Time { get; } = TestClock.NewTimeProvider();

    /// <summary>The provider's name, as in <see cref="TokenIdentity.IssuedBy"/>.</summary>
    protected abstract string ProviderName { get; }

    protected IServiceProvider Services => _services.Value;

    protected ITokenIssuer Issuer => Services.GetRequiredService<ITokenIssuer>();

    protected ITokenValidator Validator => Services.GetRequiredService<ITokenValidator>();

    protected ITokenRevoker Revoker => Services.GetRequiredService<ITokenRevoker>();

    /// <summary>Chooses and configures the provider under test.</summary>
    protected abstract void ConfigureProvider(RxInferAuthBuilder builder);

    /// <summary>Extra configuration for a derived suite (for example the development token).</summary>
    protected virtual void ConfigureMore(RxInferAuthBuilder builder)
    {
    }

    public void Dispose()
    {
        if (_services.IsValueCreated)
        {
            _services.Value.Dispose();
        }

        GC.SuppressFinalize(this);
    }

    protected async Task<IssuedToken> IssueAsync(string? subject = "alice", IReadOnlyList<string>? roles = null, TimeSpan? lifetime = null) =>
        await Issuer.IssueAsync(new TokenRequest(subject, roles ?? UserRoles) { Lifetime = lifetime });

    [Fact]
    public async Task Issue_then_validate_round_trips_subject_roles_and_expiry()
    {
        var issued = await IssueAsync("alice", ["user", "admin"], TimeSpan.FromMinutes(10));

        var outcome = await Validator.ValidateAsync(issued.Token);

        Assert.True(outcome.IsValid, outcome.ToString());
        Assert.Equal("alice", outcome.Identity.Subject);
        Assert.Equal(["user", "admin"], outcome.Identity.Roles);
        Assert.Equal(issued.Identity.TokenId, outcome.Identity.TokenId);
        Assert.Equal(TestClock.Start + TimeSpan.FromMinutes(10), outcome.Identity.ExpiresAt);
        Assert.Equal(ProviderName, outcome.Identity.IssuedBy);
        Assert.Equal(TokenKind.AccessToken, outcome.Identity.Kind);
        Assert.Equal(TokenRejectionReason.None, outcome.Reason);
    }

    [Fact]
    public async Task The_token_id_is_not_the_token_and_every_token_is_different()
    {
        var first = await IssueAsync();
        var second = await IssueAsync();

        Assert.NotEqual(first.Token, second.Token);
        Assert.NotEqual(first.Identity.TokenId, second.Identity.TokenId);
        Assert.DoesNotContain(first.Identity.TokenId, first.Token, StringComparison.Ordinal);
        Assert.DoesNotContain(first.Token, first.ToString(), StringComparison.Ordinal);
    }

    [Fact]
    public async Task A_request_without_subject_gets_a_new_anonymous_subject()
    {
        var first = await IssueAsync(subject: null);
        var second = await IssueAsync(subject: null);

        Assert.False(string.IsNullOrEmpty(first.Identity.Subject));
        Assert.Equal(first.Identity.TokenId, first.Identity.Subject); // the new subject's id is the token's id
        Assert.NotEqual(first.Identity.Subject, second.Identity.Subject);
        Assert.Equal(first.Identity.Subject, (await Validator.ValidateAsync(first.Token)).Identity?.Subject);
    }

    [Fact]
    public async Task Without_a_lifetime_the_configured_access_token_lifetime_applies()
    {
        var issued = await IssueAsync(lifetime: null);

        Assert.Equal(TestClock.Start + new RxInferAuthOptions().AccessTokenLifetime, issued.Identity.ExpiresAt);
    }

    [Fact]
    public async Task Valid_one_second_before_expiry()
    {
        var issued = await IssueAsync(lifetime: TimeSpan.FromMinutes(5));

        Time.Advance(TimeSpan.FromMinutes(5) - TimeSpan.FromSeconds(1));

        Assert.True((await Validator.ValidateAsync(issued.Token)).IsValid);
    }

    [Fact]
    public async Task Expired_at_the_instant_of_expiry()
    {
        var issued = await IssueAsync(lifetime: TimeSpan.FromMinutes(5));
        Assert.True((await Validator.ValidateAsync(issued.Token)).IsValid);

        Time.Advance(TimeSpan.FromMinutes(5));

        Assert.Equal(TokenRejectionReason.Expired, (await Validator.ValidateAsync(issued.Token)).Reason);
    }

    [Fact]
    public async Task A_token_never_validated_before_is_expired_at_the_instant_of_expiry()
    {
        var issued = await IssueAsync(lifetime: TimeSpan.FromMinutes(5));

        Time.Advance(TimeSpan.FromMinutes(5));

        Assert.Equal(TokenRejectionReason.Expired, (await Validator.ValidateAsync(issued.Token)).Reason);
    }

    [Fact]
    public async Task A_revoked_token_fails_its_next_validation()
    {
        var issued = await IssueAsync();
        Assert.True((await Validator.ValidateAsync(issued.Token)).IsValid);

        Assert.True(await Revoker.RevokeAsync(issued.Identity.TokenId));

        var outcome = await Validator.ValidateAsync(issued.Token);
        Assert.False(outcome.IsValid);
        Assert.Contains(outcome.Reason, new[] { TokenRejectionReason.Revoked, TokenRejectionReason.Unknown });
    }

    [Fact]
    public async Task Revoking_one_token_leaves_the_others_valid()
    {
        var revoked = await IssueAsync("alice");
        var kept = await IssueAsync("alice");

        await Revoker.RevokeAsync(revoked.Identity.TokenId);

        Assert.False((await Validator.ValidateAsync(revoked.Token)).IsValid);
        Assert.True((await Validator.ValidateAsync(kept.Token)).IsValid);
    }

    [Fact]
    public async Task Revoking_a_subject_revokes_all_its_tokens_and_no_one_elses()
    {
        var alice1 = await IssueAsync("alice");
        var alice2 = await IssueAsync("alice");
        var bob = await IssueAsync("bob");

        await Revoker.RevokeSubjectAsync("alice");

        Assert.False((await Validator.ValidateAsync(alice1.Token)).IsValid);
        Assert.False((await Validator.ValidateAsync(alice2.Token)).IsValid);
        Assert.True((await Validator.ValidateAsync(bob.Token)).IsValid);
    }

    [Fact]
    public async Task A_token_issued_to_a_subject_after_its_revocation_is_valid()
    {
        await IssueAsync("alice");
        await Revoker.RevokeSubjectAsync("alice");
        Time.Advance(TimeSpan.FromSeconds(1));

        var fresh = await IssueAsync("alice");

        Assert.True((await Validator.ValidateAsync(fresh.Token)).IsValid);
    }

    [Theory]
    [InlineData(0)]
    [InlineData(5)]
    [InlineData(-1)]
    public async Task Changing_one_character_makes_a_token_invalid(int position)
    {
        var issued = await IssueAsync();
        var index = position >= 0 ? position : issued.Token.Length / 2;
        var chars = issued.Token.ToCharArray();
        chars[index] = chars[index] == 'A' ? 'B' : 'A';

        var outcome = await Validator.ValidateAsync(new string(chars));

        Assert.False(outcome.IsValid);
    }

    [Theory]
    [InlineData("")]
    [InlineData(" ")]
    [InlineData("Bearer")]
    [InlineData("null")]
    [InlineData("rxi_")]
    [InlineData("eyJhbGciOiJub25lIn0.e30.")]
    [InlineData("a.b.c")]
    [InlineData("\0\0\0")]
    [InlineData("\u00e9\u4e2d\ud83d\ude00")]
    public async Task Garbage_is_rejected_without_throwing(string garbage)
    {
        var outcome = await Validator.ValidateAsync(garbage);

        Assert.False(outcome.IsValid);
        Assert.NotEqual(TokenRejectionReason.None, outcome.Reason);
    }

    [Fact]
    public async Task A_huge_token_is_rejected_without_throwing()
    {
        var issued = await IssueAsync();

        var outcome = await Validator.ValidateAsync(issued.Token + new string('A', 1 << 20));

        Assert.False(outcome.IsValid);
    }

    [Fact]
    public async Task Null_is_rejected_as_malformed()
    {
        Assert.Equal(TokenRejectionReason.Malformed, (await Validator.ValidateAsync(null!)).Reason);
    }

    [Property(MaxTest = 1000)]
    public void Any_role_set_round_trips(NonEmptyString[] roles)
    {
        var expected = roles.Select(role => role.Get).Where(role => role.Length > 0).ToArray();
        if (expected.Length == 0)
        {
            expected = ["user"];
        }

        var issued = IssueAsync("alice", expected).GetAwaiter().GetResult();
        var outcome = Validator.ValidateAsync(issued.Token).AsTask().GetAwaiter().GetResult();

        Assert.True(outcome.IsValid);
        Assert.Equal(expected, outcome.Identity.Roles);
    }

    [Property(MaxTest = 1000)]
    public void Arbitrary_strings_never_throw_and_never_validate(string text)
    {
        var outcome = Validator.ValidateAsync(text).AsTask().GetAwaiter().GetResult();

        Assert.False(outcome.IsValid);
        Assert.NotEqual(TokenRejectionReason.None, outcome.Reason);
    }

    [Property(MaxTest = 1000)]
    public Property Arbitrary_unicode_and_control_characters_never_validate() =>
        Prop.ForAll(
            Gen.Elements('\0', '\u0001', '\t', '\n', '\u007f', '\u00e9', '\u200b', '\ud800', '\ufffd', '.', '_', 'a', 'Z', '9')
                .ArrayOf()
                .Select(chars => new string(chars))
                .ToArbitrary(),
            text => !Validator.ValidateAsync(text).AsTask().GetAwaiter().GetResult().IsValid);

    [Fact]
    public async Task Concurrent_issue_validate_and_revoke_keep_every_token_in_its_state()
    {
        const int Workers = 8;
        const int PerWorker = 100;
        var issued = new IssuedToken[Workers * PerWorker];
        var revoked = new bool[issued.Length];
        var failures = new System.Collections.Concurrent.ConcurrentBag<string>();

        await Parallel.ForAsync(0, issued.Length, new ParallelOptions { MaxDegreeOfParallelism = Workers }, async (i, ct) =>
        {
            var token = await Issuer.IssueAsync(new TokenRequest($"subject-{i % 7}", UserRoles), ct);
            issued[i] = token;
            if (!(await Validator.ValidateAsync(token.Token, ct)).IsValid)
            {
                failures.Add($"token {i} did not validate after issue");
            }

            if (i % 3 == 0)
            {
                await Revoker.RevokeAsync(token.Identity.TokenId, ct);
                revoked[i] = true;
                if ((await Validator.ValidateAsync(token.Token, ct)).IsValid)
                {
                    failures.Add($"token {i} validated after revocation");
                }
            }
        });

        for (var i = 0; i < issued.Length; i++)
        {
            var valid = (await Validator.ValidateAsync(issued[i].Token)).IsValid;
            if (valid == revoked[i])
            {
                failures.Add($"token {i}: revoked={revoked[i]} but valid={valid}");
            }
        }

        Assert.Empty(failures);
    }
}
