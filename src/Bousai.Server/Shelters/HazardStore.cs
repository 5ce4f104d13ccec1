using System.Text.Json;
using Bousai.Domain.Shelters;
using Npgsql;
using NpgsqlTypes;

namespace Bousai.Server.Shelters;

/// <summary>Where an active hazard comes from: a river gauge at or above 避難判断水位, the local landslide estimate, or HQ.</summary>
public enum HazardSourceKind
{
    Gauge,
    Estimate,
    Hq,
}

/// <summary>One reason a hazard is active. Gauge: StationId and River; estimate: StationId; HQ: Reason, DecidedBy (staff only) and At.</summary>
public sealed record HazardSource(HazardSourceKind Kind, string? StationId = null, string? River = null, string? Reason = null,
    string? DecidedBy = null, DateTimeOffset? At = null);

/// <summary>Whether flood or landslide is active now, and why.</summary>
public sealed record HazardStatus(string Hazard, bool Active, IReadOnlyList<HazardSource> Sources)
{
    public HazardStatus ForPublic() => this with { Sources = [.. Sources.Select(s => s with { DecidedBy = null })] };
}

/// <summary>HQ's declaration of a hazard: on or off, and why.</summary>
public sealed record HazardDeclaration(bool? Active, string? Reason);

/// <summary>
/// The SQL of active hazards: computed from the gauges' states and HQ's declarations, and the set last announced
/// (active_hazards, one row), which every shelter state's suitability is judged by.
/// </summary>
public static class HazardStore
{
    /// <summary>The hazards that can be declared and computed, in the order they are listed.</summary>
    public static readonly IReadOnlyList<string> Declarable = [Hazards.Flood, Hazards.Landslide];

    /// <summary>The hazards as they are now, from the gauges' derived states and HQ's declarations.</summary>
    public static async Task<IReadOnlyList<HazardStatus>> ComputeAsync(NpgsqlConnection connection, NpgsqlTransaction? transaction, CancellationToken ct)
    {
        var sources = Declarable.ToDictionary(h => h, _ => new List<HazardSource>());
        await using (var gauges = new NpgsqlCommand(
            """
            SELECT st.station_id, st.quantity, s.river_ja
            FROM station_states st JOIN stations s ON s.id = st.station_id
            WHERE (st.quantity = 'water_level' AND st.derived->>'stage' IN ('evacuation', 'danger') AND s.river_ja IS NOT NULL)
               OR (st.quantity = 'rainfall' AND st.derived->'landslide'->>'concern' = 'warning')
            ORDER BY st.station_id, st.quantity
            """, connection, transaction))
        await using (var reader = await gauges.ExecuteReaderAsync(ct))
        {
            while (await reader.ReadAsync(ct))
            {
                if (reader.GetString(1) == "water_level")
                {
                    sources[Hazards.Flood].Add(new HazardSource(HazardSourceKind.Gauge, StationId: reader.GetString(0), River: reader.GetString(2)));
                }
                else
                {
                    sources[Hazards.Landslide].Add(new HazardSource(HazardSourceKind.Estimate, StationId: reader.GetString(0)));
                }
            }
        }

        await using (var declarations = new NpgsqlCommand(
            "SELECT hazard, reason, decided_by, at FROM hazard_declarations WHERE active ORDER BY hazard", connection, transaction))
        await using (var reader = await declarations.ExecuteReaderAsync(ct))
        {
            while (await reader.ReadAsync(ct))
            {
                sources[reader.GetString(0)].Add(new HazardSource(HazardSourceKind.Hq, Reason: reader.GetString(1), DecidedBy: reader.GetString(2),
                    At: reader.GetFieldValue<DateTimeOffset>(3)));
            }
        }

        return [.. Declarable.Select(h => new HazardStatus(h, sources[h].Count > 0, sources[h]))];
    }

    /// <summary>The hazards as last announced (hazards_changed), which shelter states are judged by.</summary>
    public static async Task<IReadOnlyList<HazardStatus>> ReadAnnouncedAsync(NpgsqlConnection connection, NpgsqlTransaction? transaction, bool forUpdate,
        CancellationToken ct)
    {
        await using var command = new NpgsqlCommand("SELECT hazards::text FROM active_hazards" + (forUpdate ? " FOR UPDATE" : ""), connection, transaction);
        var stored = (string?)await command.ExecuteScalarAsync(ct);
        return stored is null ? [] : JsonSerializer.Deserialize<List<HazardStatus>>(stored, BousaiJson.Options)!;
    }

    /// <summary>Stores the announced set if it differs from the stored one (jsonb equality); whether it did. Call with the row locked.</summary>
    public static async Task<bool> AnnounceIfChangedAsync(NpgsqlConnection connection, NpgsqlTransaction transaction, IReadOnlyList<HazardStatus> hazards,
        CancellationToken ct)
    {
        await using var command = new NpgsqlCommand(
            "UPDATE active_hazards SET hazards = $1 WHERE hazards IS DISTINCT FROM $1", connection, transaction);
        command.Parameters.Add(new NpgsqlParameter { Value = JsonSerializer.Serialize(hazards, BousaiJson.Options), NpgsqlDbType = NpgsqlDbType.Jsonb });
        return await command.ExecuteNonQueryAsync(ct) == 1;
    }

    /// <summary>Records HQ's declaration; the same declaration again keeps its first time and author (it changes nothing).</summary>
    public static async Task SaveDeclarationAsync(NpgsqlConnection connection, NpgsqlTransaction transaction, string hazard, bool active, string reason,
        string decidedBy, DateTimeOffset at, CancellationToken ct)
    {
        await using var command = new NpgsqlCommand(
            """
            INSERT INTO hazard_declarations (hazard, active, reason, decided_by, at) VALUES ($1, $2, $3, $4, $5)
            ON CONFLICT (hazard) DO UPDATE SET active = excluded.active, reason = excluded.reason, decided_by = excluded.decided_by, at = excluded.at
            WHERE (hazard_declarations.active, hazard_declarations.reason) IS DISTINCT FROM (excluded.active, excluded.reason)
            """, connection, transaction);
        command.Parameters.AddWithValue(hazard);
        command.Parameters.AddWithValue(active);
        command.Parameters.AddWithValue(reason);
        command.Parameters.AddWithValue(decidedBy);
        command.Parameters.AddWithValue(at);
        await command.ExecuteNonQueryAsync(ct);
    }

    /// <summary>The pure rules' view of the hazards.</summary>
    public static ActiveHazards ToActive(IReadOnlyList<HazardStatus> hazards)
    {
        var flood = hazards.FirstOrDefault(h => h.Hazard == Hazards.Flood);
        var landslide = hazards.FirstOrDefault(h => h.Hazard == Hazards.Landslide);
        return new ActiveHazards(
            flood?.Sources.Where(s => s.Kind == HazardSourceKind.Gauge && s.River is not null).Select(s => s.River!).Distinct().ToList() ?? [],
            flood?.Sources.Any(s => s.Kind == HazardSourceKind.Hq) ?? false,
            landslide?.Active ?? false);
    }
}
