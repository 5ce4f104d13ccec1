using System.Net.Http.Headers;
using System.Text.Json;
using SkiaSharp;

namespace Bousai.Server.Tests.Support;

/// <summary>A file part of a report submission: the bytes, and the name and Content-Type a phone (or an attacker) gives them.</summary>
public sealed record PhotoPart(byte[] Bytes, string FileName = "photo.jpg", string ContentType = "image/jpeg", string PartName = "photos");

/// <summary>Field reports sent the way the field page's outbox sends them: multipart/form-data, a "report" JSON part and "photos".</summary>
public static class FieldReportForm
{
    /// <summary>A valid report inside the town (near 高畠駅), seen five minutes ago; change entries to break one rule.</summary>
    public static Dictionary<string, object?> Report(string category = "flooding", string? description = "道路冠水 深さ約20cm") => new()
    {
        ["clientId"] = Guid.NewGuid().ToString(),
        ["category"] = category,
        ["severity"] = "serious",
        ["description"] = description,
        ["observedAt"] = DateTimeOffset.UtcNow.AddMinutes(-5).ToOffset(TimeSpan.FromHours(9)).ToString("yyyy-MM-dd'T'HH:mm:sszzz"),
        ["longitude"] = 140.19,
        ["latitude"] = 38.0,
        ["accuracyMetres"] = 35.0,
    };

    /// <summary>JSON.stringify leaves Japanese as it is (System.Text.Json would write \uXXXX, six characters each).</summary>
    private static readonly JsonSerializerOptions AsBrowsersWrite = new() { Encoder = System.Text.Encodings.Web.JavaScriptEncoder.UnsafeRelaxedJsonEscaping };

    /// <summary>The "report" part's text.</summary>
    public static string Json(IReadOnlyDictionary<string, object?> report) => JsonSerializer.Serialize(report, AsBrowsersWrite);

    public static MultipartFormDataContent Content(IReadOnlyDictionary<string, object?> report, params PhotoPart[] photos)
    {
        var form = new MultipartFormDataContent
        {
            { new StringContent(Json(report), System.Text.Encoding.UTF8), "report" },
        };
        foreach (var photo in photos)
        {
            var file = new ByteArrayContent(photo.Bytes);
            file.Headers.ContentType = new MediaTypeHeaderValue(photo.ContentType);
            form.Add(file, photo.PartName, photo.FileName);
        }

        return form;
    }

    public static Task<HttpResponseMessage> PostReportAsync(this HttpClient client, IReadOnlyDictionary<string, object?> report, params PhotoPart[] photos) =>
        client.PostAsync("/api/reports", Content(report, photos));

    /// <summary>A photo-like JPEG (a gradient, so it does not compress to nothing) encoded by SkiaSharp.</summary>
    public static byte[] Jpeg(int width = 640, int height = 480) => Encode(width, height, SKEncodedImageFormat.Jpeg);

    public static byte[] Png(int width = 640, int height = 480) => Encode(width, height, SKEncodedImageFormat.Png);

    public static byte[] Webp(int width = 640, int height = 480) => Encode(width, height, SKEncodedImageFormat.Webp);

    private static byte[] Encode(int width, int height, SKEncodedImageFormat format)
    {
        using var bitmap = new SKBitmap(width, height);
        using (var canvas = new SKCanvas(bitmap))
        using (var paint = new SKPaint())
        {
            paint.Shader = SKShader.CreateLinearGradient(new SKPoint(0, 0), new SKPoint(width, height), [SKColors.SteelBlue, SKColors.SaddleBrown],
                SKShaderTileMode.Clamp);
            canvas.DrawRect(0, 0, width, height, paint);
        }

        using var data = bitmap.Encode(format, 90);
        return data.ToArray();
    }
}
