using System.Net;
using System.Net.Http.Headers;
using System.Net.Http.Json;
using System.Text.Json;
using SkiaSharp;

namespace Bousai.Server.Tests.Support;

/// <summary>Field reports sent as the field page sends them: multipart, the report as JSON in part "report", photos as files.</summary>
public static class FieldReportSubmission
{
    /// <summary>Submits one report (observed ten minutes ago, in Japan time) and returns its number; fails the test unless 201.</summary>
    public static async Task<long> SubmitReportAsync(this HttpClient client, string category, string severity, string? description,
        double longitude, double latitude, int photos = 0)
    {
        using var content = new MultipartFormDataContent();
        content.Add(JsonContent.Create(new
        {
            clientId = Guid.NewGuid(),
            category,
            severity,
            description,
            observedAt = DateTimeOffset.UtcNow.AddMinutes(-10).ToOffset(TimeSpan.FromHours(9)),
            longitude,
            latitude,
            accuracyMetres = 18,
        }), "report");
        for (var i = 0; i < photos; i++)
        {
            var photo = new ByteArrayContent(Photo(i));
            photo.Headers.ContentType = new MediaTypeHeaderValue("image/jpeg");
            content.Add(photo, "photos", $"photo-{i + 1}.jpg");
        }

        var response = await client.PostAsync("/api/reports", content);
        Assert.True(response.StatusCode == HttpStatusCode.Created, $"{response.StatusCode}: {await response.Content.ReadAsStringAsync()}");
        return (await response.Content.ReadFromJsonAsync<JsonElement>()).GetProperty("reportId").GetInt64();
    }

    /// <summary>A photo-sized JPEG of a flooded road, drawn rather than shipped; <paramref name="variant"/> makes each one differ.</summary>
    public static byte[] Photo(int variant = 0)
    {
        using var bitmap = new SKBitmap(1200, 900);
        using (var canvas = new SKCanvas(bitmap))
        {
            canvas.Clear(new SKColor(120, (byte)(160 + variant * 20), 200));
            using var road = new SKPaint { Color = new SKColor(70, 70, 75) };
            canvas.DrawRect(0, 520, 1200, 380, road);
            using var water = new SKPaint { Color = new SKColor(90, 120, 140, 200) };
            canvas.DrawOval(600, 700, 500, 120, water);
        }

        using var data = bitmap.Encode(SKEncodedImageFormat.Jpeg, 85);
        return data.ToArray();
    }
}
