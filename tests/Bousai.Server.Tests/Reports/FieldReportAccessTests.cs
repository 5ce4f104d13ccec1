using System.Net;
using System.Net.Http.Json;
using System.Text;
using System.Text.Json.Nodes;
using Bousai.Server.Tests.Support;

namespace Bousai.Server.Tests.Reports;

/// <summary>A report sent by the field account and one sent by HQ, each with a photo HQ has not made public.</summary>
public sealed class ReportsOfTwoAccounts : IAsyncLifetime
{
    public BousaiApp App { get; } = new();

    public long FieldsReport { get; private set; }

    public long HqsReport { get; private set; }

    public async Task InitializeAsync()
    {
        await ((IAsyncLifetime)App).InitializeAsync();
        FieldsReport = await SubmitAsync("field");
        HqsReport = await SubmitAsync("hq");
    }

    private async Task<long> SubmitAsync(string userName)
    {
        using var client = await App.SignedInClientAsync(userName);
        var response = await client.PostReportAsync(FieldReportForm.Report(), new PhotoPart(FieldReportForm.Jpeg()));
        return (await response.Content.ReadFromJsonAsync<JsonObject>())!["reportId"]!.GetValue<long>();
    }

    public Task DisposeAsync() => ((IAsyncLifetime)App).DisposeAsync();
}

/// <summary>Who may call each field report endpoint: anonymous, field, shelter, hq, admin. A refused write changes nothing.</summary>
public sealed class FieldReportAccessTests(ReportsOfTwoAccounts reports) : IClassFixture<ReportsOfTwoAccounts>
{
    private BousaiApp App => reports.App;

    /// <summary>{FIELD} is the field account's report, {HQ} HQ's. HQ's writes carry a body its own check refuses, so they change nothing either.</summary>
    public static TheoryData<string, string, string?, string, int> Calls()
    {
        var data = new TheoryData<string, string, string?, string, int>();
        void Add(string method, string path, string? body, int anonymous, int field, int shelter, int hq, int admin)
        {
            foreach (var (role, status) in new[] { ("anonymous", anonymous), ("field", field), ("shelter", shelter), ("hq", hq), ("admin", admin) })
            {
                data.Add(method, path, body, role, status);
            }
        }

        Add("GET", "/api/reports/mine", null, 401, 200, 403, 200, 403);
        Add("GET", "/api/reports/{FIELD}", null, 401, 200, 403, 200, 403);
        Add("GET", "/api/reports/{HQ}", null, 401, 403, 403, 200, 403);
        Add("GET", "/api/reports/{FIELD}/history", null, 401, 200, 403, 200, 403);
        Add("GET", "/api/reports/{HQ}/history", null, 401, 403, 403, 200, 403);
        Add("POST", "/api/reports/{FIELD}/status", """{"status":"rejected"}""", 401, 403, 403, 400, 403);
        Add("POST", "/api/reports/{FIELD}/duplicate", """{"duplicateOf":{FIELD}}""", 401, 403, 403, 400, 403);
        Add("POST", "/api/reports/{FIELD}/assignment", """{"assignee":"nobody"}""", 401, 403, 403, 400, 403);
        Add("PATCH", "/api/reports/{FIELD}", "{}", 401, 403, 403, 400, 403);
        Add("PUT", "/api/reports/{FIELD}/photos/1/public", "{}", 401, 403, 403, 400, 403);
        Add("GET", "/api/field-crews", null, 401, 403, 403, 200, 403);
        // Photos: HQ and the crew who sent it; to anyone else a photo that is not public does not exist.
        Add("GET", "/api/reports/{FIELD}/photos/1", null, 404, 200, 404, 200, 404);
        Add("GET", "/api/reports/{FIELD}/photos/1/thumbnail", null, 404, 200, 404, 200, 404);
        Add("GET", "/api/reports/{HQ}/photos/1", null, 404, 404, 404, 200, 404);
        Add("GET", "/api/reports/{HQ}/photos/1/thumbnail", null, 404, 404, 404, 200, 404);
        return data;
    }

