using System.Globalization;
using System.Net;
using System.Text;
using Bousai.Domain.Rivers;
using Bousai.Server.OfficialWarnings;
using Bousai.Server.Reports;
using Bousai.Server.Sensors;
using Bousai.Server.Shelters;
using Bousai.Server.Store;

namespace Bousai.Server.PublicView;

/// <summary>
/// The parts of the public page as HTML, with the classes and data attributes of the client's renderers
/// (web/src/public/*.ts), so the same styles and tests apply before and after the script takes a part over. Pure: a
/// picture, a language and the time in, HTML out. Every text is encoded.
/// </summary>
public sealed class PublicSections(PublicText text, PublicPicture picture, PublicLanguage language, PublicDistrict? from, DateTimeOffset now)
{
    private static readonly string[] Hazards = ["flood", "landslide", "earthquake"];

    public static string E(string? value) => WebUtility.HtmlEncode(value ?? "");

    private string T(string key, params (string, object)[] values) => text.T(language, key, values);

    private bool En => language == PublicLanguage.En;

    private string Name(string ja, string? en) => En && !string.IsNullOrEmpty(en) ? en : ja;

    public string DistrictName(string id) => picture.Geodata.District(id) is { } d ? Name(d.NameJa, d.NameEn) : id;

    private string Time(DateTimeOffset at) => $"<time datetime=\"{PublicText.Iso(at)}\">{E(PublicText.HourMinute(at, now))}</time>";

    public string LevelText(int level) => level is 3 or 4 or 5 ? $"{T("evacLevelNumber", ("level", level))} {T($"evacLevel.{level}")}" : T("evacLevelNone");

    public string LevelAction(int level) => T($"evacAction.{level}");

    /// <summary>The links to the other language (and the text-only page), keeping the chosen district.</summary>
    public string PagePath(string page, PublicLanguage target) =>
        page + (target == PublicLanguage.En ? "/en" : "") + (from is null ? "" : "?district=" + Uri.EscapeDataString(from.Id));

