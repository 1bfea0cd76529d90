using System.Net.Sockets;
using System.Text;

namespace RxInfer.Hosting.AspNetCore.Tests;

/// <summary>
/// Sends a request as raw bytes over TCP (so paths and headers reach Kestrel exactly as written, invalid bytes
/// included) and reads the whole response of a <c>Connection: close</c> exchange.
/// </summary>
internal static class RawHttp
{
    public sealed record Response(int Status, Dictionary<string, string> Headers, string Body);

    /// <summary>Sends <c>METHOD target HTTP/1.1</c> with <paramref name="headerLines"/> (each without its CRLF) and an empty body.</summary>
    public static async Task<Response> SendAsync(Uri server, string method, byte[] target, params byte[][] headerLines)
    {
        var request = new List<byte>();
        request.AddRange(Encoding.ASCII.GetBytes(method + " "));
        request.AddRange(target);
        request.AddRange(" HTTP/1.1\r\nHost: localhost\r\nConnection: close\r\nContent-Length: 0\r\n"u8.ToArray());
        foreach (var line in headerLines)
        {
            request.AddRange(line);
            request.AddRange("\r\n"u8.ToArray());
        }

        request.AddRange("\r\n"u8.ToArray());

        using var tcp = new TcpClient();
        await tcp.ConnectAsync(server.Host, server.Port);
        var stream = tcp.GetStream();
        await stream.WriteAsync(request.ToArray());
        using var buffer = new MemoryStream();
        await stream.CopyToAsync(buffer);
        return Parse(buffer.ToArray());
    }

    private static Response Parse(byte[] raw)
    {
        var text = Encoding.Latin1.GetString(raw);
        var end = text.IndexOf("\r\n\r\n", StringComparison.Ordinal);
        Assert.True(end > 0, "no complete response head: " + text);
        var lines = text[..end].Split("\r\n");
        var status = int.Parse(lines[0].Split(' ')[1], System.Globalization.CultureInfo.InvariantCulture);
        var headers = new Dictionary<string, string>(StringComparer.OrdinalIgnoreCase);
        foreach (var line in lines.Skip(1))
        {
            var colon = line.IndexOf(':', StringComparison.Ordinal);
            headers[line[..colon]] = line[(colon + 1)..].Trim();
        }

        var body = raw.AsSpan(Encoding.Latin1.GetByteCount(text[..(end + 4)]));
        var content = new List<byte>();
        if (headers.TryGetValue("Transfer-Encoding", out var encoding) && encoding.Equals("chunked", StringComparison.OrdinalIgnoreCase))
        {
            while (true)
            {
                var lineEnd = body.IndexOf("\r\n"u8);
                var size = Convert.ToInt32(Encoding.ASCII.GetString(body[..lineEnd]), 16);
                if (size == 0)
                {
                    break;
                }

                content.AddRange(body.Slice(lineEnd + 2, size));
                body = body[(lineEnd + 2 + size + 2)..];
            }
        }
        else
        {
            content.AddRange(body);
        }

        return new Response(status, headers, Encoding.UTF8.GetString([.. content]));
    }
}
