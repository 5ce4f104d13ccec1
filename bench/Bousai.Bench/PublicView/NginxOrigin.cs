using System.Diagnostics;
using System.Globalization;
using System.Net;
using System.Net.Sockets;
using System.Text;

namespace Bousai.Bench.PublicView;

/// <summary>A file nginx serves at one exact path: the body the server sent, optionally its gzip variant beside it, and the server's headers.</summary>
public sealed record StaticFile(string Path, string ContentType, byte[] Body, byte[]? Gzip, IReadOnlyList<(string Name, string Value)> Headers);

/// <summary>
/// The baseline: a project-local nginx (own configuration, pid file and logs in the work directory, its own loopback port,
/// in the foreground as this process's child; never the system service) serving the server's bytes as static files.
/// </summary>
public sealed class NginxOrigin : IAsyncDisposable
{
    // Headers that nginx writes itself from the file, or that describe one connection or one response's framing.
    private static readonly HashSet<string> OwnHeaders = new(StringComparer.OrdinalIgnoreCase)
    {
        "date", "server", "content-length", "content-type", "etag", "last-modified", "transfer-encoding", "connection",
        "keep-alive", "content-encoding", "accept-ranges",
    };

    private readonly Process _process;

    private readonly string _work;

    private NginxOrigin(Process process, string work, Uri root, int masterPid)
    {
        _process = process;
        _work = work;
        Root = root;
        MasterPid = masterPid;
    }

    public Uri Root { get; }

    public int MasterPid { get; }

    /// <summary>CPU seconds used by the master and its workers (found by their parent in /proc).</summary>
    public double CpuSeconds()
    {
        var total = 0.0;
        foreach (var dir in Directory.EnumerateDirectories("/proc"))
        {
            if (!int.TryParse(Path.GetFileName(dir), CultureInfo.InvariantCulture, out var pid)) continue;
            try
            {
                var stat = File.ReadAllText(Path.Combine(dir, "stat"));
                var parent = int.Parse(stat[(stat.LastIndexOf(')') + 2)..].Split(' ')[1], CultureInfo.InvariantCulture);
                if (pid == MasterPid || parent == MasterPid) total += ServerProcess.CpuSecondsOf(Path.Combine(dir, "stat"));
            }
            catch (IOException)
            {
                // a process that ended while we looked
            }
        }

        return total;
    }

    public static async Task<NginxOrigin> StartAsync(string nginx, string work, IReadOnlyList<StaticFile> files, CancellationToken ct)
    {
        var www = Path.Combine(work, "www");
        Directory.CreateDirectory(www);
        foreach (var temp in new[] { "body", "proxy", "fastcgi", "uwsgi", "scgi" }) Directory.CreateDirectory(Path.Combine(work, "temp", temp));
        // One modification time for every file, so nginx's ETag ("mtime-size") is stable for the whole run.
        var stamp = DateTime.UtcNow.AddMinutes(-1);
        var locations = new StringBuilder();
        foreach (var (file, i) in files.Select((f, i) => (f, i)))
        {
            var name = Path.Combine(www, $"{i}.body");
            await File.WriteAllBytesAsync(name, file.Body, ct);
            File.SetLastWriteTimeUtc(name, stamp);
            if (file.Gzip is not null)
            {
                await File.WriteAllBytesAsync(name + ".gz", file.Gzip, ct);
                File.SetLastWriteTimeUtc(name + ".gz", stamp);
            }

            locations.Append(CultureInfo.InvariantCulture, $$"""
                        location = {{file.Path}} {
                            alias {{name}};
                            types { }
                            default_type {{Quoted(file.ContentType)}};

                """);
            foreach (var (header, value) in file.Headers.Where(h => !OwnHeaders.Contains(h.Name) && !h.Value.Contains('$')))
            {
                locations.Append(CultureInfo.InvariantCulture, $"                add_header {header} {Quoted(value)} always;\n");
            }

            locations.Append("            }\n");
        }

        var port = FreePort();
        var user = Environment.UserName == "root" ? "user root;\n" : "";
        var config = Path.Combine(work, "nginx.conf");
        await File.WriteAllTextAsync(config, $$"""
            # Written by Bousai.Bench public: the baseline, static files in {{www}}.
            {{user}}daemon off;
            worker_processes auto;
            pid {{work}}/nginx.pid;
            error_log {{work}}/error.log warn;
            events { worker_connections 4096; }
            http {
                access_log off;
                sendfile on;
                tcp_nopush on;
                tcp_nodelay on;
                etag on;
                server_tokens off;
                # wrk keeps its connections; Kestrel has no per-connection request limit, so nginx gets none either.
                keepalive_requests 100000000;
                keepalive_timeout 300s;
                gzip off;
                gzip_static on;
                client_body_temp_path {{work}}/temp/body;
                proxy_temp_path {{work}}/temp/proxy;
                fastcgi_temp_path {{work}}/temp/fastcgi;
                uwsgi_temp_path {{work}}/temp/uwsgi;
                scgi_temp_path {{work}}/temp/scgi;
                server {
                    listen 127.0.0.1:{{port}};
            {{locations}}
                    location / { return 404; }
                }
            }

            """, ct);

        var start = new ProcessStartInfo(nginx) { UseShellExecute = false, RedirectStandardError = true, RedirectStandardOutput = true };
        foreach (var argument in new[] { "-p", work, "-c", config, "-e", Path.Combine(work, "error.log") }) start.ArgumentList.Add(argument);
        var process = Process.Start(start) ?? throw new InvalidOperationException($"could not start {nginx}");
        var root = new Uri($"http://127.0.0.1:{port}");
        for (var attempt = 0; attempt < 100; attempt++)
        {
            if (process.HasExited)
            {
                throw new InvalidOperationException($"nginx exited with {process.ExitCode}: {await process.StandardError.ReadToEndAsync(ct)}" +
                                                    $"{ReadLog(work)}");
            }

            try
            {
                using var probe = new TcpClient();
                await probe.ConnectAsync(IPAddress.Loopback, port, ct);
                return new NginxOrigin(process, work, root, process.Id);
            }
            catch (SocketException)
            {
                await Task.Delay(100, ct);
            }
        }

        process.Kill(entireProcessTree: true);
        throw new InvalidOperationException($"nginx did not listen on {root}{ReadLog(work)}");
    }

    public async ValueTask DisposeAsync()
    {
        if (!_process.HasExited)
        {
            _process.Kill(entireProcessTree: true);
            await _process.WaitForExitAsync();
        }

        // Killed, nginx leaves its pid file: ./bousai stops a master named there, and this one is gone.
        File.Delete(Path.Combine(_work, "nginx.pid"));

        _process.Dispose();
    }

    private static string ReadLog(string work) =>
        File.Exists(Path.Combine(work, "error.log")) ? "\n" + File.ReadAllText(Path.Combine(work, "error.log")) : "";

    private static string Quoted(string value) => "\"" + value.Replace("\\", "\\\\", StringComparison.Ordinal).Replace("\"", "\\\"", StringComparison.Ordinal) + "\"";

    private static int FreePort()
    {
        using var listener = new TcpListener(IPAddress.Loopback, 0);
        listener.Start();
        return ((IPEndPoint)listener.LocalEndpoint).Port;
    }
}
