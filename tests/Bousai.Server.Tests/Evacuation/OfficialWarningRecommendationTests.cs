using Bousai.Server.Evacuation;
using Bousai.Server.Live;
using Bousai.Server.Tests.Support;
using Microsoft.Extensions.DependencyInjection;

namespace Bousai.Server.Tests.Evacuation;

/// <summary>
/// Official warnings in force feed the recommender: a 土砂災害警戒情報 telegram HQ uploads (the real intake) recommends
/// 避難指示 for the districts with landslide zones, and its 取消 takes the recommendations back.
/// </summary>
public sealed class OfficialWarningRecommendationTests(BousaiApp app) : IClassFixture<BousaiApp>
{
    private static string Telegram(string name) =>
        File.ReadAllText(Path.Combine(Repository.Root, "tests", "Bousai.Server.Tests", "OfficialWarnings", "Telegrams", name));

    [Fact]
    public async Task Landslide_alert_in_force_recommends_evacuate_for_the_districts_with_landslide_zones()
    {
        using var hq = await app.SignedInClientAsync("hq");
        var issued = await hq.PostAsync("/api/official-warnings/telegrams",
            new StringContent(Telegram("landslide-issued.xml"), System.Text.Encoding.UTF8, "application/xml"));
        Assert.Equal(System.Net.HttpStatusCode.Created, issued.StatusCode);

        await app.Services.GetRequiredService<EvacuationRecommender>().EvaluateAsync(CancellationToken.None);

        var withLandslideZones = (await app.Database.ScalarAsync<string[]>(
            """
            SELECT array_agg(DISTINCT d.id ORDER BY d.id) FROM districts d JOIN hazard_zones z
            ON z.hazard = 'landslide' AND ST_Intersects(z.geom, d.geom)
            """)).ToList();
        var recommended = (await app.Services.GetRequiredService<SituationSnapshots>().LoadAsync(Audience.Staff, CancellationToken.None))
            .Recommendations!.Where(r => r.Basis.StartsWith("official:landslide_alert:", StringComparison.Ordinal)).ToList();
        Assert.NotEmpty(withLandslideZones);
        Assert.Equal(withLandslideZones, recommended.Select(r => r.DistrictId).Order());
        Assert.All(recommended, r => Assert.Equal((4, "避難指示"), (r.Level, r.LevelNameJa)));
        Assert.Contains("土砂災害警戒情報（警戒レベル4相当）", recommended[0].ReasonJa);

        var cancelled = await hq.PostAsync("/api/official-warnings/telegrams",
            new StringContent(Telegram("landslide-cancelled.xml"), System.Text.Encoding.UTF8, "application/xml"));
        Assert.True(cancelled.IsSuccessStatusCode, await cancelled.Content.ReadAsStringAsync());
        await app.Services.GetRequiredService<EvacuationRecommender>().EvaluateAsync(CancellationToken.None);

        Assert.Equal(recommended.Count, await app.Database.ScalarAsync<long>(
            "SELECT count(*) FROM evacuation_recommendations WHERE status = 'superseded' AND basis_ended_at IS NOT NULL"));
    }
}
