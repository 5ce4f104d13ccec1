using System.Text;
using System.Text.RegularExpressions;

namespace Bousai.Server.PublicView;

/// <summary>
/// The public view's two documents. The full page fills the web build's template (wwwroot/public.html): the language,
/// every data-i18n text, and each &lt;!--ssr:NAME--&gt; marker with that part; complete without JavaScript, which then
/// takes the parts over live. The text-only page (災害時軽量版) is plain HTML: no image, no script, no style.
/// </summary>
public static partial class PublicPages
{
    public const string FullPath = "/public";
    public const string TextPath = "/public/text";
    public const string TextStylePath = "/public/text.css";
    public const string ManifestPath = "/public-app.webmanifest";
    public const string ManifestPathEn = "/public-app-en.webmanifest";

    /// <summary>
    /// The text-only page's one tiny stylesheet (CSP forbids inline styles): long words wrap at any text size, headings
    /// stay modest, lines stay readable. Without it the page still reads top to bottom.
    /// </summary>
    public const string TextStyle =
        "body{margin:0 auto;max-width:40em;padding:0 .75em;line-height:1.6;overflow-wrap:anywhere}h1{font-size:1.4em}h2{font-size:1.2em}" +
        "select,button{font:inherit;max-width:100%}li{margin:.25em 0}";

    public static string Full(string template, PublicText text, PublicPicture picture, PublicLanguage language, PublicDistrict? from, DateTimeOffset now)
    {
        var sections = new PublicSections(text, picture, language, from, now);
        var parts = new Dictionary<string, Func<string>>
        {
            ["language-switch"] = () => sections.LanguageSwitch(FullPath),
            ["drill-banner"] = sections.DrillBanner,
            ["demo-banner"] = sections.DemoBanner,
            ["evacuation-banner"] = sections.EvacuationBanner,
            ["level-board"] = sections.LevelBoard,
            ["official-warnings"] = sections.OfficialWarnings,
            ["nearest"] = () => sections.Nearest(sections.PagePath(FullPath, language).Split('?')[0]),
            ["hazard-filter"] = () => "",
            ["shelter-list"] = sections.ShelterList,
            ["shown-count"] = sections.ShownCount,
            ["station-list"] = sections.StationList,
            ["gauges-summary"] = sections.GaugesSummary,
            ["report-cards"] = sections.ReportCards,
            ["reports-count"] = sections.ReportsCount,
            ["live-status"] = sections.LiveStatus,
            ["stale-note"] = sections.StaleNote,
            ["situation-map"] = sections.SituationMap,
        };
        var lang = language == PublicLanguage.En ? "en" : "ja";
        var html = HtmlLang().Replace(template, $"<html lang=\"{lang}\"", 1);
        html = Title().Replace(html, m => m.Groups[1].Value + PublicSections.E(text.T(language, "publicPageTitle")) + m.Groups[3].Value, 1);
        html = Description().Replace(html, m => m.Groups[1].Value + PublicSections.E(text.T(language, "publicPageDescription")) + m.Groups[3].Value, 1);
        html = I18nText().Replace(html, m => text.Has(m.Groups[2].Value)
            ? m.Groups[1].Value + PublicSections.E(text.T(language, m.Groups[2].Value)) + m.Groups[4].Value
            : m.Value);
        html = I18nAria().Replace(html, m => text.Has(m.Groups[2].Value)
            ? $"{m.Groups[1].Value}{m.Groups[3].Value}aria-label=\"{PublicSections.E(text.T(language, m.Groups[2].Value))}\""
            : m.Value);
        html = Marker().Replace(html, m => parts.TryGetValue(m.Groups[1].Value, out var part) ? part() : "");
        // Banners the template keeps hidden are shown when they have something to say.
        if (picture.Snapshot.Drill is not null) html = html.Replace("id=\"drill-banner\" class=\"drill-banner\" role=\"status\" hidden", "id=\"drill-banner\" class=\"drill-banner\" role=\"status\"");
        if (picture.Simulated) html = html.Replace("id=\"demo-banner\" class=\"demo-banner\" role=\"note\" hidden", "id=\"demo-banner\" class=\"demo-banner\" role=\"note\"");
        html = html.Replace("href=\"/public/text\"", $"href=\"{PublicSections.E(sections.PagePath(TextPath, language))}\"");
        // The home-screen app opens in the language it was added in.
        if (language == PublicLanguage.En) html = html.Replace($"href=\"{ManifestPath}\"", $"href=\"{ManifestPathEn}\"");
        // Without JavaScript nothing updates the page: it reloads itself every minute.
        html = html.Replace("</head>", "<noscript><meta http-equiv=\"refresh\" content=\"60\"></noscript></head>");
        var body = $"<body data-seq=\"{picture.Snapshot.Seq}\"" + (picture.Simulated ? " data-simulated=\"true\"" : "")
                   + (picture.Snapshot.Drill is { } drill ? $" data-drill=\"{drill.DrillId}\"" : "");
        return html.Replace("<body", body);
    }

