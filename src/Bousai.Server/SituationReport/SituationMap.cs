using Bousai.Domain.Reports;
using Bousai.Domain.Rivers;
using Bousai.Domain.Shelters;
using Bousai.Server.Reports;
using Bousai.Server.Shelters;
using NetTopologySuite.Geometries;
using SkiaSharp;

namespace Bousai.Server.SituationReport;

/// <summary>What one map shows: the town's geodata and the situation at <see cref="Moment"/>.</summary>
public sealed record MapScene(
    MapGeodata Geodata,
    DateTimeOffset Moment,
    IReadOnlyDictionary<string, int> Levels,
    IReadOnlyDictionary<string, ShelterState> Shelters,
    IReadOnlyDictionary<string, WaterLevelStage?> WaterStages,
    IReadOnlyList<FieldReport> Reports,
    bool Drill,
    bool Simulated,
    bool ForPublic);

/// <summary>
/// The town's situation map drawn on the server (SkiaSharp): districts filled by 警戒レベル, shelters by crowding band,
/// gauges by water-level stage, reports by category, each with a shape and words as well as a colour; a legend, a scale
/// bar, a north arrow and the attribution. Laid out in units of a CSS pixel; <c>scale</c> gives more pixels for print.
/// </summary>
public sealed class SituationMap(SKTypeface typeface)
{
    private const float HeaderHeight = 40;
    private const float Margin = 28;

    /// <summary>Whether a legend panel fits beside the map (otherwise the map takes the whole width and the legend is left out).</summary>
    private static float LegendWidth(float width) => width >= 640 ? 250 : 0;

    /// <summary>The projection of the map in an image of <paramref name="width"/> × <paramref name="height"/> pixels drawn at <paramref name="scale"/>.</summary>
    public static MapProjection Projection(MapGeodata geodata, int width, int height, double scale = 1) =>
        LayoutProjection(geodata, (float)(width / scale), (float)(height / scale)).Scaled(scale);

    private static MapProjection LayoutProjection(MapGeodata geodata, float width, float height)
    {
        var e = geodata.Extent;
        return MapProjection.Fit(e.MinX, e.MinY, e.MaxX, e.MaxY, 0, HeaderHeight, width - LegendWidth(width), height - HeaderHeight, Margin);
    }

    public byte[] RenderPng(MapScene scene, int width, int height, double scale = 1)
    {
        using var surface = SKSurface.Create(new SKImageInfo(width, height, SKColorType.Rgba8888, SKAlphaType.Premul));
        var canvas = surface.Canvas;
        canvas.Scale((float)scale);
        var w = (float)(width / scale);
        var h = (float)(height / scale);
        new Drawing(canvas, typeface, scene, LayoutProjection(scene.Geodata, w, h), w, h).Draw();
        using var image = surface.Snapshot();
        using var data = image.Encode(SKEncodedImageFormat.Png, 100);
        return data.ToArray();
    }

    private sealed class Drawing(SKCanvas canvas, SKTypeface typeface, MapScene scene, MapProjection projection, float width, float height)
    {
        private static readonly SKColor Ink = SKColor.Parse("#1a1a1a");
        private static readonly SKColor River = SKColor.Parse("#1565c0");
        private readonly List<SKRect> _taken = [];
        private readonly float _mapRight = width - LegendWidth(width);
        private SKRect MapFrame => new(0, HeaderHeight, _mapRight, height);

        public void Draw()
        {
            canvas.Clear(SituationWords.Outside);
            canvas.Save();
            canvas.ClipRect(MapFrame);
            DrawAreas();
            DrawRivers();
            var symbols = DrawSymbols();
            DrawLabels(symbols);
            DrawMarks();
            canvas.Restore();
            DrawHeader();
            DrawLegend();
        }

        private SKPoint P(Coordinate c)
        {
            var (x, y) = projection.ToPixel(c.X, c.Y);
            return new SKPoint((float)x, (float)y);
        }

        private SKPath Path(Geometry geometry)
        {
            using var path = new SKPathBuilder { FillType = SKPathFillType.EvenOdd };
            for (var i = 0; i < geometry.NumGeometries; i++)
            {
                switch (geometry.GetGeometryN(i))
                {
                    case Polygon polygon:
                        Ring(path, polygon.ExteriorRing.Coordinates, close: true);
                        foreach (var hole in polygon.InteriorRings) Ring(path, hole.Coordinates, close: true);
                        break;
                    case LineString line:
                        Ring(path, line.Coordinates, close: false);
                        break;
                }
            }

            return path.Detach();
        }

