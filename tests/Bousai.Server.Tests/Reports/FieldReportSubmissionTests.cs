using System.Net;
using System.Net.Http.Json;
using System.Text.Json.Nodes;
using Bousai.Server.Tests.Support;

namespace Bousai.Server.Tests.Reports;

public sealed class FieldReportSubmissionTests(BousaiApp app) : IClassFixture<BousaiApp>
{
    [Fact]
    public async Task A_report_with_a_photo_is_stored_and_served_back()
    {
        using var field = await app.SignedInClientAsync("field");

        var response = await field.PostReportAsync(FieldReportForm.Report(), new PhotoPart(FieldReportForm.Jpeg(2000, 1500)));

        Assert.True(response.StatusCode == HttpStatusCode.Created, await response.Content.ReadAsStringAsync());
        var report = (await response.Content.ReadFromJsonAsync<JsonObject>())!;
        Assert.Equal(1600, report["photos"]![0]!["width"]!.GetValue<int>());
    }
}
