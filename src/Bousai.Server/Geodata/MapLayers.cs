namespace Bousai.Server.Geodata;

/// <summary>The map layers the server publishes and imports: one table (or one slice of a table) each.</summary>
public sealed record MapLayer
{
    public required string Id { get; init; }
    public required string Table { get; init; }
    /// <summary>Key in layer_revisions bumped by the table's trigger; the ETag is built from it.</summary>
    public required string RevisionKey { get; init; }
    public required GeometryKind Geometry { get; init; }
    /// <summary>Name used when a source feature has none (e.g. 国土数値情報 A31/A33 polygons).</summary>
    public required string DefaultNameJa { get; init; }
    /// <summary>Extra filter for layers that share a table (hazard zones).</summary>
    public string? Hazard { get; init; }
}

public enum GeometryKind { Polygon, Line, Point }

public static class MapLayers
{
    public static readonly MapLayer Boundary = new()
    {
        Id = "boundary", Table = "town_boundaries", RevisionKey = "boundary", Geometry = GeometryKind.Polygon,
        DefaultNameJa = "町域",
    };

    public static readonly MapLayer Districts = new()
    {
        Id = "districts", Table = "districts", RevisionKey = "districts", Geometry = GeometryKind.Polygon,
        DefaultNameJa = "地区",
    };

    public static readonly MapLayer Rivers = new()
    {
        Id = "rivers", Table = "rivers", RevisionKey = "rivers", Geometry = GeometryKind.Line, DefaultNameJa = "河川",
    };

    public static readonly MapLayer FloodZones = new()
    {
        Id = "flood-zones", Table = "hazard_zones", RevisionKey = "hazard_zones", Geometry = GeometryKind.Polygon,
        DefaultNameJa = "浸水想定区域", Hazard = "flood",
    };

    public static readonly MapLayer LandslideZones = new()
    {
        Id = "landslide-zones", Table = "hazard_zones", RevisionKey = "hazard_zones", Geometry = GeometryKind.Polygon,
        DefaultNameJa = "土砂災害警戒区域", Hazard = "landslide",
    };

    public static readonly MapLayer Stations = new()
    {
        Id = "stations", Table = "stations", RevisionKey = "stations", Geometry = GeometryKind.Point,
        DefaultNameJa = "観測所",
    };

    public static readonly MapLayer Shelters = new()
    {
        Id = "shelters", Table = "shelters", RevisionKey = "shelters", Geometry = GeometryKind.Point,
        DefaultNameJa = "避難場所",
    };

    public static readonly IReadOnlyList<MapLayer> All =
        [Boundary, Districts, Rivers, FloodZones, LandslideZones, Stations, Shelters];

    public static MapLayer? Find(string id) => All.FirstOrDefault(l => l.Id == id);
}
