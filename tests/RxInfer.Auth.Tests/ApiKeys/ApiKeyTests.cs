using System.Security.Cryptography;
using FsCheck;
using FsCheck.Fluent;
using FsCheck.Xunit;
using System.Text;
using Microsoft.Extensions.Options;
using Microsoft.Extensions.Time.Testing;

namespace RxInfer.Auth.Tests.ApiKeys;

public sealed class ApiKeyTests
{
    private static readonly string[] Analyst = ["analyst"];
    private readonly FakeTimeProvider _time = TestClock.NewTimeProvider();

    [Fact]
    public async Task A_created_key_exchanges_for_an_access_token_with_the_keys_subject_and_roles()
    {
        using var services = TestServices.Build(_time);
        var key = await services.GetRequiredService<IApiKeyService>().CreateAsync("service-a", Analyst);

        var token = await services.GetRequiredService<ITokenExchange>().ExchangeApiKeyAsync(key.Token);

        Assert.NotNull(token);
        Assert.StartsWith("rxk_", key.Token, StringComparison.Ordinal);
        Assert.Equal(TokenKind.ApiKey, key.Identity.Kind);
        var outcome = await services.GetRequiredService<ITokenValidator>().ValidateAsync(token.Token);
        Assert.True(outcome.IsValid);
        Assert.Equal("service-a", outcome.Identity.Subject);
        Assert.Equal(Analyst, outcome.Identity.Roles);
        Assert.Equal(TokenKind.AccessToken, outcome.Identity.Kind);
    }

    [Fact]
    public async Task A_key_is_not_a_bearer_token_and_a_bearer_token_is_not_a_key()
    {
        using var services = TestServices.Build(_time);
        var key = await services.GetRequiredService<IApiKeyService>().CreateAsync("service-a", Analyst);
        var access = await services.GetRequiredService<ITokenIssuer>().IssueAsync(new TokenRequest("alice", Analyst));

        Assert.False((await services.GetRequiredService<ITokenValidator>().ValidateAsync(key.Token)).IsValid);
        Assert.False((await services.GetRequiredService<IApiKeyService>().ValidateAsync(access.Token)).IsValid);
        Assert.Null(await services.GetRequiredService<ITokenExchange>().ExchangeApiKeyAsync(access.Token));
    }

    [Fact]
    public async Task A_revoked_key_no_longer_exchanges()
    {
        using var services = TestServices.Build(_time);
        var keys = services.GetRequiredService<IApiKeyService>();
        var key = await keys.CreateAsync("service-a", Analyst);

        Assert.True(await keys.RevokeAsync(key.Identity.TokenId));

        Assert.Null(await services.GetRequiredService<ITokenExchange>().ExchangeApiKeyAsync(key.Token));
    }

    [Fact]
    public async Task An_expired_key_no_longer_exchanges()
    {
        using var services = TestServices.Build(_time);
        var key = await services.GetRequiredService<IApiKeyService>().CreateAsync("service-a", Analyst, TimeSpan.FromDays(1));

        _time.Advance(TimeSpan.FromDays(1));

        Assert.Equal(TokenRejectionReason.Expired, (await services.GetRequiredService<IApiKeyService>().ValidateAsync(key.Token)).Reason);
        Assert.Null(await services.GetRequiredService<ITokenExchange>().ExchangeApiKeyAsync(key.Token));
    }

    [Fact]
    public async Task A_key_configured_by_its_hash_exchanges_and_can_be_revoked_by_its_id()
    {
        // Make a well-formed key with one host, then configure a second host with only its SHA-256.
        using var maker = TestServices.Build(_time);
        var key = (await maker.GetRequiredService<IApiKeyService>().CreateAsync("unused", Analyst)).Token;
        var sha256 = Convert.ToHexString(SHA256.HashData(Encoding.UTF8.GetBytes(key)));
        using var services = TestServices.Build(_time, builder => builder.AddApiKeys(options => options.Keys =
        [
            new ConfiguredApiKey { Id = "ci", Subject = "ci-bot", Roles = ["deployer"], Sha256 = sha256 },
        ]));
        var exchange = services.GetRequiredService<ITokenExchange>();

        var token = await exchange.ExchangeApiKeyAsync(key);

        Assert.NotNull(token);
        Assert.Equal("ci-bot", token.Identity.Subject);
        Assert.Equal(["deployer"], token.Identity.Roles);
        Assert.True(await services.GetRequiredService<IApiKeyService>().RevokeAsync("ci"));
        Assert.Null(await exchange.ExchangeApiKeyAsync(key));
    }

