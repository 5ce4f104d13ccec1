using System.Globalization;
using System.IO.Compression;
using System.Net.Sockets;
using System.Text;

namespace Bousai.Bench.PublicView;

/// <summary>
/// One response read off the socket for exactly the request wrk sends (request line, Host, the given headers), so the
/// check before a row sees what wrk will see: the status, the headers, the decoded body and how many bytes went over
/// the wire (compared afterwards with wrk's bytes read per request).
/// </summary>
public sealed record WireResponse(int Status, IReadOnlyDictionary<string, string> Headers, byte[] Body, int WireBytes)
{
    public string? Header(string name) => Headers.GetValueOrDefault(name.ToLowerInvariant());

    /// <summary>The body with its Content-Encoding undone (gzip or none).</summary>
    public byte[] Decoded()
    {
        if (Header("content-encoding") is not "gzip") return Body;
        using var gzip = new GZipStream(new MemoryStream(Body), CompressionMode.Decompress);
        using var plain = new MemoryStream();
        gzip.CopyTo(plain);
        return plain.ToArray();
    }

    public static async Task<WireResponse> GetAsync(Uri url, IReadOnlyList<(string Name, string Value)> headers, CancellationToken ct)
    {
        using var tcp = new TcpClient();
        await tcp.ConnectAsync(url.Host, url.Port, ct);
        await using var stream = tcp.GetStream();
        var request = new StringBuilder($"GET {url.PathAndQuery} HTTP/1.1\r\nHost: {url.Authority}\r\n");
        foreach (var (name, value) in headers) request.Append(CultureInfo.InvariantCulture, $"{name}: {value}\r\n");
        request.Append("\r\n");
        await stream.WriteAsync(Encoding.ASCII.GetBytes(request.ToString()), ct);

        var reader = new WireReader(stream);
        var statusLine = await reader.LineAsync(ct);
        var parts = statusLine.Split(' ', 3);
        if (parts.Length < 2 || !parts[0].StartsWith("HTTP/", StringComparison.Ordinal))
        {
            throw new InvalidDataException($"not an HTTP response from {url}: {statusLine}");
        }

        var status = int.Parse(parts[1], CultureInfo.InvariantCulture);
        var responseHeaders = new Dictionary<string, string>();
        for (var line = await reader.LineAsync(ct); line.Length > 0; line = await reader.LineAsync(ct))
        {
            var colon = line.IndexOf(':');
            var name = line[..colon].Trim().ToLowerInvariant();
            var value = line[(colon + 1)..].Trim();
            responseHeaders[name] = responseHeaders.TryGetValue(name, out var earlier) ? $"{earlier}, {value}" : value;
        }

        byte[] body;
        if (status is 304 or 204 || status < 200)
        {
            body = [];
        }
        else if (responseHeaders.TryGetValue("content-length", out var length))
        {
            body = await reader.BytesAsync(int.Parse(length, CultureInfo.InvariantCulture), ct);
        }
        else if (responseHeaders.GetValueOrDefault("transfer-encoding")?.Contains("chunked", StringComparison.OrdinalIgnoreCase) == true)
        {
            using var chunks = new MemoryStream();
            while (true)
            {
                var size = int.Parse((await reader.LineAsync(ct)).Split(';')[0], NumberStyles.HexNumber, CultureInfo.InvariantCulture);
                if (size == 0)
                {
                    while ((await reader.LineAsync(ct)).Length > 0) { }
                    break;
                }

                chunks.Write(await reader.BytesAsync(size, ct));
                await reader.LineAsync(ct);
            }

            body = chunks.ToArray();
        }
        else
        {
            throw new InvalidDataException($"{url}: a {status} response with neither Content-Length nor chunked encoding (wrk needs one of them on a kept-alive connection)");
        }

        return new WireResponse(status, responseHeaders, body, reader.Consumed);
    }

    private sealed class WireReader(Stream stream)
    {
        private readonly byte[] _buffer = new byte[64 * 1024];
        private int _start;
        private int _end;

        public int Consumed { get; private set; }

        public async Task<string> LineAsync(CancellationToken ct)
        {
            var line = new List<byte>();
            while (true)
            {
                if (_start == _end) await FillAsync(ct);
                var b = _buffer[_start++];
                Consumed++;
                if (b == '\n') return Encoding.Latin1.GetString(line.ToArray()).TrimEnd('\r');
                line.Add(b);
            }
        }

        public async Task<byte[]> BytesAsync(int count, CancellationToken ct)
        {
            var result = new byte[count];
            var copied = 0;
            while (copied < count)
            {
                if (_start == _end) await FillAsync(ct);
                var n = Math.Min(count - copied, _end - _start);
                Array.Copy(_buffer, _start, result, copied, n);
                _start += n;
                copied += n;
                Consumed += n;
            }

            return result;
        }

        private async Task FillAsync(CancellationToken ct)
        {
            _start = 0;
            _end = await stream.ReadAsync(_buffer, ct);
            if (_end == 0) throw new EndOfStreamException("the connection closed before the response was complete");
        }
    }
}
