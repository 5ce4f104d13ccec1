using System.Net;
using System.Net.Http.Json;
using System.Text;
using System.Text.Json.Nodes;
using Bousai.Server.Tests.Support;
using Bousai.Server.Web;

namespace Bousai.Server.Tests.Web;

public sealed class TextInputRuleTests
{
    [Theory]
    [InlineData(null, null)]
    [InlineData("", null)]
    [InlineData("道路冠水 Route 113\t\n", null)]
    [InlineData("😀 a pair of surrogates", null)]
    [InlineData("sta\0tion", "NUL")]
    public void Texts_with_NUL_are_refused(string? text, string? refusal)
    {
        var reason = TextInput.Refusal(text);
        if (refusal is null) Assert.Null(reason);
        else Assert.Contains(refusal, reason);
    }

    // Built here: xUnit's test-case serialisation would replace a lone surrogate in an attribute before the test sees it.
    [Theory]
    [InlineData("{0} lone high")]
    [InlineData("lone low {1}")]
    [InlineData("ends high {0}")]
    [InlineData("reversed {1}{0}")]
    public void Texts_with_an_unpaired_surrogate_are_refused(string format) =>
        Assert.Contains("unpaired surrogate", TextInput.Refusal(string.Format(format, '\ud800', '\udc00')));

    [Fact]
    public void Texts_longer_than_the_limit_are_refused()
    {
        Assert.Null(TextInput.Refusal(new string('あ', TextInput.MaxLength)));
        Assert.Contains("longer than", TextInput.Refusal(new string('あ', TextInput.MaxLength + 1)));
        Assert.Contains("longer than 5", TextInput.Refusal("123456", maxLength: 5));
    }

    [Theory]
    [InlineData("$.note", "note")]
    [InlineData("$.thresholds.flood", "thresholds.flood")]
    [InlineData("$", "body")]
    [InlineData(null, "body")]
    [InlineData("$['a b']", "['a b']")]
    public void The_field_is_named_from_the_JSON_path(string? path, string field) =>
        Assert.Equal(field, BadRequestProblems.FieldOf(path));
}

/// <summary>
/// Every endpoint refuses a NUL or an unpaired surrogate in any text with a 400 naming the field, from one shared rule,
/// and writes nothing; query strings and form fields likewise.
/// </summary>
public sealed class TextInputEndpointTests(BousaiApp app) : IClassFixture<BousaiApp>
{
    private async Task<(long Events, long Audits)> CountsAsync() =>
        (await app.Database.ScalarAsync<long>("SELECT count(*) FROM situation_events"),
            await app.Database.ScalarAsync<long>("SELECT count(*) FROM audit_log WHERE action NOT LIKE 'login%'"));

    private static StringContent Json(string body) => new(body, Encoding.UTF8, "application/json");

    private static async Task AssertFieldRefusedAsync(HttpResponseMessage response, string field, string reason)
    {
        Assert.Equal(HttpStatusCode.BadRequest, response.StatusCode);
        Assert.Equal("application/problem+json", response.Content.Headers.ContentType?.MediaType);
        var problem = (await response.Content.ReadFromJsonAsync<JsonObject>())!;
        var errors = problem["errors"]!.AsObject();
        Assert.Equal([field], errors.Select(e => e.Key));
        Assert.Contains(reason, errors[field]![0]!.GetValue<string>());
    }

    public static TheoryData<string, string, string, string, string> TextFields => new()
    {
        // role, method, path, body with {TEXT} where the bad text goes, field
        { "hq", "POST", "/api/reports/1/status", """{"status":"rejected","reason":"{TEXT}"}""", "reason" },
        { "hq", "PATCH", "/api/reports/1", """{"publicSummary":"{TEXT}"}""", "publicSummary" },
        { "hq", "PUT", "/api/shelters/takahata-shelter-02/status", """{"open":true,"occupancy":3,"note":"{TEXT}"}""", "note" },
        { "hq", "POST", "/api/alerts", """{"kind":"manual","level":3,"message":"{TEXT}"}""", "message" },
        { "hq", "PUT", "/api/districts/district-niijuku/evacuation-level", """{"level":3,"decidedBy":"{TEXT}","reason":"水位上昇"}""", "decidedBy" },
        { "hq", "PUT", "/api/districts/district-niijuku/evacuation-level", """{"level":3,"decidedBy":"本部長","reason":"{TEXT}"}""", "reason" },
        { "admin", "POST", "/api/admin/stations", """{"stationId":"x-1","nameJa":"{TEXT}","kind":"rain","longitude":140.1,"latitude":38.0}""", "nameJa" },
        { "admin", "PUT", "/api/admin/stations/any/thresholds", """{"{TEXT}":1.0}""", "{TEXT}" },
        { "hq", "PUT", "/public/notifications/subscription", """{"endpoint":"https://fcm.googleapis.com/{TEXT}","language":"ja","districts":["district-wada"]}""", "endpoint" },
        { "hq", "PUT", "/public/notifications/subscription", """{"endpoint":"https://fcm.googleapis.com/x","language":"ja","districts":["{TEXT}"]}""", "districts[0]" },
        { "hq", "POST", "/public/notifications/subscription/lookup", """{"endpoint":"{TEXT}"}""", "endpoint" },
        { "hq", "DELETE", "/public/notifications/subscription", """{"endpoint":"{TEXT}"}""", "endpoint" },
    };

