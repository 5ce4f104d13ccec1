using System.Net;
using System.Net.Http.Json;
using System.Text.Json.Nodes;
using Bousai.Server.Tests.Support;

namespace Bousai.Server.Tests.Shelters;

/// <summary>
/// The nearest open, suitable shelters with space, checked against distances computed here by the haversine formula
/// from the coordinates in geodata/shelters.geojson (not from the database).
/// </summary>
public sealed class NearestShelterTests(BousaiApp app) : IClassFixture<BousaiApp>
{
    private const double EarthRadiusMetres = 6_371_008.8;

    private static readonly IReadOnlyDictionary<string, (double Lon, double Lat)> Positions = JsonNode.Parse(File.ReadAllText(Repository.Geodata("shelters.geojson")))!
        ["features"]!.AsArray()
        .ToDictionary(f => f!["properties"]!["id"]!.GetValue<string>(),
            f => (f!["geometry"]!["coordinates"]![0]!.GetValue<double>(), f["geometry"]!["coordinates"]![1]!.GetValue<double>()));

    private static double Haversine((double Lon, double Lat) a, (double Lon, double Lat) b)
    {
        static double Rad(double degrees) => degrees * Math.PI / 180;
        var h = Math.Pow(Math.Sin(Rad(b.Lat - a.Lat) / 2), 2) + Math.Cos(Rad(a.Lat)) * Math.Cos(Rad(b.Lat)) * Math.Pow(Math.Sin(Rad(b.Lon - a.Lon) / 2), 2);
        return 2 * EarthRadiusMetres * Math.Asin(Math.Sqrt(h));
    }

    [Fact]
    public async Task Nearest_are_the_open_suitable_shelters_with_space_in_order_of_straight_line_distance()
    {
        using var hq = await app.SignedInClientAsync("hq");
        var open = new[] { "takahata-shelter-01", "takahata-shelter-02", "takahata-shelter-03", "takahata-shelter-04", "takahata-shelter-07", "takahata-shelter-11" };
        foreach (var id in open)
        {
            Assert.Equal(HttpStatusCode.OK, (await hq.PutAsJsonAsync($"/api/shelters/{id}/status", new { open = true, occupancy = 0 })).StatusCode);
        }

        // 02 declared full, 03 full by head count (capacity 150: 80 % is 120), 07 inside the 和田川 zone while HQ declares a flood.
        await hq.PutAsJsonAsync("/api/shelters/takahata-shelter-02/status", new { open = true, declaredFull = true });
        await hq.PutAsJsonAsync("/api/shelters/takahata-shelter-03/status", new { open = true, occupancy = 120 });
        Assert.Equal(HttpStatusCode.OK, (await hq.PutAsJsonAsync("/api/hazards/flood", new { active = true, reason = "本部判断：全河川で警戒" })).StatusCode);
        var eligible = new[] { "takahata-shelter-01", "takahata-shelter-04", "takahata-shelter-11" };

        var origin = (Lon: 140.20, Lat: 38.02);
        var nearest = (await app.Client().GetFromJsonAsync<JsonArray>($"/api/shelters/nearest?lon={origin.Lon}&lat={origin.Lat}&limit=10"))!;

        var expected = eligible.OrderBy(id => Haversine(origin, Positions[id])).ToArray();
        Assert.Equal(expected, nearest.Select(n => n!["shelter"]!["shelterId"]!.GetValue<string>()));
        foreach (var n in nearest)
        {
            var id = n!["shelter"]!["shelterId"]!.GetValue<string>();
            var metres = n["distanceMetres"]!.GetValue<double>();
            // ST_Distance on geography is on the spheroid, haversine on a sphere: they agree within 0.5 %.
            Assert.InRange(metres, Haversine(origin, Positions[id]) * 0.995, Haversine(origin, Positions[id]) * 1.005);
            Assert.Null(n["shelter"]!["note"]);
            Assert.Null(n["shelter"]!["updatedBy"]);
        }

        var limited = (await app.Client().GetFromJsonAsync<JsonArray>($"/api/shelters/nearest?lon={origin.Lon}&lat={origin.Lat}&limit=2"))!;
        Assert.Equal(expected[..2], limited.Select(n => n!["shelter"]!["shelterId"]!.GetValue<string>()));

        // Lifting HQ's flood makes 07 suitable again, and it is suggested.
        await hq.PutAsJsonAsync("/api/hazards/flood", new { active = false, reason = "水位低下" });
        var after = (await app.Client().GetFromJsonAsync<JsonArray>($"/api/shelters/nearest?lon={origin.Lon}&lat={origin.Lat}&limit=10"))!;
        Assert.Contains("takahata-shelter-07", after.Select(n => n!["shelter"]!["shelterId"]!.GetValue<string>()));
    }

    [Fact]
    public async Task Nearest_to_a_district_and_bad_positions()
    {
        var byDistrict = await app.Client().GetAsync("/api/shelters/nearest?district=district-yashiro");
        Assert.Equal(HttpStatusCode.OK, byDistrict.StatusCode);
        Assert.Equal(HttpStatusCode.NotFound, (await app.Client().GetAsync("/api/shelters/nearest?district=no-such-district")).StatusCode);
        foreach (var (query, field) in new[] { ("lon=200&lat=38", "lon"), ("lon=140&lat=95", "lat"), ("", "lon"), ("lon=140.2&lat=38&limit=11", "limit") })
        {
            var response = await app.Client().GetAsync($"/api/shelters/nearest?{query}");
            Assert.Equal(HttpStatusCode.BadRequest, response.StatusCode);
            Assert.NotNull((await response.Content.ReadFromJsonAsync<JsonObject>())!["errors"]![field]);
        }
    }
}
