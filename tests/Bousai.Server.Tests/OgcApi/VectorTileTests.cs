using System.Net;
using System.Net.Http.Json;
using System.Text.Json;
using Bousai.Server.Tests.Support;
using NetTopologySuite.Geometries;
using NetTopologySuite.IO.VectorTiles.Mapbox;
using VectorTileId = NetTopologySuite.IO.VectorTiles.Tiles.Tile;

namespace Bousai.Server.Tests.OgcApi;

/// <summary>
/// Vector tiles built by PostGIS (ST_AsMVT), decoded here with NetTopologySuite.IO.VectorTiles: each report in the tile
/// it lies in, at its place, with its properties; counts per cell at low zoom; staff layers for staff; TileJSON; ETags.
/// </summary>
public sealed class VectorTileTests : IAsyncLifetime
{
    private readonly BousaiApp _app = BousaiApp.OnKestrel();

    public Task InitializeAsync() => ((IAsyncLifetime)_app).InitializeAsync();

    public Task DisposeAsync() => ((IAsyncLifetime)_app).DisposeAsync();

    private static readonly (double Lon, double Lat)[] Places = [(140.1901, 38.0012), (140.1925, 38.0031), (140.2103, 38.0104)];

    [Fact]
    public async Task Each_report_is_in_the_tile_it_lies_in_at_its_place_with_its_properties_and_nowhere_else()
    {
        using var field = await _app.SignedInClientAsync("field");
        using var hq = await _app.SignedInClientAsync("hq");
        var ids = new List<long>();
        foreach (var (lon, lat) in Places) ids.Add(await field.SubmitReportAsync("road_blocked", "serious", "倒木", lon, lat));

        foreach (var (id, (lon, lat)) in ids.Zip(Places))
        {
            var (x, y) = TileOf(lon, lat, 16);
            var tile = await TileAsync(hq, "all-reports", 16, x, y);
            var layer = Assert.Single(tile.Layers);
            Assert.Equal("all-reports", layer.Name);
            var feature = Assert.Single(layer.Features, f => f.Attributes["id"]?.ToString() == id.ToString());
            var point = Assert.IsType<Point>(feature.Geometry);
            // 4,096 units across a zoom-16 tile of about 480 m: a unit is 12 cm.
            Assert.InRange(point.X, lon - 0.00002, lon + 0.00002);
            Assert.InRange(point.Y, lat - 0.00002, lat + 0.00002);
            Assert.Equal("road_blocked", feature.Attributes["category"]);
            Assert.Equal("new", feature.Attributes["status"]);
            Assert.Equal("serious", feature.Attributes["severity"]);
            // What the map draws it by, no more: the details come from the API on a click.
            Assert.Equal(["category", "id", "severity", "status"], feature.Attributes.GetNames().Order());

            var (ex, ey) = (x + 3, y + 3);
            var elsewhere = await TileAsync(hq, "all-reports", 16, ex, ey);
            Assert.DoesNotContain(elsewhere.Layers.SelectMany(l => l.Features), f => f.Attributes["id"]?.ToString() == id.ToString());
        }
    }

    [Fact]
    public async Task At_low_zoom_reports_are_counted_per_cell_and_the_counts_add_up()
    {
        using var field = await _app.SignedInClientAsync("field");
        using var hq = await _app.SignedInClientAsync("hq");
        foreach (var (lon, lat) in Places) await field.SubmitReportAsync("flooding", "minor", "冠水", lon, lat);
        await field.SubmitReportAsync("flooding", "minor", "冠水", Places[0].Lon + 0.00001, Places[0].Lat);

        var (x, y) = TileOf(Places[0].Lon, Places[0].Lat, 12);
        var tile = await TileAsync(hq, "all-reports", 12, x, y);
        var cells = Assert.Single(tile.Layers).Features;
        Assert.Equal(4, cells.Sum(c => Convert.ToInt32(c.Attributes["count"])));
        Assert.Contains(cells, c => Convert.ToInt32(c.Attributes["count"]) >= 2); // the two reports a metre apart share a cell
        Assert.All(cells, c => Assert.False(c.Attributes.Exists("category")));
    }