        private void Ring(SKPathBuilder path, Coordinate[] coordinates, bool close)
        {
            if (coordinates.Length == 0) return;
            path.MoveTo(P(coordinates[0]));
            for (var i = 1; i < coordinates.Length; i++) path.LineTo(P(coordinates[i]));
            if (close) path.Close();
        }

        private int Level(string districtId) => scene.Levels.TryGetValue(districtId, out var level) ? level : 0;

        private void DrawAreas()
        {
            using var fill = new SKPaint { Style = SKPaintStyle.Fill, IsAntialias = true };
            using var line = new SKPaint { Style = SKPaintStyle.Stroke, IsAntialias = true, StrokeJoin = SKStrokeJoin.Round };
            fill.Color = SituationWords.LevelFill(0);
            foreach (var boundary in scene.Geodata.Boundary)
            {
                using var path = Path(boundary);
                canvas.DrawPath(path, fill);
            }

            // Lower levels first, so a heavier rim of a higher level lies over a shared edge.
            foreach (var district in scene.Geodata.Districts.OrderBy(d => Level(d.Id)))
            {
                var level = Level(district.Id);
                using var path = Path(district.Shape);
                fill.Color = SituationWords.LevelFill(level);
                canvas.DrawPath(path, fill);
            }

            foreach (var district in scene.Geodata.Districts.OrderBy(d => Level(d.Id)))
            {
                var level = Level(district.Id);
                using var path = Path(district.Shape);
                line.Color = SituationWords.LevelLine(level);
                line.StrokeWidth = level switch { 3 => 2.5f, 4 => 3.5f, 5 => 4.5f, _ => 1.2f };
                using var dash = district.Illustrative && level == 0 ? SKPathEffect.CreateDash([4, 4], 0) : null;
                line.PathEffect = dash;
                canvas.DrawPath(path, line);
            }

            line.PathEffect = null;
            line.Color = SKColor.Parse("#2b2b2b");
            line.StrokeWidth = 2;
            foreach (var boundary in scene.Geodata.Boundary)
            {
                using var path = Path(boundary);
                canvas.DrawPath(path, line);
            }
        }

        private void DrawRivers()
        {
            using var line = new SKPaint { Style = SKPaintStyle.Stroke, IsAntialias = true, Color = River, StrokeWidth = 2.2f, StrokeCap = SKStrokeCap.Round };
            foreach (var river in scene.Geodata.Rivers)
            {
                using var path = Path(river.Course);
                canvas.DrawPath(path, line);
            }
        }

        private sealed record Symbol(SKPoint At, float Radius, string Label, SKColor LabelFill, SKColor LabelText, int Priority);