    [Fact]
    public async Task Configured_keys_are_checked_at_start_with_messages_that_name_the_setting()
    {
        var collection = new ServiceCollection();
        collection.AddRxInferAuth().AddApiKeys(options => options.Keys =
        [
            new ConfiguredApiKey { Id = "a", Subject = "s", Sha256 = "not-hex" },
            new ConfiguredApiKey { Id = "a", Subject = "", Roles = [], Sha256 = new string('0', 64) },
        ]);

        var error = await TestHost.StartFailureAsync(collection);

        Assert.Contains("ApiKeyOptions.Keys[0].Sha256 must be the SHA-256 of the key", error.Message, StringComparison.Ordinal);
        Assert.Contains("ApiKeyOptions.Keys[1].Id 'a' is used by another key", error.Message, StringComparison.Ordinal);
        Assert.Contains("ApiKeyOptions.Keys[1].Subject is required", error.Message, StringComparison.Ordinal);
        Assert.Contains("ApiKeyOptions.Keys[1].Roles must name at least one role", error.Message, StringComparison.Ordinal);
    }

    [Fact]
    public async Task Many_configured_keys_all_work_when_their_first_use_is_concurrent()
    {
        const int Count = 2000;
        const int Rounds = 5; // A race shows in some runs only: several fresh hosts make a pass by luck unlikely.
        var format = new OpaqueTokenFormat(RxInferAuthDefaults.ApiKeyPrefix);
        var texts = Enumerable.Range(0, Count).Select(_ => format.Create()).ToArray();
        for (var round = 0; round < Rounds; round++)
        {
            using var services = TestServices.Build(_time, builder => builder.AddApiKeys(options => options.Keys =
                [.. texts.Select((text, i) => new ConfiguredApiKey { Id = $"key-{i}", Subject = $"service-{i}", Roles = ["user"], Sha256 = Sha256Hex(text) })]));
            var keys = services.GetRequiredService<IApiKeyService>();
            using var start = new Barrier(Math.Max(8, Environment.ProcessorCount * 4));

            // Every worker, on a thread of its own, is released at once: all of them meet the not-yet-loaded keys together.
            var outcomes = await Task.WhenAll(Enumerable.Range(0, start.ParticipantCount).Select(worker => Task.Factory.StartNew(
                () =>
                {
                    start.SignalAndWait();
                    return keys.ValidateAsync(texts[worker * 7 % Count]).AsTask().GetAwaiter().GetResult();
                },
                CancellationToken.None,
                TaskCreationOptions.LongRunning,
                TaskScheduler.Default)));

            Assert.All(outcomes, outcome => Assert.True(outcome.IsValid, outcome.ToString()));
            for (var i = 0; i < Count; i++)
            {
                var outcome = await keys.ValidateAsync(texts[i]);
                Assert.True(outcome.IsValid, $"round {round}, key {i}: {outcome}");
                Assert.Equal($"service-{i}", outcome.Identity.Subject);
            }
        }
    }

    [Fact]
    public async Task A_failed_load_of_the_configured_keys_is_retried_on_the_next_use()
    {
        var key = new OpaqueTokenFormat(RxInferAuthDefaults.ApiKeyPrefix).Create();
        var store = new FailingOnceStore(_time);
        using var services = TestServices.Build(
            _time,
            builder => builder.AddApiKeys(options => options.Keys = [new ConfiguredApiKey { Id = "ci", Subject = "ci-bot", Roles = ["deployer"], Sha256 = Sha256Hex(key) }]),
            collection => collection.AddSingleton<IApiKeyStore>(store));
        var keys = services.GetRequiredService<IApiKeyService>();

        await Assert.ThrowsAsync<ServiceUnavailableException>(() => keys.ValidateAsync(key).AsTask());
        var outcome = await keys.ValidateAsync(key);

        Assert.True(outcome.IsValid, outcome.ToString());
        Assert.Equal("ci-bot", outcome.Identity.Subject);
        Assert.Equal(2, store.Adds);
    }

