using System.Globalization;
using Bousai.Domain.Shelters;
using Bousai.Server.Store;
using CsvHelper;
using Npgsql;

namespace Bousai.Server.Shelters;

/// <summary>
/// The shelters as open data at stable URLs: the 自治体標準オープンデータセット layouts 指定緊急避難場所一覧 and 指定避難所一覧
/// (CSV, UTF-8 with a byte-order mark so Excel opens it correctly, written by CsvHelper) and GeoJSON. The town's own
/// fields are CC BY 4.0; positions, names and designations taken from GSI data carry 出典：国土地理院. Nothing for
/// staff only (the contact, the live note) is published.
/// </summary>
public static class ShelterOpenData
{
    public const string EmergencySitesPath = "/opendata/shelters/emergency-sites.csv";
    public const string EvacuationSheltersPath = "/opendata/shelters/evacuation-shelters.csv";
    public const string GeoJsonPath = "/opendata/shelters.geojson";
    public const string Licence = "https://creativecommons.org/licenses/by/4.0/";
    public const string Attribution = "高畠町 (CC BY 4.0); 出典：国土地理院 (指定緊急避難場所・指定避難所データ)";

    // 高畠町's 全国地方公共団体コード (with its check digit), and its names as the datasets spell them.
    private const string TownCode = "063819";
    private const string TownName = "山形県高畠町";
    private const string Prefecture = "山形県";
    private const string Municipality = "東置賜郡高畠町";

    private static readonly (string Column, string Hazard)[] HazardColumns =
    [
        ("災害種別_洪水", Hazards.Flood), ("災害種別_崖崩れ、土石流及び地滑り", Hazards.Landslide), ("災害種別_高潮", Hazards.StormSurge),
        ("災害種別_地震", Hazards.Earthquake), ("災害種別_津波", Hazards.Tsunami), ("災害種別_大規模な火事", Hazards.LargeFire),
        ("災害種別_内水氾濫", Hazards.InlandFlooding), ("災害種別_火山現象", Hazards.Volcano),
    ];

    private static readonly string[] Location =
    [
        "全国地方公共団体コード", "ID", "地方公共団体名", "名称", "名称_カナ", "名称_英字", "所在地_全国地方公共団体コード", "町字ID", "所在地_連結表記",
        "所在地_都道府県", "所在地_市区町村", "所在地_町字", "所在地_番地以下", "建物名等(方書)", "緯度", "経度", "標高", "電話番号", "内線番号",
        "連絡先メールアドレス", "連絡先FormURL", "連絡先備考（その他、SNSなど）", "郵便番号",
    ];

    private static readonly string[] Trailer = ["URL", "画像", "画像_ライセンス", "備考"];

    /// <summary>指定緊急避難場所一覧: the columns in the published order.</summary>
    public static readonly IReadOnlyList<string> EmergencySiteColumns =
        [.. Location, .. HazardColumns.Select(h => h.Column), "指定避難所との重複", "想定収容人数", "対象となる町会・自治会", .. Trailer];

    /// <summary>指定避難所一覧: the columns in the published order.</summary>
    public static readonly IReadOnlyList<string> EvacuationShelterColumns =
        [.. Location, .. HazardColumns.Select(h => h.Column), "指定緊急避難場所との重複", "想定収容人数", "対象となる町会・自治会", .. Trailer];

    public static IEndpointRouteBuilder MapShelterOpenData(this IEndpointRouteBuilder routes)
    {
        routes.MapGet(EmergencySitesPath, (HttpContext http, NpgsqlDataSource db, CancellationToken ct) =>
                CsvAsync(http, db, emergencySites: true, "emergency-sites.csv", ct))
            .AllowAnonymous().WithTags("Open data").WithSummary("指定緊急避難場所一覧 (自治体標準オープンデータセット, CSV UTF-8 with BOM, CC BY 4.0)")
            .Produces(StatusCodes.Status200OK, contentType: "text/csv");
        routes.MapGet(EvacuationSheltersPath, (HttpContext http, NpgsqlDataSource db, CancellationToken ct) =>
                CsvAsync(http, db, emergencySites: false, "evacuation-shelters.csv", ct))
            .AllowAnonymous().WithTags("Open data").WithSummary("指定避難所一覧 (自治体標準オープンデータセット, CSV UTF-8 with BOM, CC BY 4.0)")
            .Produces(StatusCodes.Status200OK, contentType: "text/csv");
        routes.MapGet(GeoJsonPath, GeoJsonAsync)
            .AllowAnonymous().WithTags("Open data").WithSummary("Every shelter as GeoJSON (RFC 7946, CC BY 4.0)")
            .Produces(StatusCodes.Status200OK, contentType: "application/geo+json");
        return routes;
    }

    private sealed record Row(string Id, string NameJa, string? NameEn, string? Address, double Lon, double Lat, string[] Hazards, ShelterKind Kind,
        int? Capacity, bool CapacityAssumed, bool Accessible, string? Attribution);

    private static void SetOpenDataHeaders(HttpContext http)
    {
        http.Response.Headers.CacheControl = "public, max-age=300";
        http.Response.Headers.Append("Link", $"<{Licence}>; rel=\"license\"");
    }

