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

    /// <summary>The scheme's events (<see cref="RxInferBearerOptions.Events"/>, or the <c>EventsType</c> from the container).</summary>
    private new RxInferBearerEvents Events => (RxInferBearerEvents)base.Events!;

    protected override Task<object> CreateEventsAsync() => Task.FromResult<object>(new RxInferBearerEvents());

    protected override async Task<AuthenticateResult> HandleAuthenticateAsync()
    {
        string? token;
        if (Events.ObservesMessageReceived)
        {
            var received = new RxInferMessageReceivedContext(Context, Scheme, Options);
            await Events.MessageReceived(received).ConfigureAwait(false);
            if (received.Result is { } result)
            {
                return result;
            }

            token = received.Token ?? AuthorizationHeader.GetBearerToken(Request.Headers.Authorization);
        }
        else
        {
            token = AuthorizationHeader.GetBearerToken(Request.Headers.Authorization);
        }

        if (string.IsNullOrEmpty(token))
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
        if (!Events.ObservesTokenValidated)
        {
            return AuthenticateResult.Success(new AuthenticationTicket(principal, Scheme.Name));
        }

        var validated = new RxInferTokenValidatedContext(Context, Scheme, Options, identity) { Principal = principal };
        await Events.TokenValidated(validated).ConfigureAwait(false);
        if (validated.Result is { } decided)
        {
            return decided;
        }

        if (validated.Principal is null)
        {
            return AuthenticateResult.Fail("An OnTokenValidated handler removed the principal.");
        }

        validated.Success();
        return validated.Result!;
    }

    protected override async Task HandleChallengeAsync(AuthenticationProperties properties)
    {
        // Once the response has started its status and headers are sent: nothing may be written (a late challenge
        // from a host's endpoint must not throw or corrupt a response on its way out).
        if (Response.HasStarted)
        {
            HostingLog.ResponseStarted(Logger, Scheme.Name, StatusCodes.Status401Unauthorized);
            return;
        }

        if ((await HandleAuthenticateOnceSafeAsync().ConfigureAwait(false)).Succeeded)
        {
            // Challenged although the token was accepted: the request's user was not set from this scheme.
            HostingLog.AcceptedTokenChallenged(Logger, Scheme.Name);
        }

        if (Events.ObservesChallenge)
        {
            var challenge = new RxInferChallengeContext(Context, Scheme, Options, properties, _rejection);
            await Events.Challenge(challenge).ConfigureAwait(false);
            if (challenge.Handled || Response.HasStarted)
            {
                return;
            }
        }

        await BearerChallenge.WriteAsync(Context, developmentToken.CurrentValue.Enabled, _rejection, Options.IncludeErrorDescription).ConfigureAwait(false);
    }

    protected override async Task HandleForbiddenAsync(AuthenticationProperties properties)
    {
        if (Response.HasStarted)
        {
            HostingLog.ResponseStarted(Logger, Scheme.Name, StatusCodes.Status403Forbidden);
            return;
        }

        if (Events.ObservesForbidden)
        {
            var forbidden = new RxInferForbiddenContext(Context, Scheme, Options, properties);
            await Events.Forbidden(forbidden).ConfigureAwait(false);
            if (forbidden.Handled || Response.HasStarted)
            {
                return;
            }
        }

        await RxInferErrors.WriteAsync(Response, StatusCodes.Status403Forbidden, RxInferErrors.ForbiddenMessage).ConfigureAwait(false);
    }

    /// <summary>
    /// The principal's identity. Each claim is created with the identity as its subject and added with
    /// <see cref="ClaimsIdentity.AddClaim"/>, which keeps such a claim as it is: handing a list of claims to the
    /// constructor would copy every one of them (about 200 ns and 540 bytes a request). The issuer of every claim is
    /// the scheme's <paramref name="issuer"/>, also as its original issuer.
    /// </summary>
    internal static ClaimsIdentity CreateIdentity(TokenIdentity identity, IReadOnlyList<string> roles, string scheme, string issuer)
    {
        var principalIdentity = new ClaimsIdentity(scheme, RxInferClaimTypes.Subject, RxInferClaimTypes.Role);
        AddText(RxInferClaimTypes.Subject, identity.Subject);
        AddText(RxInferClaimTypes.TokenId, identity.TokenId);
        AddText(RxInferClaimTypes.IssuedBy, identity.IssuedBy);
        principalIdentity.AddClaim(ExpiryClaim.Create(identity.ExpiresAt, issuer, principalIdentity));
        if (identity.Issuer is not null)
        {
            principalIdentity.AddClaim(OwnerClaim.Create(identity.Owner, issuer, principalIdentity));
        }

        for (var i = 0; i < roles.Count; i++) // by index: no enumerator to allocate
        {
            AddText(RxInferClaimTypes.Role, roles[i]);
        }

        return principalIdentity;

        void AddText(string type, string value) =>
            principalIdentity.AddClaim(new Claim(type, value, ClaimValueTypes.String, issuer, issuer, principalIdentity));
    }
}
