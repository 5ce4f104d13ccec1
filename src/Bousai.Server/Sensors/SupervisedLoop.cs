using Prometheus;

namespace Bousai.Server.Sensors;

/// <summary>
/// Runs a loop that must not end while the process lives (ingestion, the gauge-state refresher): if it throws or
/// returns before the process stops, the failure is logged at error level, counted in
/// bousai_ingest_restarts_total{loop}, and the loop is started again after a pause that doubles up to 30 s (reset once
/// a run has lasted a minute), so a loop that fails at once does not spin.
/// </summary>
public static class SupervisedLoop
{
    private static readonly Counter Restarts = Metrics.CreateCounter("bousai_ingest_restarts_total",
        "Times a loop of gauge ingestion ended unexpectedly and was restarted, by loop.", "loop");

    public static double RestartCount(string loop) => Restarts.WithLabels(loop).Value;

    public static async Task RunAsync(string loop, Func<CancellationToken, Task> run, ILogger logger, TimeProvider time,
        CancellationToken stoppingToken, TimeSpan? firstPause = null)
    {
        var initialPause = firstPause ?? TimeSpan.FromSeconds(1);
        var pause = initialPause;
        while (!stoppingToken.IsCancellationRequested)
        {
            var started = time.GetTimestamp();
            Exception? failure = null;
            try
            {
                await run(stoppingToken);
            }
            catch (Exception ex) when (!stoppingToken.IsCancellationRequested)
            {
                failure = ex;
            }
            catch (OperationCanceledException)
            {
                return;
            }

            if (stoppingToken.IsCancellationRequested) return;
            Restarts.WithLabels(loop).Inc();
            if (time.GetElapsedTime(started) > TimeSpan.FromMinutes(1)) pause = initialPause;
            if (failure is null)
            {
                logger.LogError("The {Loop} loop ended unexpectedly; restarting it in {RestartDelay}", loop, pause);
            }
            else
            {
                logger.LogError(failure, "The {Loop} loop failed; restarting it in {RestartDelay}", loop, pause);
            }

            try
            {
                await Task.Delay(pause, time, stoppingToken);
            }
            catch (OperationCanceledException)
            {
                return;
            }

            pause = TimeSpan.FromTicks(Math.Min(pause.Ticks * 2, TimeSpan.FromSeconds(30).Ticks));
        }
    }
}
