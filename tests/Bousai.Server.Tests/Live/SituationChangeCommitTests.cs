using Bousai.Server.Audit;
using Bousai.Server.Live;
using Bousai.Server.Store;
using Bousai.Server.Tests.Support;
using Npgsql;

namespace Bousai.Server.Tests.Live;

/// <summary>
/// The one way a person's change reaches the database: the state, exactly one situation event and exactly one audit
/// record commit together, or nothing does.
/// </summary>
public sealed class SituationChangeCommitTests : IAsyncLifetime
{
    private readonly TestDatabase _database = new();
    private NpgsqlDataSource _db = null!;

    public async Task InitializeAsync()
    {
        await _database.InitializeAsync();
        await new SchemaMigrator(_database.ConnectionString).MigrateAsync();
        _db = _database.CreateDataSource();
    }

    public async Task DisposeAsync()
    {
        await _db.DisposeAsync();
        await _database.DisposeAsync();
    }

    private static SituationEvent Raised(string message) => new AlertRaised(new(0, "manual", null, null, message,
        Bousai.Domain.Alerts.AlertStatus.Raised, DateTimeOffset.UtcNow, "hq", null, null)) { At = DateTimeOffset.UtcNow };

    private static AuditEntry Audit => new("hq", "alert.raise", "alert");

    /// <summary>The state write of the change: an alert row.</summary>
    private static async Task WriteStateAsync(SituationChange change, string message)
    {
        await using var insert = new NpgsqlCommand("INSERT INTO alerts (kind, message) VALUES ('manual', $1)", change.Connection, change.Transaction);
        insert.Parameters.AddWithValue(message);
        await insert.ExecuteNonQueryAsync();
    }

    private async Task<(long Alerts, long Events, long Audits, long LastSeq)> CountsAsync() => (
        await _database.ScalarAsync<long>("SELECT count(*) FROM alerts"),
        await _database.ScalarAsync<long>("SELECT count(*) FROM situation_events"),
        await _database.ScalarAsync<long>("SELECT count(*) FROM audit_log"),
        await _database.ScalarAsync<long>("SELECT last_seq FROM situation_event_sequence"));

    [Fact]
    public async Task A_change_with_its_state_one_event_and_one_audit_record_commits_all_three_numbered()
    {
        SituationEvent numbered;
        await using (var change = await SituationChange.BeginAsync(_db, CancellationToken.None))
        {
            await WriteStateAsync(change, "accepted");
            change.Record(Raised("accepted"));
            change.Audit(Audit);
            numbered = await change.CommitAsync(CancellationToken.None);
        }

        Assert.Equal((1L, 1L, 1L, 1L), await CountsAsync());
        Assert.Equal(1, numbered.Seq);
        Assert.Equal(SituationEventLog.PayloadVersion, await _database.ScalarAsync<short>("SELECT payload_version FROM situation_events WHERE seq = 1"));
    }

    public static TheoryData<int, int> WrongCounts => new() { { 0, 1 }, { 2, 1 }, { 1, 0 }, { 1, 2 }, { 0, 0 } };

    [Theory]
    [MemberData(nameof(WrongCounts))]
    public async Task A_change_without_exactly_one_event_and_one_audit_record_is_refused_and_writes_nothing(int events, int audits)
    {
        await using (var change = await SituationChange.BeginAsync(_db, CancellationToken.None))
        {
            await WriteStateAsync(change, "refused");
            for (var i = 0; i < events; i++) change.Record(Raised("refused " + i));
            for (var i = 0; i < audits; i++) change.Audit(Audit);

            var refusal = await Assert.ThrowsAsync<InvalidOperationException>(() => change.CommitAsync(CancellationToken.None));
            Assert.Contains($"{events} event(s) and {audits} audit record(s)", refusal.Message);
        }

        Assert.Equal((0L, 0L, 0L, 0L), await CountsAsync());
    }

    [Fact]
    public async Task A_stored_payload_of_a_version_this_server_does_not_read_is_refused_not_misread()
    {
        await using (var change = await SituationChange.BeginAsync(_db, CancellationToken.None))
        {
            await WriteStateAsync(change, "newer");
            change.Record(Raised("newer"));
            change.Audit(Audit);
            await change.CommitAsync(CancellationToken.None);
        }

        Assert.Single(await SituationEventLog.ReadAfterAsync(_db, 0, 10, CancellationToken.None));
        await using (var newer = _db.CreateCommand("UPDATE situation_events SET payload_version = payload_version + 1"))
        {
            await newer.ExecuteNonQueryAsync();
        }

        var refusal = await Assert.ThrowsAsync<InvalidDataException>(() => SituationEventLog.ReadAfterAsync(_db, 0, 10, CancellationToken.None));
        Assert.Contains($"payload version {SituationEventLog.PayloadVersion + 1}", refusal.Message);
    }
}
