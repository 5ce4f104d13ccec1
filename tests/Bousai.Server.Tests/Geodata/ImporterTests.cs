using System.Text.Json.Nodes;
using Bousai.Server.Geodata;
using Bousai.Server.Store;
using Bousai.Server.Tests.Support;
using NetTopologySuite.Features;
using NetTopologySuite.Geometries;
using NetTopologySuite.IO.Esri;
using Npgsql;

namespace Bousai.Server.Tests.Geodata;

public sealed class ImporterTests : IAsyncLifetime
{
    private readonly TestDatabase _database = new();
    private NpgsqlDataSource _db = null!;
    private GeodataImporter _importer = null!;
    private readonly string _dir = Directory.CreateTempSubdirectory("bousai-import-").FullName;

    public async Task InitializeAsync()
    {
        await _database.InitializeAsync();
        await new SchemaMigrator(_database.ConnectionString).MigrateAsync();
        _db = _database.CreateDataSource();
        _importer = new GeodataImporter(_db);
    }

    public async Task DisposeAsync()
    {
        await _db.DisposeAsync();
        await _database.DisposeAsync();
        Directory.Delete(_dir, recursive: true);
    }

    [Fact]
    public async Task Shipped_shelters_import_with_their_hazards_attribution_and_assumed_capacity()
    {
        var report = await _importer.ImportAsync(Repository.Geodata("shelters.geojson"), MapLayers.Shelters, "test");

        Assert.Equal((24, 24, 0), (report.Features, report.Inserted, report.Updated));
        Assert.Equal(24L, await _database.ScalarAsync<long>("SELECT count(*) FROM shelters WHERE attribution = '出典：国土地理院'"));
        Assert.Equal(24L, await _database.ScalarAsync<long>("SELECT count(*) FROM shelters WHERE capacity > 0 AND capacity_assumed"));
        // 町営第二体育館 and 上和田交流館 are not designated for floods.
        Assert.Equal("町営第二体育館,上和田交流館", await _database.ScalarAsync<string>(
            "SELECT string_agg(name_ja, ',' ORDER BY id) FROM shelters WHERE NOT 'flood' = ANY (hazards)"));
        Assert.Equal(1L, await _database.ScalarAsync<long>(
            "SELECT count(*) FROM audit_log WHERE action = 'geodata.import' AND entity = 'shelters' AND actor = 'test'"));
    }

    [Fact]
    public async Task Reimporting_a_file_updates_in_place_and_never_duplicates()
    {
        var file = Path.Combine(_dir, "shelters.geojson");
        File.Copy(Repository.Geodata("shelters.geojson"), file);
        await _importer.ImportAsync(file, MapLayers.Shelters, "test");

        var collection = JsonNode.Parse(await File.ReadAllTextAsync(file))!;
        collection["features"]![0]!["properties"]!["capacity"] = 999;
        collection["features"]!.AsArray().RemoveAt(23);
        await File.WriteAllTextAsync(file, collection.ToJsonString());
        var report = await _importer.ImportAsync(file, MapLayers.Shelters, "test");

        Assert.Equal((0, 23, 1), (report.Inserted, report.Updated, report.Removed));
        Assert.Equal(23L, await _database.ScalarAsync<long>("SELECT count(*) FROM shelters"));
        Assert.Equal(999, await _database.ScalarAsync<int>("SELECT capacity FROM shelters WHERE id = 'takahata-shelter-01'"));
    }

