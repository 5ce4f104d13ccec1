using System.Net;
using System.Net.Http.Headers;
using System.Net.Http.Json;
using Bousai.Domain.Shelters;
using Bousai.Server.SituationReport;
using Bousai.Server.Tests.Support;
using Microsoft.Extensions.DependencyInjection;
using Npgsql;
using SkiaSharp;
using UglyToad.PdfPig;

namespace Bousai.Server.Tests.SituationReport;

/// <summary>HQ's situation report (状況報告) as a PDF and the map drawn on the server, against a real PostGIS.</summary>
public sealed class SituationReportTests(BousaiApp app) : IClassFixture<BousaiApp>
{
    private const string CrowdedShelter = "takahata-shelter-14";
    private const string SomewhatCrowdedShelter = "takahata-shelter-20";

    /// <summary>A known situation: 屋代 at level 4, 和田 raised to 3 and lifted to 0, two shelters open and filling, a gauge, a warning, a report.</summary>
    private async Task<HttpClient> ArrangeAsync()
    {
        var hq = await app.SignedInClientAsync("hq");
        async Task Ok(Task<HttpResponseMessage> request)
        {
            var response = await request;
            Assert.True(response.IsSuccessStatusCode, $"{response.StatusCode}: {await response.Content.ReadAsStringAsync()}");
        }

        await Ok(hq.PutAsJsonAsync("/api/districts/district-yashiro/evacuation-level", new { level = 4, decidedBy = "本部長 山田", reason = "屋代川の水位上昇" }));
        await Ok(hq.PutAsJsonAsync("/api/districts/district-wada/evacuation-level", new { level = 3, decidedBy = "本部長 山田", reason = "和田川の増水" }));
        await Ok(hq.PutAsJsonAsync("/api/districts/district-wada/evacuation-level", new { level = 0, decidedBy = "本部長 山田", reason = "水位低下" }));
        await Ok(hq.PutAsJsonAsync($"/api/shelters/{CrowdedShelter}/status", new { open = true, occupancy = 200 }));
        await Ok(hq.PutAsJsonAsync($"/api/shelters/{SomewhatCrowdedShelter}/status", new { open = true, occupancy = 100 }));
        var warnings = await hq.GetStringAsync("/api/official-warnings");
        if (!warnings.Contains("土砂災害警戒情報"))
        {
            await Ok(hq.PostAsJsonAsync("/api/official-warnings", new
            {
                kind = "landslide_alert", name = "土砂災害警戒情報", headline = "県からのファクス", issuedAt = DateTimeOffset.UtcNow.AddMinutes(-30),
                validUntil = DateTimeOffset.UtcNow.AddDays(1),
            }));
        }

        // 中橋: 2.62 m three hours ago (避難判断), 2.20 m ten minutes ago (氾濫注意).
        await using var db = app.Database.CreateDataSource();
        await using var readings = db.CreateCommand(
            """
            INSERT INTO readings (station_id, quantity, observed_at, value) VALUES
                ('station-nakahashi', 'water_level', now() - interval '3 hours', 2.62),
                ('station-nakahashi', 'water_level', now() - interval '10 minutes', 2.20)
            ON CONFLICT DO NOTHING
            """);
        await readings.ExecuteNonQueryAsync();
        return hq;
    }

    private async Task<MapGeodata> GeodataAsync() =>
        await app.Services.GetRequiredService<SituationReports>().GeodataAsync(CancellationToken.None);

    private static SKColor Pixel(SKBitmap map, MapProjection projection, double longitude, double latitude)
    {
        var (x, y) = projection.ToPixel(longitude, latitude);
        return map.GetPixel((int)Math.Round(x), (int)Math.Round(y));
    }

    private static void AssertColour(SKColor expected, SKColor actual, string what) =>
        Assert.True(Math.Abs(expected.Red - actual.Red) <= 4 && Math.Abs(expected.Green - actual.Green) <= 4 && Math.Abs(expected.Blue - actual.Blue) <= 4,
            $"{what}: expected {expected}, found {actual}");

