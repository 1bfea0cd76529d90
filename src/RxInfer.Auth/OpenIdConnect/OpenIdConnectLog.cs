using Microsoft.Extensions.Logging;

namespace RxInfer.Auth;

/// <summary>The logs of the external OpenID Connect issuers (event ids 30 to 39). Never a token.</summary>
internal static partial class OpenIdConnectLog
{
    [LoggerMessage(30, LogLevel.Warning, "The metadata or keys of OpenID Connect issuer {Issuer} cannot be fetched from {MetadataAddress}; its tokens are answered 503 until it is reachable", EventName = "OpenIdConnectMetadataUnavailable")]
    public static partial void MetadataUnavailable(ILogger logger, string issuer, string metadataAddress, Exception exception);

    [LoggerMessage(35, LogLevel.Debug, "The metadata of OpenID Connect issuer {Issuer} still cannot be fetched from {MetadataAddress} ({ExceptionType})", EventName = "OpenIdConnectMetadataStillUnavailable")]
    public static partial void MetadataStillUnavailable(ILogger logger, string issuer, string metadataAddress, string exceptionType);

    [LoggerMessage(31, LogLevel.Information, "The metadata of OpenID Connect issuer {Issuer} was fetched again from {MetadataAddress} after a failure", EventName = "OpenIdConnectMetadataRecovered")]
    public static partial void MetadataRecovered(ILogger logger, string issuer, string metadataAddress);

    [LoggerMessage(32, LogLevel.Debug, "Fetched the metadata of OpenID Connect issuer {Issuer} from {MetadataAddress}: {KeyCount} signing key(s)", EventName = "OpenIdConnectMetadataFetched")]
    public static partial void MetadataFetched(ILogger logger, string issuer, string metadataAddress, int keyCount);

    [LoggerMessage(33, LogLevel.Warning, "The discovery document of OpenID Connect issuer {Issuer} names issuer {DocumentIssuer}, not the configured {ConfiguredIssuer}; its tokens are rejected", EventName = "OpenIdConnectIssuerMismatch")]
    public static partial void IssuerMismatch(ILogger logger, string issuer, string documentIssuer, string configuredIssuer);

    [LoggerMessage(34, LogLevel.Debug, "A token of OpenID Connect issuer {Issuer} names a key id not in its key set; refreshing the keys", EventName = "OpenIdConnectUnknownKeyRefresh")]
    public static partial void UnknownKeyRefresh(ILogger logger, string issuer);
}