        private List<Symbol> DrawSymbols()
        {
            var labelled = new List<Symbol>();
            // Closed shelters under open ones, so an open shelter beside a closed one is never hidden.
            var shelters = scene.Geodata.Shelters
                .Select(s => (Place: s, State: scene.Shelters.GetValueOrDefault(s.Id)))
                .OrderBy(s => s.State?.Open == true ? 1 : 0).ThenBy(s => s.Place.Id, StringComparer.Ordinal);
            foreach (var (place, state) in shelters)
            {
                var at = P(place.Location.Coordinate);
                if (state is { Open: true })
                {
                    var colour = SituationWords.BandColour(state.Crowding);
                    Triangle(at, 9, colour, SKColors.White, filled: true);
                    labelled.Add(new Symbol(at, 9, $"{place.NameJa} {SituationWords.Band(state.Crowding)}", colour, SKColors.White,
                        10 + (int)state.Crowding));
                }
                else
                {
                    Triangle(at, 6, SKColors.White, SituationWords.BandColour(CrowdingBand.Closed), filled: false);
                }

                _taken.Add(Box(at, state is { Open: true } ? 9 : 6));
            }

            foreach (var station in scene.Geodata.Stations)
            {
                var at = P(station.Location.Coordinate);
                if (station.Kind == "rain")
                {
                    using var paint = new SKPaint { IsAntialias = true, Color = SituationWords.RainGauge };
                    canvas.DrawCircle(at, 6, paint);
                    paint.Style = SKPaintStyle.Stroke;
                    paint.Color = SKColors.White;
                    paint.StrokeWidth = 1.5f;
                    canvas.DrawCircle(at, 6, paint);
                    _taken.Add(Box(at, 7));
                    continue;
                }

                var stage = scene.WaterStages.GetValueOrDefault(station.Id);
                var (fill, text) = SituationWords.StageColours(stage);
                var radius = stage switch { WaterLevelStage.Danger => 12f, WaterLevelStage.Evacuation => 11f, WaterLevelStage.Caution => 10f, _ => 8.5f };
                Diamond(at, radius, fill, stage is null ? SKColor.Parse("#6b6b6b") : Ink, dashed: stage is null);
                if (stage is WaterLevelStage.Evacuation or WaterLevelStage.Danger) Text("!", at.X, at.Y + 4.5f, 12, text, SKTextAlign.Center, bold: true);
                _taken.Add(Box(at, radius));
                labelled.Add(new Symbol(at, radius, $"{station.NameJa} {SituationWords.Stage(stage)}", fill, text,
                    20 + (stage is null ? 0 : (int)stage)));
            }

            foreach (var report in scene.Reports.OrderBy(r => FieldReportWorkflow.IsClosed(r.Status) ? 0 : 1).ThenBy(r => r.ReportId))
            {
                var at = P(new Coordinate(report.Longitude, report.Latitude));
                var closed = FieldReportWorkflow.IsClosed(report.Status);
                using var paint = new SKPaint { IsAntialias = true, Color = closed ? SKColor.Parse("#8a8a8a") : SituationWords.CategoryColour(report.Category) };
                canvas.DrawCircle(at, 9, paint);
                paint.Style = SKPaintStyle.Stroke;
                paint.StrokeWidth = 1.5f;
                // Not yet verified by HQ: a dashed dark rim, as on screen.
                using var dash = report.Status == FieldReportStatus.New ? SKPathEffect.CreateDash([3, 2], 0) : null;
                paint.PathEffect = dash;
                paint.Color = report.Status == FieldReportStatus.New ? Ink : SKColors.White;
                canvas.DrawCircle(at, 9, paint);
                Text(SituationWords.CategoryMark(report.Category), at.X, at.Y + 4, 11, SKColors.White, SKTextAlign.Center, bold: true);
                _taken.Add(Box(at, 9));
            }

            return labelled;
        }

        private static SKRect Box(SKPoint at, float radius) => new(at.X - radius, at.Y - radius, at.X + radius, at.Y + radius);

        private void Triangle(SKPoint at, float radius, SKColor fill, SKColor rim, bool filled)
        {
            using var builder = new SKPathBuilder();
            builder.MoveTo(at.X, at.Y - radius);
            builder.LineTo(at.X + radius * 0.866f, at.Y + radius * 0.5f);
            builder.LineTo(at.X - radius * 0.866f, at.Y + radius * 0.5f);
            builder.Close();
            using var path = builder.Detach();
            using var paint = new SKPaint { IsAntialias = true, Color = fill };
            canvas.DrawPath(path, paint);
            paint.Style = SKPaintStyle.Stroke;
            paint.Color = rim;
            paint.StrokeWidth = filled ? 1.5f : 2f;
            canvas.DrawPath(path, paint);
        }

        private void Diamond(SKPoint at, float radius, SKColor fill, SKColor rim, bool dashed)
        {
            using var builder = new SKPathBuilder();
            builder.MoveTo(at.X, at.Y - radius);
            builder.LineTo(at.X + radius, at.Y);
            builder.LineTo(at.X, at.Y + radius);
            builder.LineTo(at.X - radius, at.Y);
            builder.Close();
            using var path = builder.Detach();
            using var paint = new SKPaint { IsAntialias = true, Color = fill };
            canvas.DrawPath(path, paint);
            paint.Style = SKPaintStyle.Stroke;
            paint.Color = rim;
            paint.StrokeWidth = 2;
            using var dash = dashed ? SKPathEffect.CreateDash([3, 2], 0) : null;
            paint.PathEffect = dash;
            canvas.DrawPath(path, paint);
        }

        private SKFont Font(float size, bool bold = false) => new(typeface, size) { Embolden = bold, Subpixel = true };

        private float Measure(string text, float size, bool bold = false)
        {
            using var font = Font(size, bold);
            return font.MeasureText(text);
        }

        private void Text(string text, float x, float y, float size, SKColor colour, SKTextAlign align = SKTextAlign.Left, bool bold = false)
        {
            using var font = Font(size, bold);
            using var paint = new SKPaint { IsAntialias = true, Color = colour };
            canvas.DrawText(text, x, y, align, font, paint);
        }

