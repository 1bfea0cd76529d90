namespace RxInfer.Models;

/// <summary>The check every operation on an instance makes of its caller.</summary>
internal static class CallerChecks
{
    /// <summary>Refuses a caller without a subject: it could own nothing, and an empty owner must never match one.</summary>
    public static void Check(ModelCaller caller)
    {
        if (string.IsNullOrEmpty(caller.Subject))
        {
            throw new ArgumentException("The caller must have a subject.", nameof(caller));
        }
    }
}
