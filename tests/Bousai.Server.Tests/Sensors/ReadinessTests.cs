using System.Globalization;
using System.Net;
using System.Text.Json.Nodes;
using Bousai.Server.Tests.Support;

namespace Bousai.Server.Tests.Sensors;

/// <summary>/readyz tells the truth about ingestion: messages waiting and none committed for Mqtt:StuckAfter is not ready.</summary>
public sealed class ReadinessTests : IAsyncLifetime
{
    private readonly BousaiApp _app = BousaiApp.OnKestrel(new Dictionary<string, string> { ["Mqtt:StuckAfter"] = "00:00:02" });

    public Task InitializeAsync() => _app.InitializeAsync();

    public Task DisposeAsync() => ((IAsyncLifetime)_app).DisposeAsync();

    [Fact]
    public async Task Readiness_goes_503_while_the_database_refuses_readings_and_nothing_is_lost_once_it_accepts_them()
    {
        using var http = _app.Client();
        var ready = JsonNode.Parse(await http.GetStringAsync("/readyz"))!;
        Assert.Equal("ready", ready["status"]!.GetValue<string>());
        Assert.False(ready["ingestion"]!["stuck"]!.GetValue<bool>());
        Assert.True(ready["mqtt"]!.GetValue<bool>());

        // A fault the database gives for a reason of its own, not the message's: as if ingestion's privilege were revoked.
        await _app.Database.ScalarAsync<object>(
            """
            CREATE FUNCTION refuse_readings() RETURNS trigger LANGUAGE plpgsql AS
            $$BEGIN RAISE EXCEPTION 'readings refused by the test' USING ERRCODE = 'insufficient_privilege'; END$$;
            CREATE TRIGGER refuse_readings BEFORE INSERT ON readings FOR EACH STATEMENT EXECUTE FUNCTION refuse_readings();
            """);
        var marker = DateTimeOffset.FromUnixTimeMilliseconds(DateTimeOffset.UtcNow.AddMinutes(-1).ToUnixTimeMilliseconds());
        await using (var gauge = await _app.GaugeAsync())
        {
            await gauge.PublishAsync("bousai/v1/stations/station-nakahashi/water_level", HostileTopic.Level(marker, 2.01));
        }

        JsonNode? stuck = null;
        await Eventually.TrueAsync(async () =>
        {
            var response = await http.GetAsync("/readyz");
            stuck = JsonNode.Parse(await response.Content.ReadAsStringAsync());
            return response.StatusCode == HttpStatusCode.ServiceUnavailable;
        }, "readiness to report ingestion stuck", 20);
        Assert.Equal("ingestion stuck", stuck!["status"]!.GetValue<string>());
        Assert.True(stuck["ingestion"]!["stuck"]!.GetValue<bool>());
        Assert.Equal(1, stuck["ingestion"]!["unacknowledged"]!.GetValue<int>());
        Assert.True(stuck["ingestion"]!["oldestUnacknowledgedSeconds"]!.GetValue<double>() >= 2);
        var gaugeLine = (await http.GetStringAsync("/metrics")).Split('\n').Single(l => l.StartsWith("bousai_ingest_oldest_unacknowledged_seconds "));
        Assert.True(double.Parse(gaugeLine.Split(' ')[1], CultureInfo.InvariantCulture) >= 2, gaugeLine);

        await _app.Database.ScalarAsync<object>("DROP TRIGGER refuse_readings ON readings");

        await Eventually.TrueAsync(async () => await _app.Database.ScalarAsync<long>(
            $"SELECT count(*) FROM readings WHERE station_id = 'station-nakahashi' AND observed_at = '{marker:O}'") == 1, "the held reading to be stored", 60);
        await Eventually.TrueAsync(async () => (await http.GetAsync("/readyz")).StatusCode == HttpStatusCode.OK, "readiness again");
        Assert.Equal(0, await _app.Database.ScalarAsync<long>("SELECT count(*) FROM dead_letters"));
    }
}
