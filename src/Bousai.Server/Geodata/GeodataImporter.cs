using System.Text.Json.Nodes;
using Bousai.Server.Audit;
using Bousai.Server.Web;
using Npgsql;
using NpgsqlTypes;

namespace Bousai.Server.Geodata;

public sealed record ImportProblem(int? Index, string? FeatureId, string Reason)
{
    public override string ToString() => Index is null
        ? Reason
        : $"feature #{Index}{(FeatureId is null ? "" : $" (id {FeatureId})")}: {Reason}";
}

public sealed class GeodataImportException(IReadOnlyList<ImportProblem> problems)
    : Exception($"Import rejected, nothing was changed. {problems.Count} problem(s):\n  " + string.Join("\n  ", problems))
{
    public IReadOnlyList<ImportProblem> Problems { get; } = problems;
}

public sealed record ImportProgress(string Stage, int Done, int? Total);

public sealed record ImportReport(string Layer, string Source, string Crs, int Features, int Inserted, int Updated, int Removed,
    IReadOnlyList<string> Warnings);

/// <summary>
/// Imports one GeoJSON or Shapefile into one layer, all or nothing: features are copied into a staging table,
/// PostGIS validates and reprojects them (ST_IsValid, ST_Transform from the declared CRS to WGS84), and only a
/// file without a single problem is upserted by feature id. Features previously imported from the same source
/// and absent now are removed, so re-importing a file never duplicates.
/// </summary>
public sealed class GeodataImporter(NpgsqlDataSource db)
{
    public async Task<ImportReport> ImportAsync(string path, MapLayer layer, string actor, Action<ImportProgress>? progress = null,
        CancellationToken cancellationToken = default)
    {
        if (!File.Exists(path))
        {
            throw new GeodataImportException([new ImportProblem(null, null, $"File not found: {path}")]);
        }

        var source = Path.GetFileName(path);
        var file = SourceFeatures.Read(path, n => { if (n % 1000 == 0) progress?.Invoke(new ImportProgress("read", n, null)); });
        progress?.Invoke(new ImportProgress("read", file.Features.Count, file.Features.Count));

        var problems = new List<ImportProblem>();
        var rows = new List<StagedFeature>(file.Features.Count);
        var seenIds = new Dictionary<string, int>();
        foreach (var feature in file.Features)
        {
            var id = feature.Id ?? $"{source}#{feature.Index}";
            if (feature.ReadError is not null)
            {
                problems.Add(new ImportProblem(feature.Index, feature.Id, feature.ReadError));
            }

            if (seenIds.TryGetValue(id, out var first))
            {
                problems.Add(new ImportProblem(feature.Index, id, $"duplicate id (also feature #{first})"));
            }
            else
            {
                seenIds[id] = feature.Index;
            }

            problems.AddRange(LayerProperties.Check(layer, feature.Properties).Select(r => new ImportProblem(feature.Index, feature.Id, r)));
            var (nameJa, nameEn) = (LayerProperties.NameJa(layer, feature), LayerProperties.NameEn(feature.Properties));
            foreach (var (which, name) in new[] { ("Japanese", nameJa), ("English", nameEn) })
            {
                if (TextInput.Refusal(name, TextInput.MaxNameLength) is { } refusal)
                {
                    problems.Add(new ImportProblem(feature.Index, feature.Id, $"the {which} name is refused: {refusal}"));
                }
            }

            rows.Add(new StagedFeature(feature.Index, id, nameJa, nameEn,
                LayerProperties.IsIllustrative(feature.Properties), feature.Properties.ToJsonString(), feature.Wkb));
        }

        if (file.Features.Count == 0)
        {
            problems.Add(new ImportProblem(null, null, "The file has no features."));
        }

        if (problems.Count > 0)
        {
            throw new GeodataImportException(problems);
        }

        await using var connection = await db.OpenConnectionAsync(cancellationToken);
        await using var transaction = await connection.BeginTransactionAsync(cancellationToken);
        await StageAsync(connection, rows, progress, cancellationToken);
        await CheckAndReprojectAsync(connection, layer, file.Crs, cancellationToken);
        progress?.Invoke(new ImportProgress("validated", rows.Count, rows.Count));

        var (inserted, updated) = await UpsertAsync(connection, layer, source, cancellationToken);
        var removed = await RemoveStaleAsync(connection, layer, source, cancellationToken);
        var report = new ImportReport(layer.Id, source, file.Crs.Description, rows.Count, inserted, updated, removed, file.Warnings);
        await AuditLog.RecordAsync(connection, transaction, new AuditEntry(actor, "geodata.import", layer.Id, source,
            new Dictionary<string, object?>
            {
                ["crs"] = report.Crs, ["features"] = report.Features, ["inserted"] = inserted, ["updated"] = updated, ["removed"] = removed,
            }), cancellationToken);
        await transaction.CommitAsync(cancellationToken);
        progress?.Invoke(new ImportProgress("committed", rows.Count, rows.Count));
        return report;
    }

