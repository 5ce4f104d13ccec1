using System.Text.Json;
using Bousai.Domain.Reports;
using Bousai.Server.Drills;
using Bousai.Server.Live;
using Bousai.Server.Store;
using Npgsql;
using NpgsqlTypes;

namespace Bousai.Server.Reports;

/// <summary>What a crew submitted, checked: ready to be stored.</summary>
public sealed record FieldReportSubmission(
    Guid ClientId,
    FieldReportCategory Category,
    FieldReportSeverity Severity,
    string? Description,
    DateTimeOffset ObservedAt,
    double Longitude,
    double Latitude,
    double? AccuracyMetres,
    byte[] ContentDigest);

/// <summary>The report a client id already names: who sent it and what it said.</summary>
public sealed record ExistingSubmission(long ReportId, long ReportedById, byte[]? ContentDigest);

/// <summary>A photo to serve, with what decides who may see it.</summary>
public sealed record ServedPhoto(byte[] Image, string Hash, bool Public, bool ReportIsPublic, long ReportedById);

/// <summary>
/// The SQL of field reports: submission, triage and photo visibility (inside a situation change), the reads of the
/// endpoints and the snapshot, the photos and the history (from the audit trail).
/// </summary>
public static class FieldReportStore
{
    private const string SelectReport =
        """
        SELECT r.id, r.client_id, r.category, r.severity, r.status, r.observed_at, r.reported_at, r.updated_at, ST_X(r.geom), ST_Y(r.geom),
               r.accuracy_m::numeric::float8, r.district_id, r.description, u.user_name, u.display_name, a.user_name, a.display_name, r.duplicate_of,
               r.rejection_reason, r.public_summary, r.internal_note, r.drill_id,
               coalesce((SELECT json_agg(json_build_object('position', p.position, 'public', p.public, 'width', c.width, 'height', c.height)
                                         ORDER BY p.position)
                         FROM field_report_photos p JOIN report_photos_content c ON c.hash = p.hash WHERE p.report_id = r.id), '[]')::text
        FROM field_reports r JOIN users u ON u.id = r.reported_by LEFT JOIN users a ON a.id = r.assigned_to
        """;

    /// <summary>Whether a point is inside the town or within <paramref name="metres"/> of its boundary.</summary>
    public static async Task<bool> IsNearTownAsync(NpgsqlDataSource db, double longitude, double latitude, double metres, CancellationToken ct)
    {
        await using var near = db.CreateCommand(
            """
            SELECT EXISTS (SELECT 1 FROM town_boundaries
                           WHERE ST_DWithin(geom::geography, ST_SetSRID(ST_MakePoint($1, $2), 4326)::geography, $3))
            """);
        near.Parameters.AddWithValue(longitude);
        near.Parameters.AddWithValue(latitude);
        near.Parameters.AddWithValue(metres);
        return (bool)(await near.ExecuteScalarAsync(ct))!;
    }

    /// <summary>The report already sent with this client id, or null.</summary>
    public static async Task<ExistingSubmission?> FindByClientIdAsync(NpgsqlConnection connection, NpgsqlTransaction? transaction, Guid clientId,
        CancellationToken ct)
    {
        await using var find = new NpgsqlCommand("SELECT id, reported_by, content_digest FROM field_reports WHERE client_id = $1", connection, transaction);
        find.Parameters.AddWithValue(clientId);
        await using var reader = await find.ExecuteReaderAsync(ct);
        if (!await reader.ReadAsync(ct)) return null;
        return new ExistingSubmission(reader.GetInt64(0), reader.GetInt64(1), reader.IsDBNull(2) ? null : reader.GetFieldValue<byte[]>(2));
    }

