using Bousai.Domain.Reports;
using Bousai.Domain.Rivers;
using Bousai.Domain.Shelters;
using Bousai.Server.Evacuation;
using Bousai.Server.Live;
using Bousai.Server.PublicView;
using Bousai.Server.Reports;
using Bousai.Server.Sensors;
using Bousai.Server.Shelters;
using Bousai.Server.Tests.Support;

namespace Bousai.Server.Tests.PublicView;

/// <summary>The public view's rendering as pure functions: a picture, a language and the time in, HTML out.</summary>
public sealed class PublicSectionsTests
{
    private static readonly DateTimeOffset Now = new(2026, 8, 3, 5, 0, 0, TimeSpan.Zero); // 14:00 JST
    private static readonly PublicText Text = Repository.PublicText();

    private static readonly PublicGeodata Geodata = new(7,
        [new PublicDistrict("north", "北地区", "North", 140.0, 38.1), new PublicDistrict("south", "南地区", "South", 140.0, 37.9)],
        [
            Site("a-far-north", 140.0, 38.25), Site("b-south", 140.0, 37.9), Site("c-middle", 140.0, 38.0), Site("d-north", 140.0, 38.1),
            Site("e-closed-north", 140.0, 38.1),
        ],
        [new PublicStation("river-1", "中橋", "Nakahashi", "water_level", "屋代川"), new PublicStation("rain-1", "高畠", "Takahata", "rain", null)]);

    private static PublicShelter Site(string id, double lon, double lat) =>
        new(id, id + "館", id + " hall", "高畠町" + id, true, true, 100, false, ["flood", "landslide"], false, lon, lat);

    private static ShelterState State(string id, bool open, CrowdingBand band, int occupancy = 0) =>
        new(id, open, occupancy, 100, false, band, Now, "内部メモ", "hq", new ShelterSuitability(true, true, []), ShelterKind.Both,
            ["flood", "landslide"], false, true, "090-0000-0000");

    private static PublicPicture Picture(IReadOnlyList<ShelterState>? shelters = null, IReadOnlyList<DistrictEvacuation>? districts = null,
        IReadOnlyList<StationState>? stations = null, IReadOnlyList<FieldReport>? reports = null) =>
        new(new SituationSnapshot(42, Now, shelters ?? [], districts ?? [], stations ?? [], reports ?? [], [], []), Geodata, Simulated: false);

    private static readonly ShelterState[] Mixed =
    [
        State("a-far-north", true, CrowdingBand.Full, 100), State("b-south", true, CrowdingBand.Available, 5),
        State("c-middle", true, CrowdingBand.SomewhatCrowded, 40), State("d-north", true, CrowdingBand.Crowded, 70),
        State("e-closed-north", false, CrowdingBand.Closed),
    ];

    [Theory]
    [InlineData(null, "b-south c-middle d-north a-far-north e-closed-north")] // open ones, least crowded first; closed last
    [InlineData("north", "d-north c-middle a-far-north b-south e-closed-north")] // open ones nearest first, then the rest
    [InlineData("south", "b-south c-middle d-north a-far-north e-closed-north")]
    public void Shelters_are_ordered_for_residents(string? from, string expected)
    {
        var ordered = Picture(Mixed).OrderedShelters(from is null ? null : Geodata.District(from));
        Assert.Equal(expected, string.Join(' ', ordered.Select(r => r.Shelter.Id)));
    }

    [Theory]
    [InlineData(PublicLanguage.Ja, 0, "発令なし")]
    [InlineData(PublicLanguage.Ja, 3, "警戒レベル3 高齢者等避難")]
    [InlineData(PublicLanguage.Ja, 4, "警戒レベル4 避難指示")]
    [InlineData(PublicLanguage.Ja, 5, "警戒レベル5 緊急安全確保")]
    [InlineData(PublicLanguage.En, 4, "Alert level 4")]
    public void Levels_read_in_words(PublicLanguage language, int level, string expected) =>
        Assert.StartsWith(expected, new PublicSections(Text, Picture(), language, null, Now).LevelText(level));

