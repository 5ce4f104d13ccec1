using Bousai.Server.Store;
using Bousai.Server.Tests.Support;
using DbUp;

namespace Bousai.Server.Tests.Reports;

/// <summary>Reports stored before issue 10 come through migration 0008 as reports of today's shape.</summary>
public sealed class FieldReportMigrationTests : IAsyncLifetime
{
    private readonly TestDatabase _database = new();

    public Task InitializeAsync() => _database.InitializeAsync();

    public Task DisposeAsync() => _database.DisposeAsync();

    [Fact]
    public async Task Verified_becomes_a_status_and_old_reports_get_an_id_a_severity_an_observation_time_and_their_district()
    {
        var before0008 = DeployChanges.To.PostgresqlDatabase(_database.ConnectionString)
            .WithScriptsEmbeddedInAssembly(typeof(SchemaMigrator).Assembly,
                name => name.Contains(".Store.Migrations.") && string.CompareOrdinal(name.Split(".Store.Migrations.")[1], "0008") < 0)
            .WithTransactionPerScript().LogToNowhere().Build();
        Assert.True(before0008.PerformUpgrade().Successful);
        await _database.ScalarAsync<object>(
            """
            INSERT INTO districts (id, source, name_ja, illustrative, properties, geom)
            VALUES ('district-test', 'test', 'テスト地区', true, '{}', ST_Multi(ST_MakeEnvelope(140.1, 37.9, 140.3, 38.1, 4326)));
            INSERT INTO users (user_name, display_name, role, password_hash) VALUES ('field', '現地班', 'field', 'x');
            INSERT INTO field_reports (category, description, verified, status, reported_by, reported_at, geom) VALUES
                ('road_blocked', '倒木', true, 'new', 1, '2026-07-08T04:40:00Z', ST_SetSRID(ST_MakePoint(140.2, 38.0), 4326)),
                ('flooding', '冠水', true, 'in_progress', 1, '2026-07-08T04:50:00Z', ST_SetSRID(ST_MakePoint(140.2, 38.0), 4326)),
                ('other', '不明', false, 'new', 1, '2026-07-08T05:00:00Z', ST_SetSRID(ST_MakePoint(141.0, 38.0), 4326));
            """);

        var applied = await new SchemaMigrator(_database.ConnectionString).MigrateAsync();

        Assert.Contains(applied, name => name.EndsWith("0008_field_reports_from_phones.sql"));
        Assert.Equal("verified,in_progress,new", await _database.ScalarAsync<string>("SELECT string_agg(status, ',' ORDER BY id) FROM field_reports"));
        Assert.Equal(3L, await _database.ScalarAsync<long>("SELECT count(DISTINCT client_id) FROM field_reports"));
        Assert.Equal(3L, await _database.ScalarAsync<long>("SELECT count(*) FROM field_reports WHERE severity = 'serious' AND observed_at = reported_at"));
        Assert.Equal("district-test,", await _database.ScalarAsync<string>(
            "SELECT string_agg(coalesce(district_id, ''), ',' ORDER BY id) FROM field_reports WHERE category IN ('road_blocked', 'other')"));
        Assert.Equal(0L, await _database.ScalarAsync<long>(
            "SELECT count(*) FROM information_schema.columns WHERE table_name = 'field_reports' AND column_name = 'verified'"));
    }
}
