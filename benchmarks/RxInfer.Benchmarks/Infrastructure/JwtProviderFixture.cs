using Microsoft.Extensions.DependencyInjection;
using Microsoft.IdentityModel.Tokens;
using RxInfer.Auth;

namespace RxInfer.Benchmarks.Infrastructure;

/// <summary>
/// Our JWT provider as a host gets it from <c>services.AddRxInferAuth().AddJwtTokens(...)</c>, configured
/// with the very key of a <see cref="JwtFixture"/> (same <c>kid</c>, same HS256 secret or ES256 PEM), so the
/// baseline and ours validate the same tokens with the same key.
/// </summary>
internal sealed class JwtProviderFixture : IDisposable
{
    private readonly ServiceProvider _services;
    private readonly ITokenIssuer _issuer;

    public JwtProviderFixture(JwtFixture peer, int cacheSize = JwtTokenOptions.DefaultCacheSize)
    {
        var services = new ServiceCollection();
        services.AddLogging();
        services.AddRxInferAuth().AddJwtTokens(options =>
        {
            options.CacheSize = cacheSize;
            options.Keys =
        [
            new JwtSigningKeyOptions
            {
                KeyId = peer.KeyId,
                Algorithm = peer.Algorithm,
                Secret = peer.Algorithm == SecurityAlgorithms.HmacSha256 ? Convert.ToBase64String(JwtFixture.HmacSecret) : null,
                Pem = peer.Algorithm == SecurityAlgorithms.HmacSha256 ? null : peer.PrivateKeyPem,
            },
        ];
        });
        _services = services.BuildServiceProvider();
        Validator = _services.GetRequiredService<ITokenValidator>();
        _issuer = _services.GetRequiredService<ITokenIssuer>();
        Provider = (JwtTokenProvider)_services.GetRequiredService<ITokenProvider>();
        Cache = Provider.Cache;
    }

    /// <summary>The registered validator, as a host calls it.</summary>
    public ITokenValidator Validator { get; }

    /// <summary>The registered JWT provider (internal; its validators are read by the first-sight benchmark).</summary>
    public JwtTokenProvider Provider { get; }

    /// <summary>The provider's bounded cache of validated tokens (internal; read for the cache-miss benchmark only).</summary>
    public ValidatedTokenCache? Cache { get; }

    /// <summary>Issues a token through the public issuer: <c>iss aud sub jti iat nbf exp roles</c>, <c>typ at+jwt</c>.</summary>
    public string Issue() => _issuer.IssueAsync(new TokenRequest(JwtFixture.Subject, JwtFixture.Roles)).AsTask().GetAwaiter().GetResult().Token;

    public TokenValidationOutcome Validate(string token)
    {
        var pending = Validator.ValidateAsync(token);
        return pending.IsCompletedSuccessfully ? pending.Result : pending.AsTask().GetAwaiter().GetResult();
    }

    public void Dispose() => _services.Dispose();
}
