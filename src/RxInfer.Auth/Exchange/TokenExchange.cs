using Microsoft.Extensions.Logging;
using Microsoft.Extensions.Options;

namespace RxInfer.Auth;

internal sealed class TokenExchange(
    ITokenIssuer issuer,
    IApiKeyService apiKeys,
    ICredentialValidator credentials,
    IOptions<RxInferAuthOptions> options,
    ILogger<TokenExchange> logger) : ITokenExchange
{
    private readonly bool _allowAnonymous = options.Value.AllowAnonymousTokens;
    private readonly string[] _defaultRoles = [.. options.Value.DefaultRoles];

    public async ValueTask<IssuedToken?> ExchangeApiKeyAsync(string apiKey, CancellationToken cancellationToken = default)
    {
        var key = await apiKeys.ValidateAsync(apiKey, cancellationToken).ConfigureAwait(false);
        if (!key.IsValid)
        {
            Log.TokenRefused(logger, $"API key rejected ({key.Reason})");
            return null;
        }

        var issued = await issuer.IssueAsync(new TokenRequest(key.Identity.Subject, key.Identity.Roles), cancellationToken).ConfigureAwait(false);
        Log.ApiKeyExchanged(logger, key.Identity.TokenId, issued.Identity.TokenId);
        return issued;
    }

    public async ValueTask<IssuedToken?> ExchangeCredentialsAsync(string userName, string password, CancellationToken cancellationToken = default)
    {
        ArgumentNullException.ThrowIfNull(userName);
        ArgumentNullException.ThrowIfNull(password);
        var user = await credentials.ValidateAsync(userName, password, cancellationToken).ConfigureAwait(false);
        if (user is null)
        {
            Log.TokenRefused(logger, "credentials rejected");
            return null;
        }

        return await issuer.IssueAsync(new TokenRequest(user.Subject, user.Roles), cancellationToken).ConfigureAwait(false);
    }

    public async ValueTask<IssuedToken?> IssueAnonymousAsync(CancellationToken cancellationToken = default)
    {
        if (!_allowAnonymous)
        {
            Log.TokenRefused(logger, "anonymous issuing is turned off");
            return null;
        }

        return await issuer.IssueAsync(new TokenRequest(null, _defaultRoles), cancellationToken).ConfigureAwait(false);
    }
}