    [Fact]
    public void The_level_board_shows_every_district_with_its_level_shape_and_what_to_do()
    {
        var picture = Picture(districts: [new DistrictEvacuation("north", 4, Now, "本部長", "hq", "理由")]);
        var board = new PublicSections(Text, picture, PublicLanguage.Ja, null, Now).LevelBoard();
        Assert.Contains("data-district-id=\"north\" data-level=\"4\"", board);
        Assert.Contains("data-district-id=\"south\" data-level=\"0\"", board);
        Assert.Contains("data-shape=\"diamond\"", board);
        Assert.Contains("危険な場所から全員避難", board);
        Assert.Contains("<time datetime=\"2026-08-03T05:00:00.000Z\">14:00</time>", board);
        Assert.DoesNotContain("本部長", board);
        var banner = new PublicSections(Text, picture, PublicLanguage.En, null, Now).EvacuationBanner();
        Assert.Contains("data-level=\"4\"", banner);
        Assert.Contains("North", banner);
    }

    [Fact]
    public void Shelter_cards_carry_the_band_in_words_and_the_head_count_and_nothing_internal()
    {
        var list = new PublicSections(Text, Picture(Mixed), PublicLanguage.Ja, null, Now).ShelterList();
        Assert.Contains("data-shelter-id=\"b-south\" data-crowding=\"available\"", list);
        Assert.Contains("開設中・空いています", list);
        Assert.Contains("data-crowding=\"closed\"", list);
        Assert.Contains("5人／100人", list);
        Assert.DoesNotContain("内部メモ", list);
        Assert.DoesNotContain("090-0000-0000", list);
        var english = new PublicSections(Text, Picture(Mixed), PublicLanguage.En, Geodata.District("north"), Now).ShelterList();
        Assert.Contains("Open now, Space available", english);
        Assert.Contains("class=\"distance\"", english);
    }

    [Fact]
    public void A_silent_gauge_reads_as_no_data_not_as_zero_and_rain_as_an_hour_of_rain()
    {
        StationState[] stations =
        [
            new("river-1", "water_level", 2.34, Now.AddMinutes(-30), Now.AddMinutes(-30), Now.AddMinutes(-10), WaterLevelStage.Caution),
            new("rain-1", "rainfall", 3, Now.AddMinutes(-5), Now.AddMinutes(-5), Now.AddMinutes(5), Rain: new Bousai.Domain.Rain.RainTotals(3, 12.5, 40, 40, null)),
        ];
        var list = new PublicSections(Text, Picture(stations: stations), PublicLanguage.Ja, null, Now).StationList();
        Assert.Contains("data-station-id=\"river-1\" data-kind=\"water_level\" data-stage=\"no_data\"", list);
        Assert.Contains("欠測", list);
        Assert.Contains("data-stage=\"normal\"", list);
        Assert.Contains("12.5 mm/h", list);
    }

    [Fact]
    public void Every_text_is_encoded_on_both_pages()
    {
        var report = new FieldReport(7, null, FieldReportCategory.RoadBlocked, FieldReportSeverity.Serious, FieldReportStatus.Verified, Now, null, Now,
            140.0, 38.0, null, "north", null, null, null, null, null, null, null, "<script>alert('x')</script> & 通行止め", null, []);
        var picture = Picture(reports: [report]);
        var template = File.ReadAllText(Path.Combine(Repository.Root, "src", "Bousai.Server", "wwwroot", "public.html"));
        foreach (var html in new[]
                 {
                     PublicPages.Full(template, Text, picture, PublicLanguage.Ja, null, Now), PublicPages.Text(Text, picture, PublicLanguage.Ja, null, Now),
                 })
        {
            Assert.DoesNotContain("<script>alert", html);
            Assert.Contains("&lt;script&gt;alert(&#39;x&#39;)&lt;/script&gt; &amp; 通行止め", html);
        }
    }

    [Theory]
    [InlineData(PublicLanguage.Ja, "ja", "高畠町 避難所マップ")]
    [InlineData(PublicLanguage.En, "en", "Takahata shelter map")]
    public void The_full_page_fills_every_marker_and_text_in_its_language(PublicLanguage language, string lang, string title)
    {
        var template = File.ReadAllText(Path.Combine(Repository.Root, "src", "Bousai.Server", "wwwroot", "public.html"));
        var html = PublicPages.Full(template, Text, Picture(Mixed), language, null, Now);
        Assert.Contains($"<html lang=\"{lang}\"", html);
        Assert.Contains($"<title>{title}</title>", html);
        Assert.DoesNotContain("<!--ssr:", html);
        Assert.Contains("<noscript><meta http-equiv=\"refresh\" content=\"60\"></noscript>", html);
        Assert.Contains("data-seq=\"42\"", html);
        Assert.Contains(language == PublicLanguage.En ? "href=\"/public/text/en\"" : "href=\"/public/text\"", html);
        Assert.Contains(language == PublicLanguage.En ? ">Updated 14:00 JST<" : ">最終更新 14:00（日本時間）<", html);
    }
}
