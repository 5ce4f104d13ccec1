using System.Security.Cryptography;
using System.Text;
using Bousai.Server.Audit;
using Bousai.Server.Drills;
using Bousai.Server.Live;
using Bousai.Server.Store;
using Microsoft.Extensions.Options;
using Npgsql;

namespace Bousai.Server.OfficialWarnings;

/// <summary>What became of a telegram that was read.</summary>
public enum TelegramOutcome
{
    /// <summary>Stored, and what is in force for the town set from it (the warnings that changed are listed).</summary>
    Recorded,
    /// <summary>The same telegram was stored before: nothing changed.</summary>
    Duplicate,
    /// <summary>No item for the town: not stored.</summary>
    NotForTown,
    /// <summary>Stored, but older than the telegram that last set its warnings: nothing changed.</summary>
    Older,
    /// <summary>A 取消 stored, with nothing in force that it withdraws.</summary>
    NothingToCancel,
}

public sealed record TelegramReceipt(TelegramOutcome Outcome, IReadOnlyList<OfficialWarning> Warnings);

/// <summary>A telegram that could not be recorded, nothing stored. NoDrill: a 訓練/試験 telegram while no drill is on.</summary>
public sealed record TelegramRefusal(string Reason, bool NoDrill = false);

/// <summary>
/// Records a JMA telegram, from any of its ways in (the PULL feed, an HQ upload, the drop directory): stores it once and
/// sets from it what is in force for the town, following JMA's 発表 / 継続 / 解除 / 取消, in one transaction with one
/// official_warning_changed event per warning that changed and one audit record.
/// A 発表 (or 訂正) lists everything of its scope in force for the town, so a warning of that scope it no longer lists has
/// ended; its scope is its kind, and for a river forecast the kind and its rivers (a 最上川 forecast says nothing of
/// 屋代川). Real (通常) telegrams set real warnings even during a drill; 訓練 and 試験 ones are recorded as the drill's
/// while one is on and refused otherwise, so they can never reach residents as real warnings.
/// </summary>
public sealed class TelegramIntake(NpgsqlDataSource db, TimeProvider time, IOptions<OfficialWarningOptions> options, ILogger<TelegramIntake> logger)
{
    /// <summary>Larger than any telegram the reader accepts (<see cref="JmaTelegramReader.MaxCharacters"/> characters of UTF-8).</summary>
    public const int MaxBytes = 8 * 1024 * 1024;

