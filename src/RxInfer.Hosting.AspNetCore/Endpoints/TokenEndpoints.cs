using System.Security.Claims;
using Microsoft.AspNetCore.Builder;
using Microsoft.AspNetCore.Http;
using Microsoft.AspNetCore.Http.HttpResults;
using Microsoft.AspNetCore.Mvc;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Logging;
using RxInfer.Auth;
using RxInfer.Hosting.AspNetCore;

namespace Microsoft.AspNetCore.Routing;

public static partial class RxInferEndpointRouteBuilderExtensions
{
    private const string AuthenticationTag = "Authentication";

    private static void MapTokens(RouteGroupBuilder group, RxInferEndpointOptions options)
    {
        var generate = group.MapPost("/token/generate", GenerateTokenAsync)
            .WithName("tokenGenerate")
            .WithTags(AuthenticationTag)
            .WithSummary("Generate authentication token")
            .ProducesError(StatusCodes.Status400BadRequest)
            .ProducesError(StatusCodes.Status503ServiceUnavailable) // the token store is full (or unreachable)
            .AllowAnonymous();
        if (options.AnonymousTokensPerMinute > 0)
        {
            generate.RequireRateLimiting(RxInferDefaults.AnonymousTokenRateLimiterPolicy).ProducesError(StatusCodes.Status429TooManyRequests);
        }

        group.MapGet("/token/roles", GetRoles)
            .WithName("tokenRoles")
            .WithTags(AuthenticationTag)
            .WithSummary("Get token roles")
            .RequireAuthorization(Policy(group, options))
            .ProducesUnauthorized();
    }

    /// <summary>
    /// The four ways of the contract: a bearer token (validated, returned as is), an API key, HTTP Basic
    /// credentials, or nothing (anonymous, when allowed). Anything presented and not accepted is a 401.
    /// </summary>
    private static async Task<Results<Ok<TokenResponse>, ContractUnauthorizedResult>> GenerateTokenAsync(
        HttpContext context,
        [FromServices] ITokenExchange exchange,
        [FromServices] ITokenValidator validator,
        [FromServices] ILoggerFactory loggerFactory)
    {
        var logger = loggerFactory.CreateLogger(HostingLog.TokenEndpointsCategory);
        ForbidCaching(context.Response);
        var cancellationToken = context.RequestAborted;
        var headers = context.Request.Headers;
        var kind = AuthorizationHeader.Parse(headers.Authorization, out var credential);
        switch (kind)
        {
            case AuthorizationKind.Bearer:
                // Validated once per request: the authentication scheme has usually done it already (and RxInfer.Auth
                // has logged a rejection with its reason).
                var outcome = await PresentedToken.ValidateAsync(context, credential, validator).ConfigureAwait(false);
                if (!outcome.IsValid)
                {
                    return new ContractUnauthorizedResult(outcome.Reason);
                }

                return TypedResults.Ok(new TokenResponse(credential));

            case AuthorizationKind.Basic:
                if (!AuthorizationHeader.TryDecodeBasic(credential, out var userName, out var password))
                {
                    HostingLog.TokenGenerationRefused(logger, "malformed Basic credentials");
                    return ContractUnauthorizedResult.NoToken;
                }

                return Issued(await exchange.ExchangeCredentialsAsync(userName, password, cancellationToken).ConfigureAwait(false));

            case AuthorizationKind.Invalid:
                HostingLog.TokenGenerationRefused(logger, "malformed Authorization header");
                return ContractUnauthorizedResult.NoToken;
        }

        var apiKeys = headers[RxInferDefaults.ApiKeyHeader];
        if (apiKeys.Count > 0)
        {
            if (apiKeys.Count > 1 || string.IsNullOrWhiteSpace(apiKeys[0]))
            {
                HostingLog.TokenGenerationRefused(logger, "malformed X-API-Key header");
                return ContractUnauthorizedResult.NoToken;
            }

            return Issued(await exchange.ExchangeApiKeyAsync(apiKeys[0]!.Trim(), cancellationToken).ConfigureAwait(false));
        }

        context.RequestServices.GetRequiredService<AnonymousTokenRateLimiting>().WarnIfNotApplied(context, logger);
        return Issued(await exchange.IssueAnonymousAsync(cancellationToken).ConfigureAwait(false));

        static Results<Ok<TokenResponse>, ContractUnauthorizedResult> Issued(IssuedToken? issued) =>
            issued is null ? ContractUnauthorizedResult.NoToken : TypedResults.Ok(new TokenResponse(issued.Token));
    }

    /// <summary>
    /// RFC 6749 §5.1: a response that carries a token must not be stored by any cache. Set on every request to
    /// <c>POST /token/generate</c> before the token is produced, so no way of returning one can miss it (the errors
    /// carry it as well).
    /// </summary>
    private static void ForbidCaching(HttpResponse response)
    {
        response.Headers.CacheControl = "no-store";
        response.Headers.Pragma = "no-cache";
    }

    private static Ok<RolesResponse> GetRoles(ClaimsPrincipal user) =>
        TypedResults.Ok(new RolesResponse(Roles(user)));

    private static string[] Roles(ClaimsPrincipal user) =>
        [.. user.FindAll(RxInferClaimTypes.Role).Select(static claim => claim.Value)];
}