    /// <summary>
    /// Stores a new report with its photos, unless its client id is taken: then null, and nothing is written. A retry
    /// racing the first attempt waits here for it to commit (the unique client id), so concurrent retries make one report.
    /// </summary>
    public static async Task<long?> TryInsertAsync(SituationChange change, FieldReportSubmission report, IReadOnlyList<StoredPhoto> photos,
        long reportedById, DateTimeOffset at, CancellationToken ct)
    {
        long id;
        await using (var insert = new NpgsqlCommand(
            """
            INSERT INTO field_reports (client_id, category, severity, description, observed_at, accuracy_m, content_digest, reported_by,
                                       reported_at, updated_at, geom, district_id, drill_id)
            SELECT $1, $2, $3, $4, $5, $6, $7, $8, $9, $9, point.geom,
                   (SELECT d.id FROM districts d WHERE ST_Covers(d.geom, point.geom) ORDER BY d.id LIMIT 1),
                   (SELECT id FROM drills WHERE ended_at IS NULL)
            FROM (SELECT ST_SetSRID(ST_MakePoint($10, $11), 4326) AS geom) point
            ON CONFLICT (client_id) DO NOTHING
            RETURNING id
            """, change.Connection, change.Transaction))
        {
            insert.Parameters.AddWithValue(report.ClientId);
            insert.Parameters.AddWithValue(DbEnum.Name(report.Category));
            insert.Parameters.AddWithValue(DbEnum.Name(report.Severity));
            insert.Parameters.AddWithValue(NpgsqlDbType.Text, (object?)report.Description ?? DBNull.Value);
            insert.Parameters.AddWithValue(report.ObservedAt.ToUniversalTime());
            insert.Parameters.AddWithValue(NpgsqlDbType.Real, report.AccuracyMetres is { } accuracy ? (float)accuracy : DBNull.Value);
            insert.Parameters.AddWithValue(report.ContentDigest);
            insert.Parameters.AddWithValue(reportedById);
            insert.Parameters.AddWithValue(at);
            insert.Parameters.AddWithValue(report.Longitude);
            insert.Parameters.AddWithValue(report.Latitude);
            if (await insert.ExecuteScalarAsync(ct) is not long inserted) return null;
            id = inserted;
        }

        if (photos.Count == 0) return id;
        var batch = new NpgsqlBatch(change.Connection, change.Transaction);
        await using (batch)
        {
            for (var i = 0; i < photos.Count; i++)
            {
                var content = new NpgsqlBatchCommand(
                    """
                    INSERT INTO report_photos_content (hash, image, thumbnail, width, height, image_bytes) VALUES ($1, $2, $3, $4, $5, $6)
                    ON CONFLICT (hash) DO NOTHING
                    """);
                content.Parameters.AddWithValue(photos[i].Hash);
                content.Parameters.AddWithValue(photos[i].Full);
                content.Parameters.AddWithValue(photos[i].Thumbnail);
                content.Parameters.AddWithValue(photos[i].Width);
                content.Parameters.AddWithValue(photos[i].Height);
                content.Parameters.AddWithValue(photos[i].Full.Length);
                batch.BatchCommands.Add(content);
                var link = new NpgsqlBatchCommand("INSERT INTO field_report_photos (report_id, position, hash) VALUES ($1, $2, $3)");
                link.Parameters.AddWithValue(id);
                link.Parameters.AddWithValue((short)(i + 1));
                link.Parameters.AddWithValue(photos[i].Hash);
                batch.BatchCommands.Add(link);
            }

            await batch.ExecuteNonQueryAsync(ct);
        }

        return id;
    }

    /// <summary>The report, or null when there is none.</summary>
    public static async Task<FieldReport?> ReadAsync(NpgsqlConnection connection, NpgsqlTransaction? transaction, long reportId, CancellationToken ct) =>
        (await ReadWhereAsync(connection, transaction, "WHERE r.id = $1", [reportId], ct)).SingleOrDefault();

    public static async Task<FieldReport?> ReadAsync(NpgsqlDataSource db, long reportId, CancellationToken ct)
    {
        await using var connection = await db.OpenConnectionAsync(ct);
        return await ReadAsync(connection, null, reportId, ct);
    }

    /// <summary>The report, locked for this change, or null when there is none.</summary>
    public static async Task<FieldReport?> LockAsync(SituationChange change, long reportId, CancellationToken ct) =>
        (await ReadWhereAsync(change.Connection, change.Transaction, "WHERE r.id = $1 FOR UPDATE OF r", [reportId], ct)).SingleOrDefault();

    /// <summary>Who sent a report (users.id), or null when there is no such report.</summary>
    public static async Task<long?> ReporterAsync(NpgsqlDataSource db, long reportId, CancellationToken ct)
    {
        await using var find = db.CreateCommand("SELECT reported_by FROM field_reports WHERE id = $1");
        find.Parameters.AddWithValue(reportId);
        return await find.ExecuteScalarAsync(ct) as long?;
    }

    /// <summary>A crew member's own reports, newest first.</summary>
    public static async Task<IReadOnlyList<FieldReport>> ReadMineAsync(NpgsqlDataSource db, long userId, CancellationToken ct)
    {
        await using var connection = await db.OpenConnectionAsync(ct);
        return await ReadWhereAsync(connection, null, "WHERE r.reported_by = $1 ORDER BY r.reported_at DESC, r.id DESC LIMIT 500", [userId], ct);
    }

