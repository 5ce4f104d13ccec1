using PdfSharp.Fonts;
using SkiaSharp;

namespace Bousai.Server.SituationReport;

/// <summary>Where the report's fonts are (Debian's packages; ./bousai installs both).</summary>
public sealed class SituationReportOptions
{
    /// <summary>The map's text: Noto Sans CJK (fonts-noto-cjk); the collection's first face is the Japanese one.</summary>
    public string MapFont { get; set; } = "/usr/share/fonts/opentype/noto/NotoSansCJK-Regular.ttc";

    /// <summary>
    /// The PDF's text: IPAexGothic (fonts-ipaexfont-gothic). PDFsharp 6.2.4 embeds TrueType outlines only: Noto CJK's CFF
    /// outlines go into the TrueType slot whole (13 MB for a line, and not a valid PDF font), so the PDF uses this face.
    /// </summary>
    public string PdfFont { get; set; } = "/usr/share/fonts/opentype/ipaexfont-gothic/ipaexg.ttf";
}

/// <summary>
/// The report's faces, loaded once. PDFsharp's font resolver is one for the process (GlobalFontSettings), so the first
/// PDF font file configured is the one every report embeds.
/// </summary>
public static class ReportFonts
{
    /// <summary>The family name the PDF asks for; the resolver answers it (and any other) with the configured face.</summary>
    public const string PdfFamily = "Bousai Report";

    private static readonly Lock Gate = new();
    private static readonly Dictionary<string, SKTypeface> Typefaces = [];

    public static SKTypeface MapTypeface(string path)
    {
        lock (Gate)
        {
            if (Typefaces.TryGetValue(path, out var typeface)) return typeface;
            typeface = File.Exists(path) ? SKTypeface.FromFile(path) : null;
            if (typeface is null) throw new FileNotFoundException($"The map's font is not at {path} (Debian: apt-get install fonts-noto-cjk).", path);
            Typefaces[path] = typeface;
            return typeface;
        }
    }

    public static void UsePdfFont(string path)
    {
        lock (Gate)
        {
            if (GlobalFontSettings.FontResolver is PdfFace) return;
            if (!File.Exists(path)) throw new FileNotFoundException($"The PDF's font is not at {path} (Debian: apt-get install fonts-ipaexfont-gothic).", path);
            GlobalFontSettings.FontResolver = new PdfFace(File.ReadAllBytes(path));
        }
    }

    /// <summary>One face for every request; bold is simulated (IPAexGothic has no bold face).</summary>
    private sealed class PdfFace(byte[] face) : IFontResolver
    {
        public FontResolverInfo ResolveTypeface(string familyName, bool bold, bool italic) => new("report", bold, false);

        public byte[] GetFont(string faceName) => face;
    }
}
