using System.Net;
using System.Net.Http.Json;
using System.Text;
using System.Text.Json.Nodes;
using Bousai.Server.Tests.Live;
using Bousai.Server.Tests.Support;
using SkiaSharp;

namespace Bousai.Server.Tests.Reports;

/// <summary>Sending a report from the field: idempotent by its client id, validated, and nothing stored of a refused one.</summary>
public sealed class FieldReportSubmissionTests(KestrelApp fixture) : IClassFixture<KestrelApp>
{
    private BousaiApp App => fixture.App;

    private static readonly (double Longitude, double Latitude) TownsNorthernmostPoint = (140.233886, 38.08232);

    private async Task<JsonObject> AssertRefusedAsync(HttpResponseMessage response, HttpStatusCode status, ReportCounts before, string? field = null)
    {
        var body = await response.Content.ReadAsStringAsync();
        Assert.True(response.StatusCode == status, $"Expected {(int)status}, got {(int)response.StatusCode}: {body}");
        Assert.Equal("application/problem+json", response.Content.Headers.ContentType?.MediaType);
        var problem = JsonNode.Parse(body)!.AsObject();
        if (field is not null)
        {
            Assert.True(problem["errors"]?[field] is not null, $"The problem does not name {field}: {body}");
        }

        Assert.Equal(before, await ReportCounts.OfAsync(App.Database));
        return problem;
    }

    private static async Task<JsonObject> CreatedAsync(HttpResponseMessage response)
    {
        var body = await response.Content.ReadAsStringAsync();
        Assert.True(response.StatusCode == HttpStatusCode.Created, $"Expected 201, got {(int)response.StatusCode}: {body}");
        return JsonNode.Parse(body)!.AsObject();
    }

    [Fact]
    public async Task A_report_retried_a_day_later_because_its_answer_was_lost_gets_its_number_while_a_new_report_that_old_is_refused()
    {
        using var client = await App.SignedInClientAsync("field");
        var report = FieldReportForm.Report(description: "答えが届かず翌日に再送");
        var first = await CreatedAsync(await client.PostReportAsync(report));
        var dayLater = App.AnotherInstance(clockAhead: TimeSpan.FromHours(25));
        await ((IAsyncLifetime)dayLater).InitializeAsync();
        try
        {
            using var later = await dayLater.SignedInClientAsync("field");
            var retry = await later.PostReportAsync(report);
            Assert.Equal(HttpStatusCode.OK, retry.StatusCode);
            Assert.Equal(first["reportId"]!.GetValue<long>(), (await retry.Content.ReadFromJsonAsync<JsonObject>())!["reportId"]!.GetValue<long>());

            var before = await ReportCounts.OfAsync(App.Database);
            var another = new Dictionary<string, object?>(report) { ["clientId"] = Guid.NewGuid().ToString() };
            await AssertRefusedAsync(await later.PostReportAsync(another), HttpStatusCode.BadRequest, before, "observedAt");
        }
        finally
        {
            await ((IAsyncLifetime)dayLater).DisposeAsync();
        }
    }

    [Fact]
    public async Task Concurrent_retries_with_one_client_id_from_several_connections_make_exactly_one_report()
    {
        var report = FieldReportForm.Report(description: "県道 冠水 同時再送");
        var photo = new PhotoPart(FieldReportForm.Jpeg(1200, 900));
        var clients = await Task.WhenAll(Enumerable.Range(0, 6).Select(_ => App.SignedInClientAsync("field")));
        var before = await ReportCounts.OfAsync(App.Database);

        var responses = await Task.WhenAll(clients.Select(client => Task.Run(() => client.PostReportAsync(report, photo))));

        Assert.All(responses, r => Assert.Contains(r.StatusCode, new[] { HttpStatusCode.Created, HttpStatusCode.OK }));
        Assert.Single(responses, r => r.StatusCode == HttpStatusCode.Created);
        var ids = await Task.WhenAll(responses.Select(async r => (await r.Content.ReadFromJsonAsync<JsonObject>())!["reportId"]!.GetValue<long>()));
        Assert.Single(ids.Distinct());
        Assert.Equal(before with { Reports = before.Reports + 1, PhotoLinks = before.PhotoLinks + 1, PhotoContents = before.PhotoContents + 1,
            Events = before.Events + 1, Audits = before.Audits + 1 }, await ReportCounts.OfAsync(App.Database));
        Assert.Equal(1L, await App.Database.ScalarAsync<long>($"SELECT count(*) FROM field_reports WHERE client_id = '{report["clientId"]}'"));
        foreach (var client in clients) client.Dispose();
    }

