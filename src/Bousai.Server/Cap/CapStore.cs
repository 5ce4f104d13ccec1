using System.Text.Json;
using Bousai.Server.Drills;
using Npgsql;

namespace Bousai.Server.Cap;

/// <summary>One emitted message as the feed lists it.</summary>
public sealed record CapFeedEntry(string Identifier, DateTimeOffset Sent, CapMsgType MsgType, CapStatus Status, string HeadlineJa,
    string HeadlineEn);

/// <summary>The SQL of the CAP feed: what is current for residents, the messages emitted, the feed's and each message's reads.</summary>
public static class CapStore
{
    /// <summary>Held by the one reconciliation running at a time, across instances (any constant all instances share).</summary>
    private const long ReconcileLockKey = 0x4341_5031_32; // "CAP12"

    public static async Task LockForReconcileAsync(NpgsqlConnection connection, NpgsqlTransaction transaction, CancellationToken ct)
    {
        await using var command = new NpgsqlCommand("SELECT pg_advisory_xact_lock($1)", connection, transaction);
        command.Parameters.AddWithValue(ReconcileLockKey);
        await command.ExecuteNonQueryAsync(ct);
    }

    /// <summary>Everything current for residents, in the live picture (real items and those of the drill in progress).</summary>
    public static async Task<IReadOnlyList<CapItem>> ReadCurrentItemsAsync(NpgsqlConnection connection, NpgsqlTransaction transaction,
        int maxPolygonPoints, CancellationToken ct)
    {
        var places = await ReadPlacesAsync(connection, transaction, maxPolygonPoints, ct);
        var items = new List<CapItem>();
        foreach (var row in await ReadDistrictLevelsAsync(connection, transaction, ct))
        {
            items.Add(CapItems.District(row, places.District(row.DistrictId)));
        }

        foreach (var row in await ReadOfficialWarningsAsync(connection, transaction, ct))
        {
            var geocodes = row.AreaCodes.Select(c => new CapGeocode("JMA-AREA-CODE", c)).ToList();
            items.Add(CapItems.Warning(row, [.. places.Town().Select(a => a with { Geocodes = geocodes })]));
        }

        foreach (var row in await ReadSystemAlertsAsync(connection, transaction, ct))
        {
            var districts = row.River is { } river ? places.AlongRiver(river) : [];
            items.Add(CapItems.Alert(row, districts.Count > 0 ? districts : places.Town()));
        }

        return items;
    }

    /// <summary>
    /// Every level in force in the live picture: the real ones and, beside them, those of the drill in progress (each is
    /// an item of its own, so a drill never cancels a real level).
    /// </summary>
    private static async Task<IReadOnlyList<DistrictLevelRow>> ReadDistrictLevelsAsync(NpgsqlConnection connection, NpgsqlTransaction transaction,
        CancellationToken ct)
    {
        await using var command = new NpgsqlCommand(
            $"""
            SELECT d.id, d.name_ja, coalesce(d.name_en, d.name_ja), l.level::int, l.issued_at, l.reason, l.drill_id
            FROM district_evacuation_levels l JOIN districts d ON d.id = l.district_id
            WHERE l.level > 0 AND {DrillStore.InLivePicture("l")}
            """, connection, transaction);
        await using var reader = await command.ExecuteReaderAsync(ct);
        var rows = new List<DistrictLevelRow>();
        while (await reader.ReadAsync(ct))
        {
            rows.Add(new DistrictLevelRow(reader.GetString(0), reader.GetString(1), reader.GetString(2), reader.GetInt32(3),
                reader.GetFieldValue<DateTimeOffset>(4), reader.IsDBNull(5) ? null : reader.GetString(5),
                reader.IsDBNull(6) ? null : reader.GetInt64(6)));
        }

        return rows;
    }

    private static async Task<IReadOnlyList<OfficialWarningRow>> ReadOfficialWarningsAsync(NpgsqlConnection connection, NpgsqlTransaction transaction,
        CancellationToken ct)
    {
        await using var command = new NpgsqlCommand(
            $"""
            SELECT w.id, w.kind, w.name, w.name_en, w.condition, w.level_equivalent::int, w.source, w.issued_at, w.valid_until,
                   coalesce(w.areas, '{"{}"}'), coalesce(w.area_codes, '{"{}"}'), coalesce(w.rivers, '{"{}"}'), w.headline, w.drill_id
            FROM official_warnings w
            WHERE w.status = 'in_force' AND {DrillStore.InLivePicture("w")}
            """, connection, transaction);
        await using var reader = await command.ExecuteReaderAsync(ct);
        var rows = new List<OfficialWarningRow>();
        while (await reader.ReadAsync(ct))
        {
            rows.Add(new OfficialWarningRow(reader.GetInt64(0), reader.GetString(1), reader.GetString(2), NullableString(reader, 3),
                NullableString(reader, 4), reader.IsDBNull(5) ? null : reader.GetInt32(5), reader.GetString(6),
                reader.GetFieldValue<DateTimeOffset>(7), reader.IsDBNull(8) ? null : reader.GetFieldValue<DateTimeOffset>(8),
                reader.GetFieldValue<string[]>(9), reader.GetFieldValue<string[]>(10), reader.GetFieldValue<string[]>(11),
                NullableString(reader, 12), reader.IsDBNull(13) ? null : reader.GetInt64(13)));
        }

        return rows;
    }

