using System.Diagnostics.CodeAnalysis;
using System.Text;
using System.Text.Unicode;

namespace RxInfer.Auth;

/// <summary>
/// HTTP Basic credentials (RFC 7617), the form <see cref="ITokenExchange.ExchangeCredentialsAsync"/> takes them in at
/// <c>POST /token/generate</c>: base64 of the UTF-8 text <c>user-id ":" password</c>.
/// </summary>
public static class BasicCredentials
{
    /// <summary>The longest credentials text accepted: 4096 base64 characters (3072 bytes once decoded).</summary>
    public const int MaxEncodedLength = 4096;

    /// <summary>
    /// Decodes <paramref name="encoded"/> strictly. Refused (<see langword="false"/>, never an exception): empty or
    /// longer than <see cref="MaxEncodedLength"/>; not base64; bytes that are not UTF-8 (invalid or truncated
    /// sequences, overlong forms, encoded surrogates); no colon; an empty user-id; a control character in the
    /// user-id or the password (RFC 7617 §2). The password may be empty and may contain colons.
    /// </summary>
    /// <param name="encoded">The credentials as sent after <c>Basic</c>.</param>
    /// <param name="userName">The user-id, when the credentials are valid.</param>
    /// <param name="password">The password, when the credentials are valid. Never log it.</param>
    /// <returns>Whether the credentials are well formed.</returns>
    public static bool TryDecode(ReadOnlySpan<char> encoded, [NotNullWhen(true)] out string? userName, [NotNullWhen(true)] out string? password)
    {
        userName = null;
        password = null;
        if (encoded.IsEmpty || encoded.Length > MaxEncodedLength)
        {
            return false;
        }

        Span<byte> bytes = stackalloc byte[MaxEncodedLength / 4 * 3];
        if (!Convert.TryFromBase64Chars(encoded, bytes, out var written))
        {
            return false;
        }

        bytes = bytes[..written];
        var colon = bytes.IndexOf((byte)':'); // A colon byte is only ever the character: UTF-8 never encodes it otherwise.
        if (colon <= 0 || !Utf8.IsValid(bytes))
        {
            return false;
        }

        var user = Encoding.UTF8.GetString(bytes[..colon]);
        var secret = Encoding.UTF8.GetString(bytes[(colon + 1)..]);
        if (user.AsSpan().ContainsAny(Controls.Values) || secret.AsSpan().ContainsAny(Controls.Values))
        {
            return false;
        }

        (userName, password) = (user, secret);
        return true;
    }

    private static class Controls
    {
        /// <summary>C0, DEL and C1: every character <see cref="char.IsControl(char)"/> accepts.</summary>
        public static readonly System.Buffers.SearchValues<char> Values = System.Buffers.SearchValues.Create(
            [.. Enumerable.Range(0, 0x20).Select(static c => (char)c), '\u007f', .. Enumerable.Range(0x80, 0x20).Select(static c => (char)c)]);
    }
}
