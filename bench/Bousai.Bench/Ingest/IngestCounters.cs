using System.Diagnostics;
using System.Globalization;

namespace Bousai.Bench.Ingest;

/// <summary>The server's ingestion counters at one moment, from its Prometheus endpoint.</summary>
public sealed record IngestCounters(long Timestamp, long Stored, long Duplicates, long Messages, long Batches, double CommitSeconds)
{
    public static async Task<IngestCounters> ReadAsync(HttpClient http, CancellationToken ct)
    {
        var text = await http.GetStringAsync("/metrics", ct);
        var at = Stopwatch.GetTimestamp();
        long stored = 0, duplicates = 0, messages = 0, batches = 0;
        double commit = 0;
        foreach (var line in text.Split('\n'))
        {
            if (!line.StartsWith("bousai_ingest_", StringComparison.Ordinal)) continue;
            var space = line.LastIndexOf(' ');
            if (space < 0 || !double.TryParse(line[(space + 1)..], NumberStyles.Float, CultureInfo.InvariantCulture, out var value)) continue;
            switch (line[..space])
            {
                case "bousai_ingest_readings_total{outcome=\"stored\"}": stored = (long)value; break;
                case "bousai_ingest_readings_total{outcome=\"duplicate\"}": duplicates = (long)value; break;
                case "bousai_ingest_messages_total": messages = (long)value; break;
                case "bousai_ingest_batch_seconds_count": batches = (long)value; break;
                case "bousai_ingest_batch_seconds_sum": commit = value; break;
            }
        }

        return new IngestCounters(at, stored, duplicates, messages, batches, commit);
    }

    public static BatchStats Between(IngestCounters from, IngestCounters to) => new(
        to.Messages - from.Messages,
        to.Stored + to.Duplicates - from.Stored - from.Duplicates,
        to.Batches - from.Batches,
        to.CommitSeconds - from.CommitSeconds,
        Stopwatch.GetElapsedTime(from.Timestamp, to.Timestamp).TotalSeconds);
}
