using System.Diagnostics;
using System.Net;
using System.Net.Sockets;
using Xunit;

namespace Bousai.Testing;

/// <summary>
/// A real mosquitto on a free loopback port with the shipped access rules (deploy/mosquitto/acl) and their two users:
/// ingestion's (reads the gauges' topics) and the gauges' shared one (writes them); no anonymous access. It can be
/// stopped and started again on the same port (persistence on, so queued QoS 1 messages survive), as a broker restart.
/// Queues are unbounded (mosquitto drops past 1,000 queued messages by default), so no test loses a message to them.
/// </summary>
public sealed class MosquittoBroker : IAsyncLifetime
{
    /// <summary>Ingestion's user, as in deploy/mosquitto/acl: may read bousai/v1/stations/+/+.</summary>
    public const string IngestUser = "bousai-ingest";
    public const string IngestPassword = "test-ingest-password";

    /// <summary>The gauges' shared user, as in deploy/mosquitto/acl: may write bousai/v1/stations/+/+.</summary>
    public const string GaugeUser = "sensors";
    public const string GaugePassword = "test-sensor-password";

    /// <summary>One gauge's own user, named as its station (the acl's pattern): may write that station's topics only.</summary>
    public const string StationUser = "station-nakahashi";
    public const string StationPassword = "test-nakahashi-password";
    private readonly string _dir = Directory.CreateTempSubdirectory("bousai-mosquitto-").FullName;
    private Process? _process;

    public int Port { get; } = FreePorts.Next();

    /// <summary>The broker as a gauge (or the simulator) is given it.</summary>
    public string Url(string? user = GaugeUser, string? password = GaugePassword) =>
        user is null ? $"mqtt://127.0.0.1:{Port}" : $"mqtt://{user}:{password}@127.0.0.1:{Port}";

    public async Task InitializeAsync()
    {
        var passwords = Path.Combine(_dir, "passwd");
        await RunAsync("mosquitto_passwd", "-c", "-b", passwords, IngestUser, IngestPassword);
        await RunAsync("mosquitto_passwd", "-b", passwords, GaugeUser, GaugePassword);
        await RunAsync("mosquitto_passwd", "-b", passwords, StationUser, StationPassword);
        await File.WriteAllTextAsync(Path.Combine(_dir, "mosquitto.conf"), $"""
            listener {Port} 127.0.0.1
            allow_anonymous false
            password_file {passwords}
            acl_file {ShippedAclFile}
            retain_available false
            max_packet_size 1048576
            persistence true
            persistence_location {_dir}/
            autosave_interval 1
            max_queued_messages 0
            max_inflight_messages 0
            user {Environment.UserName}
            """);
        await StartAsync();
    }

    /// <summary>Starts mosquitto (again) on the same port with the same configuration and saved state.</summary>
    public async Task StartAsync()
    {
        var mosquitto = Environment.GetEnvironmentVariable("BOUSAI_TEST_MOSQUITTO") ?? "/usr/sbin/mosquitto";
        _process = Process.Start(new ProcessStartInfo(mosquitto, ["-c", Path.Combine(_dir, "mosquitto.conf")])
        {
            RedirectStandardError = true,
            RedirectStandardOutput = true,
        })!;
        for (var attempt = 0; attempt < 100; attempt++)
        {
            try
            {
                using var probe = new TcpClient();
                await probe.ConnectAsync(IPAddress.Loopback, Port);
                return;
            }
            catch (SocketException) when (!_process.HasExited)
            {
                await Task.Delay(50);
            }
        }

        throw new InvalidOperationException($"mosquitto did not start on port {Port}: {await _process.StandardError.ReadToEndAsync()}");
    }

    /// <summary>The broker goes away for <paramref name="downFor"/> and comes back on the same port with its saved sessions.</summary>
    public async Task RestartAsync(TimeSpan downFor)
    {
        await StopAsync();
        await Task.Delay(downFor);
        await StartAsync();
    }

    /// <summary>Stops mosquitto the way an operator does (SIGTERM: it saves its state) and waits for it to exit.</summary>
    public async Task StopAsync()
    {
        if (_process is not { HasExited: false }) return;
        using (var kill = Process.Start("kill", ["-TERM", _process.Id.ToString()])) await kill.WaitForExitAsync();
        await _process.WaitForExitAsync();
    }

    public Task DisposeAsync()
    {
        if (_process is { HasExited: false }) _process.Kill();
        _process?.Dispose();
        Directory.Delete(_dir, recursive: true);
        return Task.CompletedTask;
    }

    /// <summary>deploy/mosquitto/acl of this checkout: the tests run mosquitto with the rules compose ships.</summary>
    public static string ShippedAclFile
    {
        get
        {
            for (var dir = new DirectoryInfo(AppContext.BaseDirectory); dir is not null; dir = dir.Parent)
            {
                var acl = Path.Combine(dir.FullName, "deploy", "mosquitto", "acl");
                if (File.Exists(Path.Combine(dir.FullName, "Bousai.sln")) && File.Exists(acl)) return acl;
            }

            throw new FileNotFoundException("deploy/mosquitto/acl not found above " + AppContext.BaseDirectory);
        }
    }

    private static async Task RunAsync(string program, params string[] arguments)
    {
        using var process = Process.Start(new ProcessStartInfo(program, arguments) { RedirectStandardError = true })!;
        await process.WaitForExitAsync();
        if (process.ExitCode != 0) throw new InvalidOperationException($"{program} failed: {await process.StandardError.ReadToEndAsync()}");
    }
}
