using System.Buffers;
using System.Diagnostics;
using System.Globalization;
using System.Text.Json;

namespace Bousai.SensorsSim;

/// <summary>What a load run published and what the broker acknowledged (PUBACK), for the benchmark to compare with what the server stored.</summary>
public sealed record LoadTotals(long MessagesPublished, long MessagesAcknowledged, long ReadingsPublished, long ReadingsAcknowledged, long MessagesFailed, TimeSpan Elapsed)
{
    public double ReadingsPerSecond => ReadingsAcknowledged / Math.Max(Elapsed.TotalSeconds, 1e-9);

    /// <summary>One line of key=value pairs, so a benchmark can read the exact counts.</summary>
    public override string ToString() => string.Create(CultureInfo.InvariantCulture,
        $"totals messages_published={MessagesPublished} messages_acknowledged={MessagesAcknowledged} readings_published={ReadingsPublished} "
        + $"readings_acknowledged={ReadingsAcknowledged} messages_failed={MessagesFailed} seconds={Elapsed.TotalSeconds:0.000} "
        + $"readings_per_second={ReadingsPerSecond:0}");
}

/// <summary>
/// Load mode, for the ingestion benchmark: made-up stations load-00001 … publishing water levels at a fixed rate over
/// several connections. A QoS 1 publish awaits its PUBACK, so each connection keeps many publishes in flight (bounded
/// by --in-flight and by the broker's Receive Maximum) instead of waiting for each acknowledgement in turn.
/// </summary>
public sealed class LoadRun(LoadOptions options, BrokerAddress broker, string clientId, TimeProvider time)
{
    /// <summary>How long the in-flight publishes may take to be acknowledged once publishing has stopped.</summary>
    public static readonly TimeSpan DrainTimeout = TimeSpan.FromSeconds(60);

    private long _messagesPublished;
    private long _readingsPublished;
    private long _messagesAcknowledged;
    private long _readingsAcknowledged;
    private long _messagesFailed;
    private string? _firstFailure;

