using Microsoft.Extensions.Logging;
using Microsoft.Extensions.Options;

namespace RxInfer.Auth;

/// <summary>
/// Issues and validates signed JWT access tokens (RFC 9068, <c>typ: at+jwt</c>). Validation checks the shape first
/// (length, three base64url segments), then a bounded cache of tokens already validated
/// (<see cref="ValidatedTokenCache"/>), and only then the algorithm, key, signature, issuer, audience, type and
/// lifetime (<see cref="JwtCompactValidator"/>, our own: IdentityModel issues the tokens and reads the keys). Every outcome, cached or not, checks expiry and revocation
/// against the injected <see cref="TimeProvider"/> and <see cref="IRevocationStore"/> (<see cref="JwtTokenRecheck"/>).
/// Issuing is <see cref="JwtTokenWriter"/>'s; the time rules are <see cref="JwtLifetimeRules"/>.
/// </summary>
internal sealed class JwtTokenProvider : ITokenProvider, IDisposable
{
    public const string ProviderName = "jwt";
    public const string TokenType = "at+jwt";

    private readonly IRevocationStore _revocations;
    private readonly TimeProvider _timeProvider;
    private readonly ValidatedTokenCache? _cache;
    private readonly int _maxTokenLength;
    private readonly JwtLifetimeRules _lifetime;
    private readonly JwtTokenWriter _writer;
    private readonly JwtCompactValidator _validator;
    private readonly JwtTokenRecheck _recheck;
    private readonly RxInferAuthMetrics _metrics;

    public JwtTokenProvider(
        IOptions<JwtTokenOptions> options,
        IOptions<RxInferAuthOptions> authOptions,
        IRevocationStore revocations,
        JwtKeyRingSource keyRings,
        TimeProvider timeProvider,
        RxInferAuthMetrics metrics,
        ILogger<JwtTokenProvider> logger)
    {
        var jwt = options.Value;
        _metrics = metrics;
        _revocations = revocations;
        _timeProvider = timeProvider;
        _maxTokenLength = jwt.MaxTokenLength;
        _lifetime = new JwtLifetimeRules(jwt.ClockSkew, authOptions.Value.AccessTokenLifetime, jwt.MaxLifetime);

        // The ring the options validator has read and checked (the container disposes it, not this provider).
        var keys = keyRings.Load(jwt, out var keyErrors) ?? throw new InvalidOperationException(string.Join(" ", keyErrors));
        if (keys.IsEphemeral)
        {
            Log.EphemeralJwtKey(logger, JwtKeyRing.ES256, keys.Signing.Key.KeyId);
        }

        if (jwt.CacheSize > 0)
        {
            _cache = new ValidatedTokenCache(jwt.CacheSize, timeProvider, jwt.ClockSkew);
        }

        _writer = new JwtTokenWriter(keys, jwt.Issuer, jwt.Audience, _lifetime, revocations, timeProvider);
        _validator = new JwtCompactValidator(keys, jwt.Issuer, jwt.Audience, _lifetime, timeProvider, logger);
        _recheck = new JwtTokenRecheck(revocations, _cache, _lifetime, timeProvider);
    }

    public string Name => ProviderName;

    /// <summary>The bounded cache of validated tokens, or <see langword="null"/> when turned off (a seam for tests and benchmarks).</summary>
    internal ValidatedTokenCache? Cache => _cache;

    public ValueTask<IssuedToken> IssueAsync(TokenRequest request, CancellationToken cancellationToken = default) =>
        _writer.IssueAsync(request, cancellationToken);

    public ValueTask<TokenValidationOutcome> ValidateAsync(string token, CancellationToken cancellationToken = default)
    {
        if (string.IsNullOrEmpty(token))
        {
            return Rejected(TokenRejectionReason.Malformed);
        }

        if (token.Length > _maxTokenLength)
        {
            return Rejected(TokenRejectionReason.TooLarge);
        }

        if (!JwtTokenShape.HasJwsShape(token))
        {
            return Rejected(TokenRejectionReason.Malformed);
        }

        if (_cache is not null)
        {
            if (_cache.TryGetValue(token, out var cached))
            {
                return _recheck.Recheck(token, cached, cancellationToken);
            }

            _metrics.JwtCacheMiss();
        }

        var result = _validator.Validate(token);
        if (result.Token is not { } accepted)
        {
            return Rejected(result.Reason);
        }

        // Our subjects never hold a control character (TokenOwner): a signed token that says otherwise is refused.
        return TokenOwner.IsValidSubject(accepted.Identity.Subject) ? _recheck.Admit(token, accepted, cancellationToken) : Rejected(TokenRejectionReason.InvalidClaims);
    }

    public async ValueTask<bool> RevokeAsync(string tokenId, CancellationToken cancellationToken = default)
    {
        ArgumentException.ThrowIfNullOrEmpty(tokenId);
        await _revocations.RevokeAsync(tokenId, _lifetime.KeepRevocationUntil(_timeProvider.GetUtcNow()), cancellationToken).ConfigureAwait(false);
        return true;
    }

    public async ValueTask<int> RevokeSubjectAsync(string subject, CancellationToken cancellationToken = default)
    {
        ArgumentException.ThrowIfNullOrEmpty(subject);
        // Tokens issued since an earlier cut-off in the same second carry iat = that second + 1 (see JwtTokenWriter),
        // so the new cut-off reaches at least that far.
        var cutoff = _timeProvider.GetUtcNow();
        var earlier = await _revocations.GetSubjectCutoffAsync(subject, cancellationToken).ConfigureAwait(false);
        if (earlier is { } previous && JwtLifetimeRules.WholeSeconds(previous) + TimeSpan.FromSeconds(1) > cutoff)
        {
            cutoff = JwtLifetimeRules.WholeSeconds(previous) + TimeSpan.FromSeconds(1);
        }

        // Tokens with iat up to the cut-off are revoked: a cut-off ahead of the clock counts from itself.
        var now = _timeProvider.GetUtcNow();
        await _revocations.RevokeSubjectAsync(subject, cutoff, _lifetime.KeepRevocationUntil(cutoff > now ? cutoff : now), cancellationToken).ConfigureAwait(false);
        return 0; // A JWT lives in its holder's hands: how many there are cannot be counted.
    }

    public void Dispose()
    {
        _cache?.Clear();
        _validator.Dispose();
    }

    /// <summary>Our own validator of tokens not seen before (a seam for benchmarks).</summary>
    internal JwtCompactValidator CompactValidator => _validator;


    private static ValueTask<TokenValidationOutcome> Rejected(TokenRejectionReason reason) =>
        new(TokenValidationOutcome.Rejected(reason));
}
