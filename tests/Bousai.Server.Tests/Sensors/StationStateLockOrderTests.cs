using Bousai.Server.Shelters;
using System.Globalization;
using System.Text;
using Bousai.Server.Sensors;
using Bousai.Server.Store;
using Bousai.Server.Tests.Support;
using Microsoft.Extensions.Logging.Abstractions;
using Microsoft.Extensions.Options;
using Npgsql;

namespace Bousai.Server.Tests.Sensors;

/// <summary>
/// Ingestion and the gauge-state refresher lock station_states rows in (station_id, quantity) order, whatever order
/// the rows lie in on disk or arrive in. Proved the way a deadlock happens: another transaction holds the first gauge and
/// then asks for the second while the writer under test waits for the first. A writer that locks in key order holds
/// nothing yet, so the second is free; one that took it first closes the cycle and PostgreSQL aborts one side (40P01).
/// </summary>
public sealed class StationStateLockOrderTests : IAsyncLifetime
{
    private const int Gauges = 600;
    private const int Dirty = 3;
    private readonly TestDatabase _database = new();

    private static string Id(string i) => $"'gauge-' || lpad({i}::text, 4, '0')";
    private const string First = "gauge-0001";
    private const string Second = "gauge-0002";
    private NpgsqlDataSource _db = null!;
    private ReadingStore _store = null!;

    public async Task InitializeAsync()
    {
        await _database.InitializeAsync();
        await new SchemaMigrator(_database.ConnectionString).MigrateAsync();
        // Many gauges, a few of them dirty (as between two readings of a storm), and their state rows written in reverse
        // key order, as updates leave them: PostgreSQL then hashes the few and scans the table, meeting rows in the
        // opposite order to their keys.
        await _database.ScalarAsync<object>(
            $"""
            INSERT INTO stations (id, source, kind, gauge_type, name_ja, illustrative, properties, geom)
            SELECT {Id("i")}, 'test', 'water_level', 'standard', 'gauge', true, '{"{}"}', ST_SetSRID(ST_MakePoint(140.1, 38.1), 4326)
            FROM generate_series(1, {Gauges}) i;
            INSERT INTO station_states (station_id, quantity, observed_at, value, heard_at, dirty, version)
            SELECT {Id("i")}, 'water_level', now() - interval '5 minutes', 1.0, now(), i <= {Dirty}, 1
            FROM generate_series({Gauges}, 1, -1) i;
            ANALYZE station_states;
            """);
        _db = _database.CreateDataSource();
        _store = new ReadingStore(_db, Options.Create(new MqttOptions()), TimeProvider.System);
    }

    public async Task DisposeAsync()
    {
        await _db.DisposeAsync();
        await _database.DisposeAsync();
    }

    [Fact]
    public Task The_refresher_locks_gauge_states_in_key_order() =>
        AssertLocksInKeyOrderAsync(() => new StationStateRefresher(_db, _store, new HazardMonitor(_db, TimeProvider.System, NullLogger<HazardMonitor>.Instance), TimeProvider.System, NullLogger<StationStateRefresher>.Instance)
            .RefreshAsync(CancellationToken.None));

    [Fact]
    public Task Ingestion_locks_gauge_states_in_key_order_whatever_order_the_messages_came_in() =>
        AssertLocksInKeyOrderAsync(() => _store.WriteAsync(
            Enumerable.Range(1, Dirty).Reverse().Select(i => Reading($"gauge-{i:D4}")).ToList(), CancellationToken.None));

    private static ReceivedMessage Reading(string station)
    {
        var observed = DateTimeOffset.UtcNow.AddMinutes(-1).ToString("yyyy-MM-dd'T'HH:mm:ss.fffzzz", CultureInfo.InvariantCulture);
        return new ReceivedMessage($"bousai/v1/stations/{station}/water_level",
            Encoding.UTF8.GetBytes($$"""{"observedAt":"{{observed}}","value":1.5,"unit":"m"}"""), DateTimeOffset.UtcNow);
    }

    private async Task AssertLocksInKeyOrderAsync(Func<Task> writer)
    {
        await using var other = await _db.OpenConnectionAsync();
        await using var transaction = await other.BeginTransactionAsync();
        await LockAsync(other, transaction, First);

        var writing = Task.Run(writer);
        await Eventually.TrueAsync(async () => writing.IsCompleted || await WaitingForALockAsync(), "the writer to wait for the first gauge");
        Assert.False(writing.IsCompleted, "the writer did not wait for the first gauge, which another transaction holds");

        await using (var timeout = new NpgsqlCommand("SET LOCAL lock_timeout = '5s'", other, transaction)) await timeout.ExecuteNonQueryAsync();
        var taken = await Record.ExceptionAsync(() => LockAsync(other, transaction, Second));
        Assert.Null(taken);
        await transaction.CommitAsync();
        await writing; // and the writer, no longer blocked, completes without a deadlock
    }

    private static async Task LockAsync(NpgsqlConnection connection, NpgsqlTransaction transaction, string station)
    {
        await using var command = new NpgsqlCommand(
            "SELECT 1 FROM station_states WHERE station_id = $1 AND quantity = 'water_level' FOR UPDATE", connection, transaction);
        command.Parameters.AddWithValue(station);
        await command.ExecuteScalarAsync();
    }

    private async Task<bool> WaitingForALockAsync() =>
        await _database.ScalarAsync<long>(
            "SELECT count(*) FROM pg_stat_activity WHERE datname = current_database() AND wait_event_type = 'Lock'") > 0;
}
