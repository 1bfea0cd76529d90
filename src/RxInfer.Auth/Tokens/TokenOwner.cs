namespace RxInfer.Auth;

/// <summary>
/// Who owns resources: the rules that keep the subjects of our own tokens apart from the identities of external
/// OpenID Connect issuers. A <c>sub</c> is unique only within its issuer, so an external identity owns resources
/// by its issuer and subject together, as the owner key <c>&lt;issuer name&gt;</c> + <see cref="Separator"/> +
/// <c>&lt;sub&gt;</c>; our own subjects may not contain any C0 control character (U+0000 to U+001F), the separator
/// included, so no subject of ours can equal an external owner key, and since an issuer name never contains the
/// separator either, two distinct (issuer, subject) pairs never share one.
/// </summary>
public static class TokenOwner
{
    /// <summary>The reserved separator between an issuer name and a subject in an external owner key: U+001F (unit separator).</summary>
    public const char Separator = '\u001F';

    /// <summary>
    /// Whether <paramref name="subject"/> may be a subject of our own tokens: not empty and without any C0 control
    /// character (U+0000 to U+001F; U+0000 cannot even be stored in PostgreSQL <c>text</c>).
    /// </summary>
    /// <param name="subject">The subject.</param>
    /// <returns><see langword="true"/> when it may be used.</returns>
    public static bool IsValidSubject(string? subject) =>
        !string.IsNullOrEmpty(subject) && IsPlainText(subject);

    /// <summary>Text without a C0 control character (U+0000 to U+001F).</summary>
    private static bool IsPlainText(ReadOnlySpan<char> text) => !text.ContainsAnyInRange('\u0000', '\u001F');

    /// <summary>
    /// The owner key of an identity: <paramref name="subject"/> itself for our own tokens (<paramref name="issuer"/>
    /// <see langword="null"/>), <c>issuer</c> + <see cref="Separator"/> + <c>subject</c> for an external issuer's.
    /// </summary>
    /// <param name="issuer">The name of the external issuer's registration, or <see langword="null"/> for our own tokens.</param>
    /// <param name="subject">The subject (<c>sub</c>) as the token carries it.</param>
    /// <returns>The owner key.</returns>
    /// <exception cref="ArgumentException">A subject or issuer name that breaks the rules above.</exception>
    public static string Of(string? issuer, string subject)
    {
        if (!IsValidSubject(subject))
        {
            throw new ArgumentException("A subject must be non-empty and must not contain control characters (U+0000 to U+001F).", nameof(subject));
        }

        if (issuer is null)
        {
            return subject;
        }

        if (!IsValidSubject(issuer))
        {
            throw new ArgumentException("An issuer name must be non-empty and must not contain control characters (U+0000 to U+001F).", nameof(issuer));
        }

        return string.Concat(issuer, Separator.ToString(), subject);
    }

    /// <summary>
    /// Whether <paramref name="owner"/> is an owner key <see cref="Of"/> can return: a subject of ours, or an issuer
    /// name and a subject (each non-empty, neither with a control character) around one <see cref="Separator"/>.
    /// </summary>
    /// <param name="owner">The owner key.</param>
    /// <returns><see langword="true"/> when it is well formed.</returns>
    public static bool IsValidOwner(string? owner)
    {
        if (string.IsNullOrEmpty(owner))
        {
            return false;
        }

        var separator = owner.IndexOf(Separator, StringComparison.Ordinal);
        return separator < 0
            ? IsValidSubject(owner)
            : separator > 0 && separator < owner.Length - 1 && IsPlainText(owner.AsSpan(0, separator)) && IsPlainText(owner.AsSpan(separator + 1));
    }
}
