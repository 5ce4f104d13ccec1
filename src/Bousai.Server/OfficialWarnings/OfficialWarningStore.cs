using Bousai.Server.Drills;
using Bousai.Server.Store;
using Npgsql;
using NpgsqlTypes;

namespace Bousai.Server.OfficialWarnings;

/// <summary>A telegram as stored once in official_telegrams.</summary>
public sealed record StoredTelegram(
    JmaTelegram Telegram, string Scope, string Digest, OfficialWarningSource Source, string? SourceRef, DateTimeOffset ReceivedAt, string ReceivedBy,
    long? DrillId, string Xml);

/// <summary>The SQL of official warnings and the telegrams that set them.</summary>
public static class OfficialWarningStore
{
    private const string Columns =
        """
        w.id, w.warning_key, w.kind, w.name, w.name_en, w.condition, w.level_equivalent, w.status, w.source, w.issued_at,
        w.valid_until, w.areas, w.rivers, w.headline, w.entered_by, w.drill_id, w.updated_at
        """;

    /// <summary>
    /// Serialises every write of official warnings across instances for the rest of the transaction: a telegram reads
    /// what is in force, then writes, and the feed, an upload and a hand entry may arrive at once.
    /// </summary>
    public static async Task LockAsync(NpgsqlConnection connection, NpgsqlTransaction transaction, CancellationToken ct)
    {
        await using var command = new NpgsqlCommand("SELECT pg_advisory_xact_lock(hashtext('official_warnings'))", connection, transaction);
        await command.ExecuteNonQueryAsync(ct);
    }

    /// <summary>Stores the telegram; null when it is already stored (the same telegram again).</summary>
    public static async Task<long?> InsertTelegramAsync(NpgsqlConnection connection, NpgsqlTransaction transaction, StoredTelegram stored,
        CancellationToken ct)
    {
        var t = stored.Telegram;
        await using var insert = new NpgsqlCommand(
            """
            INSERT INTO official_telegrams (digest, kind, publishing_office, title, info_type, telegram_status, event_id, serial,
                reported_at, source, source_ref, received_at, received_by, drill_id, xml, scope)
            VALUES ($1, $2, $3, $4, $5, $6, $7, $8, $9, $10, $11, $12, $13, $14, $15, $16)
            ON CONFLICT DO NOTHING
            RETURNING id
            """, connection, transaction);
        insert.Parameters.AddWithValue(stored.Digest);
        insert.Parameters.AddWithValue(DbEnum.Name(t.Kind));
        insert.Parameters.AddWithValue(t.PublishingOffice);
        insert.Parameters.AddWithValue(t.Title);
        insert.Parameters.AddWithValue(DbEnum.Name(t.InfoType));
        insert.Parameters.AddWithValue(DbEnum.Name(t.Status));
        insert.Parameters.AddWithValue((object?)t.EventId ?? DBNull.Value);
        insert.Parameters.AddWithValue((object?)t.Serial ?? DBNull.Value);
        insert.Parameters.AddWithValue(t.ReportDateTime.ToUniversalTime());
        insert.Parameters.AddWithValue(DbEnum.Name(stored.Source));
        insert.Parameters.AddWithValue((object?)stored.SourceRef ?? DBNull.Value);
        insert.Parameters.AddWithValue(stored.ReceivedAt.ToUniversalTime());
        insert.Parameters.AddWithValue(stored.ReceivedBy);
        insert.Parameters.AddWithValue((object?)stored.DrillId ?? DBNull.Value);
        insert.Parameters.AddWithValue(stored.Xml);
        insert.Parameters.AddWithValue(stored.Scope);
        return await insert.ExecuteScalarAsync(ct) is long id ? id : null;
    }

    /// <summary>The report time of the latest other telegram of <paramref name="scope"/> stored (real, or of the same drill).</summary>
    public static async Task<DateTimeOffset?> LatestReportedAtAsync(NpgsqlConnection connection, NpgsqlTransaction transaction, string scope,
        long? drillId, long exceptTelegramId, CancellationToken ct)
    {
        await using var command = new NpgsqlCommand(
            "SELECT max(reported_at) FROM official_telegrams WHERE scope = $1 AND drill_id IS NOT DISTINCT FROM $2 AND id <> $3",
            connection, transaction);
        command.Parameters.AddWithValue(scope);
        command.Parameters.Add(new NpgsqlParameter { Value = (object?)drillId ?? DBNull.Value, NpgsqlDbType = NpgsqlDbType.Bigint });
        command.Parameters.AddWithValue(exceptTelegramId);
        return await command.ExecuteScalarAsync(ct) is DateTime at ? new DateTimeOffset(at, TimeSpan.Zero) : null;
    }

    /// <summary>The warnings in force among the real ones (<paramref name="drillId"/> null) or the drill's.</summary>
    public static Task<IReadOnlyList<(OfficialWarning Warning, string? Scope)>> InForceAsync(NpgsqlConnection connection,
        NpgsqlTransaction transaction, long? drillId, CancellationToken ct) =>
        ReadWithScopeAsync(connection, transaction,
            "WHERE w.status = 'in_force' AND w.drill_id IS NOT DISTINCT FROM $1 ORDER BY w.id FOR UPDATE OF w",
            [new NpgsqlParameter { Value = (object?)drillId ?? DBNull.Value, NpgsqlDbType = NpgsqlDbType.Bigint }], ct);