        /// <summary>A label: text on a filled box with a white rim; returns its box.</summary>
        private void Tag(SKRect box, string text, float size, SKColor fill, SKColor textColour, bool bold = true)
        {
            using var paint = new SKPaint { IsAntialias = true, Color = fill };
            canvas.DrawRoundRect(box, 3, 3, paint);
            paint.Style = SKPaintStyle.Stroke;
            paint.Color = SKColors.White;
            paint.StrokeWidth = 1.2f;
            canvas.DrawRoundRect(box, 3, 3, paint);
            Text(text, box.Left + 4, box.Bottom - (box.Height - size) / 2 - 1.5f, size, textColour, bold: bold);
        }

        private bool Free(SKRect box) =>
            box.Left >= 2 && box.Top >= HeaderHeight + 2 && box.Right <= _mapRight - 2 && box.Bottom <= height - 2
            && !_taken.Any(t => t.IntersectsWith(box));

        /// <summary>The first free place for a box of this size around a point: right, left, below, above, then further out.</summary>
        private SKRect? Place(SKPoint at, float radius, float w, float h, bool mustShow)
        {
            var gap = radius + 3;
            SKRect[] candidates =
            [
                SKRect.Create(at.X + gap, at.Y - h / 2, w, h),
                SKRect.Create(at.X - gap - w, at.Y - h / 2, w, h),
                SKRect.Create(at.X - w / 2, at.Y + gap, w, h),
                SKRect.Create(at.X - w / 2, at.Y - gap - h, w, h),
                SKRect.Create(at.X + gap, at.Y + gap, w, h),
                SKRect.Create(at.X - gap - w, at.Y + gap, w, h),
                SKRect.Create(at.X + gap, at.Y - gap - h, w, h),
                SKRect.Create(at.X - gap - w, at.Y - gap - h, w, h),
            ];
            foreach (var candidate in candidates)
            {
                if (Free(candidate)) return candidate;
            }

            // A label that must show takes the place where it covers the fewest others.
            return mustShow ? candidates.OrderBy(c => _taken.Count(t => t.IntersectsWith(c))).First() : null;
        }

        private void DrawLabels(List<Symbol> symbols)
        {
            // A gauge at 氾濫注意 or above says so before anything else is placed, as on screen.
            var urgent = symbols.Where(s => s.Priority >= 20 + (int)WaterLevelStage.Caution).OrderByDescending(s => s.Priority).ToList();
            foreach (var symbol in urgent) PlaceTag(symbol, mustShow: true);

            // District names and levels first: they are the decisions the map is for. Placed beside the district's
            // inside point, never on it.
            foreach (var district in scene.Geodata.Districts)
            {
                var level = Level(district.Id);
                var at = P(district.Inside.Coordinate);
                var name = district.NameJa;
                var levelText = level is 3 or 4 or 5 ? SituationWords.LevelShort(level) : null;
                var w = Math.Max(Measure(name, 14, true), levelText is null ? 0 : Measure(levelText, 12, true) + 8) + 8;
                var h = levelText is null ? 20f : 38f;
                if (Place(at, 4, w, h, mustShow: true) is not { } box) continue;
                using (var halo = new SKPaint { Color = new SKColor(255, 255, 255, 200), IsAntialias = true })
                {
                    canvas.DrawRoundRect(SKRect.Create(box.Left, box.Top, w, 20), 3, 3, halo);
                }

                Text(name, box.Left + 4, box.Top + 15, 14, Ink, bold: true);
                if (levelText is not null)
                {
                    Tag(SKRect.Create(box.Left, box.Top + 20, Measure(levelText, 12, true) + 8, 17), levelText, 12,
                        SituationWords.LevelLine(level), SKColors.White);
                }

                _taken.Add(box);
            }

            foreach (var symbol in symbols.Except(urgent).OrderByDescending(s => s.Priority)) PlaceTag(symbol);
        }

        private void PlaceTag(Symbol symbol, bool mustShow = false)
        {
            var w = Measure(symbol.Label, 11, true) + 8;
            if (Place(symbol.At, symbol.Radius, w, 16, mustShow) is not { } box) return;
            Tag(box, symbol.Label, 11, symbol.LabelFill, symbol.LabelText);
            _taken.Add(box);
        }

