using System.Buffers;
using System.Text.Json;
using System.Text.Unicode;

namespace RxInfer.Text;

/// <summary>
/// Whether JSON text carries only valid Unicode. <see cref="JsonDocument"/> accepts string values and property
/// names that are not Unicode (raw bytes that are not UTF-8, <c>\u</c> escapes of unpaired surrogates) and only
/// fails when such a string is read, or silently writes U+FFFD for it when the value is written again. Whoever takes
/// JSON from outside (a request body, a configuration file) checks it once, here, before anything reads it.
/// </summary>
/// <remarks>One source compiled into each package that needs it (<c>src/Shared</c>), so no package exposes it.</remarks>
internal static class JsonUnicode
{
    /// <summary>
    /// Whether every string value and property name of <paramref name="utf8"/> is valid Unicode: raw bytes that are
    /// well-formed UTF-8 (no overlong forms, no encoded surrogates, nothing above U+10FFFF) and escapes that pair
    /// every surrogate.
    /// </summary>
    /// <param name="utf8">A JSON document.</param>
    /// <param name="maxDepth">The deepest nesting allowed.</param>
    /// <param name="allowComments">Whether comments are skipped (configuration files) rather than an error (request bodies).</param>
    /// <returns><see langword="false"/> at the first string that is not valid Unicode.</returns>
    /// <exception cref="JsonException">The document is not valid JSON, or is nested deeper than <paramref name="maxDepth"/>.</exception>
    public static bool HasOnlyValidText(ReadOnlySpan<byte> utf8, int maxDepth, bool allowComments = false)
    {
        var reader = new Utf8JsonReader(utf8, new JsonReaderOptions
        {
            MaxDepth = maxDepth,
            CommentHandling = allowComments ? JsonCommentHandling.Skip : JsonCommentHandling.Disallow,
        });
        byte[]? rented = null;
        try
        {
            while (reader.Read())
            {
                if (reader.TokenType is not (JsonTokenType.String or JsonTokenType.PropertyName))
                {
                    continue;
                }

                if (!reader.ValueIsEscaped)
                {
                    if (!Utf8.IsValid(reader.ValueSpan))
                    {
                        return false;
                    }

                    continue;
                }

                // Unescaping never makes a string longer; CopyString checks the surrogates of every escape and the UTF-8 of the rest.
                var length = reader.ValueSpan.Length;
                if (rented is null || rented.Length < length)
                {
                    if (rented is not null)
                    {
                        ArrayPool<byte>.Shared.Return(rented);
                    }

                    rented = ArrayPool<byte>.Shared.Rent(length);
                }

                try
                {
                    reader.CopyString(rented);
                }
                catch (InvalidOperationException)
                {
                    return false;
                }
            }

            return true;
        }
        finally
        {
            if (rented is not null)
            {
                ArrayPool<byte>.Shared.Return(rented);
            }
        }
    }

    /// <summary>Whether <paramref name="text"/> pairs every surrogate (is valid UTF-16, so it has a UTF-8 form).</summary>
    /// <param name="text">The text.</param>
    /// <returns><see langword="false"/> when a surrogate is unpaired.</returns>
    public static bool IsValid(ReadOnlySpan<char> text)
    {
        for (var i = 0; i < text.Length; i++)
        {
            var c = text[i];
            if (!char.IsSurrogate(c))
            {
                continue;
            }

            if (!char.IsHighSurrogate(c) || i + 1 == text.Length || !char.IsLowSurrogate(text[i + 1]))
            {
                return false;
            }

            i++;
        }

        return true;
    }
}