    public async Task<LoadTotals> RunAsync(CancellationToken stop)
    {
        var publishers = Enumerable.Range(1, options.Connections).Select(c => new ReadingPublisher(broker, $"{clientId}-{c}")).ToList();
        try
        {
            await Task.WhenAll(publishers.Select(p => p.ConnectAsync(stop)));
            var inFlight = publishers.Min(p => Math.Min(options.InFlight, p.ReceiveMaximum));
            Console.WriteLine(string.Create(CultureInfo.InvariantCulture,
                $"SYNTHETIC load: {options.Stations} stations ({LoadOptions.StationId(1)} … {LoadOptions.StationId(options.Stations)}) × {options.Rate} readings/s "
                + $"= {options.Stations * options.Rate:N0} readings/s, {options.Batch} per message, over {options.Connections} connections with up to "
                + $"{inFlight} publishes in flight each → {broker}, {(options.Duration is { } d ? FormattableString.Invariant($"for {d.TotalSeconds:0.###} s") : "until Ctrl-C")}"));

            var clock = Stopwatch.StartNew();
            using var abandon = new CancellationTokenSource();
            using var progressDone = new CancellationTokenSource();
            var progress = ReportProgressAsync(clock, progressDone.Token);
            var producers = publishers.Select((p, c) => Task.Run(() => ProduceAsync(p, c, inFlight, clock, stop, abandon)));
            await Task.WhenAll(producers);
            var elapsed = clock.Elapsed;
            await progressDone.CancelAsync();
            await progress;
            if (_firstFailure is not null) Console.Error.WriteLine($"sensors-sim: {_messagesFailed} messages not acknowledged, the first because: {_firstFailure}");
            return new LoadTotals(_messagesPublished, _messagesAcknowledged, _readingsPublished, _readingsAcknowledged, _messagesFailed, elapsed);
        }
        finally
        {
            foreach (var publisher in publishers) await publisher.DisposeAsync();
        }
    }

    /// <summary>One connection's share: its stations in turn, messages released on schedule, at most <paramref name="limit"/> unacknowledged.</summary>
    private async Task ProduceAsync(ReadingPublisher publisher, int connection, int limit, Stopwatch clock, CancellationToken stop, CancellationTokenSource abandon)
    {
        var numbers = Enumerable.Range(1, options.Stations).Where(n => (n - 1) % options.Connections == connection).ToArray();
        var topics = numbers.Select(n => ReadingMessage.TopicOf(LoadOptions.StationId(n), SimulatedStation.WaterLevel)).ToArray();
        var phases = numbers.Select(n => SyntheticNoise.Phase(LoadOptions.StationId(n))).ToArray();
        var lastStamp = new long[numbers.Length];
        var messagesPerSecond = numbers.Length * options.Rate / options.Batch;
        var buffer = new ArrayBufferWriter<byte>(256 * options.Batch);
        await using var json = new Utf8JsonWriter(buffer, ReadingMessage.WriterOptions);
        using var inFlight = new SemaphoreSlim(limit, limit);
        var sent = 0L;
        while (true)
        {
            var elapsed = clock.Elapsed;
            var finished = stop.IsCancellationRequested;
            if (options.Duration is { } duration && elapsed >= duration)
            {
                elapsed = duration;
                finished = true;
            }

            var due = stop.IsCancellationRequested ? sent : (long)(elapsed.TotalSeconds * messagesPerSecond);
            while (sent < due)
            {
                // Behind schedule (the broker is slower than the rate asked for): the run still ends on time.
                if (sent % 256 == 0 && options.Duration is { } end && clock.Elapsed >= end) break;
                if (!inFlight.Wait(0))
                {
                    try
                    {
                        await inFlight.WaitAsync(stop);
                    }
                    catch (OperationCanceledException)
                    {
                        break;
                    }
                }

                var station = (int)(sent % numbers.Length);
                var payload = Payload(json, buffer, ref lastStamp[station], phases[station]);
                Interlocked.Increment(ref _messagesPublished);
                Interlocked.Add(ref _readingsPublished, options.Batch);
                _ = PublishOneAsync(publisher, topics[station], payload, inFlight, abandon.Token);
                sent++;
            }

            if (finished || stop.IsCancellationRequested) break;
            await Task.Delay(TimeSpan.FromMilliseconds(1), CancellationToken.None);
        }

        // Every publish still in flight is acknowledged (or given up after the drain timeout) before the totals are read.
        abandon.CancelAfter(DrainTimeout);
        for (var i = 0; i < limit; i++) await inFlight.WaitAsync(CancellationToken.None);
    }

    private async Task PublishOneAsync(ReadingPublisher publisher, string topic, byte[] payload, SemaphoreSlim inFlight, CancellationToken abandon)
    {
        try
        {
            await publisher.PublishAsync(topic, payload, abandon);
            Interlocked.Increment(ref _messagesAcknowledged);
            Interlocked.Add(ref _readingsAcknowledged, options.Batch);
        }
        catch (Exception e)
        {
            // Counted and reported, never lost: the benchmark needs exact totals.
            Interlocked.Increment(ref _messagesFailed);
            Interlocked.CompareExchange(ref _firstFailure, e is OperationCanceledException ? $"no PUBACK within {DrainTimeout.TotalSeconds:0} s of the end" : $"{e.GetType().Name}: {e.Message}", null);
        }
        finally
        {
            inFlight.Release();
        }
    }

    /// <summary>
    /// A message of <see cref="LoadOptions.Batch"/> readings (a JSON array when more than one): plausible levels of 1–3 m,
    /// observedAt now, strictly increasing per station to the millisecond.
    /// </summary>
    private byte[] Payload(Utf8JsonWriter json, ArrayBufferWriter<byte> buffer, ref long lastStamp, double phase)
    {
        buffer.ResetWrittenCount();
        json.Reset(buffer);
        var now = time.GetUtcNow().ToUnixTimeMilliseconds();
        if (options.Batch > 1) json.WriteStartArray();
        for (var i = 0; i < options.Batch; i++)
        {
            lastStamp = Math.Max(now, lastStamp + 1);
            var level = 2.0 + 0.8 * Math.Sin(2 * Math.PI * (lastStamp / 600_000.0 + phase));
            ReadingMessage.WriteReading(json, DateTimeOffset.FromUnixTimeMilliseconds(lastStamp), Math.Round(level, 3), "m", null);
        }

        if (options.Batch > 1) json.WriteEndArray();
        json.Flush();
        return buffer.WrittenSpan.ToArray();
    }

    private async Task ReportProgressAsync(Stopwatch clock, CancellationToken done)
    {
        var (lastPublished, lastAcknowledged, lastAt) = (0L, 0L, TimeSpan.Zero);
        using var ticker = new PeriodicTimer(TimeSpan.FromSeconds(1), time);
        try
        {
            while (await ticker.WaitForNextTickAsync(done))
            {
                var (published, acknowledged, at) = (Interlocked.Read(ref _readingsPublished), Interlocked.Read(ref _readingsAcknowledged), clock.Elapsed);
                var seconds = (at - lastAt).TotalSeconds;
                var messagesInFlight = Interlocked.Read(ref _messagesPublished) - Interlocked.Read(ref _messagesAcknowledged) - Interlocked.Read(ref _messagesFailed);
                Console.WriteLine(string.Create(CultureInfo.InvariantCulture,
                    $"SYNTHETIC load {at.TotalSeconds,5:0} s: {(published - lastPublished) / seconds,8:N0} readings/s published, "
                    + $"{(acknowledged - lastAcknowledged) / seconds,8:N0} acknowledged, {messagesInFlight,5} messages in flight; "
                    + $"{published:N0} published, {acknowledged:N0} acknowledged so far"));
                (lastPublished, lastAcknowledged, lastAt) = (published, acknowledged, at);
            }
        }
        catch (OperationCanceledException)
        {
        }
    }
}
