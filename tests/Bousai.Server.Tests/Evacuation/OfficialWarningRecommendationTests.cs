using Bousai.Server.Evacuation;
using Bousai.Server.Live;
using Bousai.Server.Tests.Support;
using Microsoft.Extensions.DependencyInjection;

namespace Bousai.Server.Tests.Evacuation;

/// <summary>
/// Official warnings in force (the official_warnings table of the official warnings feature, migration 0012) feed the
/// recommender. Where this branch's database does not have that table yet, the test makes it with the columns the
/// recommender reads, as issue 12's contract lays them down; with migration 0012 present it uses the real one.
/// </summary>
public sealed class OfficialWarningRecommendationTests(BousaiApp app) : IClassFixture<BousaiApp>
{
    [Fact]
    public async Task Landslide_alert_in_force_recommends_evacuate_for_the_districts_with_landslide_zones()
    {
        await app.Database.ScalarAsync<int>(
            """
            CREATE TABLE IF NOT EXISTS official_warnings (
                id bigint GENERATED ALWAYS AS IDENTITY PRIMARY KEY, warning_key text NOT NULL, kind text NOT NULL, name text NOT NULL,
                name_en text, condition text, level_equivalent smallint, status text NOT NULL, source text NOT NULL,
                issued_at timestamptz NOT NULL, valid_until timestamptz, areas text[] NOT NULL DEFAULT '{}', area_codes text[] NOT NULL DEFAULT '{}',
                rivers text[] NOT NULL DEFAULT '{}', headline text, entered_by text, drill_id bigint REFERENCES drills (id),
                updated_at timestamptz NOT NULL, telegram_id bigint)
            """);
        await app.Database.ScalarAsync<int>(
            """
            INSERT INTO official_warnings (warning_key, kind, name, name_en, level_equivalent, status, source, issued_at, areas, area_codes, rivers,
                entered_by, updated_at)
            VALUES ('landslide_alert:0638100:土砂災害警戒情報', 'landslide_alert', '土砂災害警戒情報', 'Landslide alert', 4, 'in_force', 'hand',
                now(), '{高畠町}', '{0638100}', '{}', 'hq', now())
            """);

        await app.Services.GetRequiredService<EvacuationRecommender>().EvaluateAsync(CancellationToken.None);

        var withLandslideZones = (await app.Database.ScalarAsync<string[]>(
            """
            SELECT array_agg(DISTINCT d.id ORDER BY d.id) FROM districts d JOIN hazard_zones z
            ON z.hazard = 'landslide' AND ST_Intersects(z.geom, d.geom)
            """)).ToList();
        var recommended = (await app.Services.GetRequiredService<SituationSnapshots>().LoadAsync(Audience.Staff, CancellationToken.None))
            .Recommendations!.Where(r => r.Basis == "official:landslide_alert:0638100:土砂災害警戒情報").ToList();
        Assert.NotEmpty(withLandslideZones);
        Assert.Equal(withLandslideZones, recommended.Select(r => r.DistrictId).Order());
        Assert.All(recommended, r => Assert.Equal((4, "避難指示"), (r.Level, r.LevelNameJa)));
        Assert.Contains("土砂災害警戒情報（警戒レベル4相当）", recommended[0].ReasonJa);

        await app.Database.ScalarAsync<int>("UPDATE official_warnings SET status = 'ended', updated_at = now()");
        await app.Services.GetRequiredService<EvacuationRecommender>().EvaluateAsync(CancellationToken.None);

        Assert.Equal(recommended.Count, await app.Database.ScalarAsync<long>(
            "SELECT count(*) FROM evacuation_recommendations WHERE status = 'superseded' AND basis_ended_at IS NOT NULL"));
    }
}