    public async Task<(TelegramReceipt? Receipt, TelegramRefusal? Refusal)> RecordAsync(byte[] xml, OfficialWarningSource source, string? sourceRef,
        string actor, CancellationToken ct)
    {
        var town = options.Value.Town;
        TelegramReading reading;
        using (var stream = new MemoryStream(xml, writable: false))
        {
            reading = JmaTelegramReader.Read(stream, town, ProductNames.Shipped);
        }

        switch (reading)
        {
            case TelegramReading.Refused refused:
                return (null, new TelegramRefusal(refused.Reason));
            case TelegramReading.NotForTown:
                return (new TelegramReceipt(TelegramOutcome.NotForTown, []), null);
        }

        // A 取消 comes without the town's item (JMA leaves the body out): it withdraws what its telegram set.
        var (telegram, townArea) = reading switch
        {
            TelegramReading.ForTown f => (f.Telegram, f.Town),
            TelegramReading.Cancels c => (c.Telegram, (AreaWarnings?)null),
            _ => throw new InvalidOperationException($"Unknown telegram reading {reading.GetType().Name}"),
        };

        await using var connection = await db.OpenConnectionAsync(ct);
        await using var transaction = await connection.BeginTransactionAsync(ct);
        long? drillId = null;
        if (telegram.Status != TelegramStatus.Normal)
        {
            drillId = await DrillStore.CurrentIdAsync(connection, transaction, ct);
            if (drillId is null)
            {
                return (null, new TelegramRefusal(
                    $"{(telegram.Status == TelegramStatus.Drill ? "訓練" : "試験")}電文は訓練中にだけ記録します / a {DbEnum.Name(telegram.Status)} telegram is recorded only while a drill is on",
                    NoDrill: true));
            }
        }

        await OfficialWarningStore.LockAsync(connection, transaction, ct);
        var now = time.GetUtcNow();
        var scope = ScopeOf(telegram);
        var telegramId = await OfficialWarningStore.InsertTelegramAsync(connection, transaction,
            new StoredTelegram(telegram, scope, Digest(xml), source, sourceRef, now, actor, drillId, Text(xml)), ct);
        if (telegramId is not { } id)
        {
            return (new TelegramReceipt(TelegramOutcome.Duplicate, []), null);
        }

        var (outcome, changed) =
            await OfficialWarningStore.LatestReportedAtAsync(connection, transaction, scope, drillId, id, ct) is { } latest && telegram.ReportDateTime < latest
                ? (TelegramOutcome.Older, [])
                : townArea is null
                    ? await CancelAsync(connection, transaction, telegram, id, drillId, now, ct)
                    : await SetInForceAsync(connection, transaction, telegram, townArea, scope, id, source, drillId, now, ct);

        await AuditLog.RecordAsync(connection, transaction, new AuditEntry(actor, "official_telegram.record", "official_telegram", id.ToString(),
            new Dictionary<string, object?>
            {
                ["outcome"] = DbEnum.Name(outcome), ["title"] = telegram.Title, ["reportedAt"] = telegram.ReportDateTime,
                ["source"] = DbEnum.Name(source), ["warnings"] = changed.Select(w => w.WarningId).ToArray(),
            }), ct);
        await SituationEventLog.AppendManyAsync(connection, transaction,
            [.. changed.Select(w => new OfficialWarningChanged(w) { At = now })], ct);
        await transaction.CommitAsync(ct);
        logger.LogInformation("Recorded telegram {TelegramId} {Title} of {ReportedAt} from {Source}: {Outcome}, {Changed} warning(s) changed",
            id, telegram.Title, telegram.ReportDateTime, DbEnum.Name(source), DbEnum.Name(outcome), changed.Count);
        return (new TelegramReceipt(outcome, changed), null);
    }

    private static async Task<(TelegramOutcome, IReadOnlyList<OfficialWarning>)> SetInForceAsync(NpgsqlConnection connection,
        NpgsqlTransaction transaction, JmaTelegram telegram, AreaWarnings town, string scope, long telegramId, OfficialWarningSource source,
        long? drillId, DateTimeOffset now, CancellationToken ct)
    {
        var inForce = (await OfficialWarningStore.InForceAsync(connection, transaction, drillId, ct)).ToDictionary(w => w.Warning.WarningKey);
        var listed = new HashSet<string>();
        var changed = new List<OfficialWarning>();
        foreach (var w in town.InForce)
        {
            var key = OfficialWarning.KeyOf(telegram.Kind, town.Code, w.Name, w.Condition);
            if (!listed.Add(key)) continue;
            var nameEn = EnglishName(w.Name, w.Condition, telegram.ReportDateTime);
            if (inForce.TryGetValue(key, out var existing))
            {
                var was = existing.Warning;
                var continued = was with
                {
                    NameEn = nameEn, LevelEquivalent = w.LevelEquivalent, ValidUntil = telegram.ValidDateTime?.ToUniversalTime(), Rivers = telegram.Rivers,
                    Headline = telegram.Headline, Source = source, EnteredByHand = false,
                };
                var changes = continued.NameEn != was.NameEn || continued.LevelEquivalent != was.LevelEquivalent || continued.ValidUntil != was.ValidUntil
                    || !continued.Rivers.SequenceEqual(was.Rivers) || continued.Headline != was.Headline || continued.Source != was.Source;
                var written = changes ? continued with { UpdatedAt = now } : was;
                await OfficialWarningStore.UpdateAsync(connection, transaction, written, scope, telegram.ReportDateTime, telegramId, ct);
                if (changes) changed.Add(written);
                continue;
            }

            changed.Add(await OfficialWarningStore.InsertAsync(connection, transaction,
                new OfficialWarning(0, key, telegram.Kind, w.Name, nameEn, w.Condition, w.LevelEquivalent, OfficialWarningStatus.InForce, source,
                    telegram.ReportDateTime.ToUniversalTime(), telegram.ValidDateTime?.ToUniversalTime(), [town.Name], telegram.Rivers, telegram.Headline, EnteredByHand: false,
                    EnteredBy: null, drillId, now),
                town.Code, scope, telegram.ReportDateTime, telegramId, ct));
        }

        foreach (var (key, (was, wasScope)) in inForce)
        {
            if (wasScope != scope || listed.Contains(key)) continue;
            var ended = was with { Status = OfficialWarningStatus.Ended, UpdatedAt = now };
            await OfficialWarningStore.UpdateAsync(connection, transaction, ended, scope, telegram.ReportDateTime, telegramId, ct);
            changed.Add(ended);
        }

        return (TelegramOutcome.Recorded, changed);
    }

