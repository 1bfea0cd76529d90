namespace RxInfer.Models;

/// <summary>Names that hosts need to observe <c>RxInfer.Models</c>.</summary>
public static class RxInferModelsDefaults
{
    /// <summary>
    /// The name of the <see cref="System.Diagnostics.ActivitySource"/> that traces every model runtime call (initial
    /// state, initial parameters, inference, learning): <c>RxInfer.Models</c> (with OpenTelemetry,
    /// <c>tracing.AddSource(RxInferModelsDefaults.ActivitySourceName)</c>).
    /// </summary>
    public const string ActivitySourceName = "RxInfer.Models";
}
