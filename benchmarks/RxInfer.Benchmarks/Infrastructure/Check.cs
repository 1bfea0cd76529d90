using RxInfer.Auth;

namespace RxInfer.Benchmarks.Infrastructure;

/// <summary>Fails a benchmark's setup when the path under test does not give the expected outcome, so no figure measures the wrong path.</summary>
internal static class Check
{
    public static void Valid(bool valid, string what)
    {
        if (!valid)
        {
            throw new InvalidOperationException($"Setup check failed: {what} should be valid.");
        }
    }

    public static void Valid(TokenValidationOutcome outcome, string what)
    {
        if (!outcome.IsValid)
        {
            throw new InvalidOperationException($"Setup check failed: {what} should be valid, was {outcome}.");
        }
    }

    public static void Rejected(bool valid, string what)
    {
        if (valid)
        {
            throw new InvalidOperationException($"Setup check failed: {what} should be rejected.");
        }
    }

    public static void Rejected(TokenValidationOutcome outcome, TokenRejectionReason reason, string what)
    {
        if (outcome.IsValid || outcome.Reason != reason)
        {
            throw new InvalidOperationException($"Setup check failed: {what} should be rejected as {reason}, was {outcome}.");
        }
    }
}