    [Theory]
    [MemberData(nameof(TextFields))]
    public async Task A_NUL_in_any_text_field_is_a_400_naming_the_field_and_changes_nothing(string role, string method, string path, string body, string field)
    {
        using var client = await app.SignedInClientAsync(role);
        var before = await CountsAsync();

        var response = await client.SendAsync(new HttpRequestMessage(new HttpMethod(method), path) { Content = Json(body.Replace("{TEXT}", @"sta\u0000tion")) });

        await AssertFieldRefusedAsync(response, field == "{TEXT}" ? "sta\uFFFDtion" : field, "NUL");
        Assert.Equal(before, await CountsAsync());
    }

    [Theory]
    [MemberData(nameof(TextFields))]
    public async Task An_unpaired_surrogate_in_any_text_field_is_a_400_naming_the_field(string role, string method, string path, string body, string field)
    {
        using var client = await app.SignedInClientAsync(role);

        var response = await client.SendAsync(new HttpRequestMessage(new HttpMethod(method), path) { Content = Json(body.Replace("{TEXT}", @"a\ud800b")) });

        Assert.Equal(HttpStatusCode.BadRequest, response.StatusCode);
        var problem = (await response.Content.ReadFromJsonAsync<JsonObject>())!;
        var error = Assert.Single(problem["errors"]!.AsObject());
        if (field == "{TEXT}") return; // a refused dictionary key: the reader names it in its own words
        Assert.Equal(field, error.Key);
        Assert.Contains("Unicode", error.Value![0]!.GetValue<string>());
    }

    [Fact]
    public async Task Malformed_JSON_is_a_problem_naming_where_it_broke()
    {
        using var hq = await app.SignedInClientAsync("hq");

        var response = await hq.PutAsync("/api/shelters/takahata-shelter-02/status", Json("""{"open":true,"occupancy":"three"}"""));

        await AssertFieldRefusedAsync(response, "occupancy", "could not be converted");
    }

    [Fact]
    public async Task A_station_name_of_20000_characters_is_refused()
    {
        using var admin = await app.SignedInClientAsync("admin");
        var name = new string('長', 20_000);

        var response = await admin.PostAsJsonAsync("/api/admin/stations",
            new { stationId = "long-name", nameJa = "名前", nameEn = name, kind = "rain", longitude = 140.1, latitude = 38.0 });
        Assert.Equal(HttpStatusCode.BadRequest, response.StatusCode);
        Assert.NotNull((await response.Content.ReadFromJsonAsync<JsonObject>())!["errors"]!["nameEn"]);

        response = await admin.PostAsJsonAsync("/api/admin/stations",
            new { stationId = "long-name", nameJa = name[..101], kind = "rain", longitude = 140.1, latitude = 38.0 });
        Assert.Equal(HttpStatusCode.BadRequest, response.StatusCode);
        Assert.NotNull((await response.Content.ReadFromJsonAsync<JsonObject>())!["errors"]!["nameJa"]);
        Assert.Equal(0L, await app.Database.ScalarAsync<long>("SELECT count(*) FROM stations WHERE id = 'long-name'"));
    }

    [Fact]
    public async Task An_alert_clearance_note_over_1000_characters_is_refused_and_the_alert_stays_raised()
    {
        using var hq = await app.SignedInClientAsync("hq");
        var raised = await hq.PostAsJsonAsync("/api/alerts", new { kind = "manual", level = 3, message = "堤防の点検" });
        var id = (await raised.Content.ReadFromJsonAsync<JsonObject>())!["alertId"]!.GetValue<long>();

        var response = await hq.PostAsJsonAsync($"/api/alerts/{id}/clear", new { note = new string('x', 1_001) });

        Assert.Equal(HttpStatusCode.BadRequest, response.StatusCode);
        Assert.NotNull((await response.Content.ReadFromJsonAsync<JsonObject>())!["errors"]!["note"]);
        Assert.Equal("raised", await app.Database.ScalarAsync<string>($"SELECT status FROM alerts WHERE id = {id}"));
    }

    [Fact]
    public async Task A_NUL_in_a_query_string_is_a_400_naming_the_parameter()
    {
        using var client = app.Client();

        var response = await client.GetAsync("/api/layers/shelters?bbox=140%00,38,141,39");

        await AssertFieldRefusedAsync(response, "bbox", "NUL");
    }

    [Fact]
    public async Task A_NUL_in_a_sign_in_form_field_is_a_400_and_not_a_server_error()
    {
        using var client = app.Client();

        var response = await client.SignInAsync("hq\0", BousaiApp.Password);

        Assert.Equal(HttpStatusCode.BadRequest, response.StatusCode);
        Assert.Equal("application/problem+json", response.Content.Headers.ContentType?.MediaType);
    }
}
