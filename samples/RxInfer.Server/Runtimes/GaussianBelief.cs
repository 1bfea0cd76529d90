namespace RxInfer.Server.Runtimes;

/// <summary>A Gaussian belief N(mean, variance) about one real value.</summary>
/// <param name="Mean">The mean.</param>
/// <param name="Variance">The variance (zero or more).</param>
internal readonly record struct GaussianBelief(double Mean, double Variance);

/// <summary>
/// The scalar Kalman filter of the local-level (random-walk) model: the true value drifts,
/// <c>x[t] = x[t-1] + w</c> with <c>w ~ N(0, Q)</c>, and each reading is <c>y[t] = x[t] + v</c> with <c>v ~ N(0, R)</c>.
/// </summary>
internal static class LocalLevelFilter
{
    /// <summary>
    /// One step: predict, then correct with the reading <paramref name="observation"/>.
    /// <c>P- = P + Q</c>; gain <c>K = P- / (P- + R)</c>; <c>m' = m + K (y - m)</c>; <c>P' = (1 - K) P- = P- R / (P- + R)</c>
    /// (the last form never goes below zero through rounding).
    /// </summary>
    /// <param name="belief">The belief after the previous reading.</param>
    /// <param name="processNoise">Q, the variance of the drift between two readings (zero or more).</param>
    /// <param name="observationNoise">R, the variance of one reading (greater than zero).</param>
    /// <param name="observation">The reading y.</param>
    /// <returns>The belief after this reading.</returns>
    public static GaussianBelief Step(GaussianBelief belief, double processNoise, double observationNoise, double observation)
    {
        var predicted = belief.Variance + processNoise;
        var gain = predicted / (predicted + observationNoise);
        return new GaussianBelief(
            belief.Mean + gain * (observation - belief.Mean),
            predicted * observationNoise / (predicted + observationNoise));
    }
}