    [Fact]
    public async Task A_retry_after_the_report_arrived_gets_the_same_report_with_200()
    {
        using var field = await App.SignedInClientAsync("field");
        var report = FieldReportForm.Report();
        var photo = new PhotoPart(FieldReportForm.Png(800, 600), "IMG_0001.png", "image/png");
        var first = await CreatedAsync(await field.PostReportAsync(report, photo));
        var before = await ReportCounts.OfAsync(App.Database);

        var retry = await field.PostReportAsync(report, photo);

        Assert.Equal(HttpStatusCode.OK, retry.StatusCode);
        var again = (await retry.Content.ReadFromJsonAsync<JsonObject>())!;
        Assert.Equal(first["reportId"]!.GetValue<long>(), again["reportId"]!.GetValue<long>());
        Assert.Equal(before, await ReportCounts.OfAsync(App.Database));
    }

    [Fact]
    public async Task The_same_client_id_with_other_content_or_from_another_account_is_a_409_and_changes_nothing()
    {
        using var field = await App.SignedInClientAsync("field");
        using var hq = await App.SignedInClientAsync("hq");
        var report = FieldReportForm.Report(description: "橋の下が増水");
        var created = await CreatedAsync(await field.PostReportAsync(report));
        var before = await ReportCounts.OfAsync(App.Database);

        var otherText = new Dictionary<string, object?>(report) { ["description"] = "橋の下が増水（訂正）" };
        await AssertRefusedAsync(await field.PostReportAsync(otherText), HttpStatusCode.Conflict, before);
        await AssertRefusedAsync(await field.PostReportAsync(report, new PhotoPart(FieldReportForm.Jpeg(320, 240))), HttpStatusCode.Conflict, before);
        await AssertRefusedAsync(await hq.PostReportAsync(report), HttpStatusCode.Conflict, before);
        var stored = (await field.GetFromJsonAsync<JsonObject>($"/api/reports/{created["reportId"]}"))!;
        Assert.Equal("橋の下が増水", stored["description"]!.GetValue<string>());
    }

    public static TheoryData<string, string, string> RefusedReports() => new()
    {
        // case, JSON merged into a valid report (null removes the field), the field the problem names
        { "no client id", """{"clientId":null}""", "clientId" },
        { "client id not a UUID", """{"clientId":"outbox-item-7"}""", "clientId" },
        { "unknown category", """{"category":"tsunami"}""", "category" },
        { "no category", """{"category":null}""", "category" },
        { "unknown severity", """{"severity":"apocalyptic"}""", "severity" },
        { "no severity", """{"severity":null}""", "severity" },
        { "description too long", $$"""{"description":"{{new string('水', 2_001)}}"}""", "description" },
        { "no location", """{"longitude":null,"latitude":null}""", "location" },
        { "latitude out of range", """{"latitude":91}""", "location" },
        { "Tokyo", """{"longitude":139.767,"latitude":35.681}""", "location" },
        { "7 km north of the town", """{"longitude":140.233886,"latitude":38.1453}""", "location" },
        { "no observation time", """{"observedAt":null}""", "observedAt" },
        { "observation time without offset", """{"observedAt":"2026-07-08T10:00:00"}""", "observedAt" },
        { "observation time not a time", """{"observedAt":"yesterday"}""", "observedAt" },
        // Times relative to the moment the test runs (the cases are made when the tests are found, maybe long before).
        { "observed 10 minutes in the future", """{"observedAt":"now+10min"}""", "observedAt" },
        { "observed 25 hours ago", """{"observedAt":"now-25h"}""", "observedAt" },
        { "negative accuracy", """{"accuracyMetres":-1}""", "accuracyMetres" },
        { "longitude a string", """{"longitude":"140.19"}""", "longitude" },
    };

