using System.Diagnostics;
using System.Globalization;
using System.Text;
using MQTTnet;
using MQTTnet.Protocol;
using Npgsql;

namespace Bousai.Bench.Ingest;

/// <summary>
/// Publish-to-browser latency at a steady trickle: this process publishes one water level per message at QoS 1 to the
/// broker (S stations × R readings/s), noting when each was handed to the MQTT client (t0), while a resident's browser
/// (a raw SignalR client on /hubs/public) follows the situation; latency is t0 → the arrival of the station_state_changed
/// event carrying that reading (same process, same clock). The server coalesces: a gauge's readings between two of a
/// client's messages reach it as the latest one only, so besides the readings delivered as such it measures, for every
/// reading, how long until the browser showed it or a newer one ("fresh").
/// </summary>
public sealed class LatencyPhase(IngestOptions options, BenchDatabase database, Parties parties, TextWriter progress)
{
    public const string StationPrefix = "bench-lat-";
    private static readonly TimeSpan WarmUp = TimeSpan.FromSeconds(5);
    private static readonly TimeSpan Tail = TimeSpan.FromSeconds(4);
    private static readonly TimeSpan JapanTime = TimeSpan.FromHours(9);

    private sealed record Sent(int Station, long ObservedMs, long Timestamp, bool Measured);