    /// <summary>災害時軽量版: the same items in the same order as text, a few KB, for the worst networks and for screen readers.</summary>
    public static string Text(PublicText text, PublicPicture picture, PublicLanguage language, PublicDistrict? from, DateTimeOffset now)
    {
        var s = new PublicSections(text, picture, language, from, now);
        string T(string key, params (string, object)[] values) => PublicSections.E(text.T(language, key, values));
        var html = new StringBuilder("<!doctype html>")
            .Append($"<html lang=\"{(language == PublicLanguage.En ? "en" : "ja")}\"><head><meta charset=\"utf-8\">")
            .Append("<meta name=\"viewport\" content=\"width=device-width, initial-scale=1\"><link rel=\"icon\" href=\"data:,\">")
            .Append("<noscript><meta http-equiv=\"refresh\" content=\"60\"></noscript>")
            .Append($"<link rel=\"stylesheet\" href=\"{TextStylePath}\">")
            .Append($"<title>{T("textPage.title")}</title></head><body data-seq=\"{picture.Snapshot.Seq}\">")
            .Append($"<header><h1>{T("textPage.title")}</h1><p>{s.LanguageSwitch(TextPath).Replace("</a><a", "</a> | <a")}</p>")
            .Append($"<p><a href=\"{PublicSections.E(s.PagePath(FullPath, language))}\">{T("textPage.fullVersion")}</a></p></header><main>");
        if (picture.Snapshot.Drill is { } drill) html.Append($"<p><strong>{T("drillBadge")}</strong> {T("drillBanner", ("name", drill.Name))}</p>");
        if (picture.Simulated) html.Append($"<p><strong>{T("demoBadge")}</strong> {T("demoBanner")}</p>");
        html.Append($"<p>{s.LiveStatus()}</p>");

        html.Append($"<h2>{T("levelBoard.title")}</h2><ul>");
        foreach (var d in picture.Geodata.Districts)
        {
            var level = picture.DistrictLevel(d.Id);
            html.Append($"<li>{PublicSections.E(s.DistrictName(d.Id))}：{PublicSections.E(s.LevelText(level))}")
                .Append(level is 3 or 4 or 5 ? $" — {PublicSections.E(s.LevelAction(level))}" : "").Append("</li>");
        }

        html.Append($"</ul><h2>{T("official.badge")} {T("official.title")}</h2>");
        var warnings = picture.Warnings();
        if (warnings.Count == 0) html.Append($"<p>{T("official.none")}</p>");
        else
        {
            html.Append("<ul>");
            foreach (var w in warnings)
            {
                html.Append($"<li>{T("official.badge")}：{PublicSections.E(s.WarningName(w))}")
                    .Append(w.LevelEquivalent is > 0 ? $"（{T("official.level", ("level", w.LevelEquivalent))}）" : "")
                    .Append($" {T("official.issuedAt")} {PublicSections.E(PublicText.HourMinute(w.IssuedAt, now))}")
                    .Append(string.IsNullOrEmpty(w.Headline) ? "" : $" — <span lang=\"ja\">{PublicSections.E(w.Headline)}</span>").Append("</li>");
            }

            html.Append("</ul>");
        }

        html.Append($"<h2>{T("shelterListTitle")}</h2>")
            .Append($"<form method=\"get\" action=\"{PublicSections.E(s.PagePath(TextPath, language).Split('?')[0])}\"><label for=\"district\">{T("nearest.district")}</label> ")
            .Append("<select id=\"district\" name=\"district\">").Append($"<option value=\"\">{T("nearest.chooseDistrict")}</option>");
        foreach (var d in picture.Geodata.Districts)
        {
            html.Append($"<option value=\"{PublicSections.E(d.Id)}\"{(from?.Id == d.Id ? " selected" : "")}>{PublicSections.E(s.DistrictName(d.Id))}</option>");
        }

        html.Append($"</select> <button type=\"submit\">{T("nearest.show")}</button></form><p>{s.ShownCount()}</p><ul>");
        foreach (var (shelter, state, distance) in picture.OrderedShelters(from))
        {
            html.Append($"<li>{PublicSections.E(language == PublicLanguage.En && !string.IsNullOrEmpty(shelter.NameEn) ? shelter.NameEn : shelter.NameJa)}：")
                .Append(PublicSections.E(s.OpeningText(state)));
            if (state is { Open: true }) html.Append($"（{T("publicHeadCount", ("value", s.HeadCountText(state)))}）");
            if (distance is { } metres) html.Append($" {PublicSections.E(s.DistanceText(metres))}");
            if (!string.IsNullOrEmpty(shelter.Address)) html.Append($" — {PublicSections.E(shelter.Address)}");
            html.Append("</li>");
        }

        html.Append($"</ul><h2>{T("gaugesPublicTitle")}</h2><ul>");
        foreach (var (station, state) in picture.Gauges())
        {
            var condition = s.Condition(state);
            html.Append($"<li>{PublicSections.E(s.StationName(station))}：{PublicSections.E(s.ConditionText(station, state, condition))}")
                .Append(state is null ? "" : $"（{PublicSections.E(PublicText.HourMinute(state.ObservedAt, now))}）").Append("</li>");
        }

        html.Append($"</ul><h2>{T("publicReportsTitle")}</h2>");
        var reports = picture.Reports();
        if (reports.Count == 0) html.Append($"<p>{T("noPublicReports")}</p>");
        else
        {
            html.Append("<ul>");
            foreach (var r in reports)
            {
                html.Append($"<li>{T($"reportCategory.{Store.DbEnum.Name(r.Category)}")}（{T($"reportSeverity.{Store.DbEnum.Name(r.Severity)}")}）")
                    .Append($"：{PublicSections.E(r.DistrictId is null ? text.T(language, "reportNoDistrict") : s.DistrictName(r.DistrictId))}")
                    .Append(string.IsNullOrEmpty(r.PublicSummary) ? "" : $" — {PublicSections.E(r.PublicSummary)}").Append("</li>");
            }

            html.Append("</ul>");
        }

        return html.Append($"</main><footer><p>{s.StaleNote()}</p><p>{T("publicAttribution")}</p></footer></body></html>").ToString();
    }

    [GeneratedRegex("<html lang=\"[a-z]+\"")]
    private static partial Regex HtmlLang();

    [GeneratedRegex("(<title>)([^<]*)(</title>)")]
    private static partial Regex Title();

    [GeneratedRegex("(<meta name=\"description\" content=\")([^\"]*)(\")")]
    private static partial Regex Description();

    // An element whose text is one message: <span data-i18n="key">…</span> (no nested elements).
    [GeneratedRegex("(<[a-z0-9]+[^<>]*\\sdata-i18n=\"([^\"]+)\"[^<>]*>)([^<]*)(<)")]
    private static partial Regex I18nText();

    [GeneratedRegex("(<[a-z0-9]+[^<>]*\\sdata-i18n-aria=\"([^\"]+)\")([^<>]*?)aria-label=\"[^\"]*\"")]
    private static partial Regex I18nAria();

    [GeneratedRegex("<!--ssr:([a-z-]+)-->")]
    private static partial Regex Marker();
}
