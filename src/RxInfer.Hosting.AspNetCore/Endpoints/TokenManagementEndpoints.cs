using System.Security.Claims;
using Microsoft.AspNetCore.Builder;
using Microsoft.AspNetCore.Http;
using Microsoft.AspNetCore.Mvc;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Options;
using Microsoft.IdentityModel.JsonWebTokens;
using RxInfer.Auth;
using RxInfer.Hosting.AspNetCore;

namespace Microsoft.AspNetCore.Routing;

public static partial class RxInferEndpointRouteBuilderExtensions
{
    /// <summary>
    /// Maps token revocation (RFC 7009): <c>POST /token/revoke</c> with the form field <c>token</c> (and an optional
    /// <c>token_type_hint</c>, ignored). The caller authenticates with a bearer token; it may revoke that very token, and
    /// a caller with <see cref="RxInferEndpointOptions.AdminRole"/> may revoke any access token or API key. A token that
    /// is unknown, malformed, expired or already revoked is a 200, as the RFC says; another caller's live token is a 403.
    /// </summary>
    /// <param name="endpoints">The route builder (for example <c>app.MapGroup("/v1")</c>).</param>
    /// <returns>A builder to add conventions to the endpoint.</returns>
    public static IEndpointConventionBuilder MapRxInferRevocation(this IEndpointRouteBuilder endpoints)
    {
        var group = CreateGroup(endpoints, out var options);
        group.MapPost("/token/revoke", RevokeAsync)
            .WithName(RevocationEndpointName)
            .WithTags(AuthenticationTag)
            .WithSummary("Revoke a token (RFC 7009)")
            .Accepts<TokenParameterRequest>(FormBody.ContentType, "*/*")
            .Produces(StatusCodes.Status200OK)
            .Produces<OAuthErrorResponse>(StatusCodes.Status400BadRequest)
            .Produces<OAuthErrorResponse>(StatusCodes.Status403Forbidden)
            .RequireAuthorization(Policy(group, options))
            .ProducesUnauthorized();
        return new RxInferConventionBuilder(group);
    }

    /// <summary>
    /// Maps token introspection (RFC 7662): <c>POST /token/introspect</c> with the form field <c>token</c>. Only callers
    /// with <see cref="RxInferEndpointOptions.AdminRole"/> or <see cref="RxInferEndpointOptions.IntrospectionRole"/> may
    /// call it (403 otherwise). An active token is <c>{"active":true,"sub","jti","exp","iat","scope","roles","token_type"}</c>
    /// (<c>exp</c> and <c>iat</c> when known); any other is <c>{"active":false}</c> and nothing more.
    /// </summary>
    /// <param name="endpoints">The route builder (for example <c>app.MapGroup("/v1")</c>).</param>
    /// <returns>A builder to add conventions to the endpoint.</returns>
    public static IEndpointConventionBuilder MapRxInferIntrospection(this IEndpointRouteBuilder endpoints)
    {
        var group = CreateGroup(endpoints, out var options);
        string[] roles = options.IntrospectionRole is { Length: > 0 } introspection ? [options.AdminRole, introspection] : [options.AdminRole];
        group.MapPost("/token/introspect", IntrospectAsync)
            .WithName(IntrospectionEndpointName)
            .WithTags(AuthenticationTag)
            .WithSummary("Introspect a token (RFC 7662)")
            .Accepts<TokenParameterRequest>(FormBody.ContentType, "*/*")
            .Produces<IntrospectionResponse>(StatusCodes.Status200OK)
            .Produces<OAuthErrorResponse>(StatusCodes.Status400BadRequest)
            .RequireAuthorization(Policy(group, options, roles))
            .ProducesUnauthorized()
            .ProducesError(StatusCodes.Status403Forbidden);
        return new RxInferConventionBuilder(group);
    }