    private sealed record StagedFeature(int Index, string Id, string NameJa, string? NameEn, bool Illustrative, string Properties, byte[]? Wkb);

    private static async Task StageAsync(NpgsqlConnection connection, List<StagedFeature> rows, Action<ImportProgress>? progress,
        CancellationToken ct)
    {
        await using (var create = new NpgsqlCommand("""
            CREATE TEMP TABLE import_staging (
                idx integer NOT NULL, feature_id text NOT NULL, name_ja text NOT NULL, name_en text,
                illustrative boolean NOT NULL, properties jsonb NOT NULL, wkb bytea NOT NULL, geom geometry
            ) ON COMMIT DROP
            """, connection))
        {
            await create.ExecuteNonQueryAsync(ct);
        }

        await using var copy = await connection.BeginBinaryImportAsync(
            "COPY import_staging (idx, feature_id, name_ja, name_en, illustrative, properties, wkb) FROM STDIN (FORMAT BINARY)", ct);
        var done = 0;
        foreach (var row in rows)
        {
            await copy.StartRowAsync(ct);
            await copy.WriteAsync(row.Index, NpgsqlDbType.Integer, ct);
            await copy.WriteAsync(row.Id, NpgsqlDbType.Text, ct);
            await copy.WriteAsync(row.NameJa, NpgsqlDbType.Text, ct);
            if (row.NameEn is null) await copy.WriteNullAsync(ct); else await copy.WriteAsync(row.NameEn, NpgsqlDbType.Text, ct);
            await copy.WriteAsync(row.Illustrative, NpgsqlDbType.Boolean, ct);
            await copy.WriteAsync(row.Properties, NpgsqlDbType.Jsonb, ct);
            await copy.WriteAsync(row.Wkb!, NpgsqlDbType.Bytea, ct);
            if (++done % 5000 == 0) progress?.Invoke(new ImportProgress("staged", done, rows.Count));
        }

        await copy.CompleteAsync(ct);
    }