    private static async Task<IReadOnlyList<SystemAlertRow>> ReadSystemAlertsAsync(NpgsqlConnection connection, NpgsqlTransaction transaction,
        CancellationToken ct)
    {
        await using var command = new NpgsqlCommand(
            $"""
            SELECT a.id, a.kind, a.level_equivalent::int, a.message, a.message_en, a.step, a.raised_at, a.drill_id,
                   s.name_ja, coalesce(s.name_en, s.name_ja), s.river_ja
            FROM alerts a LEFT JOIN stations s ON s.id = a.station_id
            WHERE a.source = 'system' AND a.level_equivalent IS NOT NULL AND a.status <> 'cleared' AND {DrillStore.InLivePicture("a")}
            """, connection, transaction);
        await using var reader = await command.ExecuteReaderAsync(ct);
        var rows = new List<SystemAlertRow>();
        while (await reader.ReadAsync(ct))
        {
            rows.Add(new SystemAlertRow(reader.GetInt64(0), reader.GetString(1), reader.GetInt32(2), reader.GetString(3), NullableString(reader, 4),
                NullableString(reader, 5), reader.GetFieldValue<DateTimeOffset>(6), reader.IsDBNull(7) ? null : reader.GetInt64(7),
                NullableString(reader, 8), NullableString(reader, 9), NullableString(reader, 10)));
        }

        return rows;
    }

    /// <summary>The districts' and the town's outlines as CAP areas, and which districts each river's flood zones touch.</summary>
    private sealed record Places(IReadOnlyDictionary<string, CapArea> Districts, IReadOnlyList<CapArea> TownAreas,
        IReadOnlyDictionary<string, string[]> RiverDistricts)
    {
        public IReadOnlyList<CapArea> District(string id) => Districts.TryGetValue(id, out var area) ? [area] : [];

        public IReadOnlyList<CapArea> Town() => TownAreas;

        public IReadOnlyList<CapArea> AlongRiver(string river) =>
            RiverDistricts.TryGetValue(river, out var ids) ? [.. ids.SelectMany(District)] : [];
    }

    private static async Task<Places> ReadPlacesAsync(NpgsqlConnection connection, NpgsqlTransaction transaction, int maxPolygonPoints,
        CancellationToken ct)
    {
        var districts = new Dictionary<string, CapArea>();
        var town = new List<CapArea>();
        await using (var command = new NpgsqlCommand(
            """
            SELECT 'district', id, name_ja, coalesce(name_en, name_ja), ST_AsGeoJSON(geom, 6) FROM districts
            UNION ALL
            SELECT 'town', id, name_ja, coalesce(name_en, name_ja), ST_AsGeoJSON(geom, 6) FROM town_boundaries
            ORDER BY 1, 2
            """, connection, transaction))
        {
            await using var reader = await command.ExecuteReaderAsync(ct);
            while (await reader.ReadAsync(ct))
            {
                var area = new CapArea(reader.GetString(2), reader.GetString(3), Polygons(reader.GetString(4), maxPolygonPoints), []);
                if (reader.GetString(0) == "district") districts[reader.GetString(1)] = area;
                else town.Add(area);
            }
        }

        var rivers = new Dictionary<string, string[]>();
        await using (var command = new NpgsqlCommand(
            """
            SELECT z.properties->>'river', array_agg(DISTINCT d.id ORDER BY d.id)
            FROM hazard_zones z JOIN districts d ON ST_Intersects(z.geom, d.geom)
            WHERE z.hazard = 'flood' AND z.properties ? 'river'
            GROUP BY 1
            """, connection, transaction))
        {
            await using var reader = await command.ExecuteReaderAsync(ct);
            while (await reader.ReadAsync(ct)) rivers[reader.GetString(0)] = reader.GetFieldValue<string[]>(1);
        }

        return new Places(districts, town, rivers);
    }

    /// <summary>The outer ring of each polygon of a GeoJSON Polygon or MultiPolygon, as CAP polygons.</summary>
    internal static IReadOnlyList<string> Polygons(string geoJson, int maxPoints)
    {
        using var document = JsonDocument.Parse(geoJson);
        var root = document.RootElement;
        var coordinates = root.GetProperty("coordinates");
        var polygons = root.GetProperty("type").GetString() == "MultiPolygon" ? coordinates.EnumerateArray().ToList() : [coordinates];
        return [.. polygons.Select(polygon => CapPolygons.FromRing(
            [.. polygon[0].EnumerateArray().Select(p => (p[0].GetDouble(), p[1].GetDouble()))], maxPoints))];
    }

