using Bousai.Testing;
using System.Globalization;
using System.Text.Json.Nodes;
using System.Text.RegularExpressions;

namespace Bousai.SensorsSim.Tests;

/// <summary>Load mode end to end: what it prints at the end is exactly what the broker acknowledged and a subscriber received.</summary>
public sealed partial class LoadPublishingTests(MosquittoBroker broker) : IClassFixture<MosquittoBroker>
{
    [Theory]
    [InlineData(1)]
    [InlineData(5)]
    public async Task A_two_second_run_is_acknowledged_for_exactly_the_count_it_prints(int batch)
    {
        await using var subscriber = await Subscriber.ConnectAsync(broker);

        // No --stations: load mode makes up its own stations and needs no geodata.
        var (exitCode, output) = await SimulatorProcess.RunAsync(broker.Url(), "--load-stations", "20", "--rate", "100",
            "--batch", batch.ToString(CultureInfo.InvariantCulture), "--duration", "2", "--client-id", $"load-test-{batch}");

        Assert.True(exitCode == 0, output);
        Assert.Contains("readings/s published", output);
        var totals = Totals(output);
        Assert.Equal(totals["messages_published"], totals["messages_acknowledged"]);
        Assert.Equal(totals["readings_published"], totals["readings_acknowledged"]);
        Assert.Equal(totals["messages_acknowledged"] * batch, totals["readings_acknowledged"]);
        Assert.Equal(0, totals["messages_failed"]);
        Assert.InRange(totals["readings_acknowledged"], 2_000, 4_000);

        await subscriber.WaitForAsync(totals["messages_acknowledged"]);
        var received = subscriber.Received.ToList();
        Assert.Equal(totals["messages_acknowledged"], received.Count);
        var readings = received.SelectMany(m => Readings(m.Payload, batch).Select(r => (Station: m.Topic, Reading: r))).ToList();
        Assert.Equal(totals["readings_acknowledged"], readings.Count);
        Assert.Equal(Enumerable.Range(1, 20).Select(n => $"bousai/v1/stations/load-{n:D5}/water_level"), readings.Select(r => r.Station).Distinct().Order());
        foreach (var station in readings.GroupBy(r => r.Station))
        {
            var observed = station.Select(r => DateTimeOffset.Parse(r.Reading["observedAt"]!.GetValue<string>(), CultureInfo.InvariantCulture)).ToList();
            Assert.Equal(observed.Count, observed.Distinct().Count());
            Assert.Equal(observed.Order(), observed);
        }

        Assert.All(readings, r =>
        {
            Assert.InRange(r.Reading["value"]!.GetValue<double>(), 1.0, 3.0);
            Assert.Equal("m", r.Reading["unit"]!.GetValue<string>());
            Assert.EndsWith("+09:00", r.Reading["observedAt"]!.GetValue<string>());
        });
    }

    private static IEnumerable<JsonNode> Readings(string payload, int batch)
    {
        var node = JsonNode.Parse(payload)!;
        if (batch == 1) return [node];
        var array = node.AsArray();
        Assert.Equal(batch, array.Count);
        return array.Select(n => n!);
    }

    private static Dictionary<string, long> Totals(string output)
    {
        var line = output.Split('\n').Single(l => l.StartsWith("totals ", StringComparison.Ordinal));
        return KeyValue().Matches(line).ToDictionary(m => m.Groups[1].Value, m => (long)double.Parse(m.Groups[2].Value, CultureInfo.InvariantCulture));
    }

    [GeneratedRegex(@"(\w+)=([0-9.]+)")]
    private static partial Regex KeyValue();
}
