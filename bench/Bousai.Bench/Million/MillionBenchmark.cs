using System.Diagnostics;
using System.Globalization;
using System.Net;
using System.Text;
using System.Text.Json.Nodes;
using Npgsql;

namespace Bousai.Bench.Million;

public sealed record MillionOptions(Uri Server, string Db, string User, string Password, int Reports, int Requests, string? Report);

/// <summary>
/// A map that stays fast with a million field reports: the reports are written into a running server's database, spread
/// over the town's districts (PostGIS ST_GeneratePoints); then the OGC items of one district's bbox (staff and public),
/// vector tiles at zoom 12 (counts per cell) and 16 (each report), cold (a tile not asked before) and warm, each against
/// a plain PostGIS query of the same bbox over Npgsql in the same run, and the staff /api/me round trip as the HTTP floor.
/// </summary>
public sealed class MillionBenchmark(MillionOptions options, TextWriter log)
{
    private sealed record Row(string Name, List<double> Ms, string Note);

    public async Task<int> RunAsync(CancellationToken ct)
    {
        var builder = new NpgsqlDataSourceBuilder(options.Db);
        builder.ConnectionStringBuilder.CommandTimeout = 1800;
        await using var db = builder.Build();

        log.WriteLine($"[bench] writing {options.Reports:N0} field reports over the town's districts");
        var writing = Stopwatch.StartNew();
        await ExecuteAsync(db, $"""
            INSERT INTO field_reports (category, description, reported_by, reported_at, observed_at, updated_at, geom, status, client_id, severity, district_id)
            SELECT (ARRAY['flooding', 'landslide', 'road_blocked', 'building_damage', 'rescue_needed', 'other'])[1 + n % 6],
                   'SYNTHETIC benchmark report ' || n, (SELECT id FROM users WHERE user_name = 'field'),
                   now() - (n % 4320) * interval '1 minute', now() - (n % 4320) * interval '1 minute', now() - (n % 4320) * interval '1 minute',
                   p.geom, (ARRAY['new', 'verified', 'in_progress', 'resolved', 'rejected'])[1 + n % 5], gen_random_uuid(),
                   (ARRAY['minor', 'serious', 'critical'])[1 + n % 3], p.district
            FROM (SELECT row_number() OVER () AS n, d.id AS district, (ST_Dump(ST_GeneratePoints(d.geom, greatest(1, round({options.Reports} * d.share)::int)))).geom AS geom
                  FROM (SELECT id, geom, ST_Area(geom) / sum(ST_Area(geom)) OVER () AS share FROM districts) d) p
            """, ct);
        await ExecuteAsync(db, "VACUUM ANALYZE field_reports", ct);
        writing.Stop();
        var total = await ScalarAsync<long>(db, "SELECT count(*) FROM field_reports", ct);
        log.WriteLine($"[bench] {total:N0} reports in {writing.Elapsed.TotalSeconds:F0} s");

        // The district with the most reports, and its bbox.
        await using var pick = db.CreateCommand("""
            SELECT d.id, ST_XMin(d.geom), ST_YMin(d.geom), ST_XMax(d.geom), ST_YMax(d.geom), ST_X(ST_PointOnSurface(d.geom)), ST_Y(ST_PointOnSurface(d.geom)),
                   (SELECT count(*) FROM field_reports r WHERE r.district_id = d.id) AS n
            FROM districts d ORDER BY n DESC LIMIT 1
            """);
        string district;
        double x1, y1, x2, y2, cx, cy;
        long inDistrict;
        await using (var reader = await pick.ExecuteReaderAsync(ct))
        {
            await reader.ReadAsync(ct);
            (district, x1, y1, x2, y2, cx, cy, inDistrict) = (reader.GetString(0), reader.GetDouble(1), reader.GetDouble(2), reader.GetDouble(3),
                reader.GetDouble(4), reader.GetDouble(5), reader.GetDouble(6), reader.GetInt64(7));
        }

        var bbox = FormattableString.Invariant($"{x1},{y1},{x2},{y2}");
        log.WriteLine($"[bench] district {district}: {inDistrict:N0} reports, bbox {bbox}");

        using var hq = await StaffSession.SignInAsync(options.Server, options.User, options.Password, ct);
        using var anonymous = new HttpClient { BaseAddress = options.Server };
        var n = options.Requests;
        var rows = new List<Row>();

        var floor = await TimesAsync(n, () => TimedAsync(hq.GetAsync("/api/me", ct)), ct);
        rows.Add(new("floor: staff `GET /api/me`", floor, "same session, middleware and sign-in"));

        async Task ItemsRowAsync(string name, string collection, Func<string, Task<HttpResponseMessage>> get)
        {
            long matched = 0;
            var times = await TimesAsync(n, async () =>
            {
                var (ms, body) = await TimedBodyAsync(get($"/ogc/collections/{collection}/items?bbox={bbox}&limit=100"));
                matched = JsonNode.Parse(body)!["numberMatched"]!.GetValue<long>();
                return ms;
            }, ct);
            rows.Add(new(name, times, $"numberMatched {matched:N0}"));
        }

        await ItemsRowAsync("OGC items, all reports, district bbox, limit 100", "all-reports", path => hq.GetAsync(path, ct));
        await ItemsRowAsync("OGC items, public reports, district bbox, limit 100", "reports", path => anonymous.GetAsync(path, ct));
        var plain = await TimesAsync(n, async () =>
        {
            var watch = Stopwatch.StartNew();
            await ScalarAsync<long>(db, FormattableString.Invariant(
                $"SELECT count(*) FROM field_reports WHERE geom && ST_MakeEnvelope({x1}, {y1}, {x2}, {y2}, 4326)"), ct);
            await using var page = db.CreateCommand(FormattableString.Invariant(
                $"SELECT id, ST_AsGeoJSON(geom) FROM field_reports WHERE geom && ST_MakeEnvelope({x1}, {y1}, {x2}, {y2}, 4326) ORDER BY id LIMIT 100"));
            await using var reader = await page.ExecuteReaderAsync(ct);
            while (await reader.ReadAsync(ct)) { }
            return watch.Elapsed.TotalMilliseconds;
        }, ct);
        rows.Add(new("baseline: plain PostGIS count + page of the bbox (Npgsql)", plain, "no HTTP, no JSON of properties"));

        foreach (var z in new[] { 12, 16 })
        {
            var (tx, ty) = TileOf(cx, cy, z);
            // Cold: tiles not asked before (a spiral around the district's point; at zoom 12 the town spans only a few).
            var distinct = Spiral(tx, ty).Take(z == 12 ? 9 : n).ToArray();
            long bytes = 0;
            var cold = new List<double>();
            foreach (var (x, y) in distinct)
            {
                var (ms, body) = await TimedBytesAsync(hq.GetAsync($"/tiles/all-reports/{z}/{x}/{y}.mvt", ct));
                cold.Add(ms);
                bytes = Math.Max(bytes, body);
            }

            rows.Add(new($"tile z{z}, all reports, cold ({distinct.Length} distinct tiles)", cold, $"largest {bytes / 1024.0:F0} KiB"));
            var warm = await TimesAsync(n, () => TimedAsync(hq.GetAsync($"/tiles/all-reports/{z}/{tx}/{ty}.mvt", ct)), ct);
            rows.Add(new($"tile z{z}, all reports, warm (the same tile again)", warm, "kept in memory per version"));
        }

        var report = Render(total, writing.Elapsed, district, inDistrict, rows, plain);
        log.Write(report);
        if (options.Report is { } file)
        {
            Directory.CreateDirectory(Path.GetDirectoryName(Path.GetFullPath(file))!);
            await File.WriteAllTextAsync(file, report, ct);
        }

        var goals = rows.Where(r => r.Name.StartsWith("OGC", StringComparison.Ordinal) || r.Name.StartsWith("tile", StringComparison.Ordinal));
        return goals.All(r => Percentiles.Of(r.Ms, 50) <= 10 && Percentiles.Of(r.Ms, 99) <= 50) ? 0 : 1;
    }