    [Fact]
    public async Task Staff_layers_refuse_anyone_else_the_public_layer_holds_only_verified_reports_and_tiles_revalidate()
    {
        using var field = await _app.SignedInClientAsync("field");
        using var hq = await _app.SignedInClientAsync("hq");
        var verified = await field.SubmitReportAsync("road_blocked", "serious", "倒木", Places[0].Lon, Places[0].Lat);
        await field.SubmitReportAsync("road_blocked", "serious", "未確認", Places[0].Lon + 0.0001, Places[0].Lat);
        Assert.Equal(HttpStatusCode.OK, (await hq.PostAsJsonAsync($"/api/reports/{verified}/status", new { status = "verified" })).StatusCode);

        using var anonymous = _app.Client();
        var (x, y) = TileOf(Places[0].Lon, Places[0].Lat, 16);
        Assert.Equal(HttpStatusCode.Unauthorized, (await anonymous.GetAsync($"/tiles/all-reports/16/{x}/{y}.mvt")).StatusCode);
        Assert.Equal(HttpStatusCode.Unauthorized, (await anonymous.GetAsync("/tiles/all-reports.json")).StatusCode);
        var publicTile = await TileAsync(anonymous, "reports", 16, x, y);
        var feature = Assert.Single(Assert.Single(publicTile.Layers).Features);
        Assert.Equal(verified.ToString(), feature.Attributes["id"]?.ToString());
        Assert.False(feature.Attributes.Exists("description"));

        var response = await anonymous.GetAsync($"/tiles/reports/16/{x}/{y}.mvt");
        Assert.Equal("application/vnd.mapbox-vector-tile", response.Content.Headers.ContentType?.MediaType);
        using var again = new HttpRequestMessage(HttpMethod.Get, $"/tiles/reports/16/{x}/{y}.mvt");
        again.Headers.IfNoneMatch.Add(response.Headers.ETag!);
        Assert.Equal(HttpStatusCode.NotModified, (await anonymous.SendAsync(again)).StatusCode);

        Assert.Equal(HttpStatusCode.BadRequest, (await anonymous.GetAsync("/tiles/reports/3/8/0.mvt")).StatusCode);
        Assert.Equal(HttpStatusCode.BadRequest, (await anonymous.GetAsync("/tiles/reports/21/0/0.mvt")).StatusCode);
        Assert.Equal(HttpStatusCode.NotFound, (await anonymous.GetAsync("/tiles/districts/3/0/0.mvt")).StatusCode);
    }

    [Fact]
    public async Task TileJSON_describes_each_layer_and_gauges_and_shelters_have_tiles_too()
    {
        using var anonymous = _app.Client();
        foreach (var layer in new[] { "reports", "stations", "shelters" })
        {
            var json = await anonymous.GetFromJsonAsync<JsonElement>($"/tiles/{layer}.json");
            Assert.Equal("3.0.0", json.GetProperty("tilejson").GetString());
            Assert.EndsWith($"/tiles/{layer}/{{z}}/{{x}}/{{y}}.mvt", json.GetProperty("tiles")[0].GetString());
            Assert.Equal(layer, json.GetProperty("vector_layers")[0].GetProperty("id").GetString());
            var fields = json.GetProperty("vector_layers")[0].GetProperty("fields").EnumerateObject().Select(f => f.Name).ToArray();
            Assert.Contains("id", fields);
            if (layer == "reports") Assert.Equal(["category", "count", "id", "severity", "status"], fields.Order());
        }

        var (lon, lat) = await _app.Database.PointAsync("SELECT ST_X(geom), ST_Y(geom) FROM shelters WHERE id = 'takahata-shelter-09'");
        var (x, y) = TileOf(lon, lat, 15);
        var shelters = await TileAsync(anonymous, "shelters", 15, x, y);
        var shelter = Assert.Single(Assert.Single(shelters.Layers).Features, f => f.Attributes["id"]?.ToString() == "takahata-shelter-09");
        Assert.Equal("closed", shelter.Attributes["crowding"]);
        Assert.False(string.IsNullOrEmpty(shelter.Attributes["name_ja"]?.ToString()));
    }

    private static async Task<NetTopologySuite.IO.VectorTiles.VectorTile> TileAsync(HttpClient client, string layer, int z, int x, int y)
    {
        var response = await client.GetAsync($"/tiles/{layer}/{z}/{x}/{y}.mvt");
        Assert.True(response.StatusCode == HttpStatusCode.OK, $"{layer}/{z}/{x}/{y}: {(int)response.StatusCode} {await response.Content.ReadAsStringAsync()}");
        await using var stream = new MemoryStream(await response.Content.ReadAsByteArrayAsync());
        return new MapboxTileReader().Read(stream, new VectorTileId(x, y, z));
    }

    /// <summary>The slippy-map tile a place lies in.</summary>
    private static (int X, int Y) TileOf(double lon, double lat, int z)
    {
        var n = 1 << z;
        var x = (int)Math.Floor((lon + 180) / 360 * n);
        var rad = lat * Math.PI / 180;
        var y = (int)Math.Floor((1 - Math.Log(Math.Tan(rad) + 1 / Math.Cos(rad)) / Math.PI) / 2 * n);
        return (x, y);
    }
}
