using Bousai.Server.Store;
using Bousai.Server.Tests.Support;

namespace Bousai.Server.Tests.Store;

public sealed class MigrationTests : IAsyncLifetime
{
    private readonly TestDatabase _database = new();

    public Task InitializeAsync() => _database.InitializeAsync();

    public Task DisposeAsync() => _database.DisposeAsync();

    [Fact]
    public async Task Migrations_build_the_schema_on_an_empty_database_and_a_second_run_changes_nothing()
    {
        var migrator = new SchemaMigrator(_database.ConnectionString);

        var first = await migrator.MigrateAsync();
        var second = await migrator.MigrateAsync();

        Assert.Contains(first, name => name.EndsWith("0001_foundation.sql"));
        Assert.Empty(second);
        Assert.Empty(migrator.PendingScripts());
        foreach (var table in new[] { "districts", "rivers", "hazard_zones", "stations", "station_thresholds", "readings", "shelters",
                     "field_reports", "alerts", "users", "audit_log", "situation_events", "town_boundaries" })
        {
            Assert.Equal(1L, await _database.ScalarAsync<long>($"SELECT count(*) FROM information_schema.tables WHERE table_name = '{table}'"));
        }

        Assert.Equal(4326, await _database.ScalarAsync<int>("SELECT Find_SRID('public', 'shelters', 'geom')"));
        Assert.Equal(7L, await _database.ScalarAsync<long>("SELECT count(*) FROM pg_indexes WHERE indexdef LIKE '%USING gist (geom)%'"));
        Assert.Equal("timestamp with time zone",
            await _database.ScalarAsync<string>("SELECT data_type FROM information_schema.columns WHERE table_name = 'readings' AND column_name = 'observed_at'"));
    }

    [Fact]
    public async Task Two_instances_starting_at_once_apply_each_script_exactly_once()
    {
        var runs = await Task.WhenAll(
            new SchemaMigrator(_database.ConnectionString).MigrateAsync(),
            new SchemaMigrator(_database.ConnectionString).MigrateAsync());

        Assert.Equal(1, runs.Count(r => r.Count > 0));
        Assert.Equal(1L, await _database.ScalarAsync<long>("SELECT count(*) FROM schemaversions WHERE scriptname LIKE '%0001_foundation.sql'"));
    }
}