    private string Render(long total, TimeSpan writing, string district, long inDistrict, List<Row> rows, List<double> plain)
    {
        var sb = new StringBuilder();
        sb.AppendLine("## A million field reports (`./bousai bench million`)");
        sb.AppendLine();
        sb.AppendLine(CultureInfo.InvariantCulture, $"- {total:N0} reports written and analysed in {writing.TotalSeconds:F0} s; district {district} holds {inDistrict:N0}.");
        sb.AppendLine(CultureInfo.InvariantCulture, $"- {options.Requests} requests a row, one after another, after 10 warm-up requests (cold tiles: each asked once).");
        sb.AppendLine();
        sb.AppendLine("| request | p50 ms | p95 ms | p99 ms | max ms | p50 / plain PostGIS | note |");
        sb.AppendLine("|---|---:|---:|---:|---:|---:|---|");
        var baseline = Percentiles.Of(plain, 50);
        foreach (var row in rows)
        {
            sb.AppendLine(CultureInfo.InvariantCulture,
                $"| {row.Name} | {Percentiles.Of(row.Ms, 50):F1} | {Percentiles.Of(row.Ms, 95):F1} | {Percentiles.Of(row.Ms, 99):F1} | {row.Ms.Max():F1} | {Percentiles.Of(row.Ms, 50) / baseline:F2}× | {row.Note} |");
        }

        sb.AppendLine();
        var goals = rows.Where(r => r.Name.StartsWith("OGC", StringComparison.Ordinal) || r.Name.StartsWith("tile", StringComparison.Ordinal)).ToArray();
        var met = goals.Where(r => Percentiles.Of(r.Ms, 50) <= 10 && Percentiles.Of(r.Ms, 99) <= 50).Select(r => r.Name).ToArray();
        var missed = met.Length == goals.Length ? "." : $"; not by: {string.Join("; ", goals.Select(g => g.Name).Except(met))}.";
        sb.AppendLine(CultureInfo.InvariantCulture, $"Goal (items and tiles p50 ≤ 10 ms, p99 ≤ 50 ms): met by {met.Length} of {goals.Length} rows{missed}");
        return sb.ToString();
    }