    /// <summary>
    /// For staff: reports HQ still works on and those closed in the last day. For residents: the public ones
    /// (<see cref="FieldReportWorkflow.IsPublic"/>), not yet stripped (<see cref="FieldReport.ForPublic"/>). Newest first.
    /// </summary>
    public static async Task<IReadOnlyList<FieldReport>> ReadCurrentAsync(NpgsqlConnection connection, NpgsqlTransaction? transaction,
        bool publicOnly, CancellationToken ct, int limit = RecordedSituation.ReportsShown)
    {
        var closed = Enum.GetValues<FieldReportStatus>().Where(FieldReportWorkflow.IsClosed).Select(DbEnum.Name).ToArray();
        var reports = publicOnly
            ? await ReadWhereAsync(connection, transaction,
                $"""
                WHERE r.status = ANY($1) AND r.category = ANY($2) AND {DrillStore.InLivePicture("r")}
                ORDER BY r.reported_at DESC, r.id DESC LIMIT $3
                """,
                [
                    Enum.GetValues<FieldReportStatus>().Where(s => Enum.GetValues<FieldReportCategory>().Any(c => FieldReportWorkflow.IsPublic(s, c)))
                        .Select(DbEnum.Name).ToArray(),
                    Enum.GetValues<FieldReportCategory>().Where(FieldReportWorkflow.IsPublicCategory).Select(DbEnum.Name).ToArray(),
                    limit,
                ], ct)
            : await ReadWhereAsync(connection, transaction,
                $"""
                WHERE (NOT (r.status = ANY($1)) OR r.updated_at > now() - interval '24 hours') AND {DrillStore.InLivePicture("r")}
                ORDER BY r.reported_at DESC, r.id DESC LIMIT $2
                """, [closed, limit], ct);
        return publicOnly ? [.. reports.Where(r => r.IsVisibleToPublic())] : reports;
    }

    /// <summary>Moves a report to another status (the caller checked the workflow). A rejection keeps its reason; reopening clears it.</summary>
    public static async Task MoveAsync(SituationChange change, long reportId, FieldReportStatus status, string? rejectionReason, DateTimeOffset at,
        CancellationToken ct)
    {
        await using var update = new NpgsqlCommand(
            "UPDATE field_reports SET status = $2, rejection_reason = $3, updated_at = $4 WHERE id = $1", change.Connection, change.Transaction);
        update.Parameters.AddWithValue(reportId);
        update.Parameters.AddWithValue(DbEnum.Name(status));
        update.Parameters.AddWithValue(NpgsqlDbType.Text, (object?)rejectionReason ?? DBNull.Value);
        update.Parameters.AddWithValue(at);
        await update.ExecuteNonQueryAsync(ct);
    }

    /// <summary>
    /// Marks a report as a duplicate of <paramref name="targetId"/> and moves its photos there, after the target's own
    /// (not public there until HQ says so). Returns the positions they got on the target.
    /// </summary>
    public static async Task<IReadOnlyList<int>> MergeAsync(SituationChange change, long reportId, long targetId, DateTimeOffset at, CancellationToken ct)
    {
        var moved = new List<int>();
        await using (var move = new NpgsqlCommand(
            """
            WITH next AS (SELECT coalesce(max(position), 0) AS last FROM field_report_photos WHERE report_id = $2),
                 taken AS (DELETE FROM field_report_photos WHERE report_id = $1 RETURNING position, hash)
            INSERT INTO field_report_photos (report_id, position, hash, public)
            SELECT $2, next.last + row_number() OVER (ORDER BY taken.position), taken.hash, false FROM taken, next
            RETURNING position
            """, change.Connection, change.Transaction))
        {
            move.Parameters.AddWithValue(reportId);
            move.Parameters.AddWithValue(targetId);
            await using var reader = await move.ExecuteReaderAsync(ct);
            while (await reader.ReadAsync(ct)) moved.Add(reader.GetInt16(0));
        }

        await using var update = new NpgsqlCommand(
            """
            WITH duplicate AS (UPDATE field_reports SET status = 'duplicate', duplicate_of = $2, updated_at = $3 WHERE id = $1)
            UPDATE field_reports SET updated_at = $3 WHERE id = $2
            """, change.Connection, change.Transaction);
        update.Parameters.AddWithValue(reportId);
        update.Parameters.AddWithValue(targetId);
        update.Parameters.AddWithValue(at);
        await update.ExecuteNonQueryAsync(ct);
        moved.Sort();
        return moved;
    }

