using System.Security.Claims;
using System.Text.Encodings.Web;
using Microsoft.AspNetCore.Authentication;
using Microsoft.AspNetCore.Http;
using Microsoft.Extensions.Logging;
using Microsoft.Extensions.Options;
using RxInfer.Auth;

namespace RxInfer.Hosting.AspNetCore;

/// <summary>
/// Authenticates <c>Authorization: Bearer &lt;token&gt;</c> with <see cref="ITokenValidator"/> and gives the
/// principal the roles of <see cref="IRoleResolver"/>. Anything that is not exactly one bearer token is "no token".
/// </summary>
internal sealed class RxInferBearerHandler(
    IOptionsMonitor<RxInferBearerOptions> options,
    ILoggerFactory loggerFactory,
    UrlEncoder encoder,
    ITokenValidator validator,
    IRoleResolver roleResolver,
    IOptionsMonitor<DevelopmentTokenOptions> developmentToken)
    : AuthenticationHandler<RxInferBearerOptions>(options, loggerFactory, encoder)
{
    private TokenRejectionReason _rejection;

    protected override async Task<AuthenticateResult> HandleAuthenticateAsync()
    {
        var token = AuthorizationHeader.GetBearerToken(Request.Headers.Authorization);
        if (token is null)
        {
            return AuthenticateResult.NoResult();
        }

        var outcome = await PresentedToken.ValidateAsync(Context, token, validator).ConfigureAwait(false);
        if (!outcome.IsValid)
        {
            // RxInfer.Auth has logged the rejection with its reason. AuthenticateResult.Fail would make ASP.NET Core log
            // it a second time (at Information); the challenge still answers invalid_token with the reason.
            _rejection = outcome.Reason;
            return AuthenticateResult.NoResult();
        }

        var identity = outcome.Identity;
        var roles = await roleResolver.GetRolesAsync(identity, Context.RequestAborted).ConfigureAwait(false);
        var principal = new ClaimsPrincipal(CreateIdentity(identity, roles, Scheme.Name, ClaimsIssuer));
        HostingLog.TokenAccepted(Logger, Scheme.Name, identity.TokenId, identity.Subject);
        return AuthenticateResult.Success(new AuthenticationTicket(principal, Scheme.Name));
    }

    protected override async Task HandleChallengeAsync(AuthenticationProperties properties)
    {
        await HandleAuthenticateOnceSafeAsync().ConfigureAwait(false);
        await BearerChallenge.WriteAsync(Context, developmentToken.CurrentValue.Enabled, _rejection, Options.IncludeErrorDescription).ConfigureAwait(false);
    }

    protected override Task HandleForbiddenAsync(AuthenticationProperties properties) =>
        RxInferErrors.WriteAsync(Response, StatusCodes.Status403Forbidden, RxInferErrors.ForbiddenMessage);

    internal static ClaimsIdentity CreateIdentity(TokenIdentity identity, IReadOnlyList<string> roles, string scheme, string issuer)
    {
        var claims = new List<Claim>(roles.Count + 4)
        {
            new(RxInferClaimTypes.Subject, identity.Subject, ClaimValueTypes.String, issuer),
            new(RxInferClaimTypes.TokenId, identity.TokenId, ClaimValueTypes.String, issuer),
            new(RxInferClaimTypes.IssuedBy, identity.IssuedBy, ClaimValueTypes.String, issuer),
            ExpiryClaim.Create(identity.ExpiresAt, issuer),
        };
        foreach (var role in roles)
        {
            claims.Add(new Claim(RxInferClaimTypes.Role, role, ClaimValueTypes.String, issuer));
        }

        return new ClaimsIdentity(claims, scheme, RxInferClaimTypes.Subject, RxInferClaimTypes.Role);
    }
}