        private void DrawMarks()
        {
            var frame = MapFrame;
            // Exercise and illustrative data: said in words in the corner, as the banners on screen.
            var y = frame.Top + 8;
            if (scene.Drill)
            {
                const string drill = "訓練 / EXERCISE";
                var w = Measure(drill, 18, true) + 16;
                Tag(SKRect.Create(frame.Left + 8, y, w, 28), drill, 18, SKColor.Parse("#b00020"), SKColors.White);
                y += 34;
            }

            if (scene.Simulated)
            {
                const string simulated = "想定データ / Illustrative data";
                var w = Measure(simulated, 13, true) + 12;
                Tag(SKRect.Create(frame.Left + 8, y, w, 22), simulated, 13, SKColor.Parse("#5c4600"), SKColors.White);
                y += 28;
            }

            if (scene.Geodata.AnyIllustrative)
            {
                const string shapes = "地区境界・河川は想定（公表データなし） / Districts and rivers illustrative";
                using var halo = new SKPaint { Color = new SKColor(255, 255, 255, 220) };
                canvas.DrawRect(SKRect.Create(frame.Left + 8, y, Measure(shapes, 10) + 8, 15), halo);
                Text(shapes, frame.Left + 12, y + 11, 10, Ink);
            }

            // North arrow, top right of the map.
            var nx = frame.Right - 26;
            var ny = frame.Top + 14;
            using (var builder = new SKPathBuilder())
            using (var paint = new SKPaint { IsAntialias = true, Color = Ink })
            {
                builder.MoveTo(nx, ny + 4);
                builder.LineTo(nx + 9, ny + 30);
                builder.LineTo(nx, ny + 24);
                builder.LineTo(nx - 9, ny + 30);
                builder.Close();
                using var arrow = builder.Detach();
                canvas.DrawPath(arrow, paint);
                Text("N", nx, ny + 44, 13, Ink, SKTextAlign.Center, bold: true);
            }

            // Scale bar, bottom left: a round distance in metres from the projection.
            var (metres, pixels) = projection.ScaleBar(Math.Min(160, frame.Width / 3));
            var sx = frame.Left + 14;
            var sy = frame.Bottom - 16;
            var bar = (float)pixels;
            using (var back = new SKPaint { Color = new SKColor(255, 255, 255, 220) })
            {
                canvas.DrawRect(SKRect.Create(sx - 6, sy - 24, bar + 12, 30), back);
            }

            using (var paint = new SKPaint { IsAntialias = true, Color = Ink, StrokeWidth = 2, Style = SKPaintStyle.Stroke })
            {
                canvas.DrawLine(sx, sy, sx + bar, sy, paint);
                canvas.DrawLine(sx, sy - 6, sx, sy, paint);
                canvas.DrawLine(sx + bar, sy - 6, sx + bar, sy, paint);
                canvas.DrawLine(sx + bar / 2, sy - 4, sx + bar / 2, sy, paint);
            }

            Text(metres >= 1000 ? $"{metres / 1000:0.#} km" : $"{metres:0} m", sx + bar / 2, sy - 10, 11, Ink, SKTextAlign.Center, bold: true);

            // Attribution, bottom right (GSI terms for the shelters and basemap data, MLIT's for N03).
            string[] credits = ["出典：国土地理院（指定緊急避難場所・指定避難所）", "「国土数値情報（行政区域データ）」（国土交通省）を加工して作成"];
            var cw = credits.Max(c => Measure(c, 10)) + 10;
            using (var back = new SKPaint { Color = new SKColor(255, 255, 255, 225) })
            {
                canvas.DrawRect(SKRect.Create(frame.Right - cw - 4, frame.Bottom - 34, cw, 30), back);
            }

            Text(credits[0], frame.Right - cw + 1, frame.Bottom - 21, 10, Ink);
            Text(credits[1], frame.Right - cw + 1, frame.Bottom - 8, 10, Ink);
        }

        private void DrawHeader()
        {
            using var paint = new SKPaint { Color = SKColor.Parse("#12355b") };
            canvas.DrawRect(SKRect.Create(0, 0, width, HeaderHeight), paint);
            var town = scene.Geodata.TownJa;
            var title = scene.ForPublic ? $"{town} 避難情報の地図（公開版）" : $"{town} 状況図 Situation map";
            Text(title, 12, 27, 18, SKColors.White, bold: true);
            var moment = $"{SituationTime.Jst(scene.Moment)} 現在";
            Text(moment, width - 12, 26, 14, SKColors.White, SKTextAlign.Right, bold: true);
        }