    /// <summary>An enabled field crew account by user name: its users.id, or null.</summary>
    public static async Task<long?> FindFieldCrewAsync(SituationChange change, string userName, CancellationToken ct)
    {
        await using var find = new NpgsqlCommand(
            "SELECT id FROM users WHERE user_name = $1 AND role = 'field' AND disabled_at IS NULL", change.Connection, change.Transaction);
        find.Parameters.AddWithValue(userName);
        return await find.ExecuteScalarAsync(ct) as long?;
    }

    public static async Task AssignAsync(SituationChange change, long reportId, long? assigneeId, DateTimeOffset at, CancellationToken ct)
    {
        await using var update = new NpgsqlCommand(
            "UPDATE field_reports SET assigned_to = $2, updated_at = $3 WHERE id = $1", change.Connection, change.Transaction);
        update.Parameters.AddWithValue(reportId);
        update.Parameters.AddWithValue(NpgsqlDbType.Bigint, (object?)assigneeId ?? DBNull.Value);
        update.Parameters.AddWithValue(at);
        await update.ExecuteNonQueryAsync(ct);
    }

    /// <summary>Sets HQ's notes: null leaves a note as it is, an empty (or blank) one clears it.</summary>
    public static async Task SetNotesAsync(SituationChange change, long reportId, string? internalNote, string? publicSummary, DateTimeOffset at,
        CancellationToken ct)
    {
        await using var update = new NpgsqlCommand(
            """
            UPDATE field_reports SET
                internal_note = CASE WHEN $2::text IS NULL THEN internal_note ELSE nullif(btrim($2), '') END,
                public_summary = CASE WHEN $3::text IS NULL THEN public_summary ELSE nullif(btrim($3), '') END,
                updated_at = $4
            WHERE id = $1
            """, change.Connection, change.Transaction);
        update.Parameters.AddWithValue(reportId);
        update.Parameters.AddWithValue(NpgsqlDbType.Text, (object?)internalNote ?? DBNull.Value);
        update.Parameters.AddWithValue(NpgsqlDbType.Text, (object?)publicSummary ?? DBNull.Value);
        update.Parameters.AddWithValue(at);
        await update.ExecuteNonQueryAsync(ct);
    }

    public static async Task SetPhotoPublicAsync(SituationChange change, long reportId, int position, bool isPublic, DateTimeOffset at,
        CancellationToken ct)
    {
        await using var update = new NpgsqlCommand(
            """
            WITH photo AS (UPDATE field_report_photos SET public = $3 WHERE report_id = $1 AND position = $2)
            UPDATE field_reports SET updated_at = $4 WHERE id = $1
            """, change.Connection, change.Transaction);
        update.Parameters.AddWithValue(reportId);
        update.Parameters.AddWithValue((short)position);
        update.Parameters.AddWithValue(isPublic);
        update.Parameters.AddWithValue(at);
        await update.ExecuteNonQueryAsync(ct);
    }

    /// <summary>A report's photo (the full image or its thumbnail), or null when there is none at that position.</summary>
    public static async Task<ServedPhoto?> ReadPhotoAsync(NpgsqlDataSource db, long reportId, int position, bool thumbnail, CancellationToken ct)
    {
        await using var read = db.CreateCommand(
            $"""
             SELECT {(thumbnail ? "c.thumbnail" : "c.image")}, encode(c.hash, 'hex'), p.public, r.status, r.category, r.reported_by
             FROM field_report_photos p JOIN report_photos_content c ON c.hash = p.hash JOIN field_reports r ON r.id = p.report_id
             WHERE p.report_id = $1 AND p.position = $2
             """);
        read.Parameters.AddWithValue(reportId);
        read.Parameters.AddWithValue((short)position);
        await using var reader = await read.ExecuteReaderAsync(ct);
        if (!await reader.ReadAsync(ct)) return null;
        return new ServedPhoto(reader.GetFieldValue<byte[]>(0), reader.GetString(1), reader.GetBoolean(2),
            FieldReportWorkflow.IsPublic(DbEnum.Parse<FieldReportStatus>(reader.GetString(3)), DbEnum.Parse<FieldReportCategory>(reader.GetString(4))),
            reader.GetInt64(5));
    }

