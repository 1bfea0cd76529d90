using System.Collections.Concurrent;
using System.Diagnostics;
using Microsoft.Extensions.Time.Testing;

namespace RxInfer.Auth.Tests.Diagnostics;

/// <summary>The <c>RxInfer.Auth</c> activity source, seen by a listener as OpenTelemetry would see it.</summary>
public sealed class TracingTests
{
    private static readonly string[] UserRoles = ["user"];
    private static readonly ActivitySource TestSource = new("RxInfer.Auth.Tests.Tracing");
    private readonly FakeTimeProvider _time = TestClock.NewTimeProvider();

    [Fact]
    public async Task Issue_validate_and_revoke_are_traced_with_their_outcome_and_never_the_token_or_subject()
    {
        // Listeners are process-wide and other tests run in parallel: keep only the activities under this test's parent.
        var recorded = new ConcurrentQueue<Activity>();
        using var listener = new ActivityListener
        {
            ShouldListenTo = source => source.Name is RxInferAuthDefaults.ActivitySourceName or "RxInfer.Auth.Tests.Tracing",
            Sample = static (ref ActivityCreationOptions<ActivityContext> _) => ActivitySamplingResult.AllDataAndRecorded,
            ActivityStopped = recorded.Enqueue,
        };
        ActivitySource.AddActivityListener(listener);
        using var services = TestServices.Build(_time);
        var issuer = services.GetRequiredService<ITokenIssuer>();
        var validator = services.GetRequiredService<ITokenValidator>();
        var revoker = services.GetRequiredService<ITokenRevoker>();

        string token;
        string traceId;
        using (var parent = TestSource.StartActivity("test"))
        {
            Assert.NotNull(parent);
            traceId = parent.TraceId.ToString();
            var issued = await issuer.IssueAsync(new TokenRequest("alice-subject", UserRoles));
            token = issued.Token;
            await validator.ValidateAsync(token);
            await validator.ValidateAsync(token[..^1] + (token[^1] == 'x' ? "y" : "x"));
            Assert.True(await revoker.RevokeAsync(issued.Identity.TokenId));
            await validator.ValidateAsync(token);
        }

        var ours = recorded.Where(a => a.TraceId.ToString() == traceId && a.Source.Name == RxInferAuthDefaults.ActivitySourceName).ToList();
        Assert.Equal(
            ["rxinfer.token.issue", "rxinfer.token.validate", "rxinfer.token.validate", "rxinfer.token.revoke", "rxinfer.token.validate"],
            ours.Select(a => a.OperationName));
        Assert.Equal("access_token", ours[0].GetTagItem("rxinfer.token.kind"));
        Assert.Equal("valid", ours[1].GetTagItem("rxinfer.token.outcome"));
        Assert.Equal("access_token", ours[1].GetTagItem("rxinfer.token.kind"));
        Assert.NotEqual("valid", ours[2].GetTagItem("rxinfer.token.outcome"));
        Assert.Equal("revoked", ours[3].GetTagItem("rxinfer.token.outcome"));
        // Revoking an opaque token removes it from the store (IOpaqueTokenStore.RemoveByIdAsync): afterwards it is unknown.
        Assert.Equal(nameof(TokenRejectionReason.Unknown), ours[4].GetTagItem("rxinfer.token.outcome"));
        foreach (var activity in ours)
        {
            foreach (var tag in activity.TagObjects)
            {
                var value = tag.Value?.ToString() ?? string.Empty;
                Assert.DoesNotContain(token[4..], value, StringComparison.Ordinal);
                Assert.DoesNotContain("alice-subject", value, StringComparison.Ordinal);
            }
        }
    }

    [Fact]
    public async Task A_store_that_fails_marks_the_validation_activity_as_an_error()
    {
        var recorded = new ConcurrentQueue<Activity>();
        using var listener = new ActivityListener
        {
            ShouldListenTo = source => source.Name is RxInferAuthDefaults.ActivitySourceName or "RxInfer.Auth.Tests.Tracing",
            Sample = static (ref ActivityCreationOptions<ActivityContext> _) => ActivitySamplingResult.AllDataAndRecorded,
            ActivityStopped = recorded.Enqueue,
        };
        ActivitySource.AddActivityListener(listener);
        using var services = TestServices.Build(_time, services: collection => collection.AddSingleton<IOpaqueTokenStore, UnreachableStore>());
        var token = (await services.GetRequiredService<ITokenIssuer>().IssueAsync(new TokenRequest("bob", UserRoles))).Token;

        string traceId;
        using (var parent = TestSource.StartActivity("test"))
        {
            Assert.NotNull(parent);
            traceId = parent.TraceId.ToString();
            await Assert.ThrowsAsync<ServiceUnavailableException>(async () => await services.GetRequiredService<ITokenValidator>().ValidateAsync(token));
        }

        var validation = Assert.Single(recorded, a => a.TraceId.ToString() == traceId && a.OperationName == "rxinfer.token.validate");
        Assert.Equal(ActivityStatusCode.Error, validation.Status);
        Assert.Equal(nameof(ServiceUnavailableException), validation.StatusDescription);
    }

    /// <summary>Stores tokens but cannot find them: a database that went away between issue and validation.</summary>
    private sealed class UnreachableStore : IOpaqueTokenStore
    {
        public ValueTask AddAsync(TokenHash hash, TokenIdentity identity, CancellationToken cancellationToken = default) => ValueTask.CompletedTask;

        public ValueTask<bool> TryAddAsync(TokenHash hash, TokenIdentity identity, int maxTokens, CancellationToken cancellationToken = default) => ValueTask.FromResult(true);

        public ValueTask<TokenIdentity?> FindAsync(TokenHash hash, CancellationToken cancellationToken = default) =>
            throw new ServiceUnavailableException("The token store is unreachable", TimeSpan.FromSeconds(1));

        public ValueTask<bool> RemoveByIdAsync(string tokenId, CancellationToken cancellationToken = default) => ValueTask.FromResult(false);

        public ValueTask<int> RemoveBySubjectAsync(string subject, CancellationToken cancellationToken = default) => ValueTask.FromResult(0);
    }
}