    [Theory]
    [MemberData(nameof(RefusedReports))]
    public async Task A_report_breaking_a_rule_is_a_400_naming_the_field_and_nothing_is_stored(string @case, string change, string field)
    {
        using var client = await App.SignedInClientAsync("field");
        var report = FieldReportForm.Report();
        change = change.Replace("now+10min", DateTimeOffset.UtcNow.AddMinutes(10).ToString("O"))
            .Replace("now-25h", DateTimeOffset.UtcNow.AddHours(-25).ToString("O"));
        foreach (var (key, value) in JsonNode.Parse(change)!.AsObject())
        {
            if (value is null) report.Remove(key); else report[key] = value.DeepClone();
        }

        var before = await ReportCounts.OfAsync(App.Database);

        var problem = await AssertRefusedAsync(await client.PostReportAsync(report, new PhotoPart(FieldReportForm.Jpeg(320, 240))),
            HttpStatusCode.BadRequest, before, field);
        Assert.False(string.IsNullOrEmpty(@case));
        Assert.NotEmpty(problem["errors"]![field]![0]!.GetValue<string>());
    }

    public static TheoryData<string, string> AcceptedReports() => new()
    {
        { "3 km north of the town (inside the 5 km buffer)", """{"longitude":140.233886,"latitude":38.10932}""" },
        { "observed a minute ahead of the server's clock", $$"""{"observedAt":"{{DateTimeOffset.UtcNow.AddMinutes(1):O}}"}""" },
        { "observed 23 hours ago", $$"""{"observedAt":"{{DateTimeOffset.UtcNow.AddHours(-23):O}}"}""" },
        { "no description, no accuracy", """{"description":null,"accuracyMetres":null}""" },
        { "river anomaly, critical", """{"category":"river_anomaly","severity":"critical"}""" },
        { "a description of exactly 2,000 characters", $$"""{"description":"{{new string('水', 2_000)}}"}""" },
    };

    [Theory]
    [MemberData(nameof(AcceptedReports))]
    public async Task A_report_at_the_edge_of_each_rule_is_accepted(string @case, string change)
    {
        using var client = await App.SignedInClientAsync("field");
        var report = FieldReportForm.Report();
        foreach (var (key, value) in JsonNode.Parse(change)!.AsObject())
        {
            if (value is null) report.Remove(key); else report[key] = value.DeepClone();
        }

        var created = await CreatedAsync(await client.PostReportAsync(report));

        Assert.Equal(report["clientId"], created["clientId"]!.GetValue<string>());
        Assert.False(string.IsNullOrEmpty(@case));
    }

    [Fact]
    public async Task A_report_in_a_district_names_it_and_one_just_outside_the_town_has_none()
    {
        using var client = await App.SignedInClientAsync("field");
        var outside = FieldReportForm.Report();
        outside["latitude"] = TownsNorthernmostPoint.Latitude + 0.01;
        outside["longitude"] = TownsNorthernmostPoint.Longitude;

        var inside = await CreatedAsync(await client.PostReportAsync(FieldReportForm.Report()));
        var beyond = await CreatedAsync(await client.PostReportAsync(outside));

        Assert.Equal(await App.Database.ScalarAsync<string>(
            "SELECT id FROM districts WHERE ST_Covers(geom, ST_SetSRID(ST_MakePoint(140.19, 38.0), 4326)) ORDER BY id LIMIT 1"),
            inside["districtId"]!.GetValue<string>());
        Assert.Null(beyond["districtId"]);
        Assert.Equal(35.0, inside["accuracyMetres"]!.GetValue<double>());
    }

    public static TheoryData<string, string, string> AcceptedPhotos() => new()
    {
        { "png", "IMG_0002.jpg", "image/jpeg" },
        { "jpeg", "IMG_0003.png", "image/png" },
        { "webp", "photo", "application/octet-stream" },
    };

    [Theory]
    [MemberData(nameof(AcceptedPhotos))]
    public async Task A_photo_is_judged_by_its_content_not_its_name_or_content_type(string format, string fileName, string contentType)
    {
        using var client = await App.SignedInClientAsync("field");
        var bytes = format switch { "png" => FieldReportForm.Png(), "jpeg" => FieldReportForm.Jpeg(), _ => FieldReportForm.Webp() };

        var created = await CreatedAsync(await client.PostReportAsync(FieldReportForm.Report(), new PhotoPart(bytes, fileName, contentType)));

        var photo = created["photos"]![0]!;
        Assert.Equal((640, 480), (photo["width"]!.GetValue<int>(), photo["height"]!.GetValue<int>()));
        var served = await client.GetAsync($"/api/reports/{created["reportId"]}/photos/1");
        Assert.Equal("image/jpeg", served.Content.Headers.ContentType?.MediaType);
        Assert.Equal(SKEncodedImageFormat.Jpeg, Decoded(await served.Content.ReadAsByteArrayAsync()).Format);
    }

