using Microsoft.Extensions.Logging;

namespace RxInfer.Hosting.AspNetCore;

/// <summary>
/// The adapter's log messages, all under categories of the library's own namespace (<c>RxInfer.Hosting.AspNetCore.*</c>),
/// never under <c>Microsoft.AspNetCore.*</c>, which hosts commonly filter to warnings. None of them carries a token's or
/// a key's text. A presented token is validated once per request (<see cref="PresentedToken"/>), so a rejected token
/// is logged once, with its reason, by RxInfer.Auth (<c>TokenRejected</c>): not again here, and not by ASP.NET Core
/// (the scheme answers "no result" rather than "failed", which ASP.NET Core would log again).
/// </summary>
internal static partial class HostingLog
{
    /// <summary>The category of the token endpoints' log lines.</summary>
    public const string TokenEndpointsCategory = "RxInfer.Hosting.AspNetCore.TokenEndpoints";

    [LoggerMessage(EventId = 2, EventName = "TokenAccepted", Level = LogLevel.Debug, Message = "Scheme {Scheme} authenticated token {TokenId} of {Subject}")]
    public static partial void TokenAccepted(ILogger logger, string scheme, string tokenId, string subject);

    [LoggerMessage(EventId = 3, EventName = "TokenGenerationRefused", Level = LogLevel.Information, Message = "POST /token/generate refused: {Reason}")]
    public static partial void TokenGenerationRefused(ILogger logger, string reason);

    [LoggerMessage(EventId = 4, EventName = "BadRequest", Level = LogLevel.Debug, Message = "Bad request answered with {StatusCode}: {Message}")]
    public static partial void BadRequest(ILogger logger, int statusCode, string message);

    [LoggerMessage(EventId = 5, EventName = "ServiceUnavailable", Level = LogLevel.Warning, Message = "Answered 503 (retry after {RetryAfterSeconds} s): {Message}")]
    public static partial void ServiceUnavailable(ILogger logger, string message, long retryAfterSeconds, Exception? exception);

    [LoggerMessage(EventId = 6, EventName = "ChallengeAfterResponseStarted", Level = LogLevel.Debug, Message = "Scheme {Scheme} wrote no {StatusCode}: the response had started already")]
    public static partial void ResponseStarted(ILogger logger, string scheme, int statusCode);

    [LoggerMessage(EventId = 7, EventName = "AcceptedTokenChallenged", Level = LogLevel.Warning, Message = "Scheme {Scheme} was asked to challenge a request whose token it accepted, so the request's user was not set from that token. The RxInfer endpoints rely on the authentication middleware when {Scheme} is the default scheme: call app.UseAuthentication() before app.UseAuthorization()")]
    public static partial void AcceptedTokenChallenged(ILogger logger, string scheme);

    // Rate limiting of anonymous tokens (RateLimiting/): ids from 20.
    [LoggerMessage(EventId = 20, EventName = "AnonymousTokenRateLimited", Level = LogLevel.Debug, Message = "POST /token/generate refused with 429: more than {Limit} anonymous token(s) a minute from {ClientAddress}; retry after {RetryAfterSeconds} s")]
    public static partial void AnonymousTokenRateLimited(ILogger logger, string clientAddress, int limit, long retryAfterSeconds);

    [LoggerMessage(EventId = 21, EventName = "AnonymousTokenRateLimitNotApplied", Level = LogLevel.Warning, Message = "Issued an anonymous token without the rate limit of {Limit} a minute per client address: call app.UseRateLimiter() after routing (or set RxInfer:Endpoints:AnonymousTokensPerMinute to 0 to turn the limit off)")]
    public static partial void AnonymousTokenRateLimitNotApplied(ILogger logger, int limit);
}