    public string LanguageSwitch(string page) =>
        $"<a href=\"{E(PagePath(page, PublicLanguage.Ja))}\" lang=\"ja\" hreflang=\"ja\"{(En ? "" : " aria-current=\"true\"")}>日本語</a>"
        + $"<a href=\"{E(PagePath(page, PublicLanguage.En))}\" lang=\"en\" hreflang=\"en\"{(En ? " aria-current=\"true\"" : "")}>English</a>";

    public string DrillBanner() => picture.Snapshot.Drill is { } drill
        ? $"<strong class=\"drill-badge\">{E(T("drillBadge"))}</strong> <span>{E(T("drillBanner", ("name", drill.Name)))}</span>"
        : "";

    public string DemoBanner() => picture.Simulated
        ? $"<strong class=\"demo-badge\">{E(T("demoBadge"))}</strong> <span>{E(T("demoBanner"))}</span>"
        : "";

    /// <summary>As evacuationBanner.ts: one line per level in force, highest first, with the districts and what to do.</summary>
    public string EvacuationBanner()
    {
        var html = new StringBuilder();
        foreach (var level in new[] { 5, 4, 3 })
        {
            var districts = picture.Snapshot.Districts.Where(d => d.Level == level).Select(d => DistrictName(d.DistrictId)).ToList();
            if (districts.Count == 0) continue;
            var headline = T("evacBannerLine", ("districts", string.Join(T("listSeparator"), districts)), ("level", LevelText(level)));
            html.Append($"<div class=\"evac-level evac-level-{level}\" data-level=\"{level}\"><strong>{E(headline)}</strong>")
                .Append($"<span class=\"evac-action\">{E(LevelAction(level))}</span></div>");
        }

        return html.ToString();
    }

    private static readonly Dictionary<int, (string Name, string Shape)> Shapes = new()
    {
        [0] = ("circle", "<circle cx=\"20\" cy=\"20\" r=\"16\" /><text x=\"20\" y=\"26\">{0}</text>"),
        [3] = ("triangle", "<polygon points=\"20,2 38,36 2,36\" /><text x=\"20\" y=\"32\">{0}</text>"),
        [4] = ("diamond", "<polygon points=\"20,1 39,20 20,39 1,20\" /><text x=\"20\" y=\"27\">{0}</text>"),
        [5] = ("square", "<rect x=\"3\" y=\"3\" width=\"34\" height=\"34\" rx=\"2\" /><text x=\"20\" y=\"27\">{0}</text>"),
    };

    private static string LevelMark(int level)
    {
        var issued = level is 3 or 4 or 5 ? level : 0;
        var (name, shape) = Shapes[issued];
        return $"<svg class=\"level-mark level-mark-{issued}\" data-shape=\"{name}\" viewBox=\"0 0 40 40\" width=\"40\" height=\"40\" aria-hidden=\"true\" focusable=\"false\">"
               + string.Format(CultureInfo.InvariantCulture, shape, issued == 0 ? "–" : issued.ToString(CultureInfo.InvariantCulture)) + "</svg>";
    }

    /// <summary>As levelBoard.ts: every district with its level in words and shape, and what to do.</summary>
    public string LevelBoard()
    {
        var html = new StringBuilder($"<h2 id=\"level-board-title\">{E(T("levelBoard.title"))}</h2><p class=\"level-board-note\">{E(T("levelBoard.note"))}</p>");
        var named = picture.Geodata.Districts.Select(d => d.Id).ToHashSet();
        var ids = picture.Geodata.Districts.Select(d => d.Id)
            .Concat(picture.Snapshot.Districts.Where(d => !named.Contains(d.DistrictId) && d.Level > 0).Select(d => d.DistrictId)).ToList();
        if (ids.Count == 0) return html.Append($"<p class=\"level-board-status\" role=\"status\">{E(T("levelBoard.noneAnywhere"))}</p>").ToString();
        html.Append("<ul class=\"level-cards\">");
        foreach (var id in ids)
        {
            var state = picture.Snapshot.Districts.FirstOrDefault(d => d.DistrictId == id);
            var level = state?.Level ?? 0;
            var issued = level is 3 or 4 or 5;
            html.Append($"<li class=\"level-card level-card-{(issued ? level : 0)}\" data-district-id=\"{E(id)}\" data-level=\"{level}\">")
                .Append($"<h3 class=\"level-district\">{E(DistrictName(id))}</h3>")
                .Append($"<p class=\"level-line\">{LevelMark(level)}<strong class=\"level-text\">{E(LevelText(level))}</strong></p>");
            if (issued) html.Append($"<p class=\"level-action\">{E(LevelAction(level))}</p>");
            if (issued && state?.IssuedAt is { } at) html.Append($"<p class=\"level-issued\">{E(T("levelBoard.issuedAt"))} {Time(at)}</p>");
            html.Append("</li>");
        }

        return html.Append("</ul>").ToString();
    }

    public string WarningName(OfficialWarning warning) => En && !string.IsNullOrEmpty(warning.NameEn) ? warning.NameEn : warning.Name;

    /// <summary>As officialWarnings.ts: each warning in force marked official (公式), apart from the town's own estimates.</summary>
    public string OfficialWarnings()
    {
        var warnings = picture.Warnings();
        var html = new StringBuilder($"<h2 id=\"official-title\"><span class=\"official-badge\">{E(T("official.badge"))}</span> <span>{E(T("official.title"))}</span></h2>")
            .Append($"<p class=\"official-note\">{E(T("official.note"))}</p>");
        if (warnings.Count == 0) return html.Append($"<p class=\"official-status\" role=\"status\">{E(T("official.none"))}</p>").ToString();
        html.Append("<ul class=\"official-list\">");
        foreach (var w in warnings)
        {
            var level = w.LevelEquivalent;
            var drill = w.DrillId is not null;
            html.Append($"<li class=\"official-warning{(level is > 0 ? $" official-level-{level}" : "")}{(drill ? " official-drill" : "")}\" data-warning-id=\"{w.WarningId}\" data-kind=\"{DbEnum.Name(w.Kind)}\"")
                .Append(level is > 0 ? $" data-level=\"{level}\"" : "").Append(drill ? " data-drill=\"true\"" : "").Append('>')
                .Append($"<h3 class=\"official-name\"><span class=\"official-badge\">{E(T("official.badge"))}</span> ")
                .Append(drill ? $"<span class=\"drill-mark\">{E(T("drillMark"))}</span> " : "")
                .Append($"<span>{E(WarningName(w))}</span></h3>")
                .Append($"<p class=\"official-kind\">{E(T($"official.kind.{DbEnum.Name(w.Kind)}"))}</p>");
            if (level is > 0) html.Append($"<p class=\"official-level\"><span class=\"official-level-tag\">{E(T("official.level", ("level", level)))}</span></p>");
            if (!string.IsNullOrEmpty(w.Headline)) html.Append($"<p class=\"official-headline\" lang=\"ja\">{E(w.Headline)}</p>");
            html.Append($"<dl class=\"official-facts\"><dt>{E(T("official.issuedAt"))}</dt><dd>{Time(w.IssuedAt)}</dd>");
            if (w.ValidUntil is { } until) html.Append($"<dt>{E(T("official.validUntil"))}</dt><dd>{Time(until)}</dd>");
            if (w.Areas.Count > 0) html.Append($"<dt>{E(T("official.areas"))}</dt><dd lang=\"ja\">{E(string.Join(T("listSeparator"), w.Areas))}</dd>");
            if (w.Rivers.Count > 0) html.Append($"<dt>{E(T("official.rivers"))}</dt><dd lang=\"ja\">{E(string.Join(T("listSeparator"), w.Rivers))}</dd>");
            html.Append($"<dt>{E(T("official.source"))}</dt><dd class=\"official-source\" data-source=\"{DbEnum.Name(w.Source)}\">")
                .Append(E(w.EnteredByHand ? T("official.byHand") : T("official.fromTelegram"))).Append("</dd></dl></li>");
        }

        return html.Append("</ul>").ToString();
    }

    /// <summary>Without JavaScript a resident picks a district (a plain GET form) and the list is ordered from it.</summary>
    public string Nearest(string action)
    {
        var html = new StringBuilder($"<h2 id=\"nearest-title\">{E(T("nearest.title"))}</h2>")
            .Append($"<form class=\"nearest-form\" method=\"get\" action=\"{E(action)}\"><label for=\"nearest-district\">{E(T("nearest.district"))}</label> ")
            .Append("<select id=\"nearest-district\" name=\"district\">")
            .Append($"<option value=\"\">{E(T("nearest.chooseDistrict"))}</option>");
        foreach (var d in picture.Geodata.Districts)
        {
            html.Append($"<option value=\"{E(d.Id)}\"{(from?.Id == d.Id ? " selected" : "")}>{E(Name(d.NameJa, d.NameEn))}</option>");
        }

        html.Append($"</select> <button type=\"submit\">{E(T("nearest.show"))}</button></form>");
        if (from is not null)
        {
            var open = picture.Snapshot.Shelters.Count(s => s.Open);
            var origin = T("nearest.fromDistrict", ("district", Name(from.NameJa, from.NameEn)));
            html.Append($"<p class=\"nearest-status\" role=\"status\">{E(open > 0 ? T("nearest.found", ("origin", origin), ("n", open)) : T("nearest.none", ("origin", origin)))}</p>");
        }

        return html.ToString();
    }

    public string CrowdingAttribute(ShelterState? state) => state is null ? "" : state.Open ? DbEnum.Name(state.Crowding) : "closed";

    /// <summary>"開設中・空いています", "閉鎖", or "開設状況 不明" (shelterFacts.ts openingText).</summary>
    public string OpeningText(ShelterState? state) =>
        state is null ? T("openingStatusUnknown")
        : !state.Open ? T("crowding.closed")
        : T("shelterOpenNow") + (En ? ", " : "・") + T($"crowding.{DbEnum.Name(state.Crowding)}");

    public string CapacityText(PublicShelter shelter, ShelterState? state)
    {
        var capacity = state?.Capacity ?? shelter.Capacity;
        if (capacity is null) return T("capacityUnknown");
        var figure = capacity.Value.ToString("N0", CultureInfo.InvariantCulture) + (En ? " " : "") + T("people");
        return (state?.CapacityAssumed ?? shelter.CapacityAssumed) ? figure + T("assumed") : figure;
    }

    public string HeadCountText(ShelterState state) => state.Capacity is { } capacity
        ? T("headCountOfCapacity", ("count", state.Occupancy.ToString("N0", CultureInfo.InvariantCulture)), ("capacity", capacity.ToString("N0", CultureInfo.InvariantCulture)))
        : T("headCountValue", ("count", state.Occupancy.ToString("N0", CultureInfo.InvariantCulture)));

    public string DistanceText(double metres) =>
        T("nearest.distance", ("value", metres < 1000 ? $"{Math.Round(metres / 10) * 10:0} m" : (metres / 1000).ToString("0.0", CultureInfo.InvariantCulture) + " km"));

    /// <summary>As shelterCard.ts (without the map button, which needs the script).</summary>
    public string ShelterList()
    {
        var html = new StringBuilder();
        foreach (var (shelter, state, distance) in picture.OrderedShelters(from))
        {
            var hazards = state?.Hazards ?? shelter.Hazards;
            var crowding = CrowdingAttribute(state);
            html.Append($"<li class=\"shelter-card crowding-{(crowding == "" ? "pending" : crowding)}\" data-shelter-id=\"{E(shelter.Id)}\"")
                .Append(crowding == "" ? "" : $" data-crowding=\"{crowding}\"").Append($" data-hazards=\"{E(string.Join(' ', hazards))}\">")
                .Append($"<h3 id=\"shelter-{E(shelter.Id)}\">{E(Name(shelter.NameJa, shelter.NameEn))}</h3>")
                .Append($"<p class=\"opening\"><span class=\"opening-mark\" aria-hidden=\"true\"></span>{E(OpeningText(state))}</p>");
            if (state is { Open: true }) html.Append($"<p class=\"head-count\">{E(T("publicHeadCount", ("value", HeadCountText(state))))}</p>");
            if (distance is { } metres) html.Append($"<p class=\"distance\">{E(DistanceText(metres))}</p>");
            if (!string.IsNullOrEmpty(shelter.Address)) html.Append($"<p class=\"address\">{E(shelter.Address)}</p>");
            var designated = Hazards.Where(hazards.Contains).ToList();
            html.Append("<ul class=\"hazard-badges\">");
            foreach (var hazard in designated) html.Append($"<li class=\"badge badge-{hazard}\">{E(T($"hazard.{hazard}"))}</li>");
            html.Append("</ul>");
            var excluded = Hazards.Where(h => !hazards.Contains(h)).ToList();
            if (excluded.Count > 0) html.Append($"<p class=\"not-for\">{E(T("notDesignatedLine", ("list", string.Join("・", excluded.Select(h => T($"hazard.{h}"))))))}</p>");
            html.Append(shelter.IsEvacuationShelter
                    ? $"<p class=\"designation designated\">✓ {E(T("evacuationShelter"))}</p>"
                    : $"<p class=\"designation\">{E(T("notForStaying"))}</p>")
                .Append($"<p class=\"capacity\">{E(T("capacityLine", ("value", CapacityText(shelter, state))))}</p></li>");
        }

        return html.ToString();
    }

    public string ShownCount()
    {
        var open = picture.Snapshot.Shelters.Count(s => s.Open);
        return E(T("sitesShown", ("n", picture.Geodata.Shelters.Count)) + T("openCount", ("n", open)));
    }

    /// <summary>平常 / 注意 / … / 欠測 (stationFacts.ts stationCondition): silence is not a zero.</summary>
    public string Condition(StationState? state) =>
        state is null || (state.StaleAfter is { } staleAfter && now >= staleAfter) ? "no_data" : state.Stage is { } stage ? DbEnum.Name(stage) : "normal";

    public string ValueText(PublicStation station, StationState state)
    {
        if (state.Quantity == "rainfall")
        {
            var mm = Math.Round((state.Rain?.SixtyMinutes ?? state.Value) * 10) / 10;
            return T("rainPerHour", ("mm", mm.ToString(mm == Math.Floor(mm) ? "0" : "0.0", CultureInfo.InvariantCulture)));
        }

        var arrow = state.Trend switch { TrendDirection.Rising => " ↑", TrendDirection.Falling => " ↓", TrendDirection.Steady => " →", _ => "" };
        return state.Value.ToString("0.00", CultureInfo.InvariantCulture) + " m" + arrow;
    }

    public string ConditionText(PublicStation station, StationState? state, string condition) =>
        condition == "no_data" || state is null ? T("stage.no_data")
        : station.Kind == "rain" ? ValueText(station, state)
        : $"{T($"stage.{condition}")} {ValueText(station, state)}";

    public string AgeText(DateTimeOffset at)
    {
        var minutes = (int)Math.Max(0, Math.Floor((now - at).TotalMinutes));
        if (minutes < 1) return T("age.now");
        if (minutes < 60) return T("age.minutes", ("n", minutes));
        var hours = minutes / 60;
        return hours < 48 ? T("age.hours", ("n", hours)) : T("age.days", ("n", hours / 24));
    }

    public string StationName(PublicStation station) => Name(station.NameJa, station.NameEn);

    /// <summary>As core/stations/stationList.ts: each gauge with its stage in words, its value and when it was observed.</summary>
    public string StationList()
    {
        var html = new StringBuilder();
        foreach (var (station, state) in picture.Gauges())
        {
            var condition = Condition(state);
            html.Append($"<li class=\"station-item condition-{condition}\" data-station-id=\"{E(station.Id)}\" data-kind=\"{E(station.Kind)}\" data-stage=\"{condition}\">")
                .Append($"<div class=\"station-button\"><span class=\"station-name\">{E(StationName(station))}</span>")
                .Append($"<span class=\"station-line\"><span class=\"station-status\">{E(ConditionText(station, state, condition))}</span>");
            if (state is not null)
            {
                html.Append($" <span class=\"station-age{(condition == "no_data" ? " stale" : "")}\"><time datetime=\"{PublicText.Iso(state.ObservedAt)}\">")
                    .Append(E(T("gaugeObserved", ("time", PublicText.HourMinute(state.ObservedAt, now)), ("age", AgeText(state.ObservedAt))))).Append("</time></span>");
            }

            html.Append("</span></div></li>");
        }

        return html.ToString();
    }

    private static readonly string[] CautionOrAbove = ["caution", "evacuation", "danger"];

    public string GaugesSummary()
    {
        var above = picture.Gauges().Count(g => g.Station.Kind != "rain" && CautionOrAbove.Contains(Condition(g.State)));
        return above > 0 ? E(T("gaugesAbove", ("n", above))) : "";
    }

    /// <summary>As reportCards.ts: verified public reports with the town's public summary; photos come with the script.</summary>
    public string ReportCards()
    {
        var reports = picture.Reports();
        if (reports.Count == 0) return $"<li class=\"empty\">{E(T("noPublicReports"))}</li>";
        var html = new StringBuilder();
        foreach (var r in reports)
        {
            var severity = DbEnum.Name(r.Severity);
            var where = r.DistrictId is null ? T("reportNoDistrict") : DistrictName(r.DistrictId);
            html.Append($"<li class=\"report-card severity-{severity}\" data-report-id=\"{r.ReportId}\" data-status=\"{DbEnum.Name(r.Status)}\">")
                .Append($"<h3 id=\"public-report-{r.ReportId}\"><span class=\"report-severity\" data-severity=\"{severity}\">{E(T($"reportSeverity.{severity}"))}</span> ")
                .Append($"{E(T($"reportCategory.{DbEnum.Name(r.Category)}"))}</h3>")
                .Append($"<p class=\"report-where\">{E(where)}{E(T("listSeparator"))}{E(T($"reportStatus.{DbEnum.Name(r.Status)}"))}</p>")
                .Append($"<p class=\"report-when\">{E(T("reportObserved"))} {Time(r.ObservedAt)}");
            if (r.UpdatedAt != r.ObservedAt) html.Append($"（{E(T("reportUpdated"))} {Time(r.UpdatedAt)}）");
            html.Append("</p>");
            if (!string.IsNullOrEmpty(r.PublicSummary)) html.Append($"<p class=\"report-summary\">{E(r.PublicSummary)}</p>");
            html.Append("</li>");
        }

        return html.ToString();
    }

    public string ReportsCount() => E(T("reportsShown", ("n", picture.Reports().Count)));

    public string LiveStatus() => E(T("live.updated", ("time", PublicText.HourMinute(picture.Snapshot.At, now))));

    public string StaleNote() => E(T("staleNote"));

    /// <summary>
    /// The map drawn on the server (/public/map.png), after the lists: lazy, with its size given so nothing moves when it
    /// arrives, and a text alternative that says what it shows (the lists above say it all in full).
    /// </summary>
    public string SituationMap()
    {
        var levels = new[] { 5, 4, 3 }
            .Select(level => (Level: level, Districts: picture.Snapshot.Districts.Where(d => d.Level == level).Select(d => DistrictName(d.DistrictId)).ToList()))
            .Where(l => l.Districts.Count > 0)
            .Select(l => En ? $"{LevelText(l.Level)} in {string.Join(", ", l.Districts)}" : $"{string.Join("・", l.Districts)}に{LevelText(l.Level)}")
            .ToList();
        var open = picture.Snapshot.Shelters.Count(s => s.Open);
        var reports = picture.Reports().Count;
        var alt = En
            ? $"Map of the town: {(levels.Count == 0 ? "no evacuation level in force" : string.Join("; ", levels))}; {open} shelters open; {reports} road reports."
            : $"町の地図：{(levels.Count == 0 ? "警戒レベルの発令なし" : string.Join("、", levels))}。開設中の避難所 {open} か所。通行止め・冠水の情報 {reports} 件。";
        var caption = En ? "The situation on a map (drawn by the town's server; the lists above have every detail)." : "地図で見る状況（町のサーバーが描いた図です。詳しくは上の一覧をご覧ください）";
        return $"<img src=\"{SituationReport.SituationReportEndpoints.PublicMapPath}\" width=\"{SituationReport.SituationReports.PublicWidth}\" "
               + $"height=\"{SituationReport.SituationReports.PublicHeight}\" loading=\"lazy\" decoding=\"async\" alt=\"{E(alt)}\">"
               + $"<figcaption>{E(caption)}</figcaption>";
    }
}
