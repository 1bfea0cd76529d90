using System.Buffers;
using System.Text.Encodings.Web;
using System.Text.Json;

namespace RxInfer.Models;

/// <summary>
/// The size rule's measure: the length in bytes of a JSON value written compactly in UTF-8, with only the escaping
/// JSON requires (quotes, backslashes, control characters; as the merged arguments are stored). Whitespace and the
/// escaping of the text the value was parsed from do not count, so the same value measures the same in every store.
/// </summary>
internal static class JsonSize
{
    private static readonly JsonWriterOptions WriterOptions = new()
    {
        Encoder = JavaScriptEncoder.UnsafeRelaxedJsonEscaping,
        Indented = false,
        SkipValidation = true,
    };

    /// <summary>The UTF-8 length of <paramref name="value"/>'s compact JSON text; 0 for an undefined value.</summary>
    public static long Utf8Length(JsonElement value)
    {
        if (value.ValueKind == JsonValueKind.Undefined)
        {
            return 0;
        }

        var counter = new CountingBufferWriter();
        try
        {
            using (var writer = new Utf8JsonWriter(counter, WriterOptions))
            {
                value.WriteTo(writer);
            }

            return counter.Written;
        }
        finally
        {
            counter.Release();
        }
    }

    /// <summary>Counts what a writer writes into one reused, pooled buffer, keeping none of it.</summary>
    private sealed class CountingBufferWriter : IBufferWriter<byte>
    {
        private byte[] _buffer = ArrayPool<byte>.Shared.Rent(4096);

        public long Written { get; private set; }

        public void Advance(int count) => Written += count;

        public Memory<byte> GetMemory(int sizeHint = 0) => Ensure(sizeHint);

        public Span<byte> GetSpan(int sizeHint = 0) => Ensure(sizeHint);

        public void Release()
        {
            ArrayPool<byte>.Shared.Return(_buffer);
            _buffer = [];
        }

        private byte[] Ensure(int sizeHint)
        {
            if (sizeHint > _buffer.Length)
            {
                ArrayPool<byte>.Shared.Return(_buffer);
                _buffer = ArrayPool<byte>.Shared.Rent(sizeHint);
            }

            return _buffer;
        }
    }
}