    private static async Task CheckAndReprojectAsync(NpgsqlConnection connection, MapLayer layer, SourceCrs crs, CancellationToken ct)
    {
        string[] allowedTypes = layer.Geometry switch
        {
            GeometryKind.Polygon => ["POLYGON", "MULTIPOLYGON"],
            GeometryKind.Line => ["LINESTRING", "MULTILINESTRING"],
            _ => ["POINT"],
        };

        // Validity is judged in the source CRS, before reprojection can hide or create a defect.
        var problems = new List<ImportProblem>();
        await using (var check = new NpgsqlCommand("""
            SELECT idx, feature_id, CASE
                WHEN NOT ST_IsValid(g) THEN 'invalid geometry: ' || ST_IsValidReason(g)
                ELSE 'expected ' || array_to_string($1, ' or ') || ' geometry, found ' || GeometryType(g) END
            FROM (SELECT idx, feature_id, ST_GeomFromWKB(wkb) AS g FROM import_staging) s
            WHERE NOT ST_IsValid(g) OR NOT (GeometryType(g) = ANY ($1))
            ORDER BY idx
            """, connection))
        {
            check.Parameters.AddWithValue(allowedTypes);
            await using var reader = await check.ExecuteReaderAsync(ct);
            while (await reader.ReadAsync(ct))
            {
                problems.Add(new ImportProblem(reader.GetInt32(0), reader.GetString(1), reader.GetString(2)));
            }
        }

        if (problems.Count > 0)
        {
            throw new GeodataImportException(problems);
        }

        var transform = crs switch
        {
            { Srid: 4326 } => "ST_SetSRID(ST_Force2D(ST_GeomFromWKB(wkb)), 4326)",
            { Srid: not null } => "ST_Transform(ST_SetSRID(ST_Force2D(ST_GeomFromWKB(wkb)), $1), 4326)",
            _ => "ST_Transform(ST_Force2D(ST_GeomFromWKB(wkb)), $2, 4326)",
        };
        try
        {
            await using var reproject = new NpgsqlCommand($"UPDATE import_staging SET geom = {transform}", connection);
            reproject.Parameters.AddWithValue(crs.Srid ?? 4326);
            reproject.Parameters.AddWithValue(crs.Definition ?? "");
            await reproject.ExecuteNonQueryAsync(ct);
        }
        catch (PostgresException e)
        {
            throw new GeodataImportException([new ImportProblem(null, null, $"Cannot reproject from {crs.Description} to WGS84: {e.MessageText}")]);
        }

        await using (var bounds = new NpgsqlCommand("""
            SELECT idx, feature_id FROM import_staging
            WHERE ST_XMin(geom) < -180 OR ST_XMax(geom) > 180 OR ST_YMin(geom) < -90 OR ST_YMax(geom) > 90 OR NOT ST_IsValid(geom)
            ORDER BY idx
            """, connection))
        {
            await using var reader = await bounds.ExecuteReaderAsync(ct);
            while (await reader.ReadAsync(ct))
            {
                problems.Add(new ImportProblem(reader.GetInt32(0), reader.GetString(1),
                    $"coordinates fall outside WGS84 longitude/latitude after reprojection from {crs.Description}; is the declared CRS right?"));
            }
        }

        if (problems.Count > 0)
        {
            throw new GeodataImportException(problems);
        }
    }

    private static async Task<(int Inserted, int Updated)> UpsertAsync(NpgsqlConnection connection, MapLayer layer, string source, CancellationToken ct)
    {
        await using var upsert = new NpgsqlCommand(LayerProperties.UpsertSql(layer), connection);
        upsert.Parameters.AddWithValue(source);
        upsert.Parameters.Add(new NpgsqlParameter { Value = (object?)layer.Hazard ?? DBNull.Value, NpgsqlDbType = NpgsqlDbType.Text });
        int inserted = 0, updated = 0;
        await using (var reader = await upsert.ExecuteReaderAsync(ct))
        {
            while (await reader.ReadAsync(ct))
            {
                if (reader.GetBoolean(0)) inserted++; else updated++;
            }
        }

        if (layer == MapLayers.Stations)
        {
            await using var thresholds = new NpgsqlCommand(LayerProperties.StationThresholdsSql, connection);
            await thresholds.ExecuteNonQueryAsync(ct);
        }

        return (inserted, updated);
    }

    private static async Task<int> RemoveStaleAsync(NpgsqlConnection connection, MapLayer layer, string source, CancellationToken ct)
    {
        await using var delete = new NpgsqlCommand($"""
            DELETE FROM {layer.Table} t
            WHERE t.source = $1 {(layer.Hazard is null ? "AND $2::text IS NULL" : "AND t.hazard = $2")}
              AND NOT EXISTS (SELECT 1 FROM import_staging s WHERE s.feature_id = t.id)
            """, connection);
        delete.Parameters.AddWithValue(source);
        delete.Parameters.Add(new NpgsqlParameter { Value = (object?)layer.Hazard ?? DBNull.Value, NpgsqlDbType = NpgsqlDbType.Text });
        try
        {
            return await delete.ExecuteNonQueryAsync(ct);
        }
        catch (PostgresException e) when (e.SqlState == PostgresErrorCodes.ForeignKeyViolation)
        {
            throw new GeodataImportException([new ImportProblem(null, null,
                $"A feature imported earlier from {source} is missing from the file but still in use ({e.MessageText}); nothing was changed.")]);
        }
    }
}
