using System.Net;
using System.Text.Json.Nodes;
using Bousai.Server.Tests.Support;
using CsvHelper;

namespace Bousai.Server.Tests.Shelters;

/// <summary>The open data: CSV in the 自治体標準オープンデータセット layouts (read back with a CSV reader), and GeoJSON.</summary>
public sealed class ShelterOpenDataTests(BousaiApp app) : IClassFixture<BousaiApp>
{
    // The published column order (デジタル庁 自治体標準オープンデータセット), written out here rather than taken from the server.
    private static readonly string[] Location =
    [
        "全国地方公共団体コード", "ID", "地方公共団体名", "名称", "名称_カナ", "名称_英字", "所在地_全国地方公共団体コード", "町字ID", "所在地_連結表記",
        "所在地_都道府県", "所在地_市区町村", "所在地_町字", "所在地_番地以下", "建物名等(方書)", "緯度", "経度", "標高", "電話番号", "内線番号",
        "連絡先メールアドレス", "連絡先FormURL", "連絡先備考（その他、SNSなど）", "郵便番号",
        "災害種別_洪水", "災害種別_崖崩れ、土石流及び地滑り", "災害種別_高潮", "災害種別_地震", "災害種別_津波", "災害種別_大規模な火事",
        "災害種別_内水氾濫", "災害種別_火山現象",
    ];

    private static readonly string[] EmergencySiteHeader =
        [.. Location, "指定避難所との重複", "想定収容人数", "対象となる町会・自治会", "URL", "画像", "画像_ライセンス", "備考"];

    private static readonly string[] EvacuationShelterHeader =
        [.. Location, "指定緊急避難場所との重複", "想定収容人数", "対象となる町会・自治会", "URL", "画像", "画像_ライセンス", "備考"];

    private static JsonArray ShippedShelters => JsonNode.Parse(File.ReadAllText(Repository.Geodata("shelters.geojson")))!["features"]!.AsArray();

    private async Task<(byte[] Body, HttpResponseMessage Response)> GetAsync(string path)
    {
        var response = await app.Client().GetAsync(path);
        Assert.Equal(HttpStatusCode.OK, response.StatusCode);
        return (await response.Content.ReadAsByteArrayAsync(), response);
    }

    private static (string[] Header, List<Dictionary<string, string>> Rows) Parse(byte[] csv)
    {
        using var reader = CsvReader.Create(csv, new CsvReaderOptions());
        var rows = new List<Dictionary<string, string>>();
        string[]? header = null;
        while (reader.Read())
        {
            header ??= [.. reader.Headers];
            rows.Add(header.Select((name, i) => (name, value: reader.GetString(i))).ToDictionary(f => f.name, f => f.value));
        }

        return (header ?? [], rows);
    }

    [Theory]
    [InlineData("/opendata/shelters/emergency-sites.csv", true)]
    [InlineData("/opendata/shelters/evacuation-shelters.csv", false)]
    public async Task The_CSV_has_the_published_header_a_byte_order_mark_and_one_row_per_shelter(string path, bool emergencySites)
    {
        var (body, response) = await GetAsync(path);

        Assert.Equal("text/csv", response.Content.Headers.ContentType?.MediaType);
        Assert.Equal([0xEF, 0xBB, 0xBF], body[..3]);
        Assert.Contains("max-age", response.Headers.CacheControl?.ToString());
        Assert.Contains(response.Headers.GetValues("Link"), l => l.Contains("creativecommons.org/licenses/by/4.0") && l.Contains("license"));

        var (header, rows) = Parse(body);
        Assert.Equal(emergencySites ? EmergencySiteHeader : EvacuationShelterHeader, header);
        var expected = ShippedShelters
            .Where(f => f!["properties"]![emergencySites ? "is_emergency_site" : "is_evacuation_shelter"]!.GetValue<bool>())
            .Select(f => f!["properties"]!["id"]!.GetValue<string>()).Order(StringComparer.Ordinal).ToArray();
        Assert.Equal(expected, rows.Select(r => r["ID"]));

        var first = ShippedShelters.Single(f => f!["properties"]!["id"]!.GetValue<string>() == "takahata-shelter-01")!["properties"]!;
        var row = rows.Single(r => r["ID"] == "takahata-shelter-01");
        Assert.Equal(first["name_ja"]!.GetValue<string>(), row["名称"]);
        Assert.Equal(first["address"]!.GetValue<string>(), row["所在地_連結表記"]);
        Assert.Equal("063819", row["全国地方公共団体コード"]);
        Assert.Equal("1", row["災害種別_洪水"]);
        Assert.Equal("", row["災害種別_地震"]);
        Assert.Equal("100", row["想定収容人数"]);
        Assert.Equal("1", row[emergencySites ? "指定避難所との重複" : "指定緊急避難場所との重複"]);
        Assert.Contains("出典：国土地理院", row["備考"]);
    }

    [Fact]
    public async Task The_GeoJSON_is_a_valid_feature_collection_of_every_shelter_with_its_licence()
    {
        var (body, response) = await GetAsync("/opendata/shelters.geojson");

        Assert.Equal("application/geo+json", response.Content.Headers.ContentType?.MediaType);
        var collection = JsonNode.Parse(body)!.AsObject();
        Assert.Equal("FeatureCollection", collection["type"]!.GetValue<string>());
        Assert.Contains("creativecommons.org/licenses/by/4.0", collection["license"]!.GetValue<string>());
        var features = collection["features"]!.AsArray();
        Assert.Equal(ShippedShelters.Count, features.Count);
        foreach (var feature in features)
        {
            Assert.Equal("Feature", feature!["type"]!.GetValue<string>());
            Assert.Equal("Point", feature["geometry"]!["type"]!.GetValue<string>());
            var coordinates = feature["geometry"]!["coordinates"]!.AsArray();
            Assert.Equal(2, coordinates.Count);
            Assert.InRange(coordinates[0]!.GetValue<double>(), 139.5, 141);
            Assert.InRange(coordinates[1]!.GetValue<double>(), 37.5, 38.5);
            Assert.False(feature["properties"]!.AsObject().ContainsKey("contact"));
            Assert.NotNull(feature["properties"]!["kind"]);
        }
    }
}
