using Microsoft.Extensions.Logging;

namespace RxInfer.Hosting.AspNetCore;

/// <summary>
/// The adapter's log messages. None of them carries a token's or a key's text. A rejected token is logged once,
/// with its reason, by RxInfer.Auth (<c>TokenRejected</c>), not again here.
/// </summary>
internal static partial class HostingLog
{
    [LoggerMessage(EventId = 2, EventName = "TokenAccepted", Level = LogLevel.Debug, Message = "Scheme {Scheme} authenticated token {TokenId} of {Subject}")]
    public static partial void TokenAccepted(ILogger logger, string scheme, string tokenId, string subject);

    [LoggerMessage(EventId = 3, EventName = "TokenGenerationRefused", Level = LogLevel.Information, Message = "POST /token/generate refused: {Reason}")]
    public static partial void TokenGenerationRefused(ILogger logger, string reason);

    [LoggerMessage(EventId = 4, EventName = "BadRequest", Level = LogLevel.Debug, Message = "Bad request answered with {StatusCode}: {Message}")]
    public static partial void BadRequest(ILogger logger, int statusCode, string message);

    [LoggerMessage(EventId = 5, EventName = "ServiceUnavailable", Level = LogLevel.Warning, Message = "Answered 503 (retry after {RetryAfterSeconds} s): {Message}")]
    public static partial void ServiceUnavailable(ILogger logger, string message, long retryAfterSeconds, Exception? exception);
}
