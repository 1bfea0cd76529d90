using System.Buffers;
using System.Text;
using Microsoft.AspNetCore.Http;
using Microsoft.AspNetCore.WebUtilities;
using Microsoft.Extensions.Primitives;
using Microsoft.Net.Http.Headers;

namespace RxInfer.Hosting.AspNetCore;

/// <summary>
/// Reads an <c>application/x-www-form-urlencoded</c> body (the token endpoints of RFC 7009 and RFC 7662) without model
/// binding: content type, size, UTF-8 and the form syntax are checked, and every problem is a message for a 400.
/// </summary>
internal static class FormBody
{
    public const string ContentType = "application/x-www-form-urlencoded";

    /// <summary>At most this many fields: the token endpoints take two.</summary>
    private const int MaxFields = 16;

    private static readonly UTF8Encoding StrictUtf8 = new(encoderShouldEmitUTF8Identifier: false, throwOnInvalidBytes: true);

    /// <summary>Reads the body: the fields and no error, or an error message for a 400.</summary>
    public static async ValueTask<(Dictionary<string, StringValues>? Fields, string? Error)> ReadAsync(HttpRequest request, long limit, CancellationToken cancellationToken)
    {
        if (!IsForm(request.ContentType))
        {
            return (null, $"The request body must have Content-Type {ContentType}");
        }

        if (request.ContentLength > limit)
        {
            return (null, RxInferErrors.BodyTooLarge(limit));
        }

        var buffer = new ArrayBufferWriter<byte>(1024);
        try
        {
            while (true)
            {
                var read = await request.Body.ReadAsync(buffer.GetMemory(1024), cancellationToken).ConfigureAwait(false);
                if (read == 0)
                {
                    break;
                }

                buffer.Advance(read);
                if (buffer.WrittenCount > limit)
                {
                    return (null, RxInferErrors.BodyTooLarge(limit));
                }
            }
        }
        catch (BadHttpRequestException exception)
        {
            return (null, exception.StatusCode == StatusCodes.Status413PayloadTooLarge ? RxInferErrors.BodyTooLarge(limit) : "The request body could not be read");
        }

        string text;
        try
        {
            text = StrictUtf8.GetString(buffer.WrittenSpan);
        }
        catch (DecoderFallbackException)
        {
            return (null, "The request body is not valid UTF-8");
        }

        try
        {
            using var reader = new FormReader(text) { ValueCountLimit = MaxFields, KeyLengthLimit = 256, ValueLengthLimit = (int)Math.Min(limit, int.MaxValue) };
            return (reader.ReadForm(), null);
        }
        catch (InvalidDataException)
        {
            return (null, $"The request body has more than {MaxFields} fields or a field longer than allowed");
        }
    }

    /// <summary>
    /// The one value of <paramref name="name"/>: missing or empty, or given more than once (RFC 6749 §3.2), is an error
    /// message for a 400.
    /// </summary>
    public static string? Single(Dictionary<string, StringValues> fields, string name, out string? error)
    {
        error = null;
        if (!fields.TryGetValue(name, out var values) || values.Count == 0 || string.IsNullOrEmpty(values[0]))
        {
            error = $"The {name} parameter is required";
            return null;
        }

        if (values.Count > 1)
        {
            error = $"The {name} parameter must be given once";
            return null;
        }

        return values[0];
    }

    private static bool IsForm(string? contentType) =>
        MediaTypeHeaderValue.TryParse(contentType, out var parsed)
        && parsed.MediaType.Equals(ContentType, StringComparison.OrdinalIgnoreCase)
        && (parsed.Charset.Length == 0 || parsed.Charset.Equals("utf-8", StringComparison.OrdinalIgnoreCase));
}
