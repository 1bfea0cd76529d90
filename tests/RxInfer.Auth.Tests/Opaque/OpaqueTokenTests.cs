using FsCheck;
using FsCheck.Fluent;
using FsCheck.Xunit;
using Microsoft.Extensions.Options;
using Microsoft.Extensions.Time.Testing;

namespace RxInfer.Auth.Tests.Opaque;

public sealed class OpaqueTokenTests : IDisposable
{
    private const string Base62 = "0123456789ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz";
    private static readonly string[] UserRoles = ["user"];

    private readonly FakeTimeProvider _time = TestClock.NewTimeProvider();
    private readonly RecordingStore _store;
    private readonly ServiceProvider _services;

    public OpaqueTokenTests()
    {
        _store = new RecordingStore(_time);
        _services = TestServices.Build(_time, services: s => s.AddSingleton<IOpaqueTokenStore>(_store));
    }

    private ITokenIssuer Issuer => _services.GetRequiredService<ITokenIssuer>();

    private ITokenValidator Validator => _services.GetRequiredService<ITokenValidator>();

    public void Dispose() => _services.Dispose();

    private IssuedToken Issue() => Issuer.IssueAsync(new TokenRequest("alice", UserRoles)).AsTask().GetAwaiter().GetResult();

    private TokenValidationOutcome Validate(string token) => Validator.ValidateAsync(token).AsTask().GetAwaiter().GetResult();

    [Fact]
    public void A_token_is_the_prefix_43_random_and_6_checksum_base62_characters()
    {
        var token = Issue().Token;

        Assert.StartsWith("rxi_", token, StringComparison.Ordinal);
        Assert.Equal(4 + 43 + 6, token.Length);
        Assert.All(token[4..], c => Assert.Contains(c, Base62));
    }

    [Fact]
    public void The_checksum_is_the_crc32_of_the_random_part_in_base62()
    {
        var token = Issue().Token;
        var random = token.Substring(4, 43);

        // CRC-32 (IEEE 802.3) computed independently of the production code: bitwise, reflected polynomial 0xEDB88320.
        var crc = 0xFFFFFFFFu;
        foreach (var c in random)
        {
            crc ^= c;
            for (var bit = 0; bit < 8; bit++)
            {
                crc = (crc & 1) != 0 ? (crc >> 1) ^ 0xEDB88320u : crc >> 1;
            }
        }

        crc ^= 0xFFFFFFFFu;
        var expected = new char[6];
        for (var i = 5; i >= 0; i--)
        {
            expected[i] = Base62[(int)(crc % 62)];
            crc /= 62;
        }

        Assert.Equal(new string(expected), token[^6..]);
    }

    [Fact]
    public void The_store_keeps_the_sha256_of_the_token_never_the_token()
    {
        var issued = Issue();

        var (hash, identity) = Assert.Single(_store.Added);
        var expected = Convert.ToHexStringLower(System.Security.Cryptography.SHA256.HashData(System.Text.Encoding.UTF8.GetBytes(issued.Token)));
        Assert.Equal(expected, hash.ToString());
        Assert.DoesNotContain(issued.Token, identity.ToString(), StringComparison.Ordinal);
        Assert.DoesNotContain(issued.Token, identity.TokenId, StringComparison.Ordinal);
    }

    [Theory]
    [InlineData("wrong prefix")]
    [InlineData("too short")]
    [InlineData("too long")]
    [InlineData("not base62")]
    [InlineData("bad checksum")]
    public void A_malformed_token_is_rejected_before_any_lookup(string defect)
    {
        var token = Issue().Token;
        var bad = defect switch
        {
            "wrong prefix" => "rxj_" + token[4..],
            "too short" => token[..^1],
            "too long" => token + "0",
            "not base62" => token[..10] + "-" + token[11..],
            _ => token[..^1] + (token[^1] == '0' ? '1' : '0'),
        };
        _store.Lookups = 0;

        var outcome = Validate(bad);

        Assert.Equal(TokenRejectionReason.Malformed, outcome.Reason);
        Assert.Equal(0, _store.Lookups);
    }

    [Fact]
    public async Task A_well_formed_token_that_was_never_issued_is_unknown()
    {
        // A correctly checksummed token that this store never saw: issued by a second, independent host.
        using var otherServices = TestServices.Build(TestClock.NewTimeProvider());
        var stranger = await otherServices.GetRequiredService<ITokenIssuer>().IssueAsync(new TokenRequest("mallory", UserRoles));

        Assert.Equal(TokenRejectionReason.Unknown, Validate(stranger.Token).Reason);
    }

    [Property(MaxTest = 1000)]
    public Property Changing_any_single_character_makes_a_valid_token_invalid() =>
        Prop.ForAll(
            Gen.Choose(0, 52).Zip(Gen.Elements((Base62 + "_-+/=. \0\u00e9").ToCharArray())).ToArbitrary(),
            change =>
            {
                var token = Issue().Token;
                var (index, replacement) = change;
                if (token[index] == replacement)
                {
                    return true;
                }

                var chars = token.ToCharArray();
                chars[index] = replacement;
                return !Validate(new string(chars)).IsValid;
            });