    [Fact]
    public async Task The_map_shows_district_levels_and_shelter_bands_at_their_projected_places()
    {
        using var hq = await ArrangeAsync();
        var response = await hq.GetAsync("/api/situation/map.png?width=1400&height=900");
        Assert.Equal(HttpStatusCode.OK, response.StatusCode);
        Assert.Equal("image/png", response.Content.Headers.ContentType?.MediaType);
        var png = await response.Content.ReadAsByteArrayAsync();
        await File.WriteAllBytesAsync(Path.Combine(Path.GetTempPath(), "bousai-situation-map.png"), png);
        using var map = SKBitmap.Decode(png);
        Assert.Equal((1400, 900), (map.Width, map.Height));

        var geodata = await GeodataAsync();
        var projection = SituationMap.Projection(geodata, 1400, 900);
        var yashiro = geodata.Districts.Single(d => d.Id == "district-yashiro").Inside;
        var wada = geodata.Districts.Single(d => d.Id == "district-wada").Inside;
        AssertColour(SituationWords.LevelFill(4), Pixel(map, projection, yashiro.X, yashiro.Y), "屋代 (level 4) inside");
        AssertColour(SituationWords.LevelFill(0), Pixel(map, projection, wada.X, wada.Y), "和田 (lifted) inside");
        var crowded = geodata.Shelters.Single(s => s.Id == CrowdedShelter).Location;
        var somewhat = geodata.Shelters.Single(s => s.Id == SomewhatCrowdedShelter).Location;
        AssertColour(SituationWords.BandColour(CrowdingBand.Crowded), Pixel(map, projection, crowded.X, crowded.Y), "旧時沢小学校 (200 of 300)");
        AssertColour(SituationWords.BandColour(CrowdingBand.SomewhatCrowded), Pixel(map, projection, somewhat.X, somewhat.Y), "二井宿小学校 (100 of 300)");
    }

    [Fact]
    public async Task The_report_opens_on_A4_and_A3_landscape_with_the_situation_in_its_text_and_its_font_embedded()
    {
        using var hq = await ArrangeAsync();
        await hq.SubmitReportAsync("road_blocked", "serious", "県道の倒木", 140.2, 38.0);
        // Just after the arrangement: the log's times are the database's, and the moment takes in what was committed up to it.
        var moment = DateTimeOffset.UtcNow.AddSeconds(2);
        var jst = SituationTime.Jst(moment);
        var pages = new Dictionary<string, int>();
        foreach (var (paper, width, height) in new[] { ("a4", 841.89, 595.28), ("a3", 1190.55, 841.89) })
        {
            var response = await hq.GetAsync($"/api/situation/report.pdf?moment={Uri.EscapeDataString(moment.ToString("O"))}&paper={paper}");
            Assert.True(response.StatusCode == HttpStatusCode.OK, await response.Content.ReadAsStringAsync());
            Assert.Equal("application/pdf", response.Content.Headers.ContentType?.MediaType);
            var pdf = await response.Content.ReadAsByteArrayAsync();
            await File.WriteAllBytesAsync(Path.Combine(Path.GetTempPath(), $"bousai-situation-report-{paper}.pdf"), pdf);

            using var document = PdfDocument.Open(pdf);
            pages[paper] = document.NumberOfPages;
            Assert.True(document.NumberOfPages >= 2, $"{paper}: the map's page and at least one of tables, found {document.NumberOfPages}");
            var text = string.Join("\n", document.GetPages().Select(p => p.Text));
            foreach (var page in document.GetPages())
            {
                Assert.Equal(width, page.Width, 0);
                Assert.Equal(height, page.Height, 0);
                Assert.Contains($"{page.Number} / {document.NumberOfPages}", page.Text);
                Assert.NotEmpty(page.Letters);
                Assert.All(page.Letters, l => Assert.Contains("IPAexGothic", l.FontName));
            }

            var first = document.GetPage(1);
            Assert.Contains("状況報告", first.Text);
            Assert.Contains(jst, first.Text);
            Assert.Contains("想定データ", first.Text);
            var map = Assert.Single(first.GetImages());
            // At least 200 dpi on paper: pixels per inch of the box it is drawn in.
            Assert.True(map.WidthInSamples / (map.BoundingBox.Width / 72) >= 199, $"{paper}: map at {map.WidthInSamples / (map.BoundingBox.Width / 72):0} dpi");

            Assert.Contains("屋代地区", text);
            Assert.Contains("警戒レベル4 避難指示", text);
            Assert.Contains("本部長 山田", text);
            Assert.Contains("屋代川の水位上昇", text);
            Assert.Contains("旧時沢小学校", text);
            Assert.Contains("200 人", text);
            Assert.Contains("中橋", text);
            Assert.Contains("氾濫注意 2.20 m", text);
            Assert.Contains("避難判断 2.62 m", text);
            Assert.Contains("土砂災害警戒情報", text);
            Assert.Contains("道路通行止め", text);
            Assert.Contains("和田地区：警戒レベル3 高齢者等避難 → 発令なし", text);
            Assert.Contains("旧時沢小学校：開設", text);
        }

        Assert.True(pages["a4"] >= pages["a3"], $"A4 ({pages["a4"]} pages) holds no more than A3 ({pages["a3"]})");
    }