    [Theory]
    [InlineData(false)]
    [InlineData(true)]
    public async Task Two_configured_keys_with_the_same_hash_fail_at_start_without_naming_the_hash(bool otherCase)
    {
        var sha256 = Sha256Hex(new OpaqueTokenFormat(RxInferAuthDefaults.ApiKeyPrefix).Create());
        var collection = new ServiceCollection().AddSingleton<TimeProvider>(_time);
        collection.AddRxInferAuth().AddApiKeys(options => options.Keys =
        [
            new ConfiguredApiKey { Id = "a", Subject = "s", Roles = ["user"], Sha256 = sha256.ToLowerInvariant() },
            new ConfiguredApiKey { Id = "b", Subject = "s", Roles = ["user"], Sha256 = otherCase ? sha256.ToUpperInvariant() : sha256.ToLowerInvariant() },
        ]);

        var error = await TestHost.StartFailureAsync(collection);

        Assert.Contains("ApiKeyOptions.Keys[1].Sha256 is the same as ApiKeyOptions.Keys[0].Sha256", error.Message, StringComparison.Ordinal);
        Assert.DoesNotContain(sha256, error.Message, StringComparison.OrdinalIgnoreCase);
    }

    [Theory]
    [InlineData("")]
    [InlineData("rxk_")]
    [InlineData("garbage")]
    public async Task Garbage_keys_are_refused_without_throwing(string garbage)
    {
        using var services = TestServices.Build(_time);

        Assert.Null(await services.GetRequiredService<ITokenExchange>().ExchangeApiKeyAsync(garbage));
    }

    [Property(MaxTest = 200)]
    public Property Any_text_as_an_api_key_is_refused_without_throwing() =>
        Prop.ForAll(
            Gen.OneOf(
                    Gen.Elements('r', 'x', 'k', '_', 'A', '9', ' ', '\0', '\u00e9', '\ud800', '\udc00', '\ufffd').ArrayOf().Select(c => new string(c)),
                    Gen.Choose(0, 52).Select(n => RxInferAuthDefaults.ApiKeyPrefix + new string('\ud800', n)),
                    Gen.Elements('a', '\ud800', '\udfff', '0').ArrayOf(49).Select(c => RxInferAuthDefaults.ApiKeyPrefix + new string(c)))
                .ToArbitrary(),
            text =>
            {
                using var services = TestServices.Build(_time);
                var outcome = services.GetRequiredService<IApiKeyService>().ValidateAsync(text).AsTask().GetAwaiter().GetResult();
                var exchanged = services.GetRequiredService<ITokenExchange>().ExchangeApiKeyAsync(text).AsTask().GetAwaiter().GetResult();
                return (outcome.Reason == TokenRejectionReason.Malformed && exchanged is null).Label(outcome.ToString());
            });

    private static string Sha256Hex(string key) => Convert.ToHexString(SHA256.HashData(Encoding.UTF8.GetBytes(key)));

    /// <summary>An in-memory key store that is unreachable for its first write, as a database may be at start.</summary>
    private sealed class FailingOnceStore(TimeProvider time) : IApiKeyStore
    {
        private readonly InMemoryApiKeyStore _inner = new(time);

        public int Adds { get; private set; }

        public ValueTask AddAsync(TokenHash hash, TokenIdentity identity, CancellationToken cancellationToken = default)
        {
            Adds++;
            return Adds == 1 ? throw new ServiceUnavailableException("The key store is unreachable") : _inner.AddAsync(hash, identity, cancellationToken);
        }

        public ValueTask<bool> TryAddAsync(TokenHash hash, TokenIdentity identity, int maxTokens, CancellationToken cancellationToken = default)
        {
            Adds++;
            return Adds == 1 ? throw new ServiceUnavailableException("The key store is unreachable") : _inner.TryAddAsync(hash, identity, maxTokens, cancellationToken);
        }

        public ValueTask<TokenIdentity?> FindAsync(TokenHash hash, CancellationToken cancellationToken = default) => _inner.FindAsync(hash, cancellationToken);

        public ValueTask<bool> RemoveByIdAsync(string tokenId, CancellationToken cancellationToken = default) => _inner.RemoveByIdAsync(tokenId, cancellationToken);

        public ValueTask<int> RemoveBySubjectAsync(string subject, CancellationToken cancellationToken = default) => _inner.RemoveBySubjectAsync(subject, cancellationToken);

        public ValueTask<IReadOnlyList<ApiKeyInfo>> ListAsync(string? subject = null, CancellationToken cancellationToken = default) => _inner.ListAsync(subject, cancellationToken);
    }
}
