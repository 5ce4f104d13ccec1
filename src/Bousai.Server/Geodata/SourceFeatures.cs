using System.Text;
using System.Text.Json;
using System.Text.Json.Nodes;
using System.Text.RegularExpressions;
using NetTopologySuite.Features;
using NetTopologySuite.Geometries;
using NetTopologySuite.IO;
using NetTopologySuite.IO.Converters;
using NetTopologySuite.IO.Esri;
using NetTopologySuite.IO.Esri.Shapefiles.Readers;

namespace Bousai.Server.Geodata;

/// <summary>A feature as read from a source file, before validation. Geometry is null when it could not be read.</summary>
public sealed record SourceFeature(int Index, string? Id, JsonObject Properties, byte[]? Wkb, string? ReadError);

/// <summary>The coordinate reference system a file declares: an EPSG code, or a WKT text (.prj) that PROJ understands.</summary>
public sealed record SourceCrs(int? Srid, string? Definition, string Description)
{
    public static readonly SourceCrs Wgs84 = new(4326, null, "WGS84 (RFC 7946 default)");
}

public sealed record SourceFile(SourceCrs Crs, IReadOnlyList<SourceFeature> Features, IReadOnlyList<string> Warnings);

/// <summary>Reads GeoJSON and Esri Shapefile into <see cref="SourceFeature"/>s, one bad feature never hiding the others.</summary>
public static partial class SourceFeatures
{
    static SourceFeatures() => Encoding.RegisterProvider(CodePagesEncodingProvider.Instance);

    public static SourceFile Read(string path, Action<int>? featureRead = null)
    {
        var extension = Path.GetExtension(path).ToLowerInvariant();
        return extension switch
        {
            ".geojson" or ".json" => ReadGeoJson(path, featureRead),
            ".shp" => ReadShapefile(path, featureRead),
            _ => throw new GeodataImportException([new ImportProblem(null, null,
                $"Unsupported file type '{extension}': give a .geojson/.json or a .shp (with its .shx, .dbf and .prj).")]),
        };
    }

    private static SourceFile ReadGeoJson(string path, Action<int>? featureRead)
    {
        JsonDocument document;
        try
        {
            using var stream = File.OpenRead(path);
            document = JsonDocument.Parse(stream, new JsonDocumentOptions { AllowTrailingCommas = true });
        }
        catch (JsonException e)
        {
            throw new GeodataImportException([new ImportProblem(null, null, $"Not valid JSON: {e.Message}")]);
        }

        using (document)
        {
            var root = document.RootElement;
            if (root.ValueKind != JsonValueKind.Object || !root.TryGetProperty("type", out var type) || type.GetString() != "FeatureCollection"
                || !root.TryGetProperty("features", out var features) || features.ValueKind != JsonValueKind.Array)
            {
                throw new GeodataImportException([new ImportProblem(null, null, "Not a GeoJSON FeatureCollection with a features array.")]);
            }

            var crs = GeoJsonCrs(root);
            var options = new JsonSerializerOptions();
            options.Converters.Add(new GeoJsonConverterFactory());
            var writer = new WKBWriter();
            var result = new List<SourceFeature>();
            var index = 0;
            foreach (var element in features.EnumerateArray())
            {
                result.Add(ReadGeoJsonFeature(index, element, options, writer));
                featureRead?.Invoke(++index);
            }

            return new SourceFile(crs, result, []);
        }
    }

    private static SourceFeature ReadGeoJsonFeature(int index, JsonElement element, JsonSerializerOptions options, WKBWriter writer)
    {
        var properties = element.TryGetProperty("properties", out var p) && p.ValueKind == JsonValueKind.Object
            ? JsonNode.Parse(p.GetRawText())!.AsObject()
            : new JsonObject();
        var id = IdOf(properties) ?? (element.TryGetProperty("id", out var fid) && fid.ValueKind is JsonValueKind.String or JsonValueKind.Number
            ? fid.ToString()
            : null);

        if (!element.TryGetProperty("geometry", out var geometryElement) || geometryElement.ValueKind == JsonValueKind.Null)
        {
            return new SourceFeature(index, id, properties, null, "geometry is missing");
        }

        try
        {
            var geometry = geometryElement.Deserialize<Geometry>(options);
            if (geometry is null || geometry.IsEmpty)
            {
                return new SourceFeature(index, id, properties, null, "geometry is empty");
            }

            return new SourceFeature(index, id, properties, writer.Write(geometry), null);
        }
        catch (Exception e) when (e is JsonException or ArgumentException or InvalidOperationException or FormatException)
        {
            return new SourceFeature(index, id, properties, null, $"geometry cannot be read: {e.Message}");
        }
    }