    private static async Task<IResult> RevokeAsync(
        HttpContext context,
        ClaimsPrincipal user,
        [FromServices] ITokenValidator validator,
        [FromServices] ITokenRevoker revoker,
        [FromServices] IApiKeyService apiKeys,
        [FromServices] IOptions<RxInferEndpointOptions> options)
    {
        ForbidCaching(context.Response);
        var cancellationToken = context.RequestAborted;
        var (token, error) = await ReadTokenParameterAsync(context, options.Value).ConfigureAwait(false);
        if (token is null)
        {
            return OAuthError(StatusCodes.Status400BadRequest, "invalid_request", error!);
        }

        var isAdmin = user.IsInRole(options.Value.AdminRole);
        var access = await validator.ValidateAsync(token, cancellationToken).ConfigureAwait(false);
        if (access.IsValid)
        {
            if (access.Identity.Issuer is not null)
            {
                // An external issuer's token is revoked at that issuer; its jti could name one of ours.
                return OAuthError(StatusCodes.Status400BadRequest, "unsupported_token_type", "Tokens of an external identity provider are revoked at that provider");
            }

            var own = string.Equals(access.Identity.TokenId, user.FindFirstValue(RxInferClaimTypes.TokenId), StringComparison.Ordinal)
                && string.Equals(access.Identity.Owner, OwnerClaim.Read(user), StringComparison.Ordinal);
            if (!own && !isAdmin)
            {
                return NotYours();
            }

            await revoker.RevokeAsync(access.Identity.TokenId, cancellationToken).ConfigureAwait(false);
            return Results.Ok();
        }

        var key = await apiKeys.ValidateAsync(token, cancellationToken).ConfigureAwait(false);
        if (key.IsValid)
        {
            if (!isAdmin)
            {
                return NotYours();
            }

            await apiKeys.RevokeAsync(key.Identity.TokenId, cancellationToken).ConfigureAwait(false);
        }

        // RFC 7009 §2.2: an invalid token (unknown, expired, revoked, malformed) is answered as a success.
        return Results.Ok();

        IResult NotYours() => OAuthError(StatusCodes.Status403Forbidden, "unauthorized_client", $"Only the token itself or a caller with the {options.Value.AdminRole} role may revoke it");
    }

    private static async Task<IResult> IntrospectAsync(
        HttpContext context,
        [FromServices] ITokenValidator validator,
        [FromServices] IApiKeyService apiKeys,
        [FromServices] IOptions<RxInferEndpointOptions> options)
    {
        ForbidCaching(context.Response);
        var cancellationToken = context.RequestAborted;
        var (token, error) = await ReadTokenParameterAsync(context, options.Value).ConfigureAwait(false);
        if (token is null)
        {
            return OAuthError(StatusCodes.Status400BadRequest, "invalid_request", error!);
        }

        var outcome = await validator.ValidateAsync(token, cancellationToken).ConfigureAwait(false);
        var tokenType = "Bearer";
        if (!outcome.IsValid)
        {
            outcome = await apiKeys.ValidateAsync(token, cancellationToken).ConfigureAwait(false);
            tokenType = "api_key";
        }

        if (!outcome.IsValid)
        {
            return TypedResults.Json(new InactiveIntrospectionResponse(false));
        }

        var identity = outcome.Identity;
        return TypedResults.Json(new IntrospectionResponse(
            Active: true,
            Subject: identity.Subject,
            TokenId: identity.TokenId,
            ExpiresAt: identity.ExpiresAt == TokenIdentity.NeverExpires ? null : identity.ExpiresAt.ToUnixTimeSeconds(),
            IssuedAt: IssuedAt(token),
            Scope: string.Join(' ', identity.Roles),
            Roles: identity.Roles,
            TokenType: tokenType));
    }

    /// <summary>The <c>iat</c> of a JWT (already validated); <see langword="null"/> for an opaque token, whose issue time is not kept.</summary>
    private static long? IssuedAt(string token)
    {
        if (token.Count(static c => c == '.') != 2)
        {
            return null;
        }

        try
        {
            var jwt = new JsonWebToken(token);
            return jwt.TryGetPayloadValue<long>(JwtRegisteredClaimNames.Iat, out var iat) ? iat : null;
        }
        catch (ArgumentException)
        {
            return null;
        }
    }

    private static async ValueTask<(string? Token, string? Error)> ReadTokenParameterAsync(HttpContext context, RxInferEndpointOptions options)
    {
        var (fields, error) = await FormBody.ReadAsync(context.Request, options.MaxRequestBodySize, context.RequestAborted).ConfigureAwait(false);
        if (fields is null)
        {
            return (null, error);
        }

        var token = FormBody.Single(fields, "token", out error);
        return (token, error);
    }

    /// <summary>An OAuth error body (RFC 6749 §5.2), as RFC 7009 and RFC 7662 answer.</summary>
    private static IResult OAuthError(int statusCode, string error, string description) =>
        TypedResults.Json(new OAuthErrorResponse(error, description), statusCode: statusCode);
}
