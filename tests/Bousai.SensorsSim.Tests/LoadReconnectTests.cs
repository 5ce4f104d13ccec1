using Bousai.Testing;
using System.Globalization;
using System.Text.RegularExpressions;

namespace Bousai.SensorsSim.Tests;

/// <summary>Load mode through a broker outage: it reconnects and still accounts for every message exactly once.</summary>
public sealed class LoadReconnectTests(MosquittoBroker broker) : IClassFixture<MosquittoBroker>
{
    [Fact]
    public async Task A_load_run_through_a_broker_restart_reconnects_and_gets_every_message_acknowledged()
    {
        var run = SimulatorProcess.RunAsync(broker.Url(), "--load-stations", "20", "--rate", "100", "--duration", "5", "--client-id", "load-restart");
        await Task.Delay(TimeSpan.FromSeconds(2));

        await broker.RestartAsync(TimeSpan.FromSeconds(1));
        var (exitCode, output) = await run;

        Assert.True(exitCode == 0, output);
        Assert.Contains("unreachable", output);
        var totals = output.Split('\n').Single(l => l.StartsWith("totals ", StringComparison.Ordinal));
        var published = Regex.Match(totals, @"messages_published=(\d+)").Groups[1].Value;
        Assert.Contains($"messages_acknowledged={published} ", totals);
        Assert.Contains("messages_failed=0 ", totals);
        Assert.True(long.Parse(published, CultureInfo.InvariantCulture) > 2_000, totals);
    }
}
