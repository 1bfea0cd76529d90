namespace RxInfer.Auth;

/// <summary>
/// What every accepted token goes through, cached or just validated: expiry against the <see cref="TimeProvider"/>,
/// then revocation by token id and by subject; a token just validated enters the cache when it passes. Synchronous
/// and allocation-free whenever the revocation store completes synchronously (the in-memory one always does).
/// </summary>
internal sealed class JwtTokenRecheck(IRevocationStore revocations, ValidatedTokenCache? cache, JwtLifetimeRules lifetime, TimeProvider timeProvider)
{
    /// <summary>The cache-hit path: expiry, then revocation; an entry found expired or revoked leaves the cache.</summary>
    public ValueTask<TokenValidationOutcome> Recheck(string token, ValidatedToken cached, CancellationToken cancellationToken)
    {
        if (lifetime.IsExpired(cached.Identity.ExpiresAt, timeProvider.GetUtcNow()))
        {
            cache?.Remove(token);
            return Rejected(TokenRejectionReason.Expired);
        }

        var revokedId = revocations.IsRevokedAsync(cached.Identity.TokenId, cancellationToken);
        if (!revokedId.IsCompletedSuccessfully)
        {
            return RecheckAsync(token, cached, revokedId, cancellationToken);
        }

        if (revokedId.Result)
        {
            cache?.Remove(token);
            return Rejected(TokenRejectionReason.Revoked);
        }

        var cutoff = revocations.GetSubjectCutoffAsync(cached.Identity.Subject, cancellationToken);
        if (!cutoff.IsCompletedSuccessfully)
        {
            return RecheckSubjectAsync(token, cached, cutoff);
        }

        return new(Decide(token, cached, cutoff.Result));
    }

    /// <summary>Revocation and expiry as for a cached token, then the token enters the cache when valid.</summary>
    public ValueTask<TokenValidationOutcome> Admit(string token, ValidatedToken validated, CancellationToken cancellationToken)
    {
        var outcome = Recheck(token, validated, cancellationToken);
        return outcome.IsCompletedSuccessfully ? new(Store(token, validated, outcome.Result)) : AdmitAsync(token, validated, outcome);
    }

    private static ValueTask<TokenValidationOutcome> Rejected(TokenRejectionReason reason) =>
        new(TokenValidationOutcome.Rejected(reason));

    private async ValueTask<TokenValidationOutcome> RecheckAsync(string token, ValidatedToken cached, ValueTask<bool> revokedId, CancellationToken cancellationToken)
    {
        if (await revokedId.ConfigureAwait(false))
        {
            cache?.Remove(token);
            return TokenValidationOutcome.Rejected(TokenRejectionReason.Revoked);
        }

        return Decide(token, cached, await revocations.GetSubjectCutoffAsync(cached.Identity.Subject, cancellationToken).ConfigureAwait(false));
    }

    private async ValueTask<TokenValidationOutcome> RecheckSubjectAsync(string token, ValidatedToken cached, ValueTask<DateTimeOffset?> cutoff) =>
        Decide(token, cached, await cutoff.ConfigureAwait(false));

    private TokenValidationOutcome Decide(string token, ValidatedToken cached, DateTimeOffset? cutoff)
    {
        if (cutoff is { } revokedUpTo && cached.IssuedAt <= revokedUpTo)
        {
            cache?.Remove(token);
            return TokenValidationOutcome.Rejected(TokenRejectionReason.Revoked);
        }

        return TokenValidationOutcome.Valid(cached.Identity);
    }

    private async ValueTask<TokenValidationOutcome> AdmitAsync(string token, ValidatedToken validated, ValueTask<TokenValidationOutcome> outcome) =>
        Store(token, validated, await outcome.ConfigureAwait(false));

    private TokenValidationOutcome Store(string token, ValidatedToken validated, TokenValidationOutcome outcome)
    {
        if (outcome.IsValid && cache is not null)
        {
            // Recheck has just found it unexpired; an entry expired later is refused on its next hit and removed.
            cache.Add(token, validated);
        }

        return outcome;
    }
}
