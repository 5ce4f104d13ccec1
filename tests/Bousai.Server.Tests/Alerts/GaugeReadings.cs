using System.Globalization;
using Bousai.Server.Tests.Support;
using Bousai.Testing;

namespace Bousai.Server.Tests.Alerts;

/// <summary>Readings sent as a gauge sends them, and waiting until the threshold rules have taken each into account.</summary>
public sealed class GaugeReadings(BousaiApp app, GaugePublisher gauge)
{
    /// <summary>A whole minute, some way back, so a series of 10-minute readings stays in the past.</summary>
    public static DateTimeOffset MinutesAgo(int minutes)
    {
        var now = DateTimeOffset.UtcNow.AddMinutes(-minutes);
        return new DateTimeOffset(now.Year, now.Month, now.Day, now.Hour, now.Minute, 0, TimeSpan.Zero);
    }

    private static string Iso(DateTimeOffset t) => t.ToOffset(TimeSpan.FromHours(9)).ToString("yyyy-MM-dd'T'HH:mm:ss.fffzzz", CultureInfo.InvariantCulture);

    private static string Sql(DateTimeOffset t) => t.ToString("O", CultureInfo.InvariantCulture);

    /// <summary>Sends a water level and waits until the river stage rule has evaluated it.</summary>
    public async Task LevelAsync(string station, DateTimeOffset at, double metres)
    {
        await gauge.PublishAsync($"bousai/v1/stations/{station}/water_level",
            $$"""{"observedAt":"{{Iso(at)}}","value":{{metres.ToString(CultureInfo.InvariantCulture)}},"unit":"m"}""");
        await EvaluatedAsync(app, station, "river_stage", at);
    }

    /// <summary>Sends a 10-minute rain amount and waits until the 60-minute rain rule has evaluated it.</summary>
    public async Task RainAsync(string station, DateTimeOffset at, double millimetres)
    {
        await gauge.PublishAsync($"bousai/v1/stations/{station}/rainfall",
            $$"""{"observedAt":"{{Iso(at)}}","value":{{millimetres.ToString(CultureInfo.InvariantCulture)}},"unit":"mm","intervalMinutes":10}""");
        await EvaluatedAsync(app, station, "sixty_minute_rain", at);
    }

    public static Task EvaluatedAsync(BousaiApp app, string station, string kind, DateTimeOffset at) =>
        Eventually.TrueAsync(() => app.Database.ScalarAsync<bool>(
            $"""
            SELECT coalesce((state->>'lastObservedAt')::timestamptz >= '{Sql(at)}', false)
            FROM alert_rule_states WHERE station_id = '{station}' AND kind = '{kind}'
            """), $"the {kind} rule of {station} to evaluate the reading of {Sql(at)}");

    public static Task<long> SystemAlertsAsync(BousaiApp app, string station) =>
        app.Database.ScalarAsync<long>($"SELECT count(*) FROM alerts WHERE source = 'system' AND station_id = '{station}'");

    /// <summary>How many events of a kind the log holds for the station's system alerts.</summary>
    public static Task<long> AlertEventsAsync(BousaiApp app, string station, string kind) =>
        app.Database.ScalarAsync<long>(
            $"""
            SELECT count(*) FROM situation_events e
            WHERE e.kind = '{kind}' AND coalesce((e.payload->'alert'->>'alertId')::bigint, (e.payload->>'alertId')::bigint)
                IN (SELECT id FROM alerts WHERE source = 'system' AND station_id = '{station}')
            """);
}
