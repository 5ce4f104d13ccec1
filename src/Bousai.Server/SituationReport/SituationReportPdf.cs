using PdfSharp.Drawing;
using PdfSharp.Pdf;

namespace Bousai.Server.SituationReport;

public enum Paper
{
    A4,
    A3,
}

/// <summary>A table of the report: its title, its columns (heading and share of the width) and its rows of text.</summary>
public sealed record ReportTable(string Title, IReadOnlyList<(string Heading, double Share)> Columns, IReadOnlyList<string[]> Rows, string? Empty = null);

/// <summary>What the PDF says, worked out before it is laid out.</summary>
public sealed record ReportContent(
    string Town,
    DateTimeOffset Moment,
    DateTimeOffset MadeAt,
    string? DrillName,
    bool Illustrative,
    IReadOnlyList<ReportTable> Tables);

/// <summary>
/// The situation report as a PDF (PDFsharp): landscape A4 or A3; page 1 the title and the map at print resolution, then the
/// tables, continued on further pages with their headings repeated; 「n / N」 on every page.
/// </summary>
public static class SituationReportPdf
{
    /// <summary>The map's resolution on paper.</summary>
    public const double MapDpi = 200;

    private const double Margin = 32;
    private const double FooterHeight = 18;
    private static readonly XColor Ink = XColor.FromArgb(0x1a, 0x1a, 0x1a);
    private static readonly XColor Navy = XColor.FromArgb(0x12, 0x35, 0x5b);
    private static readonly XColor Red = XColor.FromArgb(0xb0, 0x00, 0x20);
    private static readonly XColor Amber = XColor.FromArgb(0x5c, 0x46, 0x00);

    /// <summary>Landscape page sizes in points.</summary>
    public static (double Width, double Height) PageSize(Paper paper) => paper == Paper.A3 ? (1190.55, 841.89) : (841.89, 595.28);

    /// <summary>The box the map fills on page 1, in points.</summary>
    public static XRect MapBox(Paper paper)
    {
        var (width, height) = PageSize(paper);
        const double top = Margin + 58;
        return new XRect(Margin, top, width - 2 * Margin, height - top - Margin - FooterHeight);
    }

    /// <summary>Writes the report; <paramref name="map"/> draws the map for an image of so many pixels at so many pixels per layout unit.</summary>
    public static byte[] Write(ReportContent content, Paper paper, Func<int, int, double, byte[]> map)
    {
        var document = new PdfDocument();
        var title = $"{content.Town} 状況報告 {SituationTime.Jst(content.Moment)}";
        document.Info.Title = title;
        document.Info.Subject = "災害対策本部会議資料 / Situation report";
        document.Info.Creator = "Bousai";
        var (pageWidth, pageHeight) = PageSize(paper);

        PdfPage NewPage()
        {
            var page = document.AddPage();
            page.Width = XUnit.FromPoint(pageWidth);
            page.Height = XUnit.FromPoint(pageHeight);
            return page;
        }

        using (var g = XGraphics.FromPdfPage(NewPage()))
        {
            FirstPage(g, content, paper, map);
        }

        var tables = new TableWriter(NewPage, pageWidth, pageHeight, paper == Paper.A3 ? 10 : 9);
        foreach (var table in content.Tables) tables.Write(table);
        tables.Dispose();

        var count = document.PageCount;
        for (var i = 0; i < count; i++)
        {
            using var g = XGraphics.FromPdfPage(document.Pages[i], XGraphicsPdfPageOptions.Append);
            var font = new XFont(ReportFonts.PdfFamily, 8);
            var y = pageHeight - Margin + 4;
            g.DrawString($"{i + 1} / {count}", font, new XSolidBrush(Ink), new XRect(0, y - 10, pageWidth, 12), XStringFormats.Center);
            g.DrawString(title + $"（作成 {SituationTime.Jst(content.MadeAt)}）", font, new XSolidBrush(Ink), new XPoint(Margin, y));
            if (content.DrillName is not null)
            {
                g.DrawString("訓練 / EXERCISE", new XFont(ReportFonts.PdfFamily, 8, XFontStyleEx.Bold), new XSolidBrush(Red),
                    new XRect(pageWidth - Margin - 200, y - 10, 200, 12), XStringFormats.CenterRight);
            }
        }

        using var output = new MemoryStream();
        document.Save(output, closeStream: false);
        return output.ToArray();
    }

