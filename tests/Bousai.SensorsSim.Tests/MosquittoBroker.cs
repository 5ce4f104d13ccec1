using System.Diagnostics;
using System.Net;
using System.Net.Sockets;

namespace Bousai.SensorsSim.Tests;

/// <summary>
/// A real mosquitto on a free loopback port with one password-protected user; no anonymous access. Its queue for a
/// subscriber is deep enough that a test subscriber never loses a message of a load run (mosquitto drops past 1,000).
/// </summary>
public sealed class MosquittoBroker : IAsyncLifetime
{
    public const string UserName = "sensors";
    public const string Password = "test-sensor-password";
    private readonly string _dir = Directory.CreateTempSubdirectory("bousai-mosquitto-").FullName;
    private Process? _process;

    public int Port { get; } = FreePort();

    public string Url(string? user = UserName, string? password = Password) =>
        user is null ? $"mqtt://127.0.0.1:{Port}" : $"mqtt://{user}:{password}@127.0.0.1:{Port}";

    public async Task InitializeAsync()
    {
        var passwords = Path.Combine(_dir, "passwd");
        await RunAsync("mosquitto_passwd", "-c", "-b", passwords, UserName, Password);
        await File.WriteAllTextAsync(Path.Combine(_dir, "mosquitto.conf"), $"""
            listener {Port} 127.0.0.1
            allow_anonymous false
            password_file {passwords}
            persistence false
            max_queued_messages 1000000
            user {Environment.UserName}
            """);
        await StartAsync();
    }

    /// <summary>The broker goes away for <paramref name="downFor"/> and comes back on the same port, without the sessions it had.</summary>
    public async Task RestartAsync(TimeSpan downFor)
    {
        _process!.Kill();
        await _process.WaitForExitAsync();
        _process.Dispose();
        await Task.Delay(downFor);
        await StartAsync();
    }

    private async Task StartAsync()
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

    public Task DisposeAsync()
    {
        if (_process is { HasExited: false }) _process.Kill();
        _process?.Dispose();
        Directory.Delete(_dir, recursive: true);
        return Task.CompletedTask;
    }

    private static async Task RunAsync(string program, params string[] arguments)
    {
        using var process = Process.Start(new ProcessStartInfo(program, arguments) { RedirectStandardError = true })!;
        await process.WaitForExitAsync();
        if (process.ExitCode != 0) throw new InvalidOperationException($"{program} failed: {await process.StandardError.ReadToEndAsync()}");
    }

    private static int FreePort()
    {
        using var listener = new TcpListener(IPAddress.Loopback, 0);
        listener.Start();
        return ((IPEndPoint)listener.LocalEndpoint).Port;
    }
}
