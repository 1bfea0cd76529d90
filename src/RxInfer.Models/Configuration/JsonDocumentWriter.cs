using System.Buffers;
using System.Text.Encodings.Web;
using System.Text.Json;

namespace RxInfer.Models;

/// <summary>Builds a detached <see cref="JsonElement"/> with a <see cref="Utf8JsonWriter"/>.</summary>
internal static class JsonDocumentWriter
{
    // The documents are kept in memory, never written into HTML: keep non-ASCII text as it is, so the raw
    // configuration holds the characters a user wrote (x_μ, not x_\u03BC). Writers that serve it choose their own escaping.
    private static readonly JsonWriterOptions WriterOptions = new() { Encoder = JavaScriptEncoder.UnsafeRelaxedJsonEscaping };

    public static JsonElement Build(Action<Utf8JsonWriter> write)
    {
        var buffer = new ArrayBufferWriter<byte>(256);
        using (var writer = new Utf8JsonWriter(buffer, WriterOptions))
        {
            write(writer);
        }

        using var document = JsonDocument.Parse(buffer.WrittenMemory);
        return document.RootElement.Clone();
    }

    public static Utf8JsonWriter CreateWriter(IBufferWriter<byte> buffer) => new(buffer, WriterOptions);
}
