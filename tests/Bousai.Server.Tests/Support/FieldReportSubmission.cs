using System.Net;
using System.Net.Http.Json;
using System.Text.Json;

namespace Bousai.Server.Tests.Support;

/// <summary>Reports the browser tests start from, sent as the field page sends them (<see cref="FieldReportForm"/>).</summary>
public static class FieldReportSubmission
{
    /// <summary>Submits one report with <paramref name="photos"/> distinct JPEGs and returns its number; fails the test unless 201.</summary>
    public static async Task<long> SubmitReportAsync(this HttpClient client, string category, string severity, string? description,
        double longitude, double latitude, int photos = 0)
    {
        var report = FieldReportForm.Report(category, description);
        report["severity"] = severity;
        report["longitude"] = longitude;
        report["latitude"] = latitude;
        var parts = Enumerable.Range(0, photos).Select(i => new PhotoPart(FieldReportForm.Jpeg(1200 + i * 40, 900), $"photo-{i + 1}.jpg")).ToArray();
        var response = await client.PostReportAsync(report, parts);
        Assert.True(response.StatusCode == HttpStatusCode.Created, $"{response.StatusCode}: {await response.Content.ReadAsStringAsync()}");
        return (await response.Content.ReadFromJsonAsync<JsonElement>()).GetProperty("reportId").GetInt64();
    }
}