    [Fact]
    public async Task The_public_map_draws_no_report_residents_may_not_see_and_answers_304_while_nothing_changed()
    {
        using var hq = await ArrangeAsync();
        using var field = await app.SignedInClientAsync("field");
        var geodata = await GeodataAsync();
        var niijuku = geodata.Districts.Single(d => d.Id == "district-niijuku").Inside;
        // A new report (not verified by HQ) at 二井宿's inside point: staff see it there, residents do not.
        await field.SubmitReportAsync("rescue_needed", "critical", "高齢の夫婦が孤立", niijuku.X, niijuku.Y);

        var staffPng = await hq.GetByteArrayAsync("/api/situation/map.png?width=960&height=720");
        using (var staffMap = SKBitmap.Decode(staffPng))
        {
            var staffPixel = Pixel(staffMap, SituationMap.Projection(geodata, 960, 720), niijuku.X, niijuku.Y);
            Assert.NotEqual(SituationWords.LevelFill(0), staffPixel);
        }

        using var anonymous = app.Client();
        var response = await anonymous.GetAsync(SituationReportEndpoints.PublicMapPath);
        Assert.Equal(HttpStatusCode.OK, response.StatusCode);
        Assert.Equal("image/png", response.Content.Headers.ContentType?.MediaType);
        var png = await response.Content.ReadAsByteArrayAsync();
        await File.WriteAllBytesAsync(Path.Combine(Path.GetTempPath(), "bousai-public-map.png"), png);
        using (var publicMap = SKBitmap.Decode(png))
        {
            Assert.Equal((SituationReports.PublicWidth, SituationReports.PublicHeight), (publicMap.Width, publicMap.Height));
            AssertColour(SituationWords.LevelFill(0),
                Pixel(publicMap, SituationMap.Projection(geodata, SituationReports.PublicWidth, SituationReports.PublicHeight), niijuku.X, niijuku.Y),
                "the unverified report's place on the public map");
        }

        var etag = response.Headers.ETag;
        Assert.NotNull(etag);
        using var again = new HttpRequestMessage(HttpMethod.Get, SituationReportEndpoints.PublicMapPath);
        again.Headers.IfNoneMatch.Add(etag);
        var revalidated = await anonymous.SendAsync(again);
        // The public picture may move on between the two requests (a late event of the arrangement): then a new map, never a stale one.
        Assert.True(revalidated.StatusCode == HttpStatusCode.NotModified || revalidated.Headers.ETag?.Tag != etag.Tag,
            $"{revalidated.StatusCode} for the same ETag {etag}");
        if (revalidated.StatusCode == HttpStatusCode.NotModified) Assert.Empty(await revalidated.Content.ReadAsByteArrayAsync());
    }

    [Theory]
    [InlineData("/api/situation/report.pdf?moment=yesterday")]
    [InlineData("/api/situation/report.pdf?moment=2025-07-14")]
    [InlineData("/api/situation/report.pdf?moment=2999-01-01T00:00:00Z")]
    [InlineData("/api/situation/report.pdf?paper=b5")]
    [InlineData("/api/situation/map.png?moment=14:20")]
    [InlineData("/api/situation/map.png?width=20000")]
    public async Task A_bad_moment_paper_or_size_is_a_400_problem(string url)
    {
        using var hq = await app.SignedInClientAsync("hq");
        var response = await hq.GetAsync(url);
        Assert.Equal(HttpStatusCode.BadRequest, response.StatusCode);
        Assert.Equal("application/problem+json", response.Content.Headers.ContentType?.MediaType);
    }

    [Theory]
    [InlineData("/api/situation/report.pdf")]
    [InlineData("/api/situation/map.png")]
    public async Task The_staff_report_and_map_are_refused_to_anyone_not_signed_in(string url)
    {
        using var anonymous = app.Client();
        var response = await anonymous.GetAsync(url);
        Assert.Contains(response.StatusCode, new[] { HttpStatusCode.Unauthorized, HttpStatusCode.Forbidden });
        Assert.NotEqual("application/pdf", response.Content.Headers.ContentType?.MediaType);
    }
}
