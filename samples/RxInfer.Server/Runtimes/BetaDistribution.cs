namespace RxInfer.Server.Runtimes;

/// <summary>
/// A Beta(alpha, beta) belief about the probability of heads of a coin. It is the conjugate prior of the Bernoulli
/// toss: after <c>k</c> heads in <c>n</c> tosses, Beta(alpha, beta) becomes Beta(alpha + k, beta + n - k), whatever
/// the order of the tosses.
/// </summary>
/// <param name="Alpha">Pseudo-count of heads (greater than zero).</param>
/// <param name="Beta">Pseudo-count of tails (greater than zero).</param>
internal readonly record struct BetaDistribution(double Alpha, double Beta)
{
    /// <summary>The mean, alpha / (alpha + beta): the probability that the next toss is heads.</summary>
    public double Mean => Alpha / (Alpha + Beta);

    /// <summary>
    /// The variance, alpha beta / ((alpha + beta)^2 (alpha + beta + 1)), computed as mean (1 - mean) / (alpha + beta + 1)
    /// so that large counts do not overflow.
    /// </summary>
    public double Variance
    {
        get
        {
            var total = Alpha + Beta;
            return Alpha / total * (Beta / total) / (total + 1);
        }
    }

    /// <summary>The belief after <paramref name="heads"/> heads and <paramref name="tails"/> tails.</summary>
    /// <param name="heads">Heads seen.</param>
    /// <param name="tails">Tails seen.</param>
    /// <returns>Beta(alpha + heads, beta + tails).</returns>
    public BetaDistribution Observe(long heads, long tails) => new(Alpha + heads, Beta + tails);
}
