using System.Net;
using System.Net.Http.Headers;
using System.Text.Json.Nodes;
using Bousai.Server.Tests.Support;

namespace Bousai.Server.Tests.Geodata;

public sealed class LayerEndpointTests(BousaiApp app) : IClassFixture<BousaiApp>
{
    private static async Task<JsonNode> FeatureCollectionAsync(HttpResponseMessage response)
    {
        Assert.Equal(HttpStatusCode.OK, response.StatusCode);
        Assert.Equal("application/geo+json", response.Content.Headers.ContentType!.MediaType);
        return JsonNode.Parse(await response.Content.ReadAsStringAsync())!;
    }

    [Fact]
    public async Task Shelters_layer_is_a_GeoJSON_FeatureCollection_of_the_24_GSI_sites()
    {
        var shelters = await FeatureCollectionAsync(await app.Client().GetAsync("/api/layers/shelters"));

        Assert.Equal("FeatureCollection", shelters["type"]!.GetValue<string>());
        var features = shelters["features"]!.AsArray();
        Assert.Equal(24, features.Count);
        var museum = features.Single(f => f!["id"]!.GetValue<string>() == "takahata-shelter-01")!;
        Assert.Equal("Point", museum["geometry"]!["type"]!.GetValue<string>());
        Assert.Equal([140.214514, 38.007937], museum["geometry"]!["coordinates"]!.AsArray().Select(c => c!.GetValue<double>()));
        Assert.Equal("県立考古資料館", museum["properties"]!["name_ja"]!.GetValue<string>());
        Assert.Equal("出典：国土地理院", museum["properties"]!["attribution"]!.GetValue<string>());
        Assert.True(museum["properties"]!["capacity_assumed"]!.GetValue<bool>());
        Assert.False(museum["properties"]!["illustrative"]!.GetValue<bool>());
    }

    [Fact]
    public async Task Every_layer_is_served_and_illustrative_features_say_so()
    {
        foreach (var (layer, count) in new[] { ("boundary", 1), ("districts", 6), ("rivers", 4), ("stations", 8) })
        {
            var collection = await FeatureCollectionAsync(await app.Client().GetAsync($"/api/layers/{layer}"));
            Assert.Equal(count, collection["features"]!.AsArray().Count);
        }

        foreach (var layer in new[] { "districts", "rivers", "flood-zones", "landslide-zones" })
        {
            var collection = await FeatureCollectionAsync(await app.Client().GetAsync($"/api/layers/{layer}"));
            Assert.NotEmpty(collection["features"]!.AsArray());
            Assert.All(collection["features"]!.AsArray(), f => Assert.True(f!["properties"]!["illustrative"]!.GetValue<bool>()));
        }
    }

    [Fact]
    public async Task Station_thresholds_come_from_the_stations_own_data()
    {
        var stations = await FeatureCollectionAsync(await app.Client().GetAsync("/api/layers/stations"));
        var nakahashi = stations["features"]!.AsArray().Single(f => f!["id"]!.GetValue<string>() == "station-nakahashi")!["properties"]!;

        var thresholds = nakahashi["thresholds"]!.AsObject();
        Assert.Equal(["caution", "danger", "evacuation", "standby"], thresholds.Select(t => t.Key).Order());
        Assert.True(thresholds["standby"]!.GetValue<double>() < thresholds["danger"]!.GetValue<double>());
        Assert.True(nakahashi["thresholds_assumed"]!.GetValue<bool>());
    }

    [Fact]
    public async Task Bbox_keeps_only_features_that_intersect_it()
    {
        // Around the town office: 高畠町武道館 and 高畠町営体育館, nothing in 二井宿 or 糠野目.
        var shelters = await FeatureCollectionAsync(await app.Client().GetAsync("/api/layers/shelters?bbox=140.188,38.0015,140.192,38.0035"));

        Assert.Equal(["takahata-shelter-10", "takahata-shelter-11"],
            shelters["features"]!.AsArray().Select(f => f!["id"]!.GetValue<string>()).Order());
    }

    [Fact]
    public async Task Unchanged_layer_answers_304_to_its_ETag_and_a_change_gives_a_new_ETag()
    {
        var client = app.Client();
        var first = await client.GetAsync("/api/layers/districts");
        var etag = first.Headers.ETag!;

        var again = new HttpRequestMessage(HttpMethod.Get, "/api/layers/districts");
        again.Headers.IfNoneMatch.Add(etag);
        var notModified = await client.SendAsync(again);
        Assert.Equal(HttpStatusCode.NotModified, notModified.StatusCode);
        Assert.Empty(await notModified.Content.ReadAsByteArrayAsync());

        // Layers are kept per revision, which the server reads again every 2 s: a change shows within seconds.
        await app.Database.ScalarAsync<int>("UPDATE districts SET name_en = name_en || ' ' WHERE id = 'district-wada' RETURNING 1");
        HttpResponseMessage changed = null!;
        await Eventually.TrueAsync(async () =>
        {
            using var afterChange = new HttpRequestMessage(HttpMethod.Get, "/api/layers/districts");
            afterChange.Headers.IfNoneMatch.Add(etag);
            changed = await client.SendAsync(afterChange);
            return changed.StatusCode == HttpStatusCode.OK;
        }, "the changed layer", timeoutSeconds: 10);
        Assert.NotEqual(etag, changed.Headers.ETag);
    }

    [Theory]
    [InlineData("/api/layers/volcanoes", 404, "Unknown layer")]
    [InlineData("/api/layers/shelters?bbox=140,38,141", 400, "Invalid bbox")]
    [InlineData("/api/layers/shelters?bbox=141,38,140,39", 400, "Invalid bbox")]
    [InlineData("/api/layers/shelters?bbox=a,b,c,d", 400, "Invalid bbox")]
    public async Task Bad_requests_get_problem_details(string url, int status, string title)
    {
        var response = await app.Client().GetAsync(url);

        Assert.Equal(status, (int)response.StatusCode);
        Assert.Equal("application/problem+json", response.Content.Headers.ContentType!.MediaType);
        Assert.Equal(title, JsonNode.Parse(await response.Content.ReadAsStringAsync())!["title"]!.GetValue<string>());
    }

    [Fact]
    public async Task Health_readiness_metrics_and_OpenAPI_are_served()
    {
        var client = app.Client();
        Assert.Equal("ok", await client.GetStringAsync("/healthz"));
        var ready = JsonNode.Parse(await client.GetStringAsync("/readyz"))!;
        Assert.Equal("ready", ready["status"]!.GetValue<string>());
        Assert.Contains("http_requests_received_total", await client.GetStringAsync("/metrics"));
        var openApi = JsonNode.Parse(await client.GetStringAsync("/openapi/v1.json"))!;
        foreach (var path in new[] { "/api/layers/{layer}", "/api/shelters/{shelterId}/status", "/api/districts/{districtId}/evacuation-level",
                     "/api/reports", "/api/alerts", "/api/stations", "/api/stations/{stationId}/readings", "/api/dead-letters", "/api/admin/stations" })
        {
            Assert.True(openApi["paths"]![path] is not null, $"{path} is not in the OpenAPI document");
        }
    }
}
