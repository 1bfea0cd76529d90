using RxInfer.Models;

namespace RxInfer.Server.Runtimes;

/// <summary>Registers the runtimes of the sample's own models.</summary>
internal static class SampleModelRuntimes
{
    /// <summary>
    /// Registers <see cref="CoinTossRuntime"/> for <c>coin-toss-v1</c> and <see cref="SensorSmoothingRuntime"/> for
    /// <c>sensor-smoothing-v1</c>, and <see cref="InvalidModelDataExceptionHandler"/> so that their refusal of a new
    /// instance's arguments is a 400. <c>admin-diagnostics-v1</c> keeps the default (no inference, no learning).
    /// </summary>
    /// <param name="models">The models builder of the host.</param>
    /// <returns>The builder.</returns>
    public static RxInferModelsBuilder AddSampleModelRuntimes(this RxInferModelsBuilder models)
    {
        models.Services.AddExceptionHandler<InvalidModelDataExceptionHandler>();
        return models
            .AddModelRuntime(CoinTossRuntime.ModelName, new CoinTossRuntime())
            .AddModelRuntime(SensorSmoothingRuntime.ModelName, new SensorSmoothingRuntime());
    }
}