    [Fact]
    public async Task The_prefix_is_configurable()
    {
        using var services = TestServices.Build(_time, builder => builder.AddOpaqueTokens(options => options.Prefix = "acme_"));
        var issued = await services.GetRequiredService<ITokenIssuer>().IssueAsync(new TokenRequest("alice", UserRoles));

        Assert.StartsWith("acme_", issued.Token, StringComparison.Ordinal);
        Assert.Equal(5 + 49, issued.Token.Length);
        Assert.True((await services.GetRequiredService<ITokenValidator>().ValidateAsync(issued.Token)).IsValid);
        Assert.Equal(TokenRejectionReason.Malformed, Validate(issued.Token).Reason);
    }

    [Theory]
    [InlineData("")]
    [InlineData("rxi")]
    [InlineData("_")]
    [InlineData("1x_")]
    [InlineData("rx-i_")]
    [InlineData("averyveryverylongprefix_")]
    public async Task An_invalid_prefix_fails_at_start_naming_the_setting(string prefix)
    {
        var collection = new ServiceCollection();
        collection.AddRxInferAuth().AddOpaqueTokens(options => options.Prefix = prefix);

        var error = await TestHost.StartFailureAsync(collection);

        Assert.Contains($"OpaqueTokenOptions.Prefix '{prefix}' is not valid.", error.Message, StringComparison.Ordinal);
    }

    [Fact]
    public async Task Expired_tokens_are_swept_from_the_store()
    {
        var store = new InMemoryOpaqueTokenStore(_time);
        using var services = TestServices.Build(_time, services: s => s.AddSingleton<IOpaqueTokenStore>(store));
        var issuer = services.GetRequiredService<ITokenIssuer>();
        for (var i = 0; i < 10; i++)
        {
            await issuer.IssueAsync(new TokenRequest("alice", UserRoles) { Lifetime = TimeSpan.FromSeconds(30) });
        }

        Assert.Equal(10, store.Count);

        _time.Advance(PeriodicSweep.Interval + TimeSpan.FromSeconds(1));
        await issuer.IssueAsync(new TokenRequest("alice", UserRoles));

        Assert.Equal(1, store.Count);
    }

    [Fact]
    public async Task Revoking_by_subject_counts_the_tokens_removed()
    {
        Issue();
        Issue();
        var revoker = _services.GetRequiredService<ITokenRevoker>();

        Assert.Equal(2, await revoker.RevokeSubjectAsync("alice"));
        Assert.Equal(0, await revoker.RevokeSubjectAsync("alice"));
        Assert.False(await revoker.RevokeAsync("no-such-id"));
    }

    [Fact]
    public async Task Changing_the_roles_list_after_issuing_does_not_change_the_token_roles()
    {
        var roles = new List<string> { "user" };
        var issued = await Issuer.IssueAsync(new TokenRequest("alice", roles));

        roles[0] = "admin";
        roles.Add("root");

        Assert.Equal(["user"], Validate(issued.Token).Identity!.Roles);
    }

    [Fact]
    public async Task Tokens_with_the_same_roles_share_one_roles_list()
    {
        var first = await Issuer.IssueAsync(new TokenRequest("alice", ["user", "admin"]));
        var second = await Issuer.IssueAsync(new TokenRequest("bob", new List<string> { "user", "admin" }));
        var other = await Issuer.IssueAsync(new TokenRequest("carol", ["user"]));

        Assert.Same(first.Identity.Roles, second.Identity.Roles);
        Assert.NotSame(first.Identity.Roles, other.Identity.Roles);
    }

    [Fact]
    public async Task An_empty_role_is_refused_at_issue()
    {
        await Assert.ThrowsAsync<ArgumentException>(async () => await Issuer.IssueAsync(new TokenRequest("alice", ["user", ""])));
    }

    /// <summary>The in-memory store, recording what it is given and how often it is asked.</summary>
    private sealed class RecordingStore(TimeProvider time) : IOpaqueTokenStore
    {
        private readonly InMemoryOpaqueTokenStore _inner = new(time);

        public List<(TokenHash Hash, TokenIdentity Identity)> Added { get; } = [];

        public int Lookups { get; set; }

        public ValueTask AddAsync(TokenHash hash, TokenIdentity identity, CancellationToken cancellationToken = default)
        {
            Added.Add((hash, identity));
            return _inner.AddAsync(hash, identity, cancellationToken);
        }

        public ValueTask<bool> TryAddAsync(TokenHash hash, TokenIdentity identity, int maxTokens, CancellationToken cancellationToken = default)
        {
            Added.Add((hash, identity));
            return _inner.TryAddAsync(hash, identity, maxTokens, cancellationToken);
        }

        public ValueTask<TokenIdentity?> FindAsync(TokenHash hash, CancellationToken cancellationToken = default)
        {
            Lookups++;
            return _inner.FindAsync(hash, cancellationToken);
        }

        public ValueTask<bool> RemoveByIdAsync(string tokenId, CancellationToken cancellationToken = default) => _inner.RemoveByIdAsync(tokenId, cancellationToken);

        public ValueTask<int> RemoveBySubjectAsync(string subject, CancellationToken cancellationToken = default) => _inner.RemoveBySubjectAsync(subject, cancellationToken);
    }
}