    private static async Task<List<double>> TimesAsync(int n, Func<Task<double>> once, CancellationToken ct)
    {
        for (var i = 0; i < 10; i++) await once();
        var times = new List<double>(n);
        for (var i = 0; i < n && !ct.IsCancellationRequested; i++) times.Add(await once());
        return times;
    }

    private static async Task<double> TimedAsync(Task<HttpResponseMessage> request) => (await TimedBytesAsync(request)).Ms;

    private static async Task<(double Ms, long Bytes)> TimedBytesAsync(Task<HttpResponseMessage> request)
    {
        var watch = Stopwatch.StartNew();
        using var response = await request;
        var body = await response.Content.ReadAsByteArrayAsync();
        var ms = watch.Elapsed.TotalMilliseconds;
        if (response.StatusCode != HttpStatusCode.OK) throw new InvalidOperationException($"{response.RequestMessage?.RequestUri}: HTTP {(int)response.StatusCode}");
        return (ms, body.Length);
    }

    private static async Task<(double Ms, string Body)> TimedBodyAsync(Task<HttpResponseMessage> request)
    {
        var watch = Stopwatch.StartNew();
        using var response = await request;
        var body = await response.Content.ReadAsStringAsync();
        var ms = watch.Elapsed.TotalMilliseconds;
        if (response.StatusCode != HttpStatusCode.OK) throw new InvalidOperationException($"{response.RequestMessage?.RequestUri}: HTTP {(int)response.StatusCode} {body}");
        return (ms, body);
    }

    /// <summary>Tiles around (x, y), nearest first, each once.</summary>
    private static IEnumerable<(int X, int Y)> Spiral(int x, int y)
    {
        yield return (x, y);
        for (var ring = 1; ; ring++)
        {
            for (var dx = -ring; dx <= ring; dx++)
            for (var dy = -ring; dy <= ring; dy++)
            {
                if (Math.Max(Math.Abs(dx), Math.Abs(dy)) == ring) yield return (x + dx, y + dy);
            }
        }
    }

    private static (int X, int Y) TileOf(double lon, double lat, int z)
    {
        var n = 1 << z;
        var rad = lat * Math.PI / 180;
        return ((int)Math.Floor((lon + 180) / 360 * n), (int)Math.Floor((1 - Math.Log(Math.Tan(rad) + 1 / Math.Cos(rad)) / Math.PI) / 2 * n));
    }


    private static async Task ExecuteAsync(NpgsqlDataSource db, string sql, CancellationToken ct)
    {
        await using var command = db.CreateCommand(sql);
        await command.ExecuteNonQueryAsync(ct);
    }

    private static async Task<T> ScalarAsync<T>(NpgsqlDataSource db, string sql, CancellationToken ct)
    {
        await using var command = db.CreateCommand(sql);
        return (T)(await command.ExecuteScalarAsync(ct))!;
    }
}