    private static void FirstPage(XGraphics g, ReportContent content, Paper paper, Func<int, int, double, byte[]> map)
    {
        var (pageWidth, _) = PageSize(paper);
        var titleFont = new XFont(ReportFonts.PdfFamily, 22, XFontStyleEx.Bold);
        g.DrawString("状況報告", titleFont, new XSolidBrush(Navy), new XPoint(Margin, Margin + 20));
        var afterTitle = Margin + g.MeasureString("状況報告", titleFont).Width + 12;
        g.DrawString($"{content.Town}　災害対策本部会議資料 / Situation report", new XFont(ReportFonts.PdfFamily, 13), new XSolidBrush(Ink),
            new XPoint(afterTitle, Margin + 19));
        var line = new XFont(ReportFonts.PdfFamily, 11);
        g.DrawString($"{SituationTime.Jst(content.Moment)} 現在の状況　作成 {SituationTime.Jst(content.MadeAt)}", line,
            new XSolidBrush(Ink), new XPoint(Margin, Margin + 42));

        // Marks on the right of the title, in words (never colour alone).
        var right = pageWidth - Margin;
        var badge = new XFont(ReportFonts.PdfFamily, 12, XFontStyleEx.Bold);
        void Badge(string text, XColor colour)
        {
            var width = g.MeasureString(text, badge).Width + 14;
            var box = new XRect(right - width, Margin + 4, width, 22);
            g.DrawRectangle(new XSolidBrush(colour), box);
            g.DrawString(text, badge, XBrushes.White, box, XStringFormats.Center);
            right -= width + 8;
        }

        if (content.DrillName is not null) Badge($"訓練 / EXERCISE：{content.DrillName}", Red);
        if (content.Illustrative) Badge("想定データ / illustrative", Amber);

        var box = MapBox(paper);
        var pixelsWide = (int)Math.Round(box.Width / 72 * MapDpi);
        var pixelsHigh = (int)Math.Round(box.Height / 72 * MapDpi);
        // Layout units of the map are CSS pixels (1/96 in) at the size they print.
        var scale = pixelsWide / (box.Width / 72 * 96);
        var png = map(pixelsWide, pixelsHigh, scale);
        using var image = XImage.FromStream(new MemoryStream(png));
        g.DrawImage(image, box);
        g.DrawRectangle(new XPen(XColor.FromArgb(0x80, 0x80, 0x80), 0.5), box);
    }

    /// <summary>Lays tables out down the pages, starting a page when a row does not fit and repeating the headings there.</summary>
    private sealed class TableWriter(Func<PdfPage> newPage, double pageWidth, double pageHeight, double size) : IDisposable
    {
        private readonly XFont _text = new(ReportFonts.PdfFamily, size);
        private readonly XFont _bold = new(ReportFonts.PdfFamily, size, XFontStyleEx.Bold);
        private readonly XFont _heading = new(ReportFonts.PdfFamily, size + 3, XFontStyleEx.Bold);
        private readonly double _line = size * 1.35;
        private XGraphics? _g;
        private double _y;

        private double Bottom => pageHeight - Margin - FooterHeight;

        private double Width => pageWidth - 2 * Margin;

        private XGraphics G
        {
            get
            {
                if (_g is null) StartPage();
                return _g!;
            }
        }

        private void StartPage()
        {
            _g?.Dispose();
            _g = XGraphics.FromPdfPage(newPage());
            _y = Margin;
        }

