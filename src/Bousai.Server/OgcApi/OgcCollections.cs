using Bousai.Domain.Reports;
using Bousai.Server.Drills;
using Bousai.Server.Geodata;
using Bousai.Server.Shelters;
using Bousai.Server.Store;

namespace Bousai.Server.OgcApi;

public enum OgcAudience { Public, Staff }

/// <summary>A property of a collection's features, as its schema (/collections/{id}/schema) describes it.</summary>
public sealed record OgcProperty(string Name, string Type, string Title, string? Format = null);

/// <summary>
/// One collection of OGC API – Features. <see cref="Source"/> is a SQL query giving one row per feature with the columns
/// id (text), ord (the paging order), geom (geometry, EPSG:4326 = CRS84 axis order in PostGIS), properties (jsonb) and
/// at (timestamptz: the time a datetime filter reads; NULL for collections without time). Geodata collections change
/// with their layer's revision (<see cref="Layer"/>), the others with the situation log.
/// </summary>
public sealed record OgcCollection(
    string Id,
    string Title,
    string Description,
    OgcAudience Audience,
    string GeometryType,
    string Source,
    bool Temporal,
    IReadOnlyList<OgcProperty> Properties,
    MapLayer? Layer = null);

/// <summary>Every collection: the geodata layers, the live layers residents may see, and the staff-only ones.</summary>
public static class OgcCollections
{
    private static readonly OgcProperty[] Named =
    [
        new("name_ja", "string", "名称"),
        new("name_en", "string", "Name (English)"),
        new("illustrative", "boolean", "想定（イラスト）データ / illustrative, not official data"),
    ];

    private static OgcCollection Geodata(MapLayer layer, string title, string description, string geometryType, params OgcProperty[] extra) =>
        new(layer.Id, title, description, OgcAudience.Public, geometryType,
            $"""
            SELECT t.id AS id, t.id AS ord, t.geom AS geom,
                   t.properties || jsonb_build_object('name_ja', t.name_ja, 'name_en', t.name_en, 'illustrative', t.illustrative) AS properties,
                   NULL::timestamptz AS at
            FROM {layer.Table} t {(layer.Hazard is null ? "" : $"WHERE t.hazard = '{layer.Hazard}'")}
            """,
            Temporal: false, [.. Named, .. extra], layer);

    // Reports residents may see: the public categories and statuses of the domain (FieldReportWorkflow.IsPublic), real
    // or of the drill in progress, with the public fields only.
    private static readonly string PublicReportStatuses = string.Join(", ",
        Enum.GetValues<FieldReportStatus>().Where(s => Enum.GetValues<FieldReportCategory>().Any(c => FieldReportWorkflow.IsPublic(s, c)))
            .Select(s => $"'{DbEnum.Name(s)}'"));

    private static readonly string PublicReportCategories = string.Join(", ",
        Enum.GetValues<FieldReportCategory>().Where(FieldReportWorkflow.IsPublicCategory).Select(c => $"'{DbEnum.Name(c)}'"));

