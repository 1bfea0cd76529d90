namespace RxInfer.Models;

/// <summary>The check every operation on an instance makes of its caller.</summary>
internal static class CallerChecks
{
    /// <summary>
    /// Refuses a caller without a subject (it could own nothing, and an empty owner must never match one) and one
    /// whose subject is not an owner key (the rule of <c>RxInfer.Auth.TokenOwner.IsValidOwner</c>: a subject of ours holds
    /// no C0 control character, an external identity's is its issuer and subject around the one separator U+001F).
    /// </summary>
    public static void Check(ModelCaller caller)
    {
        if (string.IsNullOrEmpty(caller.Subject))
        {
            throw new ArgumentException("The caller must have a subject.", nameof(caller));
        }

        if (!IsOwnerKey(caller.Subject))
        {
            throw new ArgumentException("The caller's subject must not contain control characters (U+0000 to U+001F), except the one separator of an external owner key.", nameof(caller));
        }
    }

    /// <summary>Text without C0 control characters, or two such non-empty parts around one U+001F.</summary>
    private static bool IsOwnerKey(string owner)
    {
        var separator = owner.IndexOf('\u001F', StringComparison.Ordinal);
        return separator < 0
            ? IsPlainText(owner)
            : separator > 0 && separator < owner.Length - 1 && IsPlainText(owner.AsSpan(0, separator)) && IsPlainText(owner.AsSpan(separator + 1));
    }

    private static bool IsPlainText(ReadOnlySpan<char> text) => !text.ContainsAnyInRange('\u0000', '\u001F');
}
