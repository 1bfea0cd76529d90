using System.Buffers;
using System.Text.Json;
using Microsoft.AspNetCore.Http;
using RxInfer.Text;

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
            if (!JsonUnicode.HasOnlyValidText(buffer.WrittenSpan, DocumentOptions.MaxDepth))
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
}
