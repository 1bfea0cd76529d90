using Microsoft.Extensions.DependencyInjection;
using RxInfer.Auth;

namespace RxInfer.Benchmarks.Infrastructure;

/// <summary>
/// The opaque provider as a host gets it from <c>services.AddRxInferAuth()</c> (logging with no providers,
/// metrics with no listener), with the in-memory store filled to a given size. One token is issued
/// through the public <see cref="ITokenIssuer"/>; the rest go straight into the store by hash.
/// </summary>
internal sealed class OpaqueFixture : IDisposable
{
    private readonly ServiceProvider _services;

    public OpaqueFixture(int storedTokens)
    {
        var services = new ServiceCollection();
        services.AddLogging();
        services.AddRxInferAuth().AddOpaqueTokens();
        _services = services.BuildServiceProvider();

        Validator = _services.GetRequiredService<ITokenValidator>();
        Provider = (OpaqueTokenProvider)_services.GetRequiredService<ITokenProvider>();
        Store = _services.GetRequiredService<IOpaqueTokenStore>();
        var issuer = _services.GetRequiredService<ITokenIssuer>();
        Issued = issuer.IssueAsync(new TokenRequest(JwtFixture.Subject, JwtFixture.Roles)).AsTask().GetAwaiter().GetResult();
        Token = Issued.Token;
        Hashes = new TokenHash[storedTokens];
        Hashes[0] = TokenHash.Compute(Token);
        Fill(Store, Hashes, Issued.Identity.ExpiresAt);
    }

    public ITokenValidator Validator { get; }

    internal OpaqueTokenProvider Provider { get; }

    public IOpaqueTokenStore Store { get; }

    public IssuedToken Issued { get; }

    /// <summary>The valid token text under test.</summary>
    public string Token { get; }

    /// <summary>Every stored hash, the token under test's first.</summary>
    public TokenHash[] Hashes { get; }

    /// <summary>Stores <c>hashes.Length - 1</c> more tokens, each with its own id, as the provider would.</summary>
    private static void Fill(IOpaqueTokenStore store, TokenHash[] hashes, DateTimeOffset expiresAt)
    {
        var format = new OpaqueTokenFormat(RxInferAuthDefaults.AccessTokenPrefix);
        for (var i = 1; i < hashes.Length; i++)
        {
            var hash = TokenHash.Compute(format.Create());
            var id = RandomId.Create(16);
            hashes[i] = hash;
            store.AddAsync(hash, new TokenIdentity(id, id, JwtFixture.Roles, expiresAt, OpaqueTokenProvider.ProviderName)).GetAwaiter().GetResult();
        }
    }

    /// <summary>The token under test with its checksum's last character changed: well-shaped, wrong checksum.</summary>
    public string WithBadChecksum()
    {
        var chars = Token.ToCharArray();
        chars[^1] = chars[^1] == '0' ? '1' : '0';
        return new string(chars);
    }

    public void Dispose() => _services.Dispose();
}