    private static async Task<(TelegramOutcome, IReadOnlyList<OfficialWarning>)> CancelAsync(NpgsqlConnection connection,
        NpgsqlTransaction transaction, JmaTelegram cancellation, long telegramId, long? drillId, DateTimeOffset now, CancellationToken ct)
    {
        var withdrawn = await OfficialWarningStore.CancelledByAsync(connection, transaction, cancellation, drillId, ct);
        if (withdrawn.Count == 0) return (TelegramOutcome.NothingToCancel, []);
        var changed = new List<OfficialWarning>();
        foreach (var was in withdrawn)
        {
            var cancelled = was with { Status = OfficialWarningStatus.Cancelled, UpdatedAt = now };
            await OfficialWarningStore.UpdateAsync(connection, transaction, cancelled, null, cancellation.ReportDateTime, telegramId, ct);
            changed.Add(cancelled);
        }

        return (TelegramOutcome.Recorded, changed);
    }

    /// <summary>What a telegram speaks for: its kind, and for a river forecast its rivers too.</summary>
    public static string ScopeOf(JmaTelegram telegram) => telegram.Kind == OfficialKind.RiverFlood
        ? $"{DbEnum.Name(telegram.Kind)}:{string.Join("・", telegram.Rivers)}"
        : DbEnum.Name(telegram.Kind);

    /// <summary>
    /// The English name from the dated product table: the product is the longest name in use at that time that the
    /// shown name starts with (大雨警報（土砂災害）) or ends with (屋代川氾濫危険情報); river forecasts name their river.
    /// </summary>
    public static string EnglishName(string shown, string? condition, DateTimeOffset issuedAt)
    {
        var names = ProductNames.Shipped;
        var product = names.Products.Select(p => p.Name).Distinct()
            .Where(n => shown.StartsWith(n, StringComparison.Ordinal) || shown.EndsWith(n, StringComparison.Ordinal))
            .OrderByDescending(n => n.Length)
            .Select(n => (Name: n, Entry: names.Find(n, condition, issuedAt)))
            .FirstOrDefault(p => p.Entry is not null);
        if (product.Entry is null) return shown;
        var prefix = shown.EndsWith(product.Name, StringComparison.Ordinal) ? shown[..^product.Name.Length] : "";
        return prefix.Length > 0 ? $"{product.Entry.En} ({prefix})" : product.Entry.En;
    }

    private static string Digest(byte[] xml) => Convert.ToHexStringLower(SHA256.HashData(xml));

    private static string Text(byte[] xml)
    {
        using var reader = new StreamReader(new MemoryStream(xml, writable: false), Encoding.UTF8, detectEncodingFromByteOrderMarks: true);
        return reader.ReadToEnd();
    }
}
