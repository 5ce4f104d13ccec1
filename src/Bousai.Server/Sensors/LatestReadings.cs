using Npgsql;

namespace Bousai.Server.Sensors;

/// <summary>A gauge's reading: water level in metres above the gauge datum, or rainfall in millimetres in its interval.</summary>
public sealed record StationReading(string StationId, string Quantity, double Value, DateTimeOffset ObservedAt);

public static class LatestReadings
{
    /// <summary>The latest reading of every station that has one: one index probe per station on the readings primary key.</summary>
    public static async Task<IReadOnlyList<StationReading>> ReadAsync(NpgsqlConnection connection, NpgsqlTransaction? transaction, CancellationToken ct)
    {
        await using var command = new NpgsqlCommand(
            """
            SELECT s.id, r.quantity, r.value, r.observed_at
            FROM stations s
            CROSS JOIN LATERAL (
                SELECT quantity, value, observed_at FROM readings
                WHERE station_id = s.id AND quantity = CASE s.kind WHEN 'rain' THEN 'rainfall' ELSE 'water_level' END
                ORDER BY observed_at DESC LIMIT 1) r
            ORDER BY s.id
            """, connection, transaction);
        await using var reader = await command.ExecuteReaderAsync(ct);
        var readings = new List<StationReading>();
        while (await reader.ReadAsync(ct))
        {
            readings.Add(new StationReading(reader.GetString(0), reader.GetString(1), reader.GetDouble(2), reader.GetFieldValue<DateTimeOffset>(3)));
        }

        return readings;
    }
}