    /// <summary>The last message of every item ever in the feed.</summary>
    public static async Task<IReadOnlyList<CapMessage>> ReadLatestAsync(NpgsqlConnection connection, NpgsqlTransaction transaction, CancellationToken ct)
    {
        await using var command = new NpgsqlCommand(
            """
            SELECT DISTINCT ON (item_key) identifier, item_key, number, sender, sent, status, msg_type, "references", item
            FROM cap_messages ORDER BY item_key, number DESC
            """, connection, transaction);
        await using var reader = await command.ExecuteReaderAsync(ct);
        var messages = new List<CapMessage>();
        while (await reader.ReadAsync(ct))
        {
            messages.Add(new CapMessage(reader.GetString(0), reader.GetString(1), reader.GetInt32(2), reader.GetString(3),
                reader.GetFieldValue<DateTimeOffset>(4), Enum.Parse<CapStatus>(reader.GetString(5)), Enum.Parse<CapMsgType>(reader.GetString(6)),
                NullableString(reader, 7), JsonSerializer.Deserialize<CapItem>(reader.GetString(8), BousaiJson.Options)!));
        }

        return messages;
    }

    public static async Task SaveAsync(NpgsqlConnection connection, NpgsqlTransaction transaction, IReadOnlyList<CapMessage> messages,
        CapOptions options, CancellationToken ct)
    {
        if (messages.Count == 0) return;
        await using var batch = new NpgsqlBatch(connection, transaction);
        foreach (var message in messages)
        {
            var insert = new NpgsqlBatchCommand(
                """
                INSERT INTO cap_messages (identifier, item_key, number, sender, sent, status, msg_type, "references", item, xml)
                VALUES ($1, $2, $3, $4, $5, $6, $7, $8, $9::jsonb, $10)
                """);
            insert.Parameters.AddWithValue(message.Identifier);
            insert.Parameters.AddWithValue(message.ItemKey);
            insert.Parameters.AddWithValue(message.Number);
            insert.Parameters.AddWithValue(message.Sender);
            insert.Parameters.AddWithValue(message.Sent);
            insert.Parameters.AddWithValue(message.Status.ToString());
            insert.Parameters.AddWithValue(message.MsgType.ToString());
            insert.Parameters.AddWithValue((object?)message.References ?? DBNull.Value);
            insert.Parameters.AddWithValue(JsonSerializer.Serialize(message.Item, BousaiJson.Options));
            insert.Parameters.AddWithValue(CapXml.Text(message, options));
            batch.BatchCommands.Add(insert);
        }

        await batch.ExecuteNonQueryAsync(ct);
    }

    /// <summary>
    /// The feed: the last message of every item that is current, and the Cancel of an item that ended within
    /// <paramref name="cancelKeptFor"/>, newest first.
    /// </summary>
    public static async Task<IReadOnlyList<CapFeedEntry>> ReadFeedAsync(NpgsqlDataSource db, DateTimeOffset now, TimeSpan cancelKeptFor,
        CancellationToken ct)
    {
        await using var command = db.CreateCommand(
            """
            SELECT identifier, sent, msg_type, status, item->>'headlineJa', item->>'headlineEn' FROM (
                SELECT DISTINCT ON (item_key) * FROM cap_messages ORDER BY item_key, number DESC
            ) latest
            WHERE msg_type <> 'Cancel' OR sent >= $1
            ORDER BY sent DESC, identifier
            """);
        command.Parameters.AddWithValue(now - cancelKeptFor);
        await using var reader = await command.ExecuteReaderAsync(ct);
        var entries = new List<CapFeedEntry>();
        while (await reader.ReadAsync(ct))
        {
            entries.Add(new CapFeedEntry(reader.GetString(0), reader.GetFieldValue<DateTimeOffset>(1), Enum.Parse<CapMsgType>(reader.GetString(2)),
                Enum.Parse<CapStatus>(reader.GetString(3)), reader.GetString(4), reader.GetString(5)));
        }

        return entries;
    }

    /// <summary>A message's XML as it was sent, or null when there is no such message.</summary>
    public static async Task<string?> ReadXmlAsync(NpgsqlDataSource db, string identifier, CancellationToken ct)
    {
        await using var command = db.CreateCommand("SELECT xml FROM cap_messages WHERE identifier = $1");
        command.Parameters.AddWithValue(identifier);
        return await command.ExecuteScalarAsync(ct) as string;
    }

    private static string? NullableString(NpgsqlDataReader reader, int ordinal) => reader.IsDBNull(ordinal) ? null : reader.GetString(ordinal);
}
