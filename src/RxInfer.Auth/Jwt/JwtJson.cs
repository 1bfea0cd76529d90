using System.Buffers;
using System.Text;
using System.Text.Json;

namespace RxInfer.Auth;

/// <summary>
/// The strict JSON checks the header and payload readers share: every string and property name must unescape to
/// Unicode text, every number must fit a double; where a string lies in the decoded buffer; which of a few known
/// members have been seen. Pure, no state.
/// </summary>
internal static class JwtJson
{
    /// <summary>Reads past a member's value (the reader is on its name), checking every string and number in it.</summary>
    public static bool CheckMember(ref Utf8JsonReader reader)
    {
        if (reader.ValueIsEscaped)
        {
            CheckEscapedText(ref reader);
        }

        return reader.Read() && CheckValue(ref reader);
    }

    /// <summary>
    /// Checks the value the reader is on, whole (objects and arrays included; the reader ends on its last token): every
    /// string and property name unescapes to Unicode text, every number fits a double. False when one does not.
    /// </summary>
    public static bool CheckValue(ref Utf8JsonReader reader)
    {
        var depth = reader.CurrentDepth;
        do
        {
            switch (reader.TokenType)
            {
                case JsonTokenType.String or JsonTokenType.PropertyName when reader.ValueIsEscaped:
                    CheckEscapedText(ref reader);
                    break;
                case JsonTokenType.Number when !reader.TryGetDouble(out var number) || !double.IsFinite(number):
                    return false;
                case JsonTokenType.StartObject or JsonTokenType.StartArray:
                    if (!reader.Read())
                    {
                        return false;
                    }

                    continue;
            }

            if (reader.CurrentDepth <= depth)
            {
                return true;
            }

            if (!reader.Read())
            {
                return false;
            }
        }
        while (true);
    }

    /// <summary>Unescapes the current string into a scratch buffer: throws <see cref="InvalidOperationException"/> when it is not Unicode text.</summary>
    private static void CheckEscapedText(ref Utf8JsonReader reader)
    {
        var length = reader.ValueSpan.Length;
        char[]? rented = null;
        var scratch = length <= 256 ? stackalloc char[256] : (rented = ArrayPool<char>.Shared.Rent(length));
        try
        {
            _ = reader.CopyString(scratch);
        }
        finally
        {
            if (rented is not null)
            {
                ArrayPool<char>.Shared.Return(rented);
            }
        }
    }

    /// <summary>Which of a few known members have been seen.</summary>
    public struct MemberSet
    {
        private int _bits;

        /// <summary>Notes <paramref name="member"/> (0 to 31); false when it was seen before.</summary>
        public bool Add(int member)
        {
            var bit = 1 << member;
            var added = (_bits & bit) == 0;
            _bits |= bit;
            return added;
        }
    }

    /// <summary>
    /// Where a JSON string value is in the decoded buffer: its raw bytes (without quotes) and whether they hold escapes.
    /// Absent (<see cref="IsPresent"/> false) when the value was not a string; a value never starts at 0 (the '{' is there).
    /// </summary>
    public readonly record struct Text(int Start, int Length, bool IsEscaped)
    {
        public bool IsPresent => Start > 0;

        /// <summary>The string the reader is on, or an absent text when the value is not a string.</summary>
        public static Text Of(ref Utf8JsonReader reader) =>
            reader.TokenType == JsonTokenType.String
                ? new((int)reader.TokenStartIndex + 1, reader.ValueSpan.Length, reader.ValueIsEscaped)
                : default;

        public bool Equals(ReadOnlySpan<byte> json, string text)
        {
            if (!IsEscaped)
            {
                var raw = json.Slice(Start, Length);
                if (raw.Length != text.Length)
                {
                    return false;
                }

                for (var i = 0; i < raw.Length; i++)
                {
                    if (raw[i] != text[i])
                    {
                        return false;
                    }
                }

                return true;
            }

            var reader = Quoted(json);
            return reader.ValueTextEquals(text);
        }

        public int CopyTo(ReadOnlySpan<byte> json, Span<char> destination)
        {
            if (!IsEscaped)
            {
                return Encoding.UTF8.GetChars(json.Slice(Start, Length), destination);
            }

            var reader = Quoted(json);
            return reader.CopyString(destination);
        }

        public string GetString(ReadOnlySpan<byte> json)
        {
            if (!IsEscaped)
            {
                return Encoding.UTF8.GetString(json.Slice(Start, Length));
            }

            var reader = Quoted(json);
            return reader.GetString()!;
        }

        private Utf8JsonReader Quoted(ReadOnlySpan<byte> json)
        {
            var reader = new Utf8JsonReader(json.Slice(Start - 1, Length + 2));
            reader.Read();
            return reader;
        }
    }
}