    private static async Task<IResult> CsvAsync(HttpContext http, NpgsqlDataSource db, bool emergencySites, string fileName, CancellationToken ct)
    {
        var rows = (await ReadAsync(db, ct)).Where(r => emergencySites ? ShelterKinds.IsEmergencySite(r.Kind) : ShelterKinds.IsPlaceToStay(r.Kind)).ToList();
        var columns = emergencySites ? EmergencySiteColumns : EvacuationShelterColumns;
        using var buffer = new MemoryStream();
        await using (var csv = CsvWriter.Create(buffer, new CsvWriterOptions { WriteByteOrderMark = true }, true))
        {
            csv.WriteHeader([.. columns]);
            foreach (var row in rows)
            {
                var values = Values(row, emergencySites);
                await csv.WriteRecordAsync([.. columns.Select(c => values.GetValueOrDefault(c, ""))], ct);
            }

            await csv.FlushAsync(ct);
        }

        SetOpenDataHeaders(http);
        http.Response.Headers.ContentDisposition = $"inline; filename=\"{fileName}\"";
        return TypedResults.File(buffer.ToArray(), "text/csv; charset=utf-8");
    }

    private static Dictionary<string, string> Values(Row row, bool emergencySites)
    {
        var values = new Dictionary<string, string>
        {
            ["全国地方公共団体コード"] = TownCode, ["ID"] = row.Id, ["地方公共団体名"] = TownName, ["名称"] = row.NameJa, ["名称_英字"] = row.NameEn ?? "",
            ["所在地_全国地方公共団体コード"] = TownCode, ["所在地_連結表記"] = row.Address ?? "", ["所在地_都道府県"] = Prefecture,
            ["所在地_市区町村"] = Municipality, ["緯度"] = row.Lat.ToString("0.000000", CultureInfo.InvariantCulture),
            ["経度"] = row.Lon.ToString("0.000000", CultureInfo.InvariantCulture),
            ["想定収容人数"] = row.Capacity?.ToString(CultureInfo.InvariantCulture) ?? "",
            [emergencySites ? "指定避難所との重複" : "指定緊急避難場所との重複"] =
                (emergencySites ? ShelterKinds.IsPlaceToStay(row.Kind) : ShelterKinds.IsEmergencySite(row.Kind)) ? "1" : "",
            ["備考"] = string.Join("　", new[]
            {
                row.Kind == ShelterKind.Welfare ? "福祉避難所" : null,
                row.CapacityAssumed && row.Capacity is not null ? "想定収容人数は想定値" : null,
                row.Accessible ? "バリアフリー設備あり" : null,
                row.Attribution,
            }.Where(n => n is not null)),
        };
        foreach (var (column, hazard) in HazardColumns) values[column] = row.Hazards.Contains(hazard) ? "1" : "";
        return values;
    }

    private static async Task<IResult> GeoJsonAsync(HttpContext http, NpgsqlDataSource db, CancellationToken ct)
    {
        await using var command = db.CreateCommand(
            """
            SELECT json_build_object(
                'type', 'FeatureCollection',
                'license', $1::text,
                'attribution', $2::text,
                'features', coalesce(json_agg(json_build_object(
                    'type', 'Feature',
                    'id', s.id,
                    'geometry', ST_AsGeoJSON(s.geom, 7)::json,
                    'properties', json_build_object('id', s.id, 'name_ja', s.name_ja, 'name_en', s.name_en, 'address', s.address,
                        'kind', s.kind, 'hazards', to_json(s.hazards), 'capacity', s.capacity, 'capacity_assumed', s.capacity_assumed,
                        'accessible', s.accessible, 'attribution', s.attribution)
                ) ORDER BY s.id), '[]'::json))::text
            FROM shelters s
            """);
        command.Parameters.AddWithValue(Licence);
        command.Parameters.AddWithValue(Attribution);
        var json = (string)(await command.ExecuteScalarAsync(ct))!;
        SetOpenDataHeaders(http);
        return TypedResults.Text(json, "application/geo+json; charset=utf-8");
    }

    private static async Task<IReadOnlyList<Row>> ReadAsync(NpgsqlDataSource db, CancellationToken ct)
    {
        await using var command = db.CreateCommand(
            """
            SELECT id, name_ja, name_en, address, ST_X(geom), ST_Y(geom), hazards, kind, capacity, capacity_assumed, accessible, attribution
            FROM shelters ORDER BY id
            """);
        await using var reader = await command.ExecuteReaderAsync(ct);
        var rows = new List<Row>();
        while (await reader.ReadAsync(ct))
        {
            rows.Add(new Row(reader.GetString(0), reader.GetString(1), reader.IsDBNull(2) ? null : reader.GetString(2),
                reader.IsDBNull(3) ? null : reader.GetString(3), reader.GetDouble(4), reader.GetDouble(5), reader.GetFieldValue<string[]>(6),
                DbEnum.Parse<ShelterKind>(reader.GetString(7)), reader.IsDBNull(8) ? null : reader.GetInt32(8), reader.GetBoolean(9),
                reader.GetBoolean(10), reader.IsDBNull(11) ? null : reader.GetString(11)));
        }

        return rows;
    }
}
