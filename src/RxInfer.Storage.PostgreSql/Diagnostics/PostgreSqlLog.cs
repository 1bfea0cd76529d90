using Microsoft.Extensions.Logging;

namespace RxInfer.Storage.PostgreSql;

/// <summary>The package's log messages (stable event ids). None carries a token, a key, a hash or a connection string.</summary>
internal static partial class PostgreSqlLog
{
    [LoggerMessage(1, LogLevel.Information, "RxInfer PostgreSQL stores on {Server}, schema {Schema}", EventName = "StoresStarting")]
    public static partial void StoresStarting(ILogger logger, string server, string schema);

    [LoggerMessage(2, LogLevel.Information, "Applied migration {Migration} to schema {Schema}", EventName = "MigrationApplied")]
    public static partial void MigrationApplied(ILogger logger, string migration, string schema);

    [LoggerMessage(3, LogLevel.Information, "Schema {Schema} is at version {Version} ({Applied} migration(s) applied now)", EventName = "SchemaReady")]
    public static partial void SchemaReady(ILogger logger, string schema, int version, int applied);

    [LoggerMessage(4, LogLevel.Information, "Listening for revocations on {Channel}; applied up to {Sequence} ({Mode})", EventName = "RevocationFeedConnected")]
    public static partial void RevocationFeedConnected(ILogger logger, string channel, long sequence, string mode);

    [LoggerMessage(5, LogLevel.Warning, "The revocation notification connection dropped; cached tokens are honoured for {GracePeriod} more, then the database is asked every time", EventName = "RevocationFeedLost")]
    public static partial void RevocationFeedLost(ILogger logger, TimeSpan gracePeriod, Exception exception);

    [LoggerMessage(6, LogLevel.Debug, "Reconnecting to the revocation feed failed; retrying in {Delay}", EventName = "RevocationFeedRetry")]
    public static partial void RevocationFeedRetry(ILogger logger, TimeSpan delay, Exception exception);

    [LoggerMessage(7, LogLevel.Warning, "A token lookup found no free slot ({MaxConcurrentLookups} busy) and was answered 503", EventName = "LookupRejected")]
    public static partial void LookupRejected(ILogger logger, int maxConcurrentLookups);

    [LoggerMessage(8, LogLevel.Debug, "Swept {Count} expired row(s) from {Table}", EventName = "Swept")]
    public static partial void Swept(ILogger logger, int count, string table);

    [LoggerMessage(9, LogLevel.Warning, "The sweep of expired rows failed; it runs again in {Interval}", EventName = "SweepFailed")]
    public static partial void SweepFailed(ILogger logger, TimeSpan interval, Exception exception);

    [LoggerMessage(10, LogLevel.Warning, "The revocation log was pruned past what this node had applied; every revocation was reloaded and the token cache emptied", EventName = "RevocationsReloaded")]
    public static partial void RevocationsReloaded(ILogger logger);
}