    [Fact]
    public async Task A_file_with_one_broken_geometry_is_rejected_whole_and_the_message_names_the_feature()
    {
        await _importer.ImportAsync(Repository.Geodata("districts.geojson"), MapLayers.Districts, "test");
        var before = await _database.ScalarAsync<string>("SELECT string_agg(id || name_ja, ',' ORDER BY id) FROM districts");
        var file = Path.Combine(_dir, "districts.geojson");
        var collection = JsonNode.Parse(await File.ReadAllTextAsync(Repository.Geodata("districts.geojson")))!;
        collection["features"]![0]!["properties"]!["name_ja"] = "changed";
        // A bow-tie: the ring crosses itself.
        collection["features"]![2]!["geometry"] = JsonNode.Parse(
            """{"type":"Polygon","coordinates":[[[140.1,38.0],[140.2,38.1],[140.2,38.0],[140.1,38.1],[140.1,38.0]]]}""");
        await File.WriteAllTextAsync(file, collection.ToJsonString());
        var brokenId = collection["features"]![2]!["properties"]!["id"]!.GetValue<string>();

        var error = await Assert.ThrowsAsync<GeodataImportException>(() => _importer.ImportAsync(file, MapLayers.Districts, "test"));

        var problem = Assert.Single(error.Problems);
        Assert.Equal(2, problem.Index);
        Assert.Equal(brokenId, problem.FeatureId);
        Assert.Contains("Self-intersection", problem.Reason);
        Assert.Contains($"feature #2 (id {brokenId})", error.Message);
        Assert.Equal(before, await _database.ScalarAsync<string>("SELECT string_agg(id || name_ja, ',' ORDER BY id) FROM districts"));
    }

    [Fact]
    public async Task Every_bad_feature_is_reported_with_its_index_and_reason()
    {
        var file = Path.Combine(_dir, "stations.geojson");
        await File.WriteAllTextAsync(file, """
            {"type":"FeatureCollection","features":[
              {"type":"Feature","properties":{"id":"ok","name_ja":"良い","kind":"rain"},"geometry":{"type":"Point","coordinates":[140.2,38.0]}},
              {"type":"Feature","properties":{"id":"nogeom","name_ja":"無","kind":"rain"},"geometry":null},
              {"type":"Feature","properties":{"id":"badkind","kind":"tide"},"geometry":{"type":"Point","coordinates":[140.2,38.0]}},
              {"type":"Feature","properties":{"id":"order","kind":"water_level","thresholds":{"standby":2.0,"caution":1.5}},"geometry":{"type":"Point","coordinates":[140.2,38.0]}},
              {"type":"Feature","properties":{"id":"ok","kind":"rain"},"geometry":{"type":"Point","coordinates":[140.2,38.0]}}
            ]}
            """);

        var error = await Assert.ThrowsAsync<GeodataImportException>(() => _importer.ImportAsync(file, MapLayers.Stations, "test"));

        Assert.Equal([1, 2, 3, 4], error.Problems.Select(p => p.Index!.Value).Order());
        Assert.Contains(error.Problems, p => p.Index == 1 && p.Reason.Contains("geometry is missing"));
        Assert.Contains(error.Problems, p => p.Index == 2 && p.Reason.Contains("kind"));
        Assert.Contains(error.Problems, p => p.Index == 3 && p.Reason.Contains("'caution' (1.5 m) must be above 'standby'"));
        Assert.Contains(error.Problems, p => p.Index == 4 && p.Reason.Contains("duplicate id"));
        Assert.Equal(0L, await _database.ScalarAsync<long>("SELECT count(*) FROM stations"));
    }

    [Fact]
    public async Task Names_too_long_or_with_a_NUL_are_refused_like_every_other_text()
    {
        var file = Path.Combine(_dir, "stations.geojson");
        var longName = new string('長', 20_000);
        await File.WriteAllTextAsync(file, $$$"""
            {"type":"FeatureCollection","features":[
              {"type":"Feature","properties":{"id":"ok","name_ja":"良い","kind":"rain"},"geometry":{"type":"Point","coordinates":[140.2,38.0]}},
              {"type":"Feature","properties":{"id":"long","name_ja":"{{{longName}}}","kind":"rain"},"geometry":{"type":"Point","coordinates":[140.2,38.0]}},
              {"type":"Feature","properties":{"id":"nul","name_ja":"良い","name_en":"a\u0000b","kind":"rain"},"geometry":{"type":"Point","coordinates":[140.2,38.0]}}
            ]}
            """);

        var error = await Assert.ThrowsAsync<GeodataImportException>(() => _importer.ImportAsync(file, MapLayers.Stations, "test"));

        Assert.Contains(error.Problems, p => p.Index == 1 && p.Reason.Contains("Japanese name") && p.Reason.Contains("longer than 100"));
        Assert.Contains(error.Problems, p => p.Index == 2 && p.Reason.Contains("English name") && p.Reason.Contains("NUL"));
        Assert.Equal(0L, await _database.ScalarAsync<long>("SELECT count(*) FROM stations"));
    }