    public async Task<LatencyResult> RunAsync(NpgsqlDataSource db, CancellationToken ct)
    {
        var stations = options.LatencyStations;
        await database.EnsureStationsAsync(StationPrefix, 2, stations, ct);
        var ids = Enumerable.Range(1, stations).Select(n => $"{StationPrefix}{n:00}").ToArray();
        var topics = ids.Select(id => $"bousai/v1/stations/{id}/water_level").ToArray();

        await using var follower = new StationFollower(StationPrefix);
        var hub = new UriBuilder(options.Server) { Scheme = "ws", Path = "/hubs/public" }.Uri;
        await follower.ConnectAsync(hub, ct);
        await follower.Snapshot.WaitAsync(TimeSpan.FromSeconds(30), ct);

        using var mqtt = new MqttClientFactory().CreateMqttClient();
        var broker = options.Broker;
        var connect = new MqttClientOptionsBuilder()
            .WithTcpServer(broker.Host, broker.Port)
            .WithClientId("bousai-bench-latency")
            .WithProtocolVersion(MQTTnet.Formatter.MqttProtocolVersion.V500)
            .WithCleanStart(true)
            .WithCredentials(broker.User, broker.Password)
            .Build();
        var connected = await mqtt.ConnectAsync(connect, ct);
        if (connected.ResultCode != MqttClientConnectResultCode.Success) throw new InvalidOperationException($"broker refused the bench: {connected.ResultCode}");

        var anchorUtc = DateTimeOffset.UtcNow;
        var anchor = Stopwatch.GetTimestamp();
        DateTimeOffset Utc(long timestamp) => anchorUtc + Stopwatch.GetElapsedTime(anchor, timestamp);

        var perSecond = stations * options.LatencyRate;
        var total = (long)((WarmUp + options.LatencySeconds).TotalSeconds * perSecond);
        var warmUpCount = (long)(WarmUp.TotalSeconds * perSecond);
        var sent = new Sent[total];
        var lastMs = new long[stations];
        var acknowledged = 0L;
        var failed = 0L;
        using var inFlight = new SemaphoreSlim(200, 200);
        using var pinging = CancellationTokenSource.CreateLinkedTokenSource(ct);
        var pings = PingAsync(follower, pinging.Token);
        progress.WriteLine($"[bench] latency ({options.Label}): {stations} stations × {options.LatencyRate}/s = {perSecond}/s, " +
                           $"{WarmUp.TotalSeconds:0} s warm-up + {options.LatencySeconds.TotalSeconds:0} s measured");

        var start = Stopwatch.GetTimestamp();
        CpuReading? cpuStart = null;
        var payload = new StringBuilder(96);
        for (long i = 0; i < total; i++)
        {
            var due = TimeSpan.FromSeconds((double)i / perSecond);
            while (Stopwatch.GetElapsedTime(start) < due) await Task.Delay(1, ct);
            if (i == warmUpCount) cpuStart = parties.Read();

            var station = (int)(i % stations);
            var t0 = Stopwatch.GetTimestamp();
            var observed = lastMs[station] = Math.Max(Utc(t0).ToUnixTimeMilliseconds(), lastMs[station] + 1);
            payload.Clear();
            payload.Append("{\"observedAt\":\"")
                .Append(DateTimeOffset.FromUnixTimeMilliseconds(observed).ToOffset(JapanTime).ToString("yyyy-MM-dd'T'HH:mm:ss.fffzzz", CultureInfo.InvariantCulture))
                .Append("\",\"value\":").Append((1.5 + (i % 100) / 100.0).ToString("0.00", CultureInfo.InvariantCulture)).Append(",\"unit\":\"m\"}");
            var message = new MqttApplicationMessageBuilder()
                .WithTopic(topics[station])
                .WithPayload(Encoding.UTF8.GetBytes(payload.ToString()))
                .WithQualityOfServiceLevel(MqttQualityOfServiceLevel.AtLeastOnce)
                .Build();
            sent[i] = new Sent(station, observed, t0, i >= warmUpCount);
            await inFlight.WaitAsync(ct);
            _ = PublishAsync(mqtt, message, inFlight, () => Interlocked.Increment(ref acknowledged), () => Interlocked.Increment(ref failed));
        }

        var publishedUntil = Stopwatch.GetTimestamp();
        var cpuEnd = parties.Read();
        for (var i = 0; i < 200; i++) await inFlight.WaitAsync(ct);
        await Task.Delay(Tail, ct);
        await pinging.CancelAsync();
        await pings;
        await mqtt.DisconnectAsync(cancellationToken: ct);

        var arrivals = follower.Arrivals;
        var measured = sent.Where(s => s.Measured).ToArray();
        var byKey = measured.ToDictionary(s => (s.Station, s.ObservedMs));
        var stationIndex = ids.Select((id, n) => (id, n)).ToDictionary(x => x.id, x => x.n);

        // Readings delivered as such: the event carries exactly that reading.
        var delivered = new List<(Sent Sent, StationArrival Arrival)>();
        foreach (var arrival in arrivals)
        {
            if (stationIndex.TryGetValue(arrival.StationId, out var n) && byKey.TryGetValue((n, arrival.ObservedAtMs), out var s)) delivered.Add((s, arrival));
        }

        var latencies = delivered.Select(d => Stopwatch.GetElapsedTime(d.Sent.Timestamp, d.Arrival.ArrivedTimestamp).TotalMilliseconds).Order().ToArray();

        // Every measured reading: until the browser had it or a newer reading of the same gauge.
        var perStation = arrivals.Where(a => stationIndex.ContainsKey(a.StationId)).GroupBy(a => stationIndex[a.StationId])
            .ToDictionary(g => g.Key, g => g.OrderBy(a => a.ArrivedTimestamp).ToArray());
        var fresh = new List<double>();
        foreach (var s in measured)
        {
            if (!perStation.TryGetValue(s.Station, out var list)) continue;
            foreach (var a in list)
            {
                if (a.ArrivedTimestamp < s.Timestamp || a.ObservedAtMs < s.ObservedMs) continue;
                fresh.Add(Stopwatch.GetElapsedTime(s.Timestamp, a.ArrivedTimestamp).TotalMilliseconds);
                break;
            }
        }

        // Where the time goes, for readings delivered as such: publish → the server's batch (readings.received_at is
        // taken when the batch starts) → the refresher's situation event (its "at") → the browser.
        var received = new Dictionary<(int, long), DateTimeOffset>();
        await using (var command = db.CreateCommand(
            "SELECT station_id, observed_at, received_at FROM readings WHERE station_id >= $1 AND station_id < $2 AND observed_at >= $3"))
        {
            command.Parameters.AddWithValue(StationPrefix);
            command.Parameters.AddWithValue(StationPrefix[..^1] + "."); // '-' + 1
            command.Parameters.AddWithValue(DateTimeOffset.FromUnixTimeMilliseconds(measured.Min(m => m.ObservedMs)));
            await using var reader = await command.ExecuteReaderAsync(ct);
            while (await reader.ReadAsync(ct))
            {
                if (stationIndex.TryGetValue(reader.GetString(0), out var n))
                {
                    received[(n, reader.GetFieldValue<DateTimeOffset>(1).ToUnixTimeMilliseconds())] = reader.GetFieldValue<DateTimeOffset>(2);
                }
            }
        }

        var parts = delivered.Where(d => received.ContainsKey((d.Sent.Station, d.Sent.ObservedMs))).Select(d =>
        {
            var batch = received[(d.Sent.Station, d.Sent.ObservedMs)];
            return (ToBatch: (batch - Utc(d.Sent.Timestamp)).TotalMilliseconds,
                ToEvent: (d.Arrival.EventAt - batch).TotalMilliseconds,
                ToClient: (Utc(d.Arrival.ArrivedTimestamp) - d.Arrival.EventAt).TotalMilliseconds);
        }).ToArray();

        var split = Parties.Between(cpuStart ?? cpuEnd, cpuEnd);
        var measuredSeconds = Stopwatch.GetElapsedTime(measured[0].Timestamp, publishedUntil).TotalSeconds;
        var failure = follower.Failure ?? (follower.Gaps > 0 ? $"{follower.Gaps} gaps" : null) ?? (failed > 0 ? $"{failed} publishes failed" : null);
        var result = new LatencyResult(options.Label, stations, options.LatencyRate, measuredSeconds, measured.Length, Interlocked.Read(ref acknowledged) - warmUpCount,
            latencies.Length, Percentile(latencies, 0.50), Percentile(latencies, 0.99), latencies.LastOrDefault(),
            fresh.Count, Percentile([.. fresh.Order()], 0.50), Percentile([.. fresh.Order()], 0.99), fresh.DefaultIfEmpty().Max(),
            Median(parts.Select(p => p.ToBatch)), Median(parts.Select(p => p.ToEvent)), Median(parts.Select(p => p.ToClient)),
            split.Server, split.Machine, failure);
        progress.WriteLine($"[bench] latency ({options.Label}): {result.EventsDelivered} of {result.Published} readings delivered as such, p50 {result.P50Ms:0} ms, " +
                           $"p99 {result.P99Ms:0} ms; fresh p50 {result.FreshP50Ms:0} ms, p99 {result.FreshP99Ms:0} ms (publish → batch {result.PublishToBatchMs:0} ms, " +
                           $"→ event {result.BatchToEventMs:0} ms, → browser {result.EventToClientMs:0} ms){(failure is null ? "" : $"; {failure}")}");
        return result;
    }

    private static async Task PublishAsync(IMqttClient mqtt, MqttApplicationMessage message, SemaphoreSlim inFlight, Action acknowledged, Action failed)
    {
        try
        {
            var result = await mqtt.PublishAsync(message, CancellationToken.None);
            if (result.IsSuccess) acknowledged(); else failed();
        }
        catch (Exception e) when (e is MQTTnet.Exceptions.MqttCommunicationException or InvalidOperationException or OperationCanceledException)
        {
            failed();
        }
        finally
        {
            inFlight.Release();
        }
    }

    private static async Task PingAsync(StationFollower follower, CancellationToken stop)
    {
        using var ticker = new PeriodicTimer(TimeSpan.FromSeconds(10));
        try
        {
            while (await ticker.WaitForNextTickAsync(stop)) await follower.PingAsync(stop);
        }
        catch (OperationCanceledException)
        {
        }
    }

    /// <summary>Nearest rank.</summary>
    public static double Percentile(double[] sorted, double p) =>
        sorted.Length == 0 ? double.NaN : sorted[Math.Clamp((int)Math.Ceiling(p * sorted.Length) - 1, 0, sorted.Length - 1)];

    private static double Median(IEnumerable<double> values) => Percentile([.. values.Order()], 0.5);
}
