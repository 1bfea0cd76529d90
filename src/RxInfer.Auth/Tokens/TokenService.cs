using Microsoft.Extensions.Logging;
using Microsoft.Extensions.Options;

namespace RxInfer.Auth;

/// <summary>
/// The registered <see cref="ITokenIssuer"/>, <see cref="ITokenValidator"/> and <see cref="ITokenRevoker"/>:
/// the development token (when enabled) in front of the active <see cref="ITokenProvider"/> (and of the external
/// OpenID Connect issuers, when registered: <see cref="OpenIdConnectRouter"/>), plus logging
/// and metrics in one place so providers stay free of both.
/// </summary>
internal sealed class TokenService : ITokenIssuer, ITokenValidator, ITokenRevoker
{
    private readonly ITokenProvider _provider;
    private readonly RxInferAuthMetrics _metrics;
    private readonly ILogger _logger;
    private readonly bool _developmentTokenEnabled;
    private readonly OpenIdConnectRouter? _externalIssuers;

    public TokenService(
        ITokenProvider provider,
        IOptions<DevelopmentTokenOptions> developmentToken,
        RxInferAuthMetrics metrics,
        ILogger<TokenService> logger,
        OpenIdConnectRouter? externalIssuers = null)
    {
        _provider = provider;
        _externalIssuers = externalIssuers;
        _metrics = metrics;
        _logger = logger;
        _developmentTokenEnabled = developmentToken.Value.Enabled;
        if (_developmentTokenEnabled)
        {
            Log.DevelopmentTokenEnabled(logger, RxInferAuthDefaults.DevelopmentToken);
        }
    }

    public async ValueTask<IssuedToken> IssueAsync(TokenRequest request, CancellationToken cancellationToken = default)
    {
        ArgumentNullException.ThrowIfNull(request);
        using var activity = RxInferAuthActivities.Start(RxInferAuthActivities.Issue);
        var issued = await RxInferAuthActivities.RunAsync(activity, (_provider, request), static (s, ct) => s._provider.IssueAsync(s.request, ct), cancellationToken).ConfigureAwait(false);
        if (activity is not null)
        {
            RxInferAuthActivities.SetIdentity(activity, issued.Identity);
        }

        var identity = issued.Identity;
        Log.TokenIssued(_logger, identity.Kind, identity.TokenId, identity.Subject, identity.IssuedBy, identity.ExpiresAt);
        _metrics.TokenIssued(identity);
        return issued;
    }

    public ValueTask<TokenValidationOutcome> ValidateAsync(string token, CancellationToken cancellationToken = default) =>
        RxInferAuthActivities.Start(RxInferAuthActivities.Validate) is { } activity
            ? ValidateTracedAsync(token, activity, cancellationToken)
            : ValidateUntracedAsync(token, cancellationToken);

    private async ValueTask<TokenValidationOutcome> ValidateTracedAsync(string token, System.Diagnostics.Activity activity, CancellationToken cancellationToken)
    {
        using (activity)
        {
            var outcome = await RxInferAuthActivities.RunAsync(activity, (Service: this, token), static (s, ct) => s.Service.ValidateUntracedAsync(s.token, ct), cancellationToken).ConfigureAwait(false);
            activity.SetTag(RxInferAuthActivities.OutcomeTag, RxInferAuthMetrics.ResultName(outcome.Reason));
            if (outcome.IsValid)
            {
                RxInferAuthActivities.SetIdentity(activity, outcome.Identity);
            }

            return outcome;
        }
    }

    private ValueTask<TokenValidationOutcome> ValidateUntracedAsync(string token, CancellationToken cancellationToken)
    {
        if (token is null)
        {
            return new(Record(TokenValidationOutcome.Rejected(TokenRejectionReason.Malformed)));
        }

        if (_developmentTokenEnabled && DevelopmentToken.TryParse(token, out var developer))
        {
            return new(Record(TokenValidationOutcome.Valid(developer)));
        }

        // A token of an external issuer goes to that issuer's validator, picked by its iss; with none registered, no work.
        var pending = _externalIssuers?.Route(token) is { } external
            ? external.ValidateAsync(token, cancellationToken)
            : _provider.ValidateAsync(token, cancellationToken);
        return pending.IsCompletedSuccessfully ? new(Record(pending.Result)) : RecordAsync(pending);
    }

    public async ValueTask<bool> RevokeAsync(string tokenId, CancellationToken cancellationToken = default)
    {
        ArgumentException.ThrowIfNullOrEmpty(tokenId);
        using var activity = RxInferAuthActivities.Start(RxInferAuthActivities.Revoke);
        var revoked = await RxInferAuthActivities.RunAsync(activity, (_provider, tokenId), static (s, ct) => s._provider.RevokeAsync(s.tokenId, ct), cancellationToken).ConfigureAwait(false);

        activity?.SetTag(RxInferAuthActivities.OutcomeTag, revoked ? "revoked" : "unknown");
        if (revoked)
        {
            Log.TokenRevoked(_logger, tokenId);
        }

        return revoked;
    }

    public async ValueTask<int> RevokeSubjectAsync(string subject, CancellationToken cancellationToken = default)
    {
        ArgumentException.ThrowIfNullOrEmpty(subject);
        using var activity = RxInferAuthActivities.Start(RxInferAuthActivities.Revoke);
        var count = await RxInferAuthActivities.RunAsync(activity, (_provider, subject), static (s, ct) => s._provider.RevokeSubjectAsync(s.subject, ct), cancellationToken).ConfigureAwait(false);

        activity?.SetTag("rxinfer.token.revoked_count", count);
        Log.SubjectRevoked(_logger, count, subject);
        return count;
    }

    private async ValueTask<TokenValidationOutcome> RecordAsync(ValueTask<TokenValidationOutcome> pending) =>
        Record(await pending.ConfigureAwait(false));

    private TokenValidationOutcome Record(TokenValidationOutcome outcome)
    {
        _metrics.TokenValidated(outcome.Reason);
        if (!outcome.IsValid)
        {
            Log.TokenRejected(_logger, outcome.Reason);
        }

        return outcome;
    }
}
