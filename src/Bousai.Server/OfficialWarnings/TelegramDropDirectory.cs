using Bousai.Server.Sensors;
using Microsoft.Extensions.Options;

namespace Bousai.Server.OfficialWarnings;

/// <summary>
/// Watches OfficialWarnings:DropDirectory (off when unset): each telegram file put there is recorded once, then moved to
/// processed/ (recorded, a duplicate, not for the town, older, nothing to cancel) or to failed/ beside a
/// NAME.reason.txt saying why. Files whose name starts with "." or ends with .part or .tmp are still being written.
/// Polled rather than watched with inotify, which misses files on network shares.
/// </summary>
public sealed partial class TelegramDropDirectory(
    TelegramIntake intake, IOptions<OfficialWarningOptions> options, TimeProvider time, ILogger<TelegramDropDirectory> logger) : BackgroundService
{
    private const string Actor = "system:jma-drop";
    public const string Processed = "processed";
    public const string Failed = "failed";

    protected override Task ExecuteAsync(CancellationToken stoppingToken)
    {
        if (options.Value.DropDirectory is not { Length: > 0 } directory) return Task.CompletedTask;
        var every = TimeSpan.FromSeconds(Math.Max(1, options.Value.DropPollSeconds));
        return SupervisedLoop.RunAsync("jma-drop", async ct =>
        {
            Directory.CreateDirectory(Path.Combine(directory, Processed));
            Directory.CreateDirectory(Path.Combine(directory, Failed));
            while (!ct.IsCancellationRequested)
            {
                await ProcessAsync(directory, ct);
                await Task.Delay(every, time, ct);
            }
        }, logger, time, stoppingToken);
    }

    /// <summary>Records every complete file waiting in the directory; returns how many it handled.</summary>
    public async Task<int> ProcessAsync(string directory, CancellationToken ct)
    {
        var handled = 0;
        foreach (var path in Directory.EnumerateFiles(directory).Order(StringComparer.Ordinal).ToList())
        {
            var name = Path.GetFileName(path);
            if (name.StartsWith('.') || name.EndsWith(".part", StringComparison.OrdinalIgnoreCase)
                || name.EndsWith(".tmp", StringComparison.OrdinalIgnoreCase)) continue;
            byte[] xml;
            try
            {
                var length = new FileInfo(path).Length;
                xml = length > TelegramIntake.MaxBytes ? [] : await File.ReadAllBytesAsync(path, ct);
                if (length > TelegramIntake.MaxBytes)
                {
                    Move(directory, path, Failed, $"larger than {TelegramIntake.MaxBytes} bytes; JMA telegrams are far smaller");
                    handled++;
                    continue;
                }
            }
            catch (FileNotFoundException)
            {
                // Another instance watching the same directory took it.
                continue;
            }

            var (receipt, refusal) = await intake.RecordAsync(xml, OfficialWarningSource.JmaDrop, name, Actor, ct);
            if (refusal is not null)
            {
                LogRefused(name, refusal.Reason);
                Move(directory, path, Failed, refusal.Reason);
            }
            else
            {
                LogRecorded(name, Store.DbEnum.Name(receipt!.Outcome));
                Move(directory, path, Processed, null);
            }

            handled++;
        }

        return handled;
    }

    private void Move(string directory, string path, string to, string? reason)
    {
        var name = Path.GetFileName(path);
        var target = Path.Combine(directory, to, name);
        if (File.Exists(target)) target = Path.Combine(directory, to, $"{Path.GetFileNameWithoutExtension(name)}-{time.GetUtcNow():yyyyMMddHHmmssfff}{Path.GetExtension(name)}");
        try
        {
            File.Move(path, target);
        }
        catch (FileNotFoundException)
        {
            return;
        }

        if (reason is not null) File.WriteAllText(target + ".reason.txt", reason + Environment.NewLine);
    }

    [LoggerMessage(Level = LogLevel.Information, Message = "Telegram file {File} from the drop directory: {Outcome}")]
    private partial void LogRecorded(string file, string outcome);

    [LoggerMessage(Level = LogLevel.Warning, Message = "Telegram file {File} from the drop directory was refused: {Reason}")]
    private partial void LogRefused(string file, string reason);
}