    [Fact]
    public async Task A_shapefile_in_JGD2011_is_reprojected_to_WGS84()
    {
        // The .prj as Esri software writes it for JGD2011 geographic: no EPSG authority, so PROJ reads the WKT itself.
        var shp = WriteShapefile("A33-jgd2011", """GEOGCS["GCS_JGD_2011",DATUM["D_JGD_2011",SPHEROID["GRS_1980",6378137.0,298.257222101]],PRIMEM["Greenwich",0.0],UNIT["Degree",0.0174532925199433]]""",
            new Polygon(new LinearRing([new(140.25, 38.02), new(140.26, 38.02), new(140.26, 38.03), new(140.25, 38.03), new(140.25, 38.02)])));

        var report = await _importer.ImportAsync(shp, MapLayers.LandslideZones, "test");

        Assert.Equal(1, report.Inserted);
        Assert.Contains("GCS_JGD_2011", report.Crs);
        // JGD2011 and WGS84 differ by well under a metre: the coordinates survive as longitude/latitude, not swapped.
        Assert.Equal(140.25, await _database.ScalarAsync<double>("SELECT round(ST_XMin(geom)::numeric, 6)::float8 FROM hazard_zones"), 5);
        Assert.Equal(38.02, await _database.ScalarAsync<double>("SELECT round(ST_YMin(geom)::numeric, 6)::float8 FROM hazard_zones"), 5);
        Assert.Equal("急傾斜地の崩壊", await _database.ScalarAsync<string>("SELECT properties->>'A33_003' FROM hazard_zones"));
    }

    [Fact]
    public async Task A_shapefile_in_a_projected_JGD2011_plane_rectangular_CRS_is_reprojected_to_WGS84()
    {
        // JGD2011 / Japan Plane Rectangular CS X (EPSG:6678, Yamagata's zone), WKT from PostGIS itself.
        var prj = await _database.ScalarAsync<string>("SELECT srtext FROM spatial_ref_sys WHERE srid = 6678");
        var townOffice = await _database.ScalarAsync<string>(
            "SELECT ST_X(g)::text || ' ' || ST_Y(g)::text FROM ST_Transform(ST_SetSRID(ST_MakePoint(140.18908, 38.00275), 4326), 6678) g");
        var xy = townOffice.Split(' ').Select(double.Parse).ToArray();
        var shp = WriteShapefile("office-6678", prj, new Point(xy[0], xy[1]), kind: "rain");

        await _importer.ImportAsync(shp, MapLayers.Stations, "test");

        Assert.Equal(140.18908, await _database.ScalarAsync<double>("SELECT ST_X(geom) FROM stations"), 6);
        Assert.Equal(38.00275, await _database.ScalarAsync<double>("SELECT ST_Y(geom) FROM stations"), 6);
    }

    private string WriteShapefile(string name, string prj, Geometry geometry, string? kind = null)
    {
        var attributes = new AttributesTable { { "A33_003", "急傾斜地の崩壊" }, { "name_ja", "試験" } };
        if (kind is not null) attributes.Add("kind", kind);
        var path = Path.Combine(_dir, name + ".shp");
        Shapefile.WriteAllFeatures([new Feature(geometry, attributes)], path, projection: prj, encoding: System.Text.Encoding.UTF8);
        return path;
    }
}
