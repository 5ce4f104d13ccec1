using Bousai.Domain.Reports;
using Bousai.Domain.Rivers;
using Bousai.Domain.Shelters;
using Bousai.Server.Geodata;
using Bousai.Server.Live;
using Bousai.Server.PublicView;
using Bousai.Server.Web;
using Microsoft.Extensions.Options;
using Npgsql;

namespace Bousai.Server.SituationReport;

/// <summary>
/// Puts the situation report together: the state at a moment (<see cref="SituationHistory"/>), the geodata, the readings
/// and the decisions of the log; the map for staff and for residents, and the PDF.
/// </summary>
public sealed class SituationReports(
    NpgsqlDataSource db,
    SituationHistory history,
    IOptions<SituationReportOptions> options,
    IOptions<DemoOptions> demo,
    TimeProvider time)
{
    private readonly Lock _gate = new();
    private Task<MapGeodata>? _geodata;
    private (string ETag, Task<byte[]> Png)? _public;

    public const int PublicWidth = 960;
    public const int PublicHeight = 720;

    private SituationMap Map => new(ReportFonts.MapTypeface(options.Value.MapFont));

    /// <summary>The geodata, read again when an import has moved a layer's revision.</summary>
    public async Task<MapGeodata> GeodataAsync(CancellationToken ct)
    {
        var revision = await GeodataRevision.ReadAsync(db, ct);
        Task<MapGeodata> load;
        lock (_gate)
        {
            if (_geodata is not { IsCompletedSuccessfully: true } || _geodata.Result.Revision != revision)
            {
                if (_geodata is null || _geodata.IsCompleted) _geodata = MapGeodata.LoadAsync(db, CancellationToken.None);
            }

            load = _geodata;
        }

        return await load.WaitAsync(ct);
    }

    /// <summary>The staff picture at a moment, or null before the record begins.</summary>
    public Task<SituationSnapshot?> AtAsync(DateTimeOffset moment, CancellationToken ct) => history.AtAsync(moment, ct);

    public async Task<byte[]> StaffMapAsync(SituationSnapshot snapshot, DateTimeOffset moment, int width, int height, CancellationToken ct)
    {
        var geodata = await GeodataAsync(ct);
        var gauges = await SituationReportStore.GaugesAsync(db, moment, ct);
        return Map.RenderPng(StaffScene(geodata, snapshot, gauges, moment), width, height);
    }

    private MapScene StaffScene(MapGeodata geodata, SituationSnapshot snapshot, IReadOnlyList<GaugeRow> gauges, DateTimeOffset moment) =>
        new(geodata, moment,
            snapshot.Districts.ToDictionary(d => d.DistrictId, d => d.Level),
            snapshot.Shelters.ToDictionary(s => s.ShelterId),
            gauges.Where(g => g.Kind == "water_level").ToDictionary(g => g.StationId, g => g.Value is null ? null : g.Stage ?? (WaterLevelStage?)WaterLevelStage.Normal),
            snapshot.Reports, snapshot.Drill is not null, demo.Value.Simulated, ForPublic: false);

    /// <summary>
    /// The public map of the live public picture, drawn once per picture (its version follows the feed's head and the
    /// geodata's revision) and shared by every resident who asks.
    /// </summary>
    public (string ETag, Task<byte[]> Png) PublicMap(PublicPicture picture)
    {
        var etag = $"\"map-{picture.Version}\"";
        lock (_gate)
        {
            if (_public is { } cached && cached.ETag == etag && !cached.Png.IsFaulted) return cached;
            var png = Task.Run(async () => DrawPublicMap(await GeodataAsync(CancellationToken.None), picture, time.GetUtcNow(), options.Value.MapFont));
            _public = (etag, png);
            return (etag, png);
        }
    }

    /// <summary>The public map of a picture, drawn without the service (the static export's command uses it too).</summary>
    public static byte[] DrawPublicMap(MapGeodata geodata, PublicPicture picture, DateTimeOffset now, string mapFont) =>
        new SituationMap(ReportFonts.MapTypeface(mapFont)).RenderPng(PublicScene(geodata, picture, now), PublicWidth, PublicHeight);

    private static MapScene PublicScene(MapGeodata geodata, PublicPicture picture, DateTimeOffset now)
    {
        var snapshot = picture.Snapshot;
        return new MapScene(geodata, now,
            snapshot.Districts.ToDictionary(d => d.DistrictId, d => d.Level),
            snapshot.Shelters.ToDictionary(s => s.ShelterId),
            snapshot.Stations.Where(s => s.Quantity == "water_level").ToDictionary(s => s.StationId, s => s.Stage),
            // The public snapshot holds only what residents may see; the rule is applied again, so nothing else is ever drawn.
            [.. snapshot.Reports.Where(r => FieldReportWorkflow.IsPublic(r.Status, r.Category))],
            snapshot.Drill is not null, picture.Simulated, ForPublic: true);
    }

    /// <summary>The report as a PDF for the staff picture <paramref name="snapshot"/> at <paramref name="moment"/>.</summary>
    public async Task<byte[]> PdfAsync(SituationSnapshot snapshot, DateTimeOffset moment, Paper paper, CancellationToken ct)
    {
        ReportFonts.UsePdfFont(options.Value.PdfFont);
        var geodata = await GeodataAsync(ct);
        var gauges = await SituationReportStore.GaugesAsync(db, moment, ct);
        string District(string id) => geodata.Districts.FirstOrDefault(d => d.Id == id)?.NameJa ?? id;
        string Shelter(string id) => geodata.Shelters.FirstOrDefault(s => s.Id == id)?.NameJa ?? id;
        var timeline = await SituationReportStore.TimelineAsync(db, moment, District, Shelter, ct);
        var scene = StaffScene(geodata, snapshot, gauges, moment);
        var content = new ReportContent(geodata.TownJa, moment, time.GetUtcNow(), snapshot.Drill?.Name, demo.Value.Simulated || geodata.AnyIllustrative,
            Tables(geodata, snapshot, gauges, timeline, District));
        var map = Map;
        return SituationReportPdf.Write(content, paper, (width, height, scale) => map.RenderPng(scene, width, height, scale));
    }

    private static IReadOnlyList<ReportTable> Tables(MapGeodata geodata, SituationSnapshot snapshot, IReadOnlyList<GaugeRow> gauges,
        IReadOnlyList<TimelineEntry> timeline, Func<string, string> district)
    {
        var districts = new ReportTable("地区の警戒レベル / District evacuation levels",
            [("地区", 1.3), ("警戒レベル", 1.8), ("発令時刻", 1), ("決定者", 1.1), ("理由", 3.5)],
            [.. snapshot.Districts.OrderByDescending(d => d.Level).ThenBy(d => d.DistrictId, StringComparer.Ordinal).Select(d => new[]
            {
                district(d.DistrictId), SituationWords.Level(d.Level), d.IssuedAt is { } at ? SituationTime.Short(at) : "—",
                d.DecidedBy ?? "—", d.Reason ?? "",
            })]);

        var open = snapshot.Shelters.Where(s => s.Open).OrderByDescending(s => s.Crowding).ThenBy(s => s.ShelterId, StringComparer.Ordinal).ToList();
        var shelters = new ReportTable($"開設中の避難所 / Open shelters（{open.Count} か所、避難者 計 {open.Sum(s => s.Occupancy)} 人）",
            [("避難所", 2.6), ("避難者数", 0.9), ("収容人数", 1), ("混雑度", 1.2), ("更新", 1)],
            [.. open.Select(s => new[]
            {
                geodata.Shelters.FirstOrDefault(p => p.Id == s.ShelterId)?.NameJa ?? s.ShelterId,
                $"{s.Occupancy} 人",
                s.Capacity is { } capacity ? $"{capacity} 人{(s.CapacityAssumed ? "（想定）" : "")}" : "不明",
                SituationWords.Band(s.Crowding) + (ShelterCrowding.Percent(s.Occupancy, s.Capacity) is { } percent ? $" {percent}%" : "")
                    + (s.DeclaredFull ? "（満員宣言）" : ""),
                s.UpdatedAt is { } at ? SituationTime.Short(at) : "—",
            })], "開設中の避難所はありません");

        var gaugeTable = new ReportTable("観測所 / Gauges（24時間の最高は時刻まで）",
            [("観測所", 1.6), ("河川", 0.9), ("現在", 2.2), ("観測時刻", 1), ("24時間の最高・累計", 2.4)],
            [.. gauges.Select(g => g.Kind == "rain"
                ? new[]
                {
                    g.NameJa, "（雨量）", g.Value is { } v ? $"10分 {v:0.#} mm / 60分 {g.RainSixtyMinutes:0.#} mm" : "欠測",
                    g.ObservedAt is { } at ? SituationTime.Short(at) : "—", $"24時間 {g.RainDay:0.#} mm",
                }
                : new[]
                {
                    g.NameJa, g.River ?? "", g.Value is { } level ? $"{SituationWords.Stage(g.Stage ?? WaterLevelStage.Normal)} {level:0.00} m" : "欠測",
                    g.ObservedAt is { } observed ? SituationTime.Short(observed) : "—",
                    g.PeakValue is { } peak && g.PeakAt is { } peakAt
                        ? $"{SituationWords.Stage(g.PeakStage ?? WaterLevelStage.Normal)} {peak:0.00} m（{SituationTime.Short(peakAt)}）"
                        : "—",
                })]);

        var warnings = new ReportTable("発表中の気象警報・注意報等 / Official warnings in force",
            [("種類", 2.2), ("警戒レベル相当", 1.1), ("発表", 1), ("有効期限", 1), ("対象・見出し", 3.4)],
            [.. (snapshot.OfficialWarnings ?? []).OrderByDescending(w => w.LevelEquivalent ?? 0).ThenByDescending(w => w.IssuedAt).Select(w => new[]
            {
                w.Name, w.LevelEquivalent is > 0 ? $"レベル{w.LevelEquivalent}相当" : "—", SituationTime.Short(w.IssuedAt),
                w.ValidUntil is { } until ? SituationTime.Short(until) : "—",
                string.Join("・", w.Areas.Concat(w.Rivers)) + (string.IsNullOrEmpty(w.Headline) ? "" : $" {w.Headline}"),
            })], "発表中の警報・注意報等はありません");

        var statuses = Enum.GetValues<FieldReportStatus>();
        var reports = new ReportTable($"現地報告 / Field reports（{snapshot.Reports.Count} 件：種類別・状態別）",
            [("種類", 1.6), .. statuses.Select(s => (SituationWords.Status(s), 0.7)), ("計", 0.6)],
            [.. Enum.GetValues<FieldReportCategory>().Select(c => snapshot.Reports.Where(r => r.Category == c).ToList()).Where(r => r.Count > 0)
                .Select(rs => (string[])[SituationWords.Category(rs[0].Category), .. statuses.Select(s => rs.Count(r => r.Status == s).ToString()), rs.Count.ToString()])],
            "現地報告はありません");

        var decisions = new ReportTable("決定の経過（過去24時間、古い順） / Timeline of decisions",
            [("時刻", 0.8), ("種類", 1.1), ("内容", 6)],
            [.. timeline.Select(e => new[] { SituationTime.Short(e.At), e.What, e.Detail })], "この24時間の記録はありません");

        return [districts, shelters, gaugeTable, warnings, reports, decisions];
    }

    /// <summary>Parses the moment a client asked for: absent = now; otherwise ISO 8601 with an offset, not in the future.</summary>
    public static (DateTimeOffset? Moment, string? Error) ParseMoment(string? value, DateTimeOffset now)
    {
        if (string.IsNullOrWhiteSpace(value)) return (now, null);
        if (!DateTimeOffset.TryParse(value, System.Globalization.CultureInfo.InvariantCulture, System.Globalization.DateTimeStyles.None, out var moment)
            || !value.Contains('T') || !(value.EndsWith('Z') || value.EndsWith("z") || value.LastIndexOfAny(['+', '-']) > value.IndexOf('T')))
        {
            return (null, $"moment '{value}' is not an ISO 8601 date and time with an offset (2025-07-14T14:20:00+09:00).");
        }

        return moment > now + TimeSpan.FromMinutes(1) ? (null, $"moment {value} is in the future.") : (moment, null);
    }

    public static (Paper? Paper, string? Error) ParsePaper(string? value) => value?.ToLowerInvariant() switch
    {
        null or "" or "a4" => (Paper.A4, null),
        "a3" => (Paper.A3, null),
        _ => (null, $"paper '{value}' is not a4 or a3."),
    };
}
