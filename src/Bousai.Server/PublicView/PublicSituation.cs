using Bousai.Server.Geodata;
using Bousai.Server.Live;
using Bousai.Server.Web;
using Microsoft.Extensions.Options;
using Npgsql;

namespace Bousai.Server.PublicView;

/// <summary>
/// Each instance's public picture, in memory: it follows the situation feed as a public client does and, after each
/// batch of events, takes the shared public snapshot (one database read per change, never one per request); the
/// geodata is read again only when an import moves a layer's revision. Residents' requests are answered from
/// <see cref="Current"/>.
/// </summary>
public sealed class PublicSituation(
    NpgsqlDataSource db,
    SituationFeed feed,
    SituationSnapshots snapshots,
    IWebHostEnvironment environment,
    IOptions<DemoOptions> demo,
    TimeProvider time,
    ILogger<PublicSituation> logger) : BackgroundService
{
    /// <summary>How long events may gather before the picture is taken again: a storm's readings cost a few reads a second at most.</summary>
    public static readonly TimeSpan Coalesce = TimeSpan.FromMilliseconds(200);

    private static readonly TimeSpan GeodataCheck = TimeSpan.FromSeconds(2);
    private readonly TaskCompletionSource _ready = new(TaskCreationOptions.RunContinuationsAsynchronously);
    private readonly Lock _gate = new();
    private TaskCompletionSource _changed = new(TaskCreationOptions.RunContinuationsAsynchronously);
    private PublicRendering? _current;
    private PublicGeodata _geodata = PublicGeodata.Empty;
    private (string? Template, PublicText? Text)? _web;

    /// <summary>The picture now; null until the first one is taken (the endpoints then answer 503).</summary>
    public PublicRendering? Current => Volatile.Read(ref _current);

    /// <summary>Completes once the first picture is taken.</summary>
    public Task Ready => _ready.Task;

    /// <summary>Completes at the next new picture.</summary>
    public Task Changed
    {
        get { lock (_gate) return _changed.Task; }
    }

    protected override async Task ExecuteAsync(CancellationToken stoppingToken)
    {
        var geodata = WatchGeodataAsync(stoppingToken);
        var retry = TimeSpan.FromSeconds(1);
        while (!stoppingToken.IsCancellationRequested)
        {
            try
            {
                await FollowAsync(stoppingToken);
                retry = TimeSpan.FromSeconds(1);
            }
            catch (OperationCanceledException) when (stoppingToken.IsCancellationRequested)
            {
                break;
            }
            catch (Exception ex)
            {
                logger.LogWarning(ex, "Public view lost the situation; following again in {Retry}", retry);
                await Task.Delay(retry, time, stoppingToken).ConfigureAwait(ConfigureAwaitOptions.SuppressThrowing);
                retry = TimeSpan.FromTicks(Math.Min(retry.Ticks * 2, TimeSpan.FromSeconds(30).Ticks));
            }
        }

        await geodata.ConfigureAwait(ConfigureAwaitOptions.SuppressThrowing);
    }

    private async Task FollowAsync(CancellationToken ct)
    {
        if (_geodata.Revision < 0) _geodata = await PublicGeodata.LoadAsync(db, ct);
        // A resync (this instance fell behind, or the log moved on) ends the stream: the loop starts again from a snapshot.
        await foreach (var message in feed.FollowAsync(Audience.Public, after: null, ct))
        {
            switch (message.Type)
            {
                case SituationMessageType.Snapshot:
                    Publish(message.Snapshot!);
                    break;
                case SituationMessageType.Events when message.Events is { Count: > 0 }:
                    await Task.Delay(Coalesce, time, ct);
                    Publish(await snapshots.SharedPublicAsync(feed.Head, ct));
                    break;
                case SituationMessageType.Resync:
                    return;
            }
        }
    }

    private async Task WatchGeodataAsync(CancellationToken ct)
    {
        using var timer = new PeriodicTimer(GeodataCheck, time);
        while (!ct.IsCancellationRequested && await TickAsync(timer, ct))
        {
            try
            {
                if (await GeodataRevision.ReadAsync(db, ct) == _geodata.Revision || Current is not { } current) continue;
                _geodata = await PublicGeodata.LoadAsync(db, ct);
                // The shelters' states come with the snapshot: an import that adds shelters needs a new one, for the hub's clients too.
                snapshots.ForgetShared();
                Publish(await snapshots.SharedPublicAsync(feed.Head, ct));
                logger.LogInformation("Public view: geodata revision {Revision}", _geodata.Revision);
            }
            catch (Exception ex) when (!ct.IsCancellationRequested)
            {
                logger.LogWarning(ex, "Public view could not check the geodata's revision");
            }
        }
    }

    private static async Task<bool> TickAsync(PeriodicTimer timer, CancellationToken ct)
    {
        try
        {
            return await timer.WaitForNextTickAsync(ct);
        }
        catch (OperationCanceledException)
        {
            return false;
        }
    }

    private void Publish(SituationSnapshot snapshot)
    {
        var (template, text) = _web ??= ReadWebBuild();
        var rendering = new PublicRendering(new PublicPicture(snapshot, _geodata, demo.Value.Simulated), template, text);
        TaskCompletionSource changed;
        lock (_gate)
        {
            Volatile.Write(ref _current, rendering);
            changed = _changed;
            _changed = new TaskCompletionSource(TaskCreationOptions.RunContinuationsAsynchronously);
        }

        changed.TrySetResult();
        _ready.TrySetResult();
    }

    private (string?, PublicText?) ReadWebBuild()
    {
        var build = PublicRendering.ReadWebBuild(environment.WebRootFileProvider);
        if (build.Template is null || build.Text is null) logger.LogWarning("wwwroot has no public.html or public-messages.json: build the web client (npm run build in web/)");
        return build;
    }
}
