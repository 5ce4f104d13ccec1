using System.Text.Json;
using Bousai.Server.Live;
using Bousai.Server.Store;
using Npgsql;
using NpgsqlTypes;

namespace Bousai.Server.Notifications;

/// <summary>
/// Writes what residents are to be told of a change into push_notices, in the transaction that makes the change: the
/// situation event log calls it for every append, so no feature has to remember it, and a change that rolls back tells
/// nobody. It runs after the log's counter row is locked, so appends (and the marks they read and keep) are in commit
/// order across every instance.
/// </summary>
public static class NoticeOutbox
{
    /// <summary>The channel a committed notice is announced on (every instance's sender listens).</summary>
    public const string Channel = "push_notices";

    public static async Task WriteAsync(NpgsqlConnection connection, NpgsqlTransaction transaction, IReadOnlyList<SituationEvent> numbered,
        CancellationToken ct)
    {
        // Gauges' states are most of the log: they cost nothing here.
        if (!numbered.Any(Concerns)) return;

        var subjects = numbered.SelectMany(MarkSubjects).Distinct().ToArray();
        var marks = new Dictionary<string, NoticeMark>();
        await using (var read = new NpgsqlCommand("SELECT subject, mark FROM push_marks WHERE subject = ANY($1)", connection, transaction))
        {
            read.Parameters.AddWithValue(subjects);
            await using var reader = await read.ExecuteReaderAsync(ct);
            while (await reader.ReadAsync(ct)) marks[reader.GetString(0)] = DbEnum.Parse<NoticeMark>(reader.GetString(1));
        }

        var notices = new List<(long Seq, DateTimeOffset At, ResidentNotice Notice)>();
        var changedMarks = new Dictionary<string, NoticeMark>();
        foreach (var change in numbered)
        {
            foreach (var notice in NoticesFor(change, marks, changedMarks)) notices.Add((change.Seq, change.At, notice));
        }

        if (changedMarks.Count == 0 && notices.Count == 0) return;
        await using var write = new NpgsqlBatch(connection, transaction);
        if (changedMarks.Count > 0)
        {
            write.BatchCommands.Add(new NpgsqlBatchCommand(
                """
                INSERT INTO push_marks (subject, mark) SELECT * FROM unnest($1::text[], $2::text[])
                ON CONFLICT (subject) DO UPDATE SET mark = excluded.mark
                """)
            {
                Parameters = { new() { Value = changedMarks.Keys.ToArray() }, new() { Value = changedMarks.Values.Select(DbEnum.Name).ToArray() } },
            });
        }

        if (notices.Count > 0)
        {
            write.BatchCommands.Add(new NpgsqlBatchCommand(
                """
                INSERT INTO push_notices (seq, topic, drill, urgency, ttl_seconds, facts, created_at)
                SELECT * FROM unnest($1::bigint[], $2::text[], $3::boolean[], $4::text[], $5::integer[], $6::jsonb[], $7::timestamptz[])
                """)
            {
                Parameters =
                {
                    new() { Value = notices.Select(n => n.Seq).ToArray() },
                    new() { Value = notices.Select(n => n.Notice.Topic).ToArray() },
                    new() { Value = notices.Select(n => n.Notice.Drill).ToArray() },
                    new() { Value = notices.Select(n => DbEnum.Name(n.Notice.Urgency)).ToArray() },
                    new() { Value = notices.Select(n => n.Notice.TtlSeconds).ToArray() },
                    new() { Value = notices.Select(n => JsonSerializer.Serialize(n.Notice, BousaiJson.Options)).ToArray(), NpgsqlDbType = NpgsqlDbType.Array | NpgsqlDbType.Jsonb },
                    new() { Value = notices.Select(n => n.At).ToArray() },
                },
            });
            write.BatchCommands.Add(new NpgsqlBatchCommand($"SELECT pg_notify('{Channel}', '')"));
        }

        await write.ExecuteNonQueryAsync(ct);
    }

    private static bool Concerns(SituationEvent change) =>
        change is DistrictEvacuationLevelChanged or OfficialWarningChanged or ShelterStatusChanged or ShelterRegistryChanged or HazardsChanged;

    private static IEnumerable<string> MarkSubjects(SituationEvent change) => change switch
    {
        OfficialWarningChanged w => [ResidentNotices.WarningMark(w.Warning)],
        _ => ResidentNotices.SheltersIn(change).Select(s => ResidentNotices.ShelterTopic(s.ShelterId)),
    };

    /// <summary>The notices of one change, keeping the marks it moves (later events of the same append see them).</summary>
    private static IEnumerable<ResidentNotice> NoticesFor(SituationEvent change, Dictionary<string, NoticeMark> marks,
        Dictionary<string, NoticeMark> changedMarks)
    {
        if (change is DistrictEvacuationLevelChanged level)
        {
            if (ResidentNotices.ForLevel(level) is { } notice) yield return notice;
            yield break;
        }

        if (change is OfficialWarningChanged warning)
        {
            var subject = ResidentNotices.WarningMark(warning.Warning);
            var notice = ResidentNotices.ForWarning(warning.Warning, marks.TryGetValue(subject, out var was) ? was : null);
            Keep(subject, ResidentNotices.MarkOf(warning.Warning));
            if (notice is not null) yield return notice;
            yield break;
        }

        foreach (var shelter in ResidentNotices.SheltersIn(change))
        {
            var subject = ResidentNotices.ShelterTopic(shelter.ShelterId);
            var notice = ResidentNotices.ForShelter(shelter, marks.TryGetValue(subject, out var was) ? was : null);
            Keep(subject, ResidentNotices.MarkOf(shelter));
            if (notice is not null) yield return notice;
        }

        void Keep(string subject, NoticeMark mark)
        {
            if (marks.TryGetValue(subject, out var kept) && kept == mark) return;
            marks[subject] = mark;
            changedMarks[subject] = mark;
        }
    }
}
