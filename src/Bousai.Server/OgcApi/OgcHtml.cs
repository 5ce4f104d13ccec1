using System.Net;
using System.Text;
using System.Text.Json;
using System.Text.Json.Nodes;

namespace Bousai.Server.OgcApi;

/// <summary>
/// The HTML conformance class: each OGC resource as a plain page a person can browse (links, the collections, a table
/// of features), built from the same JSON as the JSON answer, every value encoded, styled by /ogc/ogc.css (no inline
/// style or script, under the site's Content-Security-Policy).
/// </summary>
public static class OgcHtml
{
    public const string Stylesheet = """
        body { font-family: system-ui, "Noto Sans CJK JP", "Noto Sans JP", sans-serif; margin: 0 auto; max-width: 72rem; padding: 1rem; color: #1a1a1a; line-height: 1.5; }
        h1 { font-size: 1.5rem; } h2 { font-size: 1.2rem; margin-top: 1.5rem; }
        a { color: #0b4f8a; } a:focus { outline: 3px solid #f5a300; outline-offset: 2px; }
        table { border-collapse: collapse; width: 100%; font-size: .9rem; } th, td { border: 1px solid #bbb; padding: .25rem .4rem; text-align: left; vertical-align: top; }
        th { background: #eef2f5; } .wrap { overflow-x: auto; } nav.crumbs { font-size: .9rem; margin-bottom: .5rem; } code { word-break: break-all; }
        """;

    public static IResult Landing(JsonObject body) =>
        Page(Text(body["title"]), $"<p>{E(Text(body["description"]))}</p>{LinkList(body["links"])}", crumbs: []);

    public static IResult Conformance(IEnumerable<string> classes) =>
        Page("Conformance / 適合クラス", $"<ul>{string.Concat(classes.Select(c => $"<li><code>{E(c)}</code></li>"))}</ul>", [("OGC API", "")]);

    public static IResult Collections(JsonObject body)
    {
        var rows = new StringBuilder();
        foreach (var c in body["collections"]!.AsArray())
        {
            var id = Text(c!["id"]);
            rows.Append(($"<tr><td><a href=\"{E(OgcEndpoints.Base)}/collections/{E(id)}?f=html\">{E(Text(c["title"]))}</a></td>" +
                                         $"<td><code>{E(id)}</code></td><td>{E(Text(c["description"]))}</td>" +
                                         $"<td><a href=\"{E(OgcEndpoints.Base)}/collections/{E(id)}/items?f=html\">items</a></td></tr>"));
        }

        return Page("Collections / コレクション",
            $"<div class=\"wrap\"><table><thead><tr><th>Title</th><th>id</th><th>Description</th><th></th></tr></thead><tbody>{rows}</tbody></table></div>",
            [("OGC API", "")]);
    }

    public static IResult Collection(JsonObject body)
    {
        var bbox = body["extent"]?["spatial"]?["bbox"]?[0]?.ToJsonString() ?? "";
        var temporal = body["extent"]?["temporal"]?["interval"]?[0]?.ToJsonString();
        var html = $"<p>{E(Text(body["description"]))}</p><dl><dt>id</dt><dd><code>{E(Text(body["id"]))}</code></dd>" +
                   $"<dt>Extent (CRS84)</dt><dd><code>{E(bbox)}</code></dd>" +
                   (temporal is null ? "" : $"<dt>Time</dt><dd><code>{E(temporal)}</code></dd>") +
                   $"</dl>{LinkList(body["links"])}";
        return Page(Text(body["title"]), html, [("OGC API", ""), ("Collections", "/collections")]);
    }

    public static IResult Items(OgcCollection collection, JsonObject body, OgcItemsQuery query)
    {
        var names = collection.Properties.Select(p => p.Name).ToArray();
        var rows = new StringBuilder();
        foreach (var feature in body["features"]!.AsArray())
        {
            var id = Text(feature!["id"]);
            rows.Append(($"<tr><td><a href=\"{E(OgcEndpoints.Base)}/collections/{E(collection.Id)}/items/{E(Uri.EscapeDataString(id))}?f=html\">{E(id)}</a></td>"));
            foreach (var name in names) rows.Append(($"<td>{E(Value(feature["properties"]?[name]))}</td>"));
            rows.Append("</tr>");
        }

        var matched = body["numberMatched"]!.GetValue<long>();
        var returned = body["numberReturned"]!.GetValue<int>();
        var summary = returned == 0
            ? "<p>No features match.</p>"
            : CultureInvariant($"<p>Features {query.Offset + 1:N0}–{query.Offset + returned:N0} of {matched:N0}.</p>");
        var table = $"<div class=\"wrap\"><table><thead><tr><th>id</th>{string.Concat(names.Select(n => $"<th>{E(n)}</th>"))}</tr></thead><tbody>{rows}</tbody></table></div>";
        return Page(collection.Title, summary + table + LinkList(body["links"]),
            [("OGC API", ""), ("Collections", "/collections"), (collection.Title, $"/collections/{collection.Id}")]);
    }

    public static IResult Item(OgcCollection collection, JsonObject body)
    {
        var rows = new StringBuilder();
        foreach (var (name, value) in body["properties"]!.AsObject())
            rows.Append(($"<tr><th>{E(name)}</th><td>{E(Value(value))}</td></tr>"));
        var geometry = body["geometry"]?.ToJsonString() ?? "null";
        var html = $"<table><tbody>{rows}</tbody></table><h2>Geometry (CRS84)</h2><p><code>{E(geometry.Length > 2000 ? geometry[..2000] + "…" : geometry)}</code></p>" +
                   LinkList(body["links"]);
        return Page($"{collection.Title}: {Text(body["id"])}", html,
            [("OGC API", ""), ("Collections", "/collections"), (collection.Title, $"/collections/{collection.Id}"), ("Items", $"/collections/{collection.Id}/items")]);
    }

    private static IResult Page(string title, string content, IReadOnlyList<(string Name, string Path)> crumbs)
    {
        var nav = crumbs.Count == 0
            ? ""
            : $"<nav class=\"crumbs\" aria-label=\"breadcrumb\">{string.Join(" › ", crumbs.Select(c => $"<a href=\"{E(OgcEndpoints.Base + c.Path)}?f=html\">{E(c.Name)}</a>"))}</nav>";
        var html = $"""
            <!doctype html>
            <html lang="ja"><head><meta charset="utf-8"><meta name="viewport" content="width=device-width, initial-scale=1">
            <title>{E(title)} — 防災GIS 高畠町 OGC API</title><link rel="stylesheet" href="{OgcEndpoints.Base}/ogc.css"></head>
            <body><header>{nav}<h1>{E(title)}</h1></header><main>{content}</main></body></html>
            """;
        return TypedResults.Text(html, "text/html; charset=utf-8");
    }

    private static string LinkList(JsonNode? links) =>
        "<h2>Links</h2><ul>" + string.Concat((links?.AsArray() ?? []).Select(l =>
            $"<li><a href=\"{E(Text(l!["href"]))}\">{E(Text(l["title"]))}</a> <small>({E(Text(l["rel"]))}, {E(Text(l["type"]))})</small></li>")) + "</ul>";

    private static string Text(JsonNode? node) => node?.GetValue<string>() ?? "";

    private static string Value(JsonNode? node) => node switch
    {
        null => "",
        JsonValue value when value.GetValueKind() == JsonValueKind.String => value.GetValue<string>(),
        _ => node.ToJsonString(),
    };

    private static string E(string text) => WebUtility.HtmlEncode(text);

    private static string CultureInvariant(FormattableString text) => FormattableString.Invariant(text);
}