    private static readonly byte[] Gif = Convert.FromBase64String("R0lGODlhAQABAIAAAP///wAAACH5BAEAAAAALAAAAAABAAEAAAICRAEAOw==");

    public static TheoryData<string, string> RefusedPhotos() => new()
    {
        { "gif", "The file is not a JPEG, PNG or WebP image." },
        { "text", "The file is not a JPEG, PNG or WebP image." },
        { "truncated jpeg", "truncated" },
        { "empty", "empty" },
        { "jpeg over 10 MB", "larger than 10 MB" },
    };

    [Theory]
    [MemberData(nameof(RefusedPhotos))]
    public async Task A_photo_that_is_not_a_whole_JPEG_PNG_or_WebP_of_at_most_10_MB_is_refused_by_its_position(string kind, string reason)
    {
        using var client = await App.SignedInClientAsync("field");
        var jpeg = FieldReportForm.Jpeg(1024, 768);
        var bad = kind switch
        {
            "gif" => Gif,
            "text" => Encoding.UTF8.GetBytes("これは写真ではありません。\n"),
            "truncated jpeg" => jpeg[..(jpeg.Length / 2)],
            "empty" => [],
            // A real JPEG followed by padding: it decodes, but the upload is over the limit.
            _ => [.. jpeg, .. new byte[10 * 1024 * 1024 + 1 - jpeg.Length]],
        };
        var before = await ReportCounts.OfAsync(App.Database);

        var problem = await AssertRefusedAsync(await client.PostReportAsync(FieldReportForm.Report(),
                new PhotoPart(FieldReportForm.Jpeg()), new PhotoPart(bad, "IMG_0004.jpg", "image/jpeg")),
            HttpStatusCode.BadRequest, before, "photos[1]");
        Assert.Contains(reason, problem["errors"]!["photos[1]"]![0]!.GetValue<string>());
    }

    [Theory]
    [InlineData(5)]
    [InlineData(6)]
    public async Task More_than_four_photos_are_refused_and_nothing_is_stored(int count)
    {
        using var client = await App.SignedInClientAsync("field");
        var photos = Enumerable.Range(0, count).Select(i => new PhotoPart(FieldReportForm.Jpeg(300 + i, 200))).ToArray();
        var before = await ReportCounts.OfAsync(App.Database);

        var problem = await AssertRefusedAsync(await client.PostReportAsync(FieldReportForm.Report(), photos), HttpStatusCode.BadRequest, before, "photos");

        Assert.Contains("At most 4", problem["errors"]!["photos"]![0]!.GetValue<string>());
    }

    [Fact]
    public async Task Four_photos_of_nearly_10_MB_each_are_accepted_beyond_the_servers_30_MB_default_body_limit()
    {
        using var client = await App.SignedInClientAsync("field");
        var photos = Enumerable.Range(0, 4).Select(i =>
        {
            var jpeg = FieldReportForm.Jpeg(400 + i, 300);
            return new PhotoPart([.. jpeg, .. new byte[9 * 1024 * 1024]]);
        }).ToArray();

        var created = await CreatedAsync(await client.PostReportAsync(FieldReportForm.Report(), photos));

        Assert.Equal([1, 2, 3, 4], created["photos"]!.AsArray().Select(p => p!["position"]!.GetValue<int>()));
    }

    [Fact]
    public async Task A_body_larger_than_four_10_MB_photos_is_refused_with_413_and_nothing_is_stored()
    {
        using var client = await App.SignedInClientAsync("field");
        var padding = new byte[9 * 1024 * 1024];
        var photos = Enumerable.Range(0, 5).Select(i => new PhotoPart([.. FieldReportForm.Jpeg(300 + i, 200), .. padding])).ToArray();
        var before = await ReportCounts.OfAsync(App.Database);

        // Expect: 100-continue, so the answer comes before the body is sent (otherwise the server closes the connection mid-upload).
        using var request = new HttpRequestMessage(HttpMethod.Post, "/api/reports") { Content = FieldReportForm.Content(FieldReportForm.Report(), photos) };
        request.Headers.ExpectContinue = true;

        await AssertRefusedAsync(await client.SendAsync(request), HttpStatusCode.RequestEntityTooLarge, before);
    }

