using Bousai.Server.Sensors;
using Microsoft.Extensions.Logging;

namespace Bousai.Server.Tests.Sensors;

public sealed class SupervisedLoopTests
{
    private sealed class RecordingLogger : ILogger
    {
        public List<(LogLevel Level, Exception? Exception, string Message)> Entries { get; } = [];

        public IDisposable? BeginScope<TState>(TState state) where TState : notnull => null;

        public bool IsEnabled(LogLevel logLevel) => true;

        public void Log<TState>(LogLevel logLevel, EventId eventId, TState state, Exception? exception, Func<TState, Exception?, string> formatter)
        {
            lock (Entries) Entries.Add((logLevel, exception, formatter(state, exception)));
        }
    }

    [Fact]
    public async Task A_loop_that_throws_once_is_restarted_counted_and_logged_at_error_level()
    {
        var loop = "test-throws-" + Guid.NewGuid().ToString("N")[..8];
        var logger = new RecordingLogger();
        using var stopping = new CancellationTokenSource();
        var runs = 0;
        var restarted = new TaskCompletionSource();

        var supervised = SupervisedLoop.RunAsync(loop, async ct =>
        {
            if (++runs == 1) throw new InvalidOperationException("one bad batch");
            restarted.TrySetResult();
            await Task.Delay(Timeout.Infinite, ct);
        }, logger, TimeProvider.System, stopping.Token, firstPause: TimeSpan.FromMilliseconds(10));

        await restarted.Task.WaitAsync(TimeSpan.FromSeconds(10));
        stopping.Cancel();
        await supervised.WaitAsync(TimeSpan.FromSeconds(10));

        Assert.Equal(2, runs);
        Assert.Equal(1, SupervisedLoop.RestartCount(loop));
        var error = Assert.Single(logger.Entries, e => e.Level == LogLevel.Error);
        Assert.IsType<InvalidOperationException>(error.Exception);
        Assert.Contains(loop, error.Message);
    }

    [Fact]
    public async Task A_loop_that_returns_before_the_process_stops_is_restarted_too()
    {
        var loop = "test-returns-" + Guid.NewGuid().ToString("N")[..8];
        var logger = new RecordingLogger();
        using var stopping = new CancellationTokenSource();
        var runs = 0;
        var third = new TaskCompletionSource();

        var supervised = SupervisedLoop.RunAsync(loop, async ct =>
        {
            if (++runs < 3) return;
            third.TrySetResult();
            await Task.Delay(Timeout.Infinite, ct);
        }, logger, TimeProvider.System, stopping.Token, firstPause: TimeSpan.FromMilliseconds(10));

        await third.Task.WaitAsync(TimeSpan.FromSeconds(10));
        stopping.Cancel();
        await supervised.WaitAsync(TimeSpan.FromSeconds(10));

        Assert.Equal(2, SupervisedLoop.RestartCount(loop));
        Assert.Equal(2, logger.Entries.Count(e => e.Level == LogLevel.Error && e.Message.Contains("ended unexpectedly")));
    }

    [Fact]
    public async Task Stopping_the_process_is_not_a_restart()
    {
        var loop = "test-stops-" + Guid.NewGuid().ToString("N")[..8];
        using var stopping = new CancellationTokenSource();
        var logger = new RecordingLogger();
        var started = new TaskCompletionSource();

        var supervised = SupervisedLoop.RunAsync(loop, async ct =>
        {
            started.TrySetResult();
            await Task.Delay(Timeout.Infinite, ct);
        }, logger, TimeProvider.System, stopping.Token);
        await started.Task.WaitAsync(TimeSpan.FromSeconds(10));
        stopping.Cancel();
        await supervised.WaitAsync(TimeSpan.FromSeconds(10));

        Assert.Equal(0, SupervisedLoop.RestartCount(loop));
        Assert.Empty(logger.Entries);
    }
}
