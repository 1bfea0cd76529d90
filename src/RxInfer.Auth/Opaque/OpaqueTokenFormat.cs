using System.IO.Hashing;
using System.Security.Cryptography;

namespace RxInfer.Auth;

/// <summary>
/// The text of an opaque token: <c>prefix</c> + 43 base62 characters from <see cref="RandomNumberGenerator"/>
/// (at least 256 bits) + 6 base62 characters of the CRC-32 of those 43. The checksum rejects typos and
/// garbage before any lookup, and the fixed shape lets secret scanners recognise leaked tokens.
/// </summary>
internal sealed class OpaqueTokenFormat
{
    /// <summary>Random characters: 62^43 &gt; 2^256.</summary>
    public const int RandomLength = 43;

    /// <summary>Checksum characters: 62^6 &gt; 2^32.</summary>
    public const int ChecksumLength = 6;

    public const string Alphabet = RandomId.Alphabet;

    private const int MaxPrefixLength = 16;

    public OpaqueTokenFormat(string prefix)
    {
        if (!IsValidPrefix(prefix))
        {
            throw new ArgumentException(PrefixRule, nameof(prefix));
        }

        Prefix = prefix;
        Length = prefix.Length + RandomLength + ChecksumLength;
    }

    public const string PrefixRule =
        "A token prefix is 2 to 16 characters: an ASCII letter, then ASCII letters or digits, then '_' (for example 'rxi_').";

    public string Prefix { get; }

    /// <summary>The exact length of every token of this format.</summary>
    public int Length { get; }

    public static bool IsValidPrefix(string? prefix)
    {
        if (prefix is null || prefix.Length < 2 || prefix.Length > MaxPrefixLength || prefix[^1] != '_' || !char.IsAsciiLetter(prefix[0]))
        {
            return false;
        }

        foreach (var c in prefix.AsSpan(0, prefix.Length - 1))
        {
            if (!char.IsAsciiLetterOrDigit(c))
            {
                return false;
            }
        }

        return true;
    }

    /// <summary>Makes a new token text.</summary>
    public string Create() => string.Create(Length, Prefix, static (span, prefix) =>
    {
        prefix.AsSpan().CopyTo(span);
        var random = span.Slice(prefix.Length, RandomLength);
        RandomNumberGenerator.GetItems(Alphabet, random);
        WriteChecksum(random, span[(prefix.Length + RandomLength)..]);
    });

    /// <summary>
    /// Checks that <paramref name="token"/> has this format's shape (exact length and prefix, base62 only, a
    /// matching checksum) and, only then, hashes it. The text is narrowed to ASCII once, for both the checksum and
    /// the SHA-256. No lookup, no allocation.
    /// </summary>
    /// <returns>Whether the token is well formed; <paramref name="hash"/> is its SHA-256 when it is.</returns>
    public bool TryHash(ReadOnlySpan<char> token, out TokenHash hash)
    {
        hash = default;
        if (token.Length != Length || !token.StartsWith(Prefix, StringComparison.Ordinal))
        {
            return false;
        }

        var body = token[Prefix.Length..];
        if (body.ContainsAnyExcept(Base62.Values))
        {
            return false;
        }

        // Every character is now ASCII: the prefix was validated at start, the body is base62.
        Span<byte> ascii = stackalloc byte[MaxPrefixLength + RandomLength + ChecksumLength];
        ascii = ascii[..token.Length];
        System.Text.Ascii.FromUtf16(token, ascii, out _);
        if (Crc32.HashToUInt32(ascii.Slice(Prefix.Length, RandomLength)) != DecodeChecksum(body[RandomLength..]))
        {
            return false;
        }

        hash = TokenHash.ComputeAscii(ascii);
        return true;
    }

    private static void WriteChecksum(ReadOnlySpan<char> random, Span<char> destination)
    {
        Span<byte> ascii = stackalloc byte[RandomLength];
        System.Text.Ascii.FromUtf16(random, ascii, out _);
        var crc = Crc32.HashToUInt32(ascii);
        for (var i = ChecksumLength - 1; i >= 0; i--)
        {
            destination[i] = Alphabet[(int)(crc % 62)];
            crc /= 62;
        }
    }

    /// <summary>The value of 6 base62 digits (already checked to be base62), most significant first.</summary>
    private static ulong DecodeChecksum(ReadOnlySpan<char> digits)
    {
        ulong value = 0;
        foreach (var digit in digits)
        {
            value = (value * 62) + (ulong)DigitValue(digit);
        }

        return value;
    }

    private static int DigitValue(char digit) => digit switch
    {
        <= '9' => digit - '0',
        <= 'Z' => digit - 'A' + 10,
        _ => digit - 'a' + 36,
    };

    private static class Base62
    {
        public static readonly System.Buffers.SearchValues<char> Values = System.Buffers.SearchValues.Create(Alphabet);
    }
}
