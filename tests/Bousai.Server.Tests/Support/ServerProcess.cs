using System.Diagnostics;
using System.Net.Http.Json;
using System.Text.Json.Nodes;

namespace Bousai.Server.Tests.Support;

/// <summary>The built server run as its own process, so a test can kill it the hard way (SIGKILL) and start it again.</summary>
public sealed class ServerProcess : IAsyncDisposable
{
    private readonly Process _process;
    private readonly List<string> _output = [];

    private ServerProcess(Process process, Uri address)
    {
        _process = process;
        Address = address;
        process.OutputDataReceived += (_, e) => { if (e.Data is not null) lock (_output) _output.Add(e.Data); };
        process.ErrorDataReceived += (_, e) => { if (e.Data is not null) lock (_output) _output.Add(e.Data); };
        process.BeginOutputReadLine();
        process.BeginErrorReadLine();
    }

    public Uri Address { get; }

    public string Output { get { lock (_output) return string.Join("\n", _output.TakeLast(60)); } }

    public static string Dll
    {
        get
        {
            var configuration = AppContext.BaseDirectory.Contains($"{Path.DirectorySeparatorChar}Debug{Path.DirectorySeparatorChar}") ? "Debug" : "Release";
            return Path.Combine(Repository.Root, "src", "Bousai.Server", "bin", configuration, "net10.0", "Bousai.Server.dll");
        }
    }

    /// <summary>Runs an operator command (e.g. setup) to completion.</summary>
    public static async Task RunCommandAsync(IReadOnlyDictionary<string, string> environment, params string[] arguments)
    {
        var start = Start(environment, arguments);
        var output = await start.StandardOutput.ReadToEndAsync() + await start.StandardError.ReadToEndAsync();
        await start.WaitForExitAsync();
        if (start.ExitCode != 0) throw new InvalidOperationException($"bousai {string.Join(' ', arguments)} failed ({start.ExitCode}): {output}");
    }

    /// <summary>Starts the server and waits until it is ready and subscribed to its broker.</summary>
    public static async Task<ServerProcess> StartAsync(IReadOnlyDictionary<string, string> environment)
    {
        var address = new Uri($"http://127.0.0.1:{Bousai.Testing.FreePorts.Next()}/");
        var server = new ServerProcess(Start(new Dictionary<string, string>(environment) { ["Urls"] = address.ToString() }, []), address);
        using var http = new HttpClient { BaseAddress = address, Timeout = TimeSpan.FromSeconds(5) };
        var deadline = DateTime.UtcNow.AddSeconds(60);
        while (true)
        {
            if (server._process.HasExited) throw new InvalidOperationException("the server exited:\n" + server.Output);
            try
            {
                var ready = await http.GetFromJsonAsync<JsonObject>("/readyz");
                if (ready?["mqtt"]?.GetValue<bool>() == true) return server;
            }
            catch (Exception e) when (e is HttpRequestException or TaskCanceledException or System.Text.Json.JsonException) { }

            if (DateTime.UtcNow > deadline) throw new TimeoutException("the server never became ready with MQTT:\n" + server.Output);
            await Task.Delay(200);
        }
    }

    /// <summary>SIGKILL: no shutdown, no flush, no acknowledgement of anything in flight.</summary>
    public async Task KillAsync()
    {
        _process.Kill();
        await _process.WaitForExitAsync();
    }

    private static Process Start(IReadOnlyDictionary<string, string> environment, string[] arguments)
    {
        var info = new ProcessStartInfo("dotnet", [Dll, .. arguments])
        {
            RedirectStandardOutput = true,
            RedirectStandardError = true,
            WorkingDirectory = Path.GetDirectoryName(Dll)!,
        };
        info.Environment["ASPNETCORE_ENVIRONMENT"] = "Production";
        info.Environment["Logging__LogLevel__Default"] = "Warning";
        info.Environment["Logging__LogLevel__Bousai"] = "Information";
        // Every request of a test comes from loopback; the rate limit tests set small limits of their own.
        info.Environment["RateLimits__TokensPerSecond"] = "100000";
        info.Environment["RateLimits__Burst"] = "1000000";
        foreach (var (key, value) in environment) info.Environment[key] = value;
        return Process.Start(info)!;
    }

    public async ValueTask DisposeAsync()
    {
        if (!_process.HasExited) await KillAsync();
        _process.Dispose();
    }
}