    [Fact]
    public async Task The_same_photo_in_two_reports_is_stored_once()
    {
        using var client = await App.SignedInClientAsync("field");
        var photo = new PhotoPart(FieldReportForm.Jpeg(720, 540));
        var before = await ReportCounts.OfAsync(App.Database);

        await CreatedAsync(await client.PostReportAsync(FieldReportForm.Report(), photo));
        await CreatedAsync(await client.PostReportAsync(FieldReportForm.Report(), photo));

        var after = await ReportCounts.OfAsync(App.Database);
        Assert.Equal((before.Reports + 2, before.PhotoLinks + 2, before.PhotoContents + 1), (after.Reports, after.PhotoLinks, after.PhotoContents));
    }

    [Fact]
    public async Task Files_under_another_part_name_are_refused()
    {
        using var client = await App.SignedInClientAsync("field");
        var before = await ReportCounts.OfAsync(App.Database);

        await AssertRefusedAsync(await client.PostReportAsync(FieldReportForm.Report(), new PhotoPart(FieldReportForm.Jpeg(), PartName: "attachment")),
            HttpStatusCode.BadRequest, before, "photos");
    }

    [Fact]
    public async Task A_form_without_its_report_part_or_with_unreadable_JSON_is_a_400()
    {
        using var client = await App.SignedInClientAsync("field");
        var before = await ReportCounts.OfAsync(App.Database);
        using var noReport = new MultipartFormDataContent { { new ByteArrayContent(FieldReportForm.Jpeg()), "photos", "a.jpg" } };
        using var broken = new MultipartFormDataContent { { new StringContent("{\"clientId\":"), "report" } };

        await AssertRefusedAsync(await client.PostAsync("/api/reports", noReport), HttpStatusCode.BadRequest, before, "report");
        await AssertRefusedAsync(await client.PostAsync("/api/reports", broken), HttpStatusCode.BadRequest, before);
    }

    [Fact]
    public async Task Served_copies_carry_no_EXIF_are_upright_and_at_most_1600_px_and_thumbnails_at_most_320_px()
    {
        using var client = await App.SignedInClientAsync("field");
        // 2400 x 1200 as stored by the camera, to be turned a quarter clockwise (EXIF orientation 6): 1200 x 2400 upright.
        var upload = WithExif(FieldReportForm.Jpeg(2400, 1200), orientation: 6, description: "HOME-OF-CREW-42");
        Assert.Equal(SKEncodedOrigin.RightTop, Decoded(upload).Origin);
        Assert.Contains("Exif", Encoding.Latin1.GetString(upload));

        var created = await CreatedAsync(await client.PostReportAsync(FieldReportForm.Report(), new PhotoPart(upload)));
        var id = created["reportId"]!.GetValue<long>();
        var full = await client.GetByteArrayAsync($"/api/reports/{id}/photos/1");
        var thumbnail = await client.GetByteArrayAsync($"/api/reports/{id}/photos/1/thumbnail");

        foreach (var (served, longSide) in new[] { (full, 1600), (thumbnail, 320) })
        {
            var text = Encoding.Latin1.GetString(served);
            Assert.DoesNotContain("Exif", text);
            Assert.DoesNotContain("HOME-OF-CREW-42", text);
            Assert.DoesNotContain("\u00FF\u00E1", text); // no APP1 segment at all (EXIF, XMP)
            var decoded = Decoded(served);
            Assert.Equal(SKEncodedOrigin.TopLeft, decoded.Origin);
            Assert.Equal(longSide, Math.Max(decoded.Width, decoded.Height));
            Assert.True(decoded.Height > decoded.Width, $"served {decoded.Width}x{decoded.Height}: the orientation was not applied");
        }

        Assert.Equal((800, 1600), (created["photos"]![0]!["width"]!.GetValue<int>(), created["photos"]![0]!["height"]!.GetValue<int>()));
    }

    [Fact]
    public async Task Text_rules_hold_for_multipart_fields_a_NUL_or_an_unpaired_surrogate_is_a_400()
    {
        using var client = await App.SignedInClientAsync("field");
        var before = await ReportCounts.OfAsync(App.Database);
        var valid = FieldReportForm.Json(FieldReportForm.Report());

        using var rawNul = new MultipartFormDataContent { { new StringContent(valid.Replace("道路冠水", "道路\0冠水")), "report" } };
        using var escapedNul = new MultipartFormDataContent { { new StringContent(valid.Replace("\"description\":\"", "\"description\":\"\\u0000")), "report" } };
        using var surrogate = new MultipartFormDataContent { { new StringContent(valid.Replace("\"description\":\"", "\"description\":\"\\ud800")), "report" } };

        var nul = await AssertRefusedAsync(await client.PostAsync("/api/reports", rawNul), HttpStatusCode.BadRequest, before, "report");
        Assert.Contains("NUL", nul["errors"]!["report"]![0]!.GetValue<string>());
        await AssertRefusedAsync(await client.PostAsync("/api/reports", escapedNul), HttpStatusCode.BadRequest, before, "description");
        await AssertRefusedAsync(await client.PostAsync("/api/reports", surrogate), HttpStatusCode.BadRequest, before, "description");
    }

