using System.Diagnostics;
using System.Globalization;
using System.Text.RegularExpressions;

namespace Bousai.Bench.Ingest;

/// <summary>
/// The broker → server TCP connection as the kernel sees it (`ss -tin`): mosquitto's unsent bytes and the window the
/// server's socket offers. A receiver that stops reading shrinks its window; a small SO_RCVBUF caps it.
/// </summary>
public static partial class TcpView
{
    public static async Task<string?> BrokerToServerAsync(int brokerPort, int mosquittoPid, int serverPid)
    {
        string output;
        try
        {
            using var ss = Process.Start(new ProcessStartInfo("ss", ["-tinpH", $"( sport = :{brokerPort} or dport = :{brokerPort} )"])
            {
                RedirectStandardOutput = true,
                RedirectStandardError = true,
            });
            if (ss is null) return null;
            output = await ss.StandardOutput.ReadToEndAsync();
            await ss.WaitForExitAsync();
        }
        catch (System.ComponentModel.Win32Exception)
        {
            return null; // no ss on this machine
        }

        // Each socket is one line, then its details on the next (indented) line.
        var lines = output.Split('\n', StringSplitOptions.RemoveEmptyEntries);
        var sockets = new List<(string Socket, string Info)>();
        for (var i = 0; i + 1 < lines.Length; i++)
        {
            if (char.IsWhiteSpace(lines[i][0])) continue;
            sockets.Add((lines[i], char.IsWhiteSpace(lines[i + 1][0]) ? lines[i + 1] : ""));
        }

        var broker = sockets.Where(s => s.Socket.Contains($"pid={mosquittoPid},", StringComparison.Ordinal))
            .OrderByDescending(s => SendQueue(s.Socket)).FirstOrDefault();
        var server = sockets.FirstOrDefault(s => s.Socket.Contains($"pid={serverPid},", StringComparison.Ordinal));
        if (broker.Socket is null || server.Socket is null) return null;
        string Field(string info, string name) => Regex.Match(info, $@"\b{name}:(\S+)") is { Success: true } m ? m.Groups[1].Value : "?";
        return string.Create(CultureInfo.InvariantCulture,
            $"mosquitto: {SendQueue(broker.Socket):N0} bytes queued, window offered by the server {Field(broker.Info, "snd_wnd")} bytes, " +
            $"rwnd_limited {Field(broker.Info, "rwnd_limited")}; server socket: wscale {Field(server.Info, "wscale")}, rcv_space {Field(server.Info, "rcv_space")}, " +
            $"rcv_ssthresh {Field(server.Info, "rcv_ssthresh")}");
    }

    private static long SendQueue(string socket)
    {
        // State Recv-Q Send-Q Local Peer Process
        var columns = Columns().Split(socket.Trim());
        return columns.Length > 2 && long.TryParse(columns[2], CultureInfo.InvariantCulture, out var q) ? q : 0;
    }

    [GeneratedRegex(@"\s+")]
    private static partial Regex Columns();
}