        public void Write(ReportTable table)
        {
            var fresh = _g is null;
            if (fresh) StartPage();
            var headingHeight = _line * 1.6;
            var headerHeight = RowHeight(table, table.Columns.Select(c => c.Heading).ToArray(), _bold);
            // A table starts where its heading, its header and a first row fit.
            var first = table.Rows.Count > 0 ? RowHeight(table, table.Rows[0], _text) : _line + 6;
            if (!fresh)
            {
                if (_y + _line + headingHeight + headerHeight + first > Bottom) StartPage();
                else _y += _line;
            }
            Heading(table.Title);
            Header(table, headerHeight);
            if (table.Rows.Count == 0)
            {
                G.DrawString(table.Empty ?? "なし", _text, new XSolidBrush(Ink), new XPoint(Margin + 4, _y + _line));
                _y += _line + 6;
                return;
            }

            var shade = false;
            foreach (var row in table.Rows)
            {
                var height = RowHeight(table, row, _text);
                if (_y + height > Bottom)
                {
                    StartPage();
                    Heading(table.Title + "（続き / continued）");
                    Header(table, headerHeight);
                }

                if (shade) G.DrawRectangle(new XSolidBrush(XColor.FromArgb(0xf2, 0xf4, 0xf7)), new XRect(Margin, _y, Width, height));
                shade = !shade;
                Cells(table, row, _text, height);
                _y += height;
            }

            G.DrawLine(new XPen(XColor.FromArgb(0x80, 0x80, 0x80), 0.5), Margin, _y, Margin + Width, _y);
        }

        private void Heading(string title)
        {
            G.DrawString(title, _heading, new XSolidBrush(Navy), new XPoint(Margin, _y + _line));
            _y += _line * 1.6;
        }

        private void Header(ReportTable table, double height)
        {
            G.DrawRectangle(new XSolidBrush(XColor.FromArgb(0xdd, 0xe3, 0xea)), new XRect(Margin, _y, Width, height));
            Cells(table, table.Columns.Select(c => c.Heading).ToArray(), _bold, height);
            _y += height;
        }

        private IEnumerable<(double Left, double Width)> Columns(ReportTable table)
        {
            var total = table.Columns.Sum(c => c.Share);
            var left = Margin;
            foreach (var column in table.Columns)
            {
                var width = Width * column.Share / total;
                yield return (left, width);
                left += width;
            }
        }

        private double RowHeight(ReportTable table, string[] cells, XFont font) =>
            Columns(table).Select((c, i) => Wrap(cells.ElementAtOrDefault(i) ?? "", font, c.Width - 6).Count).Max() * _line + 4;

        private void Cells(ReportTable table, string[] cells, XFont font, double height)
        {
            var brush = new XSolidBrush(Ink);
            foreach (var ((left, width), i) in Columns(table).Select((c, i) => (c, i)))
            {
                var y = _y + 2 + size;
                foreach (var line in Wrap(cells.ElementAtOrDefault(i) ?? "", font, width - 6))
                {
                    G.DrawString(line, font, brush, new XPoint(left + 3, y));
                    y += _line;
                }
            }

            G.DrawLine(new XPen(XColor.FromArgb(0xc0, 0xc0, 0xc0), 0.3), Margin, _y + height, Margin + Width, _y + height);
        }

        /// <summary>Breaks text into lines that fit: Japanese breaks between any two characters, so by character.</summary>
        private List<string> Wrap(string text, XFont font, double width)
        {
            var lines = new List<string>();
            foreach (var paragraph in text.Split('\n'))
            {
                var line = "";
                foreach (var ch in paragraph)
                {
                    if (line.Length > 0 && G.MeasureString(line + ch, font).Width > width)
                    {
                        lines.Add(line);
                        line = "";
                    }

                    line += ch;
                }

                lines.Add(line);
            }

            return lines;
        }

        public void Dispose() => _g?.Dispose();
    }
}