    [Theory]
    [MemberData(nameof(Calls))]
    public async Task Each_endpoint_answers_each_role_as_its_rule_says_and_a_refusal_changes_nothing(string method, string path, string? body, string role,
        int status)
    {
        using var client = role == "anonymous" ? App.Client() : await App.SignedInClientAsync(role);
        string Fill(string text) => text.Replace("{FIELD}", reports.FieldsReport.ToString()).Replace("{HQ}", reports.HqsReport.ToString());
        var before = await ReportCounts.OfAsync(App.Database);
        using var request = new HttpRequestMessage(new HttpMethod(method), Fill(path));
        if (body is not null) request.Content = new StringContent(Fill(body), Encoding.UTF8, "application/json");

        var response = await client.SendAsync(request);

        Assert.True((int)response.StatusCode == status, $"{role} {method} {path}: expected {status}, got {(int)response.StatusCode}");
        if (status >= 400) Assert.Equal("application/problem+json", response.Content.Headers.ContentType?.MediaType);
        Assert.Equal(before, await ReportCounts.OfAsync(App.Database));
    }

    [Theory]
    [InlineData("anonymous", 401)]
    [InlineData("field", 201)]
    [InlineData("shelter", 403)]
    [InlineData("hq", 201)]
    [InlineData("admin", 403)]
    public async Task Field_crews_and_HQ_send_reports_and_no_one_else(string role, int status)
    {
        using var client = role == "anonymous" ? App.Client() : await App.SignedInClientAsync(role);
        var before = await ReportCounts.OfAsync(App.Database);

        var response = await client.PostReportAsync(FieldReportForm.Report(), new PhotoPart(FieldReportForm.Jpeg(200, 100)));

        Assert.Equal(status, (int)response.StatusCode);
        if (status != 201) Assert.Equal(before, await ReportCounts.OfAsync(App.Database));
    }

    [Fact]
    public async Task A_field_crews_own_reports_are_theirs_alone()
    {
        using var field = await App.SignedInClientAsync("field");
        using var hq = await App.SignedInClientAsync("hq");

        var fieldsOwn = (await field.GetFromJsonAsync<JsonArray>("/api/reports/mine"))!.Select(r => r!["reportId"]!.GetValue<long>()).ToList();
        var hqsOwn = (await hq.GetFromJsonAsync<JsonArray>("/api/reports/mine"))!.Select(r => r!["reportId"]!.GetValue<long>()).ToList();

        Assert.Contains(reports.FieldsReport, fieldsOwn);
        Assert.DoesNotContain(reports.HqsReport, fieldsOwn);
        Assert.Contains(reports.HqsReport, hqsOwn);
        Assert.DoesNotContain(reports.FieldsReport, hqsOwn);
        Assert.Equal(fieldsOwn.OrderDescending(), fieldsOwn);
    }

    [Theory]
    [InlineData("anonymous", "redirect")]
    [InlineData("field", "page")]
    [InlineData("shelter", "403")]
    [InlineData("hq", "page")]
    [InlineData("admin", "403")]
    public async Task The_field_page_opens_for_field_crews_and_HQ_and_sends_others_to_sign_in(string role, string expected)
    {
        using var client = role == "anonymous" ? App.Client() : await App.SignedInClientAsync(role);

        var response = await client.GetAsync("/field");

        switch (expected)
        {
            case "redirect":
                Assert.Equal(HttpStatusCode.Redirect, response.StatusCode);
                Assert.StartsWith("/login?returnUrl=%2Ffield", response.Headers.Location!.PathAndQuery);
                break;
            case "403":
                Assert.Equal(HttpStatusCode.Forbidden, response.StatusCode);
                break;
            default:
                // The page itself, or (in a checkout where web/ is not built) the server saying so: never a refusal.
                Assert.Contains(response.StatusCode, new[] { HttpStatusCode.OK, HttpStatusCode.ServiceUnavailable });
                if (response.StatusCode == HttpStatusCode.ServiceUnavailable) Assert.Contains("field.html", await response.Content.ReadAsStringAsync());
                break;
        }
    }
}