        private void DrawLegend()
        {
            var legendWidth = LegendWidth(width);
            if (legendWidth == 0) return;
            var left = width - legendWidth;
            using (var back = new SKPaint { Color = SKColors.White })
            {
                canvas.DrawRect(SKRect.Create(left, HeaderHeight, legendWidth, height - HeaderHeight), back);
            }

            using (var rule = new SKPaint { Color = SKColor.Parse("#b0b0b0"), StrokeWidth = 1 })
            {
                canvas.DrawLine(left, HeaderHeight, left, height, rule);
            }

            var x = left + 12;
            var y = HeaderHeight + 22;
            // Every entry always shows: rows close up (down to 14 units) when the image is short.
            var entries = 6 + 4 + 6 + 7 + (scene.ForPublic ? 2 : Enum.GetValues<FieldReportCategory>().Length) + 2;
            var row = Math.Clamp((height - HeaderHeight - 40) / entries, 14f, 19f);
            void Heading(string text)
            {
                Text(text, x, y, 13, Ink, bold: true);
                y += row;
            }

            Heading("凡例 Legend");
            Heading("地区の警戒レベル");
            foreach (var level in new[] { 5, 4, 3, 0 })
            {
                using var fill = new SKPaint { Color = SituationWords.LevelFill(level) };
                using var line = new SKPaint { Color = SituationWords.LevelLine(level), Style = SKPaintStyle.Stroke, StrokeWidth = level == 0 ? 1.2f : 2.5f };
                var swatch = SKRect.Create(x, y - 12, 26, 14);
                canvas.DrawRect(swatch, fill);
                canvas.DrawRect(swatch, line);
                Text(SituationWords.Level(level), x + 34, y, 11, Ink);
                y += row;
            }

            y += 4;
            Heading("避難所（▲開設中 △閉鎖）");
            foreach (var band in new[] { CrowdingBand.Available, CrowdingBand.SomewhatCrowded, CrowdingBand.Crowded, CrowdingBand.Full, CrowdingBand.Unknown })
            {
                Triangle(new SKPoint(x + 13, y - 4), 8, SituationWords.BandColour(band), SKColors.White, filled: true);
                Text(SituationWords.Band(band), x + 34, y, 11, Ink);
                y += row;
            }

            Triangle(new SKPoint(x + 13, y - 4), 6, SKColors.White, SituationWords.BandColour(CrowdingBand.Closed), filled: false);
            Text("閉鎖", x + 34, y, 11, Ink);
            y += row + 4;

            Heading("水位観測所（◆ 大きさ・!は危険度）");
            foreach (var stage in new WaterLevelStage?[] { WaterLevelStage.Danger, WaterLevelStage.Evacuation, WaterLevelStage.Caution, WaterLevelStage.Standby, WaterLevelStage.Normal, null })
            {
                var (fill, text) = SituationWords.StageColours(stage);
                var at = new SKPoint(x + 13, y - 4);
                Diamond(at, 7, fill, stage is null ? SKColor.Parse("#6b6b6b") : Ink, dashed: stage is null);
                if (stage is WaterLevelStage.Evacuation or WaterLevelStage.Danger) Text("!", at.X, at.Y + 4, 10, text, SKTextAlign.Center, bold: true);
                Text(SituationWords.Stage(stage), x + 34, y, 11, Ink);
                y += row;
            }

            using (var rain = new SKPaint { IsAntialias = true, Color = SituationWords.RainGauge })
            {
                canvas.DrawCircle(x + 13, y - 4, 6, rain);
            }

            Text("雨量観測所", x + 34, y, 11, Ink);
            y += row + 4;

            Heading(scene.ForPublic ? "通行止め・冠水（町が確認）" : "現地報告（文字は種類）");
            var categories = scene.ForPublic
                ? [FieldReportCategory.RoadBlocked, FieldReportCategory.Flooding]
                : Enum.GetValues<FieldReportCategory>();
            foreach (var category in categories)
            {
                using var paint = new SKPaint { IsAntialias = true, Color = SituationWords.CategoryColour(category) };
                canvas.DrawCircle(x + 13, y - 4, 8, paint);
                Text(SituationWords.CategoryMark(category), x + 13, y, 10, SKColors.White, SKTextAlign.Center, bold: true);
                Text(SituationWords.Category(category), x + 34, y, 11, Ink);
                y += row;
            }

            {
                using var line = new SKPaint { Color = River, StrokeWidth = 2.2f, IsAntialias = true };
                canvas.DrawLine(x, y - 4, x + 26, y - 4, line);
                Text("河川", x + 34, y, 11, Ink);
                y += row;
                line.Color = SKColor.Parse("#2b2b2b");
                line.StrokeWidth = 2;
                canvas.DrawLine(x, y - 4, x + 26, y - 4, line);
                Text("町境", x + 34, y, 11, Ink);
            }
        }
    }
}
