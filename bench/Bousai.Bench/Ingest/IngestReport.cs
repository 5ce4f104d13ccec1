using System.Globalization;
using System.Text;
using Bousai.Bench.LiveFanout;

namespace Bousai.Bench.Ingest;

/// <summary>The phases' results as Markdown: throughput against the raw COPY baseline of the same run, zero loss, where the CPU and PostgreSQL's time went, and latency.</summary>
public static class IngestReport
{
    public const double TargetReadingsPerSecond = 20_000;

    public static string Render(IReadOnlyList<PhaseResult> phases)
    {
        var text = new StringBuilder();
        void Line(string line = "") => text.AppendLine(line);
        var loads = phases.Where(p => p.Load is not null).ToList();
        var latencies = phases.Where(p => p.Latency is not null).ToList();
        var baselines = phases.SelectMany(p => p.Baselines ?? []).ToList();
        var raw = baselines.FirstOrDefault(b => b.Name.StartsWith("raw", StringComparison.Ordinal));
        string Ratio(double rate) => raw is null ? "—" : $"{rate / raw.RowsPerSecond:0.00}×";

        Line($"## ingest — {DateTimeOffset.Now:yyyy-MM-dd HH:mm zzz}");
        Line();
        Line($"Machine: {MachineFacts.Describe()}. Server, PostgreSQL, mosquitto, the publisher and the bench share the 2 cores over loopback.");
        Line();
        Line("### Throughput: MQTT QoS 1 → PostgreSQL, against a raw binary COPY of the same rows in the same run");
        Line();
        Line("| measurement | readings | seconds | readings/s | × raw COPY |");
        Line("|---|---:|---:|---:|---:|");
        foreach (var b in baselines)
        {
            Line($"| {b.Name}, {b.BatchRows:N0} rows a batch{(ReferenceEquals(b, raw) ? " (baseline)" : "")} | {b.Rows:N0} | {b.Seconds:0.0} | {b.RowsPerSecond:N0} | {Ratio(b.RowsPerSecond)} |");
        }

        foreach (var p in loads)
        {
            var l = p.Load!;
            var run = $"{l.Stations:N0} stations × {l.Rate}/s, {l.Batch} reading{(l.Batch == 1 ? "" : "s")} a message";
            Line($"| {run}: offered (published and acknowledged by mosquitto) | {l.ReadingsAcknowledged:N0} | {l.PublishSeconds:0.0} | {l.OfferedRate:N0} | — |");
            Line($"| {run}: committed by the server while publishing | {l.StoredWhilePublishing:N0} | {l.PublishSeconds:0.0} | {l.CommittedWhilePublishingRate:N0} | {Ratio(l.CommittedWhilePublishingRate)} |");
            Line($"| {run}: **sustained** (first publish → last commit{(l.Drained ? "" : ", drain limit reached")}) | {l.StoredTotal:N0} | {l.FirstToLastCommitSeconds:0.0} | **{l.SustainedRate:N0}** | {Ratio(l.SustainedRate)} |");
        }

        Line();
        foreach (var p in loads)
        {
            var l = p.Load!;
            var met = l.Drained && l.StoredTotal == l.ReadingsAcknowledged && l.OfferedRate >= TargetReadingsPerSecond && l.SustainedRate >= TargetReadingsPerSecond;
            Line($"Target ({TargetReadingsPerSecond:N0} readings/s sustained, zero loss), {l.Batch} a message: **{(met ? "met" : "not met")}** — " +
                 $"sustained {l.SustainedRate:N0}/s, committed while publishing {l.CommittedWhilePublishingRate:N0}/s, best 10 s {l.BestTenSecondRate:N0}/s" +
                 $"{(l.Drained ? $", every acknowledged reading stored {l.DrainSeconds:0.0} s after the publisher stopped" : $", {l.ReadingsAcknowledged - l.StoredTotal:N0} readings not yet stored when the {l.DrainSeconds:0} s drain limit ended the run")}. Server settings: {l.ServerSettings}.");
        }

        Line();
        Line("### Zero loss (exact counts)");
        Line();
        Line("| run | readings acknowledged to the publisher | readings stored (count in readings) | stored − acknowledged | failed publishes | redeliveries skipped as duplicates | dead letters | caught up after the stop | messages mosquitto still held |");
        Line("|---|---:|---:|---:|---:|---:|---:|---:|---:|");
        foreach (var p in loads)
        {
            var l = p.Load!;
            Line($"| {l.Batch} a message | {l.ReadingsAcknowledged:N0} | {l.StoredTotal:N0} | {l.StoredTotal - l.ReadingsAcknowledged:N0} | {l.MessagesFailed} | {l.Duplicates} | {l.DeadLetters} | " +
                 $"{(l.Drained ? $"{l.DrainSeconds:0.0} s" : $"no, after {l.DrainSeconds:0} s")} | {(l.BrokerQueuedAtEnd is { } q ? q.ToString("N0", CultureInfo.InvariantCulture) : "—")} |");
        }

        Line();
        Line("### Where the time goes while publishing (CPU in cores of 2; the server's single writer)");
        Line();
        Line("| run | server | PostgreSQL | mosquitto | publisher | bench | other | machine | server CPU per reading committed (µs) | commits/s | messages a batch | readings a batch | commit (ms, mean) | writer busy |");
        Line("|---|---:|---:|---:|---:|---:|---:|---:|---:|---:|---:|---:|---:|---:|");
        foreach (var p in loads)
        {
            var l = p.Load!;
            void Row(string window, CpuSplit? c, BatchStats? b)
            {
                // A run the server kept up with has no drain worth a row (a fraction of a second of polling).
                if (c is null || b is null || b.Seconds < 2) return;
                var perReading = b.Readings == 0 ? "—" : (c.Server * b.Seconds * 1e6 / b.Readings).ToString("0", CultureInfo.InvariantCulture);
                Line($"| {l.Batch} a message, {window} | {c.Server:0.00} | {c.PostgreSql:0.00} | {c.Mosquitto:0.00} | {c.Publisher:0.00} | {c.Bench:0.00} | {c.Other:0.00} | {c.Machine:0.00} | " +
                     $"{perReading} | {b.BatchesPerSecond:0.0} | {b.MessagesPerBatch:N0} | {b.ReadingsPerBatch:N0} | {b.CommitMs:0} | {b.Busy:P0} |");
            }

            Row("publishing", l.CpuPublishing, l.BatchesPublishing);
            Row("after the stop", l.CpuDraining, l.BatchesDraining);
        }

        Line();
        foreach (var p in loads)
        {
            var l = p.Load!;
            if (l.TcpAtStop is not null) Line($"{l.Batch} a message — broker → server TCP when the publisher stopped: {l.TcpAtStop}.");
            if (l.TcpAtDrainLimit is not null) Line($"{l.Batch} a message — broker → server TCP at the drain limit: {l.TcpAtDrainLimit}.");
            Line();
            Line($"{l.Batch} a message — situation events logged by the derived-state refresher over the whole run: {l.SituationEvents:N0}. " +
                 $"Readings committed per second since the first publish: {string.Join(" ", l.StoredPerSecond.Select(r => (r / 1000).ToString("0.#", CultureInfo.InvariantCulture) + "k"))}");
            Line();
            if (l.Waits.Length > 0)
            {
                Line($"PostgreSQL, active backends sampled every 100 ms while publishing ({l.Batch} a message):");
                Line();
                Line("| statement | waiting for | share of samples |");
                Line("|---|---|---:|");
                foreach (var w in l.Waits) Line($"| `{w.Statement.Replace("|", "\\|", StringComparison.Ordinal)}` | {w.Wait} | {w.Share:P0} |");
                Line();
            }

            if (l.Statements.Length > 0)
            {
                Line($"pg_stat_statements while publishing ({l.Batch} a message):");
                Line();
                Line("| statement | calls | total (ms) | rows |");
                Line("|---|---:|---:|---:|");
                foreach (var s in l.Statements.Take(8)) Line($"| `{s.Statement.Replace("|", "\\|", StringComparison.Ordinal)}` | {s.Calls:N0} | {s.TotalMs:N0} | {s.Rows:N0} |");
                Line();
            }
        }

        if (latencies.Count > 0)
        {
            Line("### Publish-to-browser latency");
            Line();
            var first = latencies[0].Latency!;
            Line($"{first.Stations} stations × {first.RatePerStation} readings/s = {first.Stations * first.RatePerStation} readings/s, one per message, published at QoS 1 by the bench; " +
                 "one resident's browser (raw SignalR client) follows /hubs/public. \"Delivered as such\": the station_state_changed event carries exactly that reading " +
                 "(the server sends a client only the latest reading per gauge between two of its messages); \"fresh\": for every reading, until the browser showed it or a newer one. " +
                 "The parts are medians over readings delivered as such: publish → the server's batch (readings.received_at) → the refresher's event (its \"at\") → the browser.");
            Line();
            Line("| server setting | readings (measured) | delivered as such | p50 (ms) | p99 (ms) | max (ms) | fresh p50 (ms) | fresh p99 (ms) | publish → batch (ms) | batch → event (ms) | event → browser (ms) | server CPU (cores) |");
            Line("|---|---:|---:|---:|---:|---:|---:|---:|---:|---:|---:|---:|");
            foreach (var p in latencies)
            {
                var t = p.Latency!;
                Line($"| {t.StationUpdateInterval} | {t.Published:N0} in {t.MeasuredSeconds:0} s | {t.EventsDelivered:N0} | {t.P50Ms:0} | {t.P99Ms:0} | {t.MaxMs:0} | {t.FreshP50Ms:0} | {t.FreshP99Ms:0} | " +
                     $"{t.PublishToBatchMs:0} | {t.BatchToEventMs:0} | {t.EventToClientMs:0} | {t.ServerCpuCores:0.00} |{(t.Failure is null ? "" : $" {t.Failure}")}");
            }

            Line();
        }

        return text.ToString();
    }
}
