namespace RxInfer.Auth;

/// <summary>Names and default values shared by the RxInfer authentication packages.</summary>
public static class RxInferAuthDefaults
{
    /// <summary>The prefix of opaque access tokens: <c>rxi_</c>.</summary>
    public const string AccessTokenPrefix = "rxi_";

    /// <summary>The prefix of API keys: <c>rxk_</c>.</summary>
    public const string ApiKeyPrefix = "rxk_";

    /// <summary>The role a token gets when nothing else names its roles: <c>user</c>.</summary>
    public const string DefaultRole = "user";

    /// <summary>The development token, when the host enables it: <c>dev-token</c>, also its subject.</summary>
    public const string DevelopmentToken = "dev-token";

    /// <summary>The name of the <see cref="System.Diagnostics.Metrics.Meter"/> the packages report to: <c>RxInfer.Auth</c>.</summary>
    public const string MeterName = "RxInfer.Auth";

    /// <summary>
    /// The name of the <see cref="System.Diagnostics.ActivitySource"/> that traces issuing, validating and revoking
    /// tokens: <c>RxInfer.Auth</c> (with OpenTelemetry, <c>tracing.AddSource(RxInferAuthDefaults.ActivitySourceName)</c>).
    /// </summary>
    public const string ActivitySourceName = "RxInfer.Auth";

    /// <summary>The configuration section the sample host binds: <c>RxInfer:Auth</c>.</summary>
    public const string ConfigurationSection = "RxInfer:Auth";
}