    /// <summary>
    /// The warnings in force (real or of the drill) last set by a telegram of this kind from this office with this EventID:
    /// those a 取消 withdraws.
    /// </summary>
    public static async Task<IReadOnlyList<OfficialWarning>> CancelledByAsync(NpgsqlConnection connection, NpgsqlTransaction transaction,
        JmaTelegram cancellation, long? drillId, CancellationToken ct) =>
        [.. (await ReadWithScopeAsync(connection, transaction,
            """
            JOIN official_telegrams t ON t.id = w.telegram_id
            WHERE w.status = 'in_force' AND w.drill_id IS NOT DISTINCT FROM $1 AND w.kind = $2 AND t.publishing_office = $3
              AND t.event_id IS NOT DISTINCT FROM $4 AND t.reported_at <= $5 AND t.info_type <> 'cancellation'
            ORDER BY w.id FOR UPDATE OF w
            """,
            [
                new NpgsqlParameter { Value = (object?)drillId ?? DBNull.Value, NpgsqlDbType = NpgsqlDbType.Bigint },
                new NpgsqlParameter { Value = DbEnum.Name(cancellation.Kind) },
                new NpgsqlParameter { Value = cancellation.PublishingOffice },
                new NpgsqlParameter { Value = (object?)cancellation.EventId ?? DBNull.Value, NpgsqlDbType = NpgsqlDbType.Text },
                new NpgsqlParameter { Value = cancellation.ReportDateTime.ToUniversalTime() },
            ], ct)).Select(w => w.Warning)];

    /// <summary>Writes a new warning in force and returns it with its id.</summary>
    public static async Task<OfficialWarning> InsertAsync(NpgsqlConnection connection, NpgsqlTransaction transaction, OfficialWarning w,
        string areaCode, string? scope, DateTimeOffset reportedAt, long? telegramId, CancellationToken ct)
    {
        await using var insert = new NpgsqlCommand(
            """
            INSERT INTO official_warnings (warning_key, kind, name, name_en, condition, level_equivalent, status, source, issued_at,
                valid_until, areas, area_codes, rivers, headline, entered_by, drill_id, updated_at, telegram_id, scope, reported_at)
            VALUES ($1, $2, $3, $4, $5, $6, $7, $8, $9, $10, $11, $12, $13, $14, $15, $16, $17, $18, $19, $20)
            RETURNING id
            """, connection, transaction);
        insert.Parameters.AddWithValue(w.WarningKey);
        insert.Parameters.AddWithValue(DbEnum.Name(w.Kind));
        insert.Parameters.AddWithValue(w.Name);
        insert.Parameters.AddWithValue(w.NameEn);
        insert.Parameters.AddWithValue((object?)w.Condition ?? DBNull.Value);
        insert.Parameters.Add(new NpgsqlParameter { Value = (object?)(short?)w.LevelEquivalent ?? DBNull.Value, NpgsqlDbType = NpgsqlDbType.Smallint });
        insert.Parameters.AddWithValue(DbEnum.Name(w.Status));
        insert.Parameters.AddWithValue(DbEnum.Name(w.Source));
        insert.Parameters.AddWithValue(w.IssuedAt.ToUniversalTime());
        insert.Parameters.Add(new NpgsqlParameter { Value = (object?)w.ValidUntil?.ToUniversalTime() ?? DBNull.Value, NpgsqlDbType = NpgsqlDbType.TimestampTz });
        insert.Parameters.AddWithValue(w.Areas.ToArray());
        insert.Parameters.AddWithValue(new[] { areaCode });
        insert.Parameters.AddWithValue(w.Rivers.ToArray());
        insert.Parameters.AddWithValue((object?)w.Headline ?? DBNull.Value);
        insert.Parameters.AddWithValue((object?)w.EnteredBy ?? DBNull.Value);
        insert.Parameters.Add(new NpgsqlParameter { Value = (object?)w.DrillId ?? DBNull.Value, NpgsqlDbType = NpgsqlDbType.Bigint });
        insert.Parameters.AddWithValue(w.UpdatedAt.ToUniversalTime());
        insert.Parameters.Add(new NpgsqlParameter { Value = (object?)telegramId ?? DBNull.Value, NpgsqlDbType = NpgsqlDbType.Bigint });
        insert.Parameters.AddWithValue((object?)scope ?? DBNull.Value);
        insert.Parameters.AddWithValue(reportedAt.ToUniversalTime());
        var id = (long)(await insert.ExecuteScalarAsync(ct))!;
        return w with { WarningId = id };
    }

