using Bousai.Server.Live;
using Bousai.Server.Tests.Support;
using Microsoft.Extensions.DependencyInjection;
using Npgsql;

namespace Bousai.Server.Tests.Live;

/// <summary>What happens when a client cannot be replayed to: the log no longer has its events, or it is far behind.</summary>
public sealed class SituationLogTests : IAsyncLifetime
{
    private readonly BousaiApp _app = BousaiApp.OnKestrel(new Dictionary<string, string>
    {
        ["Live:MaxLag"] = "200",
        ["Live:MaxBatch"] = "20",
    });

    private NpgsqlDataSource Db => _app.Services.GetRequiredService<NpgsqlDataSource>();

    public Task InitializeAsync() => ((IAsyncLifetime)_app).InitializeAsync();

    public Task DisposeAsync() => ((IAsyncLifetime)_app).DisposeAsync();

    [Fact]
    public async Task Client_older_than_the_log_keeps_is_told_to_reload_and_then_follows_from_a_snapshot()
    {
        long through = 0;
        for (var i = 0; i < 5; i++) through = await SituationWriter.AppendAsync(Db, SituationWriter.ShelterEvent(i));
        // The snapshot a client reloads is taken at what the feed has relayed: once it has these, one reload is enough.
        var feed = _app.Services.GetRequiredService<SituationFeed>();
        await Eventually.TrueAsync(() => Task.FromResult(feed.Head >= through), "the feed to relay the appended events");
        var pruned = await SituationEventLog.PruneAsync(Db, DateTimeOffset.UtcNow.AddMinutes(1), CancellationToken.None);
        Assert.True(pruned >= 5);

        await using var old = (await LiveClient.ConnectAsync(_app.BaseAddress, "/hubs/public")).Follow(after: 2);
        await old.WaitUntilAsync(c => c.Snapshot is not null, "the client to reload a snapshot");

        Assert.Equal([ResyncReason.Expired], old.Resyncs);
        Assert.Empty(old.Events);
        var last = await SituationWriter.AppendAsync(Db, SituationWriter.ShelterEvent(77));
        await old.WaitUntilAsync(c => c.LastThrough == last, "the next event after the snapshot");
        Assert.Equal(last, Assert.Single(old.Events).Seq);
        Assert.Empty(old.Violations);
    }

    [Fact]
    public async Task Client_claiming_a_position_the_log_never_reached_is_told_to_reload()
    {
        await using var stranger = (await LiveClient.ConnectAsync(_app.BaseAddress, "/hubs/public", reloadOnResync: false)).Follow(after: 9_999_999);
        await stranger.WaitUntilAsync(c => c.Resyncs.Count > 0, "a resync");

        Assert.Equal([ResyncReason.UnknownPosition], stranger.Resyncs);
        Assert.Null(stranger.Snapshot);
    }

    [Fact]
    public async Task Client_that_falls_too_far_behind_is_sent_to_resync_while_others_get_every_event()
    {
        var feed = _app.Services.GetRequiredService<SituationFeed>();
        await using var brisk = (await LiveClient.ConnectAsync(_app.BaseAddress, "/hubs/public")).Follow();
        await brisk.WaitUntilAsync(c => c.Snapshot is not null, "the brisk client's snapshot");

        // A phone that reads its first message and then stalls, while 500 events are committed.
        await using var stalled = feed.FollowAsync(Audience.Public, after: null, CancellationToken.None).GetAsyncEnumerator();
        Assert.True(await stalled.MoveNextAsync());
        Assert.Equal(SituationMessageType.Snapshot, stalled.Current.Type);
        var from = stalled.Current.Snapshot!.Seq;

        await SituationWriter.BurstAsync(Db, writers: 2, perWriter: 250);
        var end = await _app.Database.ScalarAsync<long>("SELECT last_seq FROM situation_event_sequence");
        await brisk.WaitUntilAsync(c => c.LastThrough >= end, "the brisk client to get every event");
        Assert.Equal(Enumerable.Range(0, (int)(end - from)).Select(i => from + 1 + i), brisk.Events.Select(e => e.Seq).Where(s => s > from));
        Assert.Empty(brisk.Violations);

        Assert.True(await stalled.MoveNextAsync());
        Assert.Equal(SituationMessageType.Resync, stalled.Current.Type);
        Assert.Equal(ResyncReason.TooFarBehind, stalled.Current.Reason);
        Assert.False(await stalled.MoveNextAsync());
        using var http = _app.Client();
        Assert.Contains("bousai_live_resyncs_total{reason=\"too_far_behind\"}", await http.GetStringAsync("/metrics"));
    }
}