    /// <summary>
    /// Every change of a report, oldest first, from the audit trail: its own records, and the merges of duplicates into it
    /// (recorded on the duplicate, with this report as the target).
    /// </summary>
    public static async Task<IReadOnlyList<FieldReportHistoryEntry>> ReadHistoryAsync(NpgsqlDataSource db, long reportId, DateTimeOffset? until,
        CancellationToken ct)
    {
        await using var read = db.CreateCommand(
            """
            SELECT at, actor, action, details::text, entity_id = $1 FROM audit_log
            WHERE entity = 'field_report' AND (entity_id = $1 OR (action = 'report.duplicate' AND details -> 'target' ->> 'reportId' = $1))
              AND ($2::timestamptz IS NULL OR at <= $2)
            ORDER BY id
            """);
        read.Parameters.AddWithValue(reportId.ToString());
        read.Parameters.AddWithValue(NpgsqlTypes.NpgsqlDbType.TimestampTz, (object?)until?.ToUniversalTime() ?? DBNull.Value);
        await using var reader = await read.ExecuteReaderAsync(ct);
        var history = new List<FieldReportHistoryEntry>();
        while (await reader.ReadAsync(ct))
        {
            using var details = JsonDocument.Parse(reader.GetString(3));
            var own = reader.GetBoolean(4);
            var root = own ? details.RootElement : details.RootElement.GetProperty("target");
            history.Add(new FieldReportHistoryEntry(reader.GetFieldValue<DateTimeOffset>(0), reader.GetString(1),
                own ? reader.GetString(2).Replace("report.", "") : "merge",
                details.RootElement.TryGetProperty("comment", out var comment) && comment.ValueKind == JsonValueKind.String ? comment.GetString() : null,
                Fields(root, "before"), Fields(root, "after")));
        }

        return history;
    }

    private static IReadOnlyDictionary<string, JsonElement> Fields(JsonElement details, string name) =>
        details.TryGetProperty(name, out var fields) && fields.ValueKind == JsonValueKind.Object
            ? fields.EnumerateObject().ToDictionary(f => f.Name, f => f.Value.Clone())
            : new Dictionary<string, JsonElement>();

    /// <summary>Enabled field crew accounts, by display name.</summary>
    public static async Task<IReadOnlyList<FieldCrew>> ReadFieldCrewsAsync(NpgsqlDataSource db, CancellationToken ct)
    {
        await using var read = db.CreateCommand(
            "SELECT user_name, display_name FROM users WHERE role = 'field' AND disabled_at IS NULL ORDER BY display_name, user_name");
        await using var reader = await read.ExecuteReaderAsync(ct);
        var crews = new List<FieldCrew>();
        while (await reader.ReadAsync(ct)) crews.Add(new FieldCrew(reader.GetString(0), reader.GetString(1)));
        return crews;
    }

    private static async Task<IReadOnlyList<FieldReport>> ReadWhereAsync(NpgsqlConnection connection, NpgsqlTransaction? transaction,
        string where, object[] parameters, CancellationToken ct)
    {
        await using var command = new NpgsqlCommand(SelectReport + "\n" + where, connection, transaction);
        foreach (var parameter in parameters) command.Parameters.AddWithValue(parameter);
        await using var reader = await command.ExecuteReaderAsync(ct);
        var reports = new List<FieldReport>();
        while (await reader.ReadAsync(ct))
        {
            string? Text(int i) => reader.IsDBNull(i) ? null : reader.GetString(i);
            reports.Add(new FieldReport(
                reader.GetInt64(0), reader.GetGuid(1), DbEnum.Parse<FieldReportCategory>(reader.GetString(2)),
                DbEnum.Parse<FieldReportSeverity>(reader.GetString(3)), DbEnum.Parse<FieldReportStatus>(reader.GetString(4)),
                reader.GetFieldValue<DateTimeOffset>(5), reader.GetFieldValue<DateTimeOffset>(6), reader.GetFieldValue<DateTimeOffset>(7),
                reader.GetDouble(8), reader.GetDouble(9), reader.IsDBNull(10) ? null : reader.GetDouble(10), Text(11), Text(12), Text(13), Text(14),
                Text(15), Text(16), reader.IsDBNull(17) ? null : reader.GetInt64(17), Text(18), Text(19), Text(20),
                JsonSerializer.Deserialize<List<FieldReportPhoto>>(reader.GetString(22), BousaiJson.Options)!,
                reader.IsDBNull(21) ? null : reader.GetInt64(21)));
        }

        return reports;
    }
}
