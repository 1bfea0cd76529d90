using Microsoft.Extensions.Logging;

namespace RxInfer.Auth;

/// <summary>
/// Every log line of the package, with stable event ids. None takes token text: only ids, subjects and reasons.
/// </summary>
internal static partial class Log
{
    [LoggerMessage(1, LogLevel.Information, "Issued {Kind} {TokenId} for subject {Subject} ({Provider}), expires {ExpiresAt:O}", EventName = "TokenIssued")]
    public static partial void TokenIssued(ILogger logger, TokenKind kind, string tokenId, string subject, string provider, DateTimeOffset expiresAt);

    [LoggerMessage(2, LogLevel.Debug, "Rejected a presented token: {Reason}", EventName = "TokenRejected")]
    public static partial void TokenRejected(ILogger logger, TokenRejectionReason reason);

    [LoggerMessage(3, LogLevel.Information, "Revoked token {TokenId}", EventName = "TokenRevoked")]
    public static partial void TokenRevoked(ILogger logger, string tokenId);

    [LoggerMessage(4, LogLevel.Information, "Revoked {Count} token(s) of subject {Subject}", EventName = "SubjectRevoked")]
    public static partial void SubjectRevoked(ILogger logger, int count, string subject);

    [LoggerMessage(5, LogLevel.Information, "Exchanged API key {KeyId} for access token {TokenId}", EventName = "ApiKeyExchanged")]
    public static partial void ApiKeyExchanged(ILogger logger, string keyId, string tokenId);

    [LoggerMessage(6, LogLevel.Information, "Refused to issue a token: {Reason}", EventName = "TokenRefused")]
    public static partial void TokenRefused(ILogger logger, string reason);

    [LoggerMessage(7, LogLevel.Information, "Created API key {KeyId} for subject {Subject}, expires {ExpiresAt:O}", EventName = "ApiKeyCreated")]
    public static partial void ApiKeyCreated(ILogger logger, string keyId, string subject, DateTimeOffset expiresAt);

    [LoggerMessage(8, LogLevel.Information, "Revoked API key {KeyId}", EventName = "ApiKeyRevoked")]
    public static partial void ApiKeyRevoked(ILogger logger, string keyId);

    [LoggerMessage(9, LogLevel.Warning, "The development token is enabled: anyone can authenticate as {Subject} with any roles. Never enable it in production.", EventName = "DevelopmentTokenEnabled")]
    public static partial void DevelopmentTokenEnabled(ILogger logger, string subject);

    [LoggerMessage(10, LogLevel.Warning, "No JWT signing key is configured; generated an ephemeral {Algorithm} key {KeyId}. Tokens will not survive a restart. Use this in development only.", EventName = "EphemeralJwtKey")]
    public static partial void EphemeralJwtKey(ILogger logger, string algorithm, string keyId);

    [LoggerMessage(11, LogLevel.Warning, "Configured API key {KeyId} is already stored as {StoredKeyId}; the stored entry is kept", EventName = "ConfiguredApiKeyAlreadyStored")]
    public static partial void ConfiguredApiKeyAlreadyStored(ILogger logger, string keyId, string storedKeyId);

    [LoggerMessage(12, LogLevel.Error, "Validating a JWT failed with an unexpected {ExceptionType}; the token is rejected as malformed. Thrown at: {StackTrace}", EventName = "UnexpectedJwtValidationFailure")]
    public static partial void UnexpectedJwtValidationFailure(ILogger logger, string exceptionType, string stackTrace);

    // Capacity (quotas): ids from 20.
    [LoggerMessage(20, LogLevel.Warning, "Refused to issue a {Kind}: the token store holds {Limit} token(s), its configured capacity (RxInfer:Auth:Opaque:MaxTokens); answered 503", EventName = "TokenCapacityReached")]
    public static partial void TokenCapacityReached(ILogger logger, TokenKind kind, int limit);
}
