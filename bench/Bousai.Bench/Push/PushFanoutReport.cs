using System.Text;
using Bousai.Bench.LiveFanout;

namespace Bousai.Bench.Push;

/// <summary>The results as Markdown: the fan-outs (times after the PUT's answer, throughput, CPU), exactly-once counts, and the live rounds against their same-run baseline.</summary>
public static class PushFanoutReport
{
    public static string Render(PushFanoutResults results)
    {
        var o = results.Options;
        var text = new StringBuilder();
        void Line(string line = "") => text.AppendLine(line);

        Line($"## push — {DateTimeOffset.Now:yyyy-MM-dd HH:mm zzz}");
        Line();
        Line($"Machine: {MachineFacts.Describe()}");
        Line($"{o.Subscriptions:N0} subscriptions on district:{o.District} ({results.DistrictNames.Ja} / {results.DistrictNames.En}), half ja, half en, written " +
             $"with one binary COPY and ANALYZE in {results.CopySeconds:0.0} s. Push service: loopback, in the bench process, every message taken with 201, " +
             $"one in {o.EffectiveReadEvery:N0} VAPID-verified and decrypted. Server settings: {o.ServerSettings}. {results.HubConnected:N0} of {results.HubRequested:N0} hub clients " +
             $"on /hubs/public connected throughout (in {results.HubConnectSeconds:0.0} s), {o.Events} live rounds without push work (after " +
             $"{LiveFanoutBenchmark.WarmUpRounds} warm-up rounds), then two fan-outs: level 4 issued with the hub clients idle, then level 5 " +
             $"(raised) with {o.Events} live rounds spread over it.");
        Line();

        Line("### Fan-out of one level change");
        Line();
        Line("Times in seconds after HQ's PUT was answered (the notice is committed with the level). Rates: messages taken by the push service per second (halves: the first half of the messages, the second). " +
             "CPU: seconds used from the PUT to the last message (cores: divided by that time); other: the rest of the machine's busy time (other users of the shared cores).");
        Line();
        Line("| fan-out | PUT answered (ms) | first message (s) | 50 % (s) | 99 % (s) | all (s) | push_deliveries empty (s) | messages/s, first → all | messages/s, answer → all | messages/s, first half / second half | server CPU (s / cores) | PostgreSQL CPU (s / cores) | bench CPU (s / cores) | other CPU (s) | server CPU per message (ms) | server RSS before → after (MiB) |");
        Line("|---|---:|---:|---:|---:|---:|---:|---:|---:|---:|---:|---:|---:|---:|---:|---:|");
        foreach (var f in results.Fanouts)
        {
            var d = f.Delivery;
            var window = f.AllTakenSeconds + f.AnswerMs / 1000;
            var spread = (d.Last - d.First)?.TotalSeconds ?? double.NaN;
            Line($"| {f.Label}: level {f.Level} ({f.Kind}) | {f.AnswerMs:0} | {f.SecondsAfterAnswer(d.First):0.00} | {f.SecondsAfterAnswer(d.Half):0.0} | " +
                 $"{f.SecondsAfterAnswer(d.P99):0.0} | {f.SecondsAfterAnswer(d.Last):0.0} | {f.DrainedSeconds:0.0} | {d.Messages / spread:N0} | " +
                 $"{d.Messages / f.SecondsAfterAnswer(d.Last):N0} | {d.Messages / 2 / (d.Half - d.First)?.TotalSeconds:N0} / {d.Messages / 2 / (d.Last - d.Half)?.TotalSeconds:N0} | " +
                 $"{f.Cpu.Server:0.0} / {f.Cpu.Server / window:0.00} | {f.Cpu.PostgreSql:0.0} / {f.Cpu.PostgreSql / window:0.00} | " +
                 $"{f.Cpu.Bench:0.0} / {f.Cpu.Bench / window:0.00} | {f.Cpu.Other:0.0} | {f.Cpu.Server * 1000 / Math.Max(1, d.Messages):0.00} | " +
                 $"{Mib(f.RssBefore)} → {Mib(f.RssAfter)} |");
        }

        if (results.Fanouts.Count == 2)
        {
            var (a, b) = (results.Fanouts[0], results.Fanouts[1]);
            Line();
            Line($"With live rounds ÷ alone: all delivered {b.SecondsAfterAnswer(b.Delivery.Last) / a.SecondsAfterAnswer(a.Delivery.Last):0.00}×, " +
                 $"server CPU {b.Cpu.Server / a.Cpu.Server:0.00}×. Server peak RSS over the run: {Mib(results.ServerPeakRss)} MiB.");
        }

        Line();
        Line("Messages/s within each tenth of the messages (first tenth → last):");
        Line();
        foreach (var f in results.Fanouts)
        {
            Line($"- {f.Label}: {string.Join(" · ", f.Delivery.RatesByTenth.Select(r => r.ToString("N0")))}");
        }

        if (results.Fanouts.Any(f => f.Statements.Count > 0))
        {
            Line();
            Line("PostgreSQL statements from the PUT until push_deliveries was empty (pg_stat_statements, grouped by their first words; every client of the database, the bench's own polling included):");
            Line();
            Line("| fan-out | statement | calls | total (ms) | mean (ms) | rows |");
            Line("|---|---|---:|---:|---:|---:|");
            foreach (var f in results.Fanouts)
            {
                foreach (var st in f.Statements.Take(6))
                {
                    Line($"| {f.Label} | `{st.Statement.Replace("|", "\\|", StringComparison.Ordinal)}` | {st.Calls:N0} | {st.TotalMs:N0} | {st.TotalMs / Math.Max(1, st.Calls):0.00} | {st.Rows:N0} |");
                }
            }
        }

        Line();
        Line("### Exactly once");
        Line();
        Line("| fan-out | notice | messages | subscribers with exactly one | with none | with more than one | not a subscriber | samples decrypted (ja / en) | samples as the notice reads |");
        Line("|---|---:|---:|---:|---:|---:|---:|---:|---|");
        foreach (var f in results.Fanouts)
        {
            var d = f.Delivery;
            Line($"| {f.Label} | {f.NoticeId} | {d.Messages:N0} | {d.ExactlyOnce:N0} / {d.Subscriptions:N0} | {d.Missing:N0} | {d.MoreThanOnce:N0} | {d.Strangers:N0} | " +
                 $"{d.Sampled} ({d.SampledJa} / {d.SampledEn}) | {(d.SamplesRight ? "all" : Differences(d))} |");
        }

        Line();
        var refusals = results.Refusals.Count == 0 ? "none" : $"{results.Refusals.Count}: {string.Join("; ", results.Refusals.Distinct().Take(3))}";
        Line($"Push service refusals: {refusals}. Rows left in push_deliveries: {results.DeliveriesLeft:N0}. Subscriptions left: " +
             $"{results.SubscriptionsLeft:N0} of {o.Subscriptions:N0}. The sender's counter (bousai_push_deliveries_total): " +
             $"{(results.SenderOutcomes.Count == 0 ? "absent" : string.Join(", ", results.SenderOutcomes.Select(p => $"{p.Key} {p.Value:N0}")))}.");
        Line();

        Line($"### Live fan-out, {results.HubConnected:N0} hub clients, with and without a push fan-out in flight");
        Line();
        Line("One shelter change per round; latency: HQ's PUT sent → the events message in the client's hands. p50/p99: median over the rounds; max: worst round. " +
             "Baseline: the same clients, same run, before any push work.");
        Line();
        Line("| rounds | count | p50 (ms) | p99 (ms) | max (ms) | p50 × baseline | p99 × baseline | delivered / N (worst round) |");
        Line("|---|---:|---:|---:|---:|---:|---:|---:|");
        var baseline = results.BaselineRounds;
        Row("without push work (baseline)", baseline);
        var during = results.Fanouts.SelectMany(f => f.Rounds).ToArray();
        Row("during the push fan-out", [.. during.Where(r => r.InFlight).Select(r => r.Round)]);
        if (during.Any(r => !r.InFlight)) Row("after it was over (not counted above)", [.. during.Where(r => !r.InFlight).Select(r => r.Round)]);
        Line();

        Line("Every live round (at: seconds after the level PUT's answer when the round's shelter PUT was sent; push in flight: the push service had not yet taken every message then; CPU between that PUT and the last client's delivery):");
        Line();
        Line("| phase | round | at (s) | push in flight | delivered | first (ms) | p50 (ms) | p99 (ms) | max (ms) | PUT answered (ms) | server CPU (ms) | bench CPU (ms) | other CPU (ms) |");
        Line("|---|---:|---:|---|---:|---:|---:|---:|---:|---:|---:|---:|---:|");
        foreach (var (r, i) in baseline.Select((r, i) => (r, i + 1))) RoundLine("baseline", i, null, null, r);
        foreach (var (r, i) in during.Select((r, i) => (r, i + 1))) RoundLine("during fan-out 2", i, r.StartedSeconds, r.InFlight, r.Round);
        Line();
        Line($"Hub clients: {results.HubGaps} lost ranges; failures: " +
             $"{(results.HubFailures.Count == 0 ? "none" : $"{results.HubFailures.Count}: {string.Join("; ", results.HubFailures.Distinct().Take(3))}")}.");
        Line();
        Line($"Result: **{(results.Passed ? "every subscriber had each notice exactly once, no refusal, nothing left in push_deliveries, every live round delivered" : "FAILED (see the counts above)")}**.");
        return text.ToString();

        void Row(string label, IReadOnlyList<FanoutRound> rounds)
        {
            if (rounds.Count == 0)
            {
                Line($"| {label} | 0 | — | — | — | — | — | — |");
                return;
            }

            var p50 = FanoutScenario.Median(rounds.Select(r => r.P50Ms));
            var p99 = FanoutScenario.Median(rounds.Select(r => r.P99Ms));
            var base50 = FanoutScenario.Median(baseline.Select(r => r.P50Ms));
            var base99 = FanoutScenario.Median(baseline.Select(r => r.P99Ms));
            Line($"| {label} | {rounds.Count} | {p50:0.0} | {p99:0.0} | {rounds.Max(r => r.MaxMs):0.0} | {p50 / base50:0.0}× | {p99 / base99:0.0}× | " +
                 $"{rounds.Min(r => r.Delivered):N0} / {rounds[0].Expected:N0} |");
        }

        void RoundLine(string phase, int number, double? at, bool? inFlight, FanoutRound r) =>
            Line($"| {phase} | {number} | {(at is { } s ? s.ToString("0.0") : "—")} | {(inFlight is { } f ? f ? "yes" : "no (over)" : "—")} | {r.Delivered:N0} | " +
                 $"{r.FirstMs:0.0} | {r.P50Ms:0.0} | {r.P99Ms:0.0} | {r.MaxMs:0.0} | {r.CommitMs:0.0} | {r.ServerCpuMs:0} | {r.BenchCpuMs:0} | {r.OtherCpuMs:0} |");
    }

    private static string Differences(FanoutDelivery d) =>
        d.Sampled == 0 ? "no sample" : d.SampleDifferences.Count == 0 ? $"{d.SamplesWithoutVapid} without a verified VAPID header, ja {d.SampledJa}, en {d.SampledEn}"
            : string.Join("; ", d.SampleDifferences.Take(3));

    private static string Mib(long bytes) => (bytes / 1048576.0).ToString("0", System.Globalization.CultureInfo.InvariantCulture);
}
