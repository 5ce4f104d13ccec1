using System.Text.Json;
using Bousai.Domain.Rain;
using Bousai.Domain.Rivers;
using Bousai.Domain.Sensors;
using Npgsql;

namespace Bousai.Server.Sensors;

/// <summary>
/// What HQ and residents see of a gauge: its latest reading and what follows from it. Water level: stage by the
/// station's own thresholds, 警戒レベル相当, trend over 30 minutes. Rain: 10/60-minute, 24-hour and continuous totals,
/// and the town's local landslide estimate (never the official 土砂災害警戒情報; it carries its label). StaleAfter:
/// from then on the gauge counts as silent ("no data"), which clients judge against their own clock.
/// </summary>
public sealed record StationState(
    string StationId,
    string Quantity,
    double Value,
    DateTimeOffset ObservedAt,
    DateTimeOffset HeardAt,
    DateTimeOffset? StaleAfter,
    WaterLevelStage? Stage = null,
    int? AlertLevelEquivalent = null,
    TrendDirection? Trend = null,
    double? MetresPerHour = null,
    RainTotals? Rain = null,
    LocalLandslideEstimate? Landslide = null);

public static class StationStates
{
    /// <summary>Every gauge's derived state (gauges never heard from are absent: the clients show "no data").</summary>
    public static async Task<IReadOnlyList<StationState>> ReadAllAsync(NpgsqlConnection connection, NpgsqlTransaction? transaction, CancellationToken ct)
    {
        await using var command = new NpgsqlCommand(
            "SELECT derived FROM station_states WHERE derived IS NOT NULL ORDER BY station_id, quantity", connection, transaction);
        await using var reader = await command.ExecuteReaderAsync(ct);
        var states = new List<StationState>();
        while (await reader.ReadAsync(ct))
        {
            states.Add(JsonSerializer.Deserialize<StationState>(reader.GetString(0), BousaiJson.Options)!);
        }

        return states;
    }
}
