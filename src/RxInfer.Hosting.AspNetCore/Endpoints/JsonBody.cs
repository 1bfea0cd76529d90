using System.Buffers;
using System.Text.Json;
using System.Text.Unicode;
using Microsoft.AspNetCore.Http;

namespace RxInfer.Hosting.AspNetCore;

/// <summary>
/// Reads a request body as one JSON object without model binding, so unknown fields are tolerated and every
/// problem is a clear 400 message instead of an exception. Every endpoint that takes a body reads it here, so every
/// one of them gets the same checks: content type, size, syntax, depth, and text (every string and property name
/// of the document must be valid Unicode, so no handler meets a string it cannot decode or would store altered).
/// </summary>
internal static class JsonBody
{
    private static readonly JsonDocumentOptions DocumentOptions = new() { MaxDepth = 64 };

    /// <summary>Reads the body: the object and no error, or an error message for a 400.</summary>
    public static async ValueTask<(JsonElement Body, string? Error)> ReadObjectAsync(HttpRequest request, long limit, CancellationToken cancellationToken)
    {
        if (!RxInferErrors.IsJson(request.ContentType))
        {
            return (default, RxInferErrors.WrongContentType);
        }

        if (request.ContentLength > limit)
        {
            return (default, RxInferErrors.BodyTooLarge(limit));
        }

        var buffer = new ArrayBufferWriter<byte>(4096);
        try
        {
            while (true)
            {
                var memory = buffer.GetMemory(4096);
                var read = await request.Body.ReadAsync(memory, cancellationToken).ConfigureAwait(false);
                if (read == 0)
                {
                    break;
                }

                buffer.Advance(read);
                if (buffer.WrittenCount > limit)
                {
                    return (default, RxInferErrors.BodyTooLarge(limit));
                }
            }
        }
        catch (BadHttpRequestException exception)
        {
            return (default, exception.StatusCode == StatusCodes.Status413PayloadTooLarge
                ? RxInferErrors.BodyTooLarge(limit)
                : "The request body could not be read");
        }

        if (buffer.WrittenCount == 0)
        {
            return (default, RxInferErrors.BodyMissing);
        }

        try
        {
            if (!HasOnlyValidText(buffer.WrittenSpan))
            {
                return (default, RxInferErrors.InvalidText);
            }

            using var document = JsonDocument.Parse(buffer.WrittenMemory, DocumentOptions);
            return document.RootElement.ValueKind == JsonValueKind.Object
                ? (document.RootElement.Clone(), null)
                : (default, RxInferErrors.BodyNotObject);
        }
        catch (JsonException)
        {
            return (default, RxInferErrors.InvalidJson);
        }
    }

    /// <summary>
    /// Whether every string value and property name of <paramref name="utf8"/> is valid Unicode: raw bytes that are
    /// well-formed UTF-8 (no overlong forms, no encoded surrogates, nothing above U+10FFFF) and <c>\u</c> escapes that
    /// pair every surrogate. <see cref="JsonDocument"/> accepts both kinds of bad text and only fails when a string is
    /// read (or, when the value is written again, silently replaces it with U+FFFD), so it is checked once, here.
    /// </summary>
    /// <exception cref="JsonException">The document is not valid JSON.</exception>
    internal static bool HasOnlyValidText(ReadOnlySpan<byte> utf8)
    {
        var reader = new Utf8JsonReader(utf8, new JsonReaderOptions { MaxDepth = DocumentOptions.MaxDepth });
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
}
