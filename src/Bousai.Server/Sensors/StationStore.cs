using System.Text.Json;
using Bousai.Server.Live;
using Npgsql;

namespace Bousai.Server.Sensors;

/// <summary>What a gauge is: where, which kind, how often it reports, and its thresholds (metres by stage key).</summary>
public sealed record StationDefinition(
    string StationId,
    string NameJa,
    string? NameEn,
    string Kind,
    string GaugeType,
    string? RiverJa,
    int ExpectedIntervalMinutes,
    double Longitude,
    double Latitude,
    IReadOnlyDictionary<string, double> Thresholds);

/// <summary>The SQL of the gauge register that admins change: adding a gauge and replacing its thresholds, each inside a situation change.</summary>
public static class StationStore
{
    /// <summary>Adds the gauge with its thresholds; false when a gauge with that id exists (nothing is written).</summary>
    public static async Task<bool> AddAsync(SituationChange change, StationDefinition station, CancellationToken ct)
    {
        await using (var insert = new NpgsqlCommand(
            """
            INSERT INTO stations (id, source, kind, gauge_type, river_ja, expected_interval_minutes, name_ja, name_en, illustrative, properties, geom)
            VALUES ($1, 'admin', $2, $3, $4, $5, $6, $7, false, '{}', ST_SetSRID(ST_MakePoint($8, $9), 4326))
            ON CONFLICT (id) DO NOTHING
            """, change.Connection, change.Transaction))
        {
            insert.Parameters.AddWithValue(station.StationId);
            insert.Parameters.AddWithValue(station.Kind);
            insert.Parameters.AddWithValue(station.GaugeType);
            insert.Parameters.AddWithValue((object?)station.RiverJa ?? DBNull.Value);
            insert.Parameters.AddWithValue(station.ExpectedIntervalMinutes);
            insert.Parameters.AddWithValue(station.NameJa);
            insert.Parameters.AddWithValue((object?)station.NameEn ?? DBNull.Value);
            insert.Parameters.AddWithValue(station.Longitude);
            insert.Parameters.AddWithValue(station.Latitude);
            if (await insert.ExecuteNonQueryAsync(ct) == 0) return false;
        }

        await ReplaceThresholdsAsync(change, station.StationId, station.Thresholds, ct);
        return true;
    }

    /// <summary>Locks the gauge for this change: its kind, gauge type and current thresholds, or null when there is no such gauge.</summary>
    public static async Task<(string Kind, string GaugeType, IReadOnlyDictionary<string, double> Thresholds)?> LockAsync(
        SituationChange change, string stationId, CancellationToken ct)
    {
        await using var lookup = new NpgsqlCommand(
            """
            SELECT kind, gauge_type,
                   coalesce((SELECT jsonb_object_agg(t.stage, t.level_m) FROM station_thresholds t WHERE t.station_id = s.id), '{}')::text
            FROM stations s WHERE id = $1 FOR UPDATE
            """, change.Connection, change.Transaction);
        lookup.Parameters.AddWithValue(stationId);
        await using var reader = await lookup.ExecuteReaderAsync(ct);
        if (!await reader.ReadAsync(ct)) return null;
        return (reader.GetString(0), reader.GetString(1), JsonSerializer.Deserialize<Dictionary<string, double>>(reader.GetString(2))!);
    }

    /// <summary>Replaces the gauge's thresholds and marks its state for the refresher, so the latest reading is judged by them at once.</summary>
    public static async Task SetThresholdsAsync(SituationChange change, string stationId, IReadOnlyDictionary<string, double> thresholds,
        CancellationToken ct)
    {
        await ReplaceThresholdsAsync(change, stationId, thresholds, ct);
        await using var dirty = new NpgsqlCommand(
            "UPDATE station_states SET dirty = true, version = version + 1, refreshed_at = NULL WHERE station_id = $1", change.Connection, change.Transaction);
        dirty.Parameters.AddWithValue(stationId);
        await dirty.ExecuteNonQueryAsync(ct);
    }

    private static async Task ReplaceThresholdsAsync(SituationChange change, string stationId, IReadOnlyDictionary<string, double> thresholds,
        CancellationToken ct)
    {
        await using var replace = new NpgsqlBatch(change.Connection, change.Transaction)
        {
            BatchCommands =
            {
                new NpgsqlBatchCommand("DELETE FROM station_thresholds WHERE station_id = $1") { Parameters = { new() { Value = stationId } } },
                new NpgsqlBatchCommand(
                    """
                    INSERT INTO station_thresholds (station_id, stage, level_m, assumed)
                    SELECT $1, stage, level_m, false FROM unnest($2::text[], $3::float8[]) AS t (stage, level_m)
                    """)
                {
                    Parameters = { new() { Value = stationId }, new() { Value = thresholds.Keys.ToArray() }, new() { Value = thresholds.Values.ToArray() } },
                },
            },
        };
        await replace.ExecuteNonQueryAsync(ct);
    }
}