    private static SourceCrs GeoJsonCrs(JsonElement root)
    {
        // RFC 7946 drops "crs", but older files (and many Japanese open-data exports) still declare one.
        if (!root.TryGetProperty("crs", out var crs) || crs.ValueKind != JsonValueKind.Object
            || !crs.TryGetProperty("properties", out var props) || !props.TryGetProperty("name", out var nameElement))
        {
            return SourceCrs.Wgs84;
        }

        var name = nameElement.GetString() ?? "";
        if (name.Contains("CRS84", StringComparison.OrdinalIgnoreCase))
        {
            return SourceCrs.Wgs84;
        }

        var match = EpsgCode().Match(name);
        if (!match.Success)
        {
            throw new GeodataImportException([new ImportProblem(null, null, $"The file declares the CRS '{name}', which is not an EPSG code.")]);
        }

        return new SourceCrs(int.Parse(match.Groups[1].Value), null, $"EPSG:{match.Groups[1].Value}");
    }

    private static SourceFile ReadShapefile(string path, Action<int>? featureRead)
    {
        var warnings = new List<string>();
        var prjPath = Path.ChangeExtension(path, ".prj");
        SourceCrs crs;
        if (File.Exists(prjPath))
        {
            var wkt = File.ReadAllText(prjPath).Trim();
            var authority = EpsgAuthority().Match(wkt);
            crs = authority.Success
                ? new SourceCrs(int.Parse(authority.Groups[1].Value), null, $"EPSG:{authority.Groups[1].Value} (.prj)")
                : new SourceCrs(null, wkt, $".prj {WktName(wkt)}");
        }
        else
        {
            // GSI and 国土数値情報 data are JGD2011 geographic; say so rather than guess silently.
            crs = new SourceCrs(6668, null, "EPSG:6668 JGD2011 (assumed: no .prj)");
            warnings.Add("No .prj next to the .shp: coordinates taken as JGD2011 longitude/latitude (EPSG:6668).");
        }

        // 国土数値情報 shapefiles without a .cpg are Shift_JIS; a .cpg, when present, wins.
        var encoding = File.Exists(Path.ChangeExtension(path, ".cpg")) ? null : Encoding.GetEncoding(932);
        var writer = new WKBWriter();
        var result = new List<SourceFeature>();
        var index = 0;
        try
        {
            foreach (var feature in Shapefile.ReadAllFeatures(path, new ShapefileReaderOptions { Encoding = encoding }))
            {
                result.Add(ShapefileFeature(index, feature, writer));
                featureRead?.Invoke(++index);
            }
        }
        catch (Exception e) when (e is IOException or InvalidDataException or ArgumentException or NotSupportedException)
        {
            throw new GeodataImportException([new ImportProblem(index, null, $"The shapefile cannot be read at feature {index}: {e.Message}")]);
        }

        return new SourceFile(crs, result, warnings);
    }

    private static SourceFeature ShapefileFeature(int index, Feature feature, WKBWriter writer)
    {
        var properties = new JsonObject();
        foreach (var name in feature.Attributes.GetNames())
        {
            properties[name] = feature.Attributes[name] switch
            {
                null => null,
                string s => JsonValue.Create(s.Trim()),
                DateTime d => JsonValue.Create(d.ToString("yyyy-MM-dd")),
                var v => JsonSerializer.SerializeToNode(v),
            };
        }

        var id = IdOf(properties);
        if (feature.Geometry is null || feature.Geometry.IsEmpty)
        {
            return new SourceFeature(index, id, properties, null, "geometry is empty");
        }

        return new SourceFeature(index, id, properties, writer.Write(feature.Geometry), null);
    }

    private static string? IdOf(JsonObject properties) =>
        properties["id"] is JsonValue v && (v.TryGetValue<string>(out var s) ? s : v.ToJsonString()) is { Length: > 0 } text ? text : null;

    private static string WktName(string wkt) => WktFirstName().Match(wkt) is { Success: true } m ? m.Groups[1].Value : "(unnamed)";

    [GeneratedRegex(@"EPSG:{1,2}(\d+)$", RegexOptions.IgnoreCase)]
    private static partial Regex EpsgCode();

    // The outermost AUTHORITY of a WKT1 definition is the last one: AUTHORITY["EPSG","6668"]]
    [GeneratedRegex(@"AUTHORITY\[""EPSG"",\s*""?(\d+)""?\]\]\s*$", RegexOptions.IgnoreCase)]
    private static partial Regex EpsgAuthority();

    [GeneratedRegex(@"^\w+\[""([^""]+)""")]
    private static partial Regex WktFirstName();
}