    public static readonly IReadOnlyList<OgcCollection> All =
    [
        Geodata(MapLayers.Boundary, "町域 / Town boundary", "The boundary of the town (国土数値情報 N03).", "MultiPolygon"),
        Geodata(MapLayers.Districts, "地区 / Districts", "The districts 警戒レベル are issued for.", "MultiPolygon"),
        Geodata(MapLayers.Rivers, "河川 / Rivers", "The rivers the gauges watch.", "MultiLineString"),
        Geodata(MapLayers.FloodZones, "浸水想定区域 / Flood zones", "Areas expected to flood (国土数値情報 A31).", "MultiPolygon"),
        Geodata(MapLayers.LandslideZones, "土砂災害警戒区域 / Landslide zones", "Landslide warning areas (国土数値情報 A33).", "MultiPolygon"),
        new("stations", "観測所 / Gauges", "River water-level and rain gauges with their latest observation and stage.", OgcAudience.Public, "Point",
            """
            SELECT s.id AS id, s.id AS ord, s.geom AS geom,
                   jsonb_build_object('name_ja', s.name_ja, 'name_en', s.name_en, 'kind', s.kind, 'gauge_type', s.gauge_type,
                       'river_ja', s.river_ja, 'illustrative', s.illustrative,
                       'quantity', st.derived ->> 'quantity', 'value', (st.derived ->> 'value')::float8,
                       'unit', CASE WHEN s.kind = 'rain' THEN 'mm' ELSE 'm' END,
                       'stage', st.derived ->> 'stage', 'alert_level_equivalent', (st.derived ->> 'alertLevelEquivalent')::int,
                       'observed_at', st.observed_at) AS properties,
                   st.observed_at AS at
            FROM stations s
            LEFT JOIN station_states st ON st.station_id = s.id AND st.quantity = CASE WHEN s.kind = 'rain' THEN 'rainfall' ELSE 'water_level' END
            """,
            Temporal: true,
            [
                new("name_ja", "string", "名称"), new("name_en", "string", "Name (English)"),
                new("kind", "string", "water_level | rain"), new("gauge_type", "string", "standard | crisis | amedas"),
                new("river_ja", "string", "河川"), new("illustrative", "boolean", "想定（イラスト）データ"),
                new("quantity", "string", "water_level | rainfall"), new("value", "number", "Latest value (m, or mm in the last 10 minutes)"),
                new("unit", "string", "m | mm"),
                new("stage", "string", "normal | observing | standby | caution | evacuation | danger (water level only)"),
                new("alert_level_equivalent", "integer", "警戒レベル相当 of the stage"),
                new("observed_at", "string", "When it was observed", "date-time"),
            ]),
        new("shelters", "避難所 / Shelters", "Designated shelters and emergency sites with whether they are open, the head count and the crowding band.",
            OgcAudience.Public, "Point",
            $"""
            SELECT s.id AS id, s.id AS ord, s.geom AS geom,
                   jsonb_build_object('name_ja', s.name_ja, 'name_en', s.name_en, 'address', s.address, 'kind', s.kind,
                       'is_evacuation_shelter', s.is_evacuation_shelter, 'is_emergency_site', s.is_emergency_site,
                       'hazards', to_jsonb(s.hazards), 'accessible', s.accessible, 'capacity', s.capacity,
                       'capacity_assumed', s.capacity_assumed, 'illustrative', s.illustrative,
                       'open', coalesce(ss.status = 'open', false), 'occupancy', CASE WHEN ss.status = 'open' THEN ss.occupancy END,
                       'declared_full', coalesce(ss.declared_full, false), 'updated_at', ss.updated_at,
                       'crowding', {ShelterCrowdingSql.Band("ss.status = 'open'", "ss.occupancy", "s.capacity", "ss.declared_full")}) AS properties,
                   ss.updated_at AS at
            FROM shelters s LEFT JOIN shelter_status ss ON ss.shelter_id = s.id
            """,
            Temporal: true,
            [
                new("name_ja", "string", "名称"), new("name_en", "string", "Name (English)"), new("address", "string", "所在地"),
                new("kind", "string", "emergency_site | evacuation_shelter | both | welfare"),
                new("is_evacuation_shelter", "boolean", "指定避難所"), new("is_emergency_site", "boolean", "指定緊急避難場所"),
                new("hazards", "array", "Hazards it is designated for (flood, landslide, earthquake)"),
                new("accessible", "boolean", "Step-free"), new("capacity", "integer", "収容人数"),
                new("capacity_assumed", "boolean", "The capacity is assumed, not confirmed"),
                new("illustrative", "boolean", "想定（イラスト）データ"), new("open", "boolean", "開設中"),
                new("occupancy", "integer", "Head count while open"), new("declared_full", "boolean", "Declared full by its staff"),
                new("crowding", "string", "available | somewhat_crowded | crowded | full | unknown | closed"),
                new("updated_at", "string", "Last change of its status", "date-time"),
            ]),
        new("district-levels", "警戒レベル / District alert levels", "The 警戒レベル in force in each district (3 高齢者等避難, 4 避難指示, 5 緊急安全確保).",
            OgcAudience.Public, "MultiPolygon",
            $"""
            SELECT d.id AS id, d.id AS ord, d.geom AS geom,
                   jsonb_build_object('name_ja', d.name_ja, 'name_en', d.name_en, 'level', l.level, 'reason', l.reason,
                       'issued_at', l.issued_at, 'drill', l.drill_id IS NOT NULL) AS properties,
                   l.issued_at AS at
            FROM district_evacuation_levels l JOIN districts d ON d.id = l.district_id
            WHERE l.level > 0 AND {DrillStore.InLivePicture("l")}
            """,
            Temporal: true,
            [
                new("name_ja", "string", "地区名"), new("name_en", "string", "District (English)"),
                new("level", "integer", "警戒レベル (3, 4 or 5)"), new("reason", "string", "理由"),
                new("issued_at", "string", "発令時刻", "date-time"), new("drill", "boolean", "訓練 / exercise"),
            ]),
        new("official-warnings", "公式発表 / Official warnings", "Warnings of the Japan Meteorological Agency and the prefecture in force for the town (drawn over the town).",
            OgcAudience.Public, "MultiPolygon",
            """
            SELECT w.id::text AS id, w.id AS ord, (SELECT ST_Multi(ST_Union(b.geom)) FROM town_boundaries b) AS geom,
                   jsonb_build_object('kind', w.kind, 'name', w.name, 'name_en', w.name_en, 'condition', w.condition,
                       'level_equivalent', w.level_equivalent, 'issued_at', w.issued_at, 'valid_until', w.valid_until,
                       'areas', to_jsonb(w.areas), 'source', w.source) AS properties,
                   w.issued_at AS at
            FROM official_warnings w WHERE w.status = 'in_force'
            """,
            Temporal: true,
            [
                new("kind", "string", "weather_warning | landslide_alert | river_flood"), new("name", "string", "名称"),
                new("name_en", "string", "Name (English)"), new("condition", "string", "状態"),
                new("level_equivalent", "integer", "警戒レベル相当"), new("issued_at", "string", "発表時刻", "date-time"),
                new("valid_until", "string", "Valid until", "date-time"), new("areas", "array", "対象地域"),
                new("source", "string", "jma_feed | jma_upload | jma_drop | hand"),
            ]),
        new("reports", "現地報告（公開）/ Verified field reports", "Field reports HQ has verified and made public (road closures, flooding), without who sent them.",
            OgcAudience.Public, "Point",
            $"""
            SELECT r.id::text AS id, r.id AS ord, r.geom AS geom,
                   jsonb_build_object('category', r.category, 'severity', r.severity, 'status', r.status,
                       'summary', r.public_summary, 'district_id', r.district_id, 'observed_at', r.observed_at,
                       'updated_at', r.updated_at, 'drill', r.drill_id IS NOT NULL) AS properties,
                   r.observed_at AS at
            FROM field_reports r
            WHERE r.status IN ({PublicReportStatuses}) AND r.category IN ({PublicReportCategories}) AND {DrillStore.InLivePicture("r")}
            """,
            Temporal: true,
            [
                new("category", "string", "flooding | road_blocked"), new("severity", "string", "minor | serious | critical"),
                new("status", "string", "verified | in_progress"), new("summary", "string", "HQ's public summary"),
                new("district_id", "string", "The district it lies in"), new("observed_at", "string", "When it was seen", "date-time"),
                new("updated_at", "string", "Last change", "date-time"), new("drill", "boolean", "訓練 / exercise"),
            ]),
        new("all-reports", "現地報告（全件）/ All field reports", "Every field report with its triage (staff only).", OgcAudience.Staff, "Point",
            $"""
            SELECT r.id::text AS id, r.id AS ord, r.geom AS geom,
                   jsonb_build_object('category', r.category, 'severity', r.severity, 'status', r.status,
                       'description', r.description, 'summary', r.public_summary, 'district_id', r.district_id,
                       'reported_by', u.user_name, 'assigned_to', a.user_name, 'duplicate_of', r.duplicate_of,
                       'observed_at', r.observed_at, 'reported_at', r.reported_at, 'updated_at', r.updated_at,
                       'accuracy_m', r.accuracy_m, 'drill', r.drill_id IS NOT NULL) AS properties,
                   r.observed_at AS at
            FROM field_reports r JOIN users u ON u.id = r.reported_by LEFT JOIN users a ON a.id = r.assigned_to
            WHERE {DrillStore.InLivePicture("r")}
            """,
            Temporal: true,
            [
                new("category", "string", "flooding | landslide | road_blocked | building_damage | rescue_needed | other"),
                new("severity", "string", "minor | serious | critical"),
                new("status", "string", "new | verified | in_progress | resolved | rejected | duplicate"),
                new("description", "string", "報告内容"), new("summary", "string", "HQ's public summary"),
                new("district_id", "string", "The district it lies in"), new("reported_by", "string", "Account that sent it"),
                new("assigned_to", "string", "Crew it is assigned to"), new("duplicate_of", "integer", "The report it duplicates"),
                new("observed_at", "string", "When it was seen", "date-time"), new("reported_at", "string", "When it was sent", "date-time"),
                new("updated_at", "string", "Last change", "date-time"), new("accuracy_m", "number", "Location accuracy (m)"),
                new("drill", "boolean", "訓練 / exercise"),
            ]),
        new("alerts", "アラート / Alerts", "Alerts not yet cleared (staff only), placed on their district or gauge.", OgcAudience.Staff, "Geometry",
            $"""
            SELECT a.id::text AS id, a.id AS ord, coalesce(s.geom, d.geom) AS geom,
                   jsonb_build_object('kind', a.kind, 'level', coalesce(a.level_equivalent, a.level), 'status', a.status, 'message', a.message,
                       'district_id', a.district_id, 'station_id', a.station_id, 'raised_at', a.raised_at,
                       'acknowledged_at', a.acknowledged_at, 'drill', a.drill_id IS NOT NULL) AS properties,
                   a.raised_at AS at
            FROM alerts a LEFT JOIN districts d ON d.id = a.district_id LEFT JOIN stations s ON s.id = a.station_id
            WHERE a.status <> 'cleared' AND {DrillStore.InLivePicture("a")}
            """,
            Temporal: true,
            [
                new("kind", "string", "Alert kind"), new("level", "integer", "警戒レベル相当"),
                new("status", "string", "raised | acknowledged"), new("message", "string", "Message"),
                new("district_id", "string", "District"), new("station_id", "string", "Gauge"),
                new("raised_at", "string", "Raised", "date-time"), new("acknowledged_at", "string", "Acknowledged", "date-time"),
                new("drill", "boolean", "訓練 / exercise"),
            ]),
    ];

    public static OgcCollection? Find(string id) => All.FirstOrDefault(c => c.Id == id);
}
