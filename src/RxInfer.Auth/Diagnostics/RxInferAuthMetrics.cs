using System.Diagnostics.Metrics;

namespace RxInfer.Auth;

/// <summary>
/// The <c>RxInfer.Auth</c> meter: tokens issued (by kind and provider), validations (by result) and JWTs not
/// found in the validated-token cache (each one a full validation).
/// Tags never carry token text, subjects or ids.
/// </summary>
internal sealed class RxInferAuthMetrics
{
    private static readonly string[] ResultNames = BuildResultNames();

    private readonly Counter<long> _issued;
    private readonly Counter<long> _validations;
    private readonly Counter<long> _jwtCacheMisses;

    /// <summary>Creates the instruments on a meter from <paramref name="meterFactory"/>, which owns and disposes it.</summary>
    public RxInferAuthMetrics(IMeterFactory meterFactory)
    {
        var meter = meterFactory.Create(RxInferAuthDefaults.MeterName);
        _issued = meter.CreateCounter<long>("rxinfer.auth.tokens_issued", "{token}", "Tokens issued, by kind and provider.");
        _validations = meter.CreateCounter<long>("rxinfer.auth.token_validations", "{validation}", "Token validations, by result.");
        _jwtCacheMisses = meter.CreateCounter<long>(
            "rxinfer.auth.jwt.cache_misses", "{validation}", "JWTs of the right shape not found in the validated-token cache, so validated in full (signature, claims).");
    }

    public void TokenIssued(TokenIdentity identity)
    {
        if (_issued.Enabled)
        {
            _issued.Add(
                1,
                new KeyValuePair<string, object?>("kind", identity.Kind == TokenKind.ApiKey ? "api_key" : "access_token"),
                new KeyValuePair<string, object?>("provider", identity.IssuedBy));
        }
    }

    public void TokenValidated(TokenRejectionReason reason)
    {
        if (_validations.Enabled)
        {
            _validations.Add(1, new KeyValuePair<string, object?>("result", ResultName(reason)));
        }
    }

    /// <summary>A JWT of the right shape was not in the validated-token cache (counted only while the cache is on).</summary>
    public void JwtCacheMiss()
    {
        if (_jwtCacheMisses.Enabled)
        {
            _jwtCacheMisses.Add(1);
        }
    }

    /// <summary>The tag value of a validation result: <c>valid</c>, or the rejection reason's name.</summary>
    public static string ResultName(TokenRejectionReason reason) => ResultNames[(int)reason];

    private static string[] BuildResultNames()
    {
        var values = Enum.GetValues<TokenRejectionReason>();
        var names = new string[values.Max(v => (int)v) + 1];
        foreach (var value in values)
        {
            names[(int)value] = value == TokenRejectionReason.None ? "valid" : value.ToString();
        }

        return names;
    }
}
