using System.Security.Cryptography;
using SkiaSharp;

namespace Bousai.Server.Reports;

/// <summary>A photo as the server keeps and serves it: re-encoded JPEG (so no metadata survives) and its thumbnail.</summary>
public sealed record StoredPhoto(byte[] Hash, byte[] Full, byte[] Thumbnail, int Width, int Height);

/// <summary>
/// Turns an uploaded photo into what is stored, with SkiaSharp: the format is found from the bytes (never the file name or
/// Content-Type), the whole image must decode (a truncated upload is refused), the EXIF orientation is applied, and the
/// image is re-encoded as JPEG with a long side of at most 1,600 px. Re-encoding writes pixels only, so EXIF (GPS: where
/// a crew member lives), XMP and comments never reach a served copy.
/// </summary>
public static class ReportPhotos
{
    public const int MaxPhotos = 4;
    public const long MaxUploadBytes = 10 * 1024 * 1024;
    public const long MaxPixels = 40_000_000;
    public const int FullLongSide = 1_600;
    public const int ThumbnailLongSide = 320;
    private const int Quality = 82;

    /// <summary>The stored photo, or why the upload is refused (for the problem document).</summary>
    public static (StoredPhoto? Photo, string? Refusal) Process(byte[] upload)
    {
        if (upload.Length == 0) return (null, "The file is empty.");
        if (upload.Length > MaxUploadBytes) return (null, $"The photo is larger than {MaxUploadBytes / (1024 * 1024)} MB.");
        using var data = SKData.CreateCopy(upload);
        using var codec = SKCodec.Create(data);
        if (codec is null || codec.EncodedFormat is not (SKEncodedImageFormat.Jpeg or SKEncodedImageFormat.Png or SKEncodedImageFormat.Webp))
        {
            return (null, "The file is not a JPEG, PNG or WebP image.");
        }

        var size = codec.Info.Size;
        if ((long)size.Width * size.Height > MaxPixels) return (null, $"The image has more than {MaxPixels / 1_000_000} megapixels.");

        // JPEG decodes straight to 1/2, 1/4 or 1/8 of its size: a 12 MP photo need not be held at full size to be shrunk.
        var scale = Math.Min(1f, (float)FullLongSide / Math.Max(size.Width, size.Height));
        var decodeSize = codec.GetScaledDimensions(scale);
        if (Math.Max(decodeSize.Width, decodeSize.Height) < Math.Min(FullLongSide, Math.Max(size.Width, size.Height))) decodeSize = size;
        var decodeInfo = new SKImageInfo(decodeSize.Width, decodeSize.Height, SKColorType.Rgba8888, SKAlphaType.Premul);
        using var decoded = new SKBitmap(decodeInfo);
        var result = codec.GetPixels(decodeInfo, decoded.GetPixels());
        if (result != SKCodecResult.Success)
        {
            return (null, result == SKCodecResult.IncompleteInput
                ? "The image is truncated (the upload was cut off)."
                : "The image is corrupt and cannot be read.");
        }

        using var upright = Upright(decoded, codec.EncodedOrigin);
        var full = Jpeg(upright, FullLongSide, out var width, out var height);
        var thumbnail = Jpeg(upright, ThumbnailLongSide, out _, out _);
        return (new StoredPhoto(SHA256.HashData(full), full, thumbnail, width, height), null);
    }

    /// <summary>The pixels as the camera meant them to be seen (EXIF orientation), as the orientation tag is dropped.</summary>
    private static SKBitmap Upright(SKBitmap source, SKEncodedOrigin origin)
    {
        var swap = origin is SKEncodedOrigin.LeftTop or SKEncodedOrigin.RightTop or SKEncodedOrigin.RightBottom or SKEncodedOrigin.LeftBottom;
        var width = swap ? source.Height : source.Width;
        var height = swap ? source.Width : source.Height;
        var upright = new SKBitmap(new SKImageInfo(width, height, SKColorType.Rgba8888, SKAlphaType.Premul));
        using var canvas = new SKCanvas(upright);
        // A photo with transparency (PNG, WebP) becomes JPEG: on white, as a viewer would show it.
        canvas.Clear(SKColors.White);
        switch (origin)
        {
            case SKEncodedOrigin.TopRight:
                canvas.Translate(width, 0);
                canvas.Scale(-1, 1);
                break;
            case SKEncodedOrigin.BottomRight:
                canvas.Translate(width, height);
                canvas.RotateDegrees(180);
                break;
            case SKEncodedOrigin.BottomLeft:
                canvas.Translate(0, height);
                canvas.Scale(1, -1);
                break;
            case SKEncodedOrigin.LeftTop:
                canvas.RotateDegrees(90);
                canvas.Scale(1, -1);
                break;
            case SKEncodedOrigin.RightTop:
                canvas.Translate(width, 0);
                canvas.RotateDegrees(90);
                break;
            case SKEncodedOrigin.RightBottom:
                canvas.Translate(width, height);
                canvas.RotateDegrees(270);
                canvas.Scale(1, -1);
                break;
            case SKEncodedOrigin.LeftBottom:
                canvas.Translate(0, height);
                canvas.RotateDegrees(270);
                break;
        }

        using var image = SKImage.FromBitmap(source);
        canvas.DrawImage(image, 0, 0, new SKSamplingOptions(SKFilterMode.Nearest));
        canvas.Flush();
        return upright;
    }

    private static byte[] Jpeg(SKBitmap image, int longSide, out int width, out int height)
    {
        var scale = Math.Min(1.0, (double)longSide / Math.Max(image.Width, image.Height));
        width = Math.Max(1, (int)Math.Round(image.Width * scale));
        height = Math.Max(1, (int)Math.Round(image.Height * scale));
        using var resized = scale < 1
            ? image.Resize(new SKImageInfo(width, height, SKColorType.Rgba8888, SKAlphaType.Premul), new SKSamplingOptions(SKCubicResampler.Mitchell))
            : image.Copy();
        using var encoded = resized.Encode(SKEncodedImageFormat.Jpeg, Quality);
        return encoded.ToArray();
    }
}