    [Fact]
    public async Task A_cross_site_multipart_post_is_refused_before_it_is_read_and_a_same_origin_one_is_accepted()
    {
        using var client = await App.SignedInClientAsync("field");
        var before = await ReportCounts.OfAsync(App.Database);
        var ownOrigin = App.BaseAddress.GetLeftPart(UriPartial.Authority);

        foreach (var (header, value) in new[] { ("Origin", "http://evil.example"), ("Origin", "null"), ("Sec-Fetch-Site", "cross-site"), ("Sec-Fetch-Site", "same-site") })
        {
            using var forged = new HttpRequestMessage(HttpMethod.Post, "/api/reports")
            {
                Content = FieldReportForm.Content(FieldReportForm.Report(), new PhotoPart(FieldReportForm.Jpeg())),
            };
            forged.Headers.Add(header, value);
            await AssertRefusedAsync(await client.SendAsync(forged), HttpStatusCode.Forbidden, before);
        }

        using var own = new HttpRequestMessage(HttpMethod.Post, "/api/reports") { Content = FieldReportForm.Content(FieldReportForm.Report()) };
        own.Headers.Add("Origin", ownOrigin);
        own.Headers.Add("Sec-Fetch-Site", "same-origin");
        await CreatedAsync(await client.SendAsync(own));
    }

    private static (int Width, int Height, SKEncodedOrigin Origin, SKEncodedImageFormat Format) Decoded(byte[] image)
    {
        using var codec = SKCodec.Create(new MemoryStream(image));
        Assert.NotNull(codec);
        return (codec.Info.Width, codec.Info.Height, codec.EncodedOrigin, codec.EncodedFormat);
    }

    /// <summary>
    /// The JPEG with an EXIF APP1 segment right after SOI, as a phone writes it: orientation, an image description and a
    /// GPS position (38°N), in big-endian TIFF.
    /// </summary>
    private static byte[] WithExif(byte[] jpeg, ushort orientation, string description)
    {
        var tiff = new List<byte>();
        void U16(int v) => tiff.AddRange([(byte)(v >> 8), (byte)v]);
        void U32(int v) => tiff.AddRange([(byte)(v >> 24), (byte)(v >> 16), (byte)(v >> 8), (byte)v]);
        var text = Encoding.ASCII.GetBytes(description + "\0");
        const int ifd0 = 8, ifd0Size = 2 + 3 * 12 + 4;
        var textAt = ifd0 + ifd0Size;
        var gpsAt = textAt + text.Length;
        const int gpsSize = 2 + 2 * 12 + 4;
        var latitudeAt = gpsAt + gpsSize;

        tiff.AddRange("MM"u8.ToArray());
        U16(42);
        U32(ifd0);
        U16(3);
        U16(0x010E); U16(2); U32(text.Length); U32(textAt); // ImageDescription
        U16(0x0112); U16(3); U32(1); U16(orientation); U16(0); // Orientation
        U16(0x8825); U16(4); U32(1); U32(gpsAt); // GPS IFD
        U32(0);
        tiff.AddRange(text);
        U16(2);
        U16(0x0001); U16(2); U32(2); tiff.AddRange("N\0\0\0"u8.ToArray()); // GPSLatitudeRef
        U16(0x0002); U16(5); U32(3); U32(latitudeAt); // GPSLatitude
        U32(0);
        foreach (var (numerator, denominator) in new[] { (38, 1), (0, 1), (0, 1) })
        {
            U32(numerator);
            U32(denominator);
        }

        byte[] payload = [.. "Exif\0\0"u8.ToArray(), .. tiff];
        var length = payload.Length + 2;
        return [jpeg[0], jpeg[1], 0xFF, 0xE1, (byte)(length >> 8), (byte)length, .. payload, .. jpeg[2..]];
    }
}