    /// <summary>Writes what a telegram (or HQ) says of a warning already recorded: its status, facts and the telegram that said it.</summary>
    /// <remarks><paramref name="reportedAt"/> null (HQ ending one): the row keeps the report time of the telegram that set it.</remarks>
    public static async Task UpdateAsync(NpgsqlConnection connection, NpgsqlTransaction transaction, OfficialWarning w, string? scope,
        DateTimeOffset? reportedAt, long? telegramId, CancellationToken ct)
    {
        await using var update = new NpgsqlCommand(
            """
            UPDATE official_warnings SET status = $2, source = $3, name_en = $4, level_equivalent = $5, valid_until = $6, rivers = $7,
                headline = $8, updated_at = $9, scope = coalesce($10, scope), reported_at = greatest(reported_at, coalesce($11, reported_at)),
                telegram_id = coalesce($12, telegram_id)
            WHERE id = $1
            """, connection, transaction);
        update.Parameters.AddWithValue(w.WarningId);
        update.Parameters.AddWithValue(DbEnum.Name(w.Status));
        update.Parameters.AddWithValue(DbEnum.Name(w.Source));
        update.Parameters.AddWithValue(w.NameEn);
        update.Parameters.Add(new NpgsqlParameter { Value = (object?)(short?)w.LevelEquivalent ?? DBNull.Value, NpgsqlDbType = NpgsqlDbType.Smallint });
        update.Parameters.Add(new NpgsqlParameter { Value = (object?)w.ValidUntil?.ToUniversalTime() ?? DBNull.Value, NpgsqlDbType = NpgsqlDbType.TimestampTz });
        update.Parameters.AddWithValue(w.Rivers.ToArray());
        update.Parameters.AddWithValue((object?)w.Headline ?? DBNull.Value);
        update.Parameters.AddWithValue(w.UpdatedAt.ToUniversalTime());
        update.Parameters.Add(new NpgsqlParameter { Value = (object?)scope ?? DBNull.Value, NpgsqlDbType = NpgsqlDbType.Text });
        update.Parameters.Add(new NpgsqlParameter { Value = (object?)reportedAt?.ToUniversalTime() ?? DBNull.Value, NpgsqlDbType = NpgsqlDbType.TimestampTz });
        update.Parameters.Add(new NpgsqlParameter { Value = (object?)telegramId ?? DBNull.Value, NpgsqlDbType = NpgsqlDbType.Bigint });
        await update.ExecuteNonQueryAsync(ct);
    }

    /// <summary>One warning, locked for this change; null when there is none with that id.</summary>
    public static async Task<OfficialWarning?> LockAsync(NpgsqlConnection connection, NpgsqlTransaction transaction, long warningId,
        CancellationToken ct) =>
        (await ReadWithScopeAsync(connection, transaction, "WHERE w.id = $1 FOR UPDATE OF w", [new NpgsqlParameter { Value = warningId }], ct))
        .Select(w => w.Warning).SingleOrDefault();

    /// <summary>The warnings in force in the live picture (real ones and those of the drill in progress), highest level first.</summary>
    public static async Task<IReadOnlyList<OfficialWarning>> ReadInForceAsync(NpgsqlConnection connection, NpgsqlTransaction? transaction,
        CancellationToken ct) =>
        [.. (await ReadWithScopeAsync(connection, transaction,
            $"WHERE w.status = 'in_force' AND {DrillStore.InLivePicture("w")} ORDER BY w.level_equivalent DESC NULLS LAST, w.issued_at, w.id",
            [], ct)).Select(w => w.Warning)];

    private static async Task<IReadOnlyList<(OfficialWarning Warning, string? Scope)>> ReadWithScopeAsync(NpgsqlConnection connection,
        NpgsqlTransaction? transaction, string rest, NpgsqlParameter[] parameters, CancellationToken ct)
    {
        await using var command = new NpgsqlCommand($"SELECT {Columns}, w.scope FROM official_warnings w {rest}", connection, transaction);
        command.Parameters.AddRange(parameters);
        await using var reader = await command.ExecuteReaderAsync(ct);
        var warnings = new List<(OfficialWarning, string?)>();
        while (await reader.ReadAsync(ct))
        {
            var source = DbEnum.Parse<OfficialWarningSource>(reader.GetString(8));
            warnings.Add((new OfficialWarning(
                reader.GetInt64(0), reader.GetString(1), DbEnum.Parse<OfficialKind>(reader.GetString(2)), reader.GetString(3),
                reader.GetString(4), reader.IsDBNull(5) ? null : reader.GetString(5), reader.IsDBNull(6) ? null : reader.GetInt16(6),
                DbEnum.Parse<OfficialWarningStatus>(reader.GetString(7)), source, reader.GetFieldValue<DateTimeOffset>(9),
                reader.IsDBNull(10) ? null : reader.GetFieldValue<DateTimeOffset>(10), reader.GetFieldValue<string[]>(11),
                reader.GetFieldValue<string[]>(12), reader.IsDBNull(13) ? null : reader.GetString(13), source == OfficialWarningSource.Hand,
                reader.IsDBNull(14) ? null : reader.GetString(14), reader.IsDBNull(15) ? null : reader.GetInt64(15),
                reader.GetFieldValue<DateTimeOffset>(16)), reader.IsDBNull(17) ? null : reader.GetString(17)));
        }

        return warnings;
    }
}
