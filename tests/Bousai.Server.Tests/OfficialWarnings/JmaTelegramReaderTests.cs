using Bousai.Server.OfficialWarnings;

namespace Bousai.Server.Tests.OfficialWarnings;

public sealed class JmaTelegramReaderTests
{
    static TelegramReading Read(string file)
    {
        using var stream = File.OpenRead(Path.Combine(AppContext.BaseDirectory, "OfficialWarnings", "Telegrams", file));
        return JmaTelegramReader.Read(stream, TownArea.Takahata, ProductNames.Shipped);
    }

    static TelegramReading ReadText(string xml)
    {
        using var stream = new MemoryStream(System.Text.Encoding.UTF8.GetBytes(xml));
        return JmaTelegramReader.Read(stream, TownArea.Takahata, ProductNames.Shipped);
    }

    static TelegramReading.ForTown ForTown(string file) => Assert.IsType<TelegramReading.ForTown>(Read(file));

    static string Refusal(TelegramReading reading) => Assert.IsType<TelegramReading.Refused>(reading).Reason;

    [Fact]
    public void Weather_warning_issued_for_the_town_lists_what_is_in_force_with_levels()
    {
        var (telegram, town) = ForTown("weather-issued.xml");

        Assert.Equal(OfficialKind.WeatherWarning, telegram.Kind);
        Assert.Equal("気象警報・注意報（Ｈ２７）", telegram.ControlTitle);
        Assert.Equal("山形県気象警報・注意報", telegram.Title);
        Assert.Equal(TelegramInfoType.Issue, telegram.InfoType);
        Assert.Equal(TelegramStatus.Normal, telegram.Status);
        Assert.Equal("山形地方気象台", telegram.PublishingOffice);
        Assert.Null(telegram.EventId);
        Assert.Equal(new DateTimeOffset(2025, 7, 14, 10, 0, 0, TimeSpan.FromHours(9)), telegram.ReportDateTime);
        Assert.Equal(telegram.ReportDateTime, telegram.TargetDateTime);
        Assert.Null(telegram.ValidDateTime);
        Assert.Equal(["0638100", "0620200"], telegram.Areas.Select(a => a.Code));

        Assert.Equal(("0638100", "高畠町"), (town.Code, town.Name));
        Assert.Equal(
            [new WarningInForce("大雨警報（土砂災害、浸水害）", "土砂災害、浸水害", "発表", 3),
             new WarningInForce("洪水注意報", null, "発表", 2)],
            town.InForce);
        Assert.Empty(town.Ended);
        Assert.Equal(3, town.HighestLevel);
    }

    [Fact]
    public void Weather_warning_lifted_leaves_nothing_in_force_and_names_what_ended()
    {
        var (_, before) = ForTown("weather-issued.xml");
        var (telegram, after) = ForTown("weather-lifted.xml");

        Assert.NotEmpty(before.InForce);
        Assert.Equal(TelegramInfoType.Issue, telegram.InfoType);
        Assert.Empty(after.InForce);
        Assert.Null(after.HighestLevel);
        Assert.Equal(["大雨警報（土砂災害、浸水害）", "洪水注意報"], after.Ended);
    }

    [Fact]
    public void Emergency_warning_is_level_5_and_warnings_without_a_level_carry_none()
    {
        var (telegram, town) = ForTown("weather-emergency.xml");

        Assert.Equal(OfficialKind.WeatherWarning, telegram.Kind);
        Assert.Equal(
            [("大雨特別警報（土砂災害、浸水害）", "発表", (int?)5), ("洪水警報", "継続", 3), ("雷注意報", "継続", null)],
            town.InForce.Select(w => (w.Name, w.Change, w.LevelEquivalent)));
        Assert.Equal(5, town.HighestLevel);
    }

    [Fact]
    public void Drill_telegram_is_read_and_marked_as_a_drill()
    {
        var (telegram, town) = ForTown("weather-drill.xml");

        Assert.Equal(TelegramStatus.Drill, telegram.Status);
        Assert.NotEmpty(town.InForce);
    }

    [Fact]
    public void Telegram_for_another_area_is_not_for_the_town_and_is_not_an_error()
    {
        var reading = Assert.IsType<TelegramReading.NotForTown>(Read("weather-other-area.xml"));

        Assert.Equal(["0620400"], reading.Telegram.Areas.Select(a => a.Code));
        Assert.Null(reading.Telegram.Area(TownArea.Takahata.Code));
    }

    [Fact]
    public void Landslide_alert_for_the_town_is_level_4_and_carries_its_event_and_serial()
    {
        var (telegram, town) = ForTown("landslide-issued.xml");

        Assert.Equal(OfficialKind.LandslideAlert, telegram.Kind);
        Assert.Equal(("1", "1"), (telegram.EventId, telegram.Serial));
        Assert.Equal([new WarningInForce("土砂災害警戒情報", null, "発表", 4)], town.InForce);
        Assert.Empty(Assert.Single(telegram.Areas, a => a.Code == "0620200").InForce);
    }

    [Fact]
    public void Cancellation_without_areas_cancels_by_event_id()
    {
        var reading = Assert.IsType<TelegramReading.Cancels>(Read("landslide-cancelled.xml"));

        Assert.Equal(TelegramInfoType.Cancellation, reading.Telegram.InfoType);
        Assert.Equal(OfficialKind.LandslideAlert, reading.Telegram.Kind);
        Assert.Equal(("1", "2"), (reading.Telegram.EventId, reading.Telegram.Serial));
        Assert.Empty(reading.Telegram.Areas);
    }

    [Theory]
    [InlineData("flood-occurred.xml", "屋代川氾濫発生情報", 5)]
    [InlineData("flood-danger.xml", "屋代川氾濫危険情報", 4)]
    [InlineData("flood-warning.xml", "屋代川氾濫警戒情報", 3)]
    [InlineData("flood-advisory.xml", "屋代川氾濫注意情報", 2)]
    [InlineData("flood-danger-renamed.xml", "屋代川氾濫危険警報", 4)]
    public void River_flood_forecast_for_the_town_has_its_level(string file, string name, int level)
    {
        var (telegram, town) = ForTown(file);

        Assert.Equal(OfficialKind.RiverFlood, telegram.Kind);
        Assert.Equal(["屋代川"], telegram.Rivers);
        Assert.Equal("060501", telegram.EventId);
        Assert.Equal(("0638100", "高畠町"), (town.Code, town.Name));
        Assert.Equal([new WarningInForce(name, null, "発表", level)], town.InForce);
    }

    [Fact]
    public void River_flood_lifted_on_the_towns_river_concerns_the_town_even_without_a_municipality_list()
    {
        var (telegram, town) = ForTown("flood-lifted.xml");

        Assert.Equal(["最上川上流"], telegram.Rivers);
        Assert.Empty(telegram.Areas);
        Assert.Empty(town.InForce);
        Assert.Equal(["最上川上流氾濫注意情報解除"], town.Ended);
    }

    [Fact]
    public void River_flood_on_another_river_without_a_municipality_list_is_not_for_the_town()
    {
        var xml = File.ReadAllText(Path.Combine(AppContext.BaseDirectory, "OfficialWarnings", "Telegrams", "flood-lifted.xml"))
            .Replace("最上川上流", "赤川");

        Assert.IsType<TelegramReading.NotForTown>(ReadText(xml));
    }

    [Fact]
    public void Old_product_name_after_the_renaming_carries_no_level_rather_than_a_guessed_one()
    {
        var xml = File.ReadAllText(Path.Combine(AppContext.BaseDirectory, "OfficialWarnings", "Telegrams", "flood-danger.xml"))
            .Replace("2025-07-14T15:00", "2026-07-14T15:00");

        var town = Assert.IsType<TelegramReading.ForTown>(ReadText(xml)).Town;

        Assert.Null(Assert.Single(town.InForce).LevelEquivalent);
    }

    [Fact]
    public void Malformed_xml_is_refused_with_its_position()
    {
        var reason = Refusal(Read("malformed.xml"));

        Assert.Contains("not well-formed XML at line 5", reason);
    }

    [Fact]
    public void Xml_that_is_not_a_jma_telegram_is_refused()
    {
        var reason = Refusal(Read("not-jma.xml"));

        Assert.Contains("not a JMA 防災情報XML telegram", reason);
        Assert.Contains("alert", reason);
    }

    [Fact]
    public void Dtd_and_external_entity_are_refused_before_anything_is_resolved()
    {
        var reason = Refusal(Read("xxe.xml"));

        Assert.Contains("DTD", reason);
        Assert.DoesNotContain("root:", reason);
    }

    [Fact]
    public void Entity_expansion_bomb_is_refused()
    {
        const string bomb = """
            <?xml version="1.0"?>
            <!DOCTYPE Report [<!ENTITY a "aaaaaaaaaa"><!ENTITY b "&a;&a;&a;&a;&a;&a;&a;&a;&a;&a;">]>
            <Report xmlns="http://xml.kishou.go.jp/jmaxml1/"><Control><Title>&b;</Title></Control></Report>
            """;

        Assert.Contains("DTD", Refusal(ReadText(bomb)));
    }

    [Fact]
    public void Document_over_the_size_limit_is_refused()
    {
        var xml = "<Report xmlns=\"http://xml.kishou.go.jp/jmaxml1/\"><Control><Title>"
            + new string('a', JmaTelegramReader.MaxCharacters) + "</Title></Control></Report>";

        Assert.Contains($"over {JmaTelegramReader.MaxCharacters} characters", Refusal(ReadText(xml)));
    }

    [Fact]
    public void Jma_telegram_of_a_kind_not_recorded_is_refused_by_name()
    {
        const string earthquake = """
            <Report xmlns="http://xml.kishou.go.jp/jmaxml1/">
              <Control><Title>震源・震度に関する情報</Title><Status>通常</Status></Control>
              <Head xmlns="http://xml.kishou.go.jp/jmaxml1/informationBasis1/">
                <Title>震源・震度情報</Title><ReportDateTime>2025-07-14T10:00:00+09:00</ReportDateTime>
                <InfoType>発表</InfoType><InfoKind>地震情報</InfoKind>
              </Head>
            </Report>
            """;

        Assert.Contains("「震源・震度に関する情報」は記録する種類ではありません", Refusal(ReadText(earthquake)));
    }

    [Theory]
    [InlineData("<Status>通常</Status>", "<Status>本番</Status>", "unknown status")]
    [InlineData("<InfoType>発表</InfoType>", "<InfoType>遅延</InfoType>", "unknown info type")]
    [InlineData("<ReportDateTime>2025-07-14T14:20:00+09:00</ReportDateTime>", "<ReportDateTime>2025-07-14T14:20:00</ReportDateTime>", "not a time with an offset")]
    [InlineData("<ReportDateTime>2025-07-14T14:20:00+09:00</ReportDateTime>", "", "missing ReportDateTime")]
    [InlineData("<Area><Name>高畠町</Name><Code>0638100</Code></Area>\n        <ChangeStatus>", "<ChangeStatus>", "missing Area in Item")]
    public void Telegram_missing_or_garbling_a_required_part_is_refused_naming_it(string part, string replacement, string expected)
    {
        var xml = File.ReadAllText(Path.Combine(AppContext.BaseDirectory, "OfficialWarnings", "Telegrams", "landslide-issued.xml"));
        Assert.Contains(part, xml);

        Assert.Contains(expected, Refusal(ReadText(xml.Replace(part, replacement))));
    }

    static string Telegram(string file) =>
        File.ReadAllText(Path.Combine(AppContext.BaseDirectory, "OfficialWarnings", "Telegrams", file));

    [Theory]
    [InlineData("訓練", TelegramStatus.Drill)]
    [InlineData("試験", TelegramStatus.Test)]
    [InlineData("通常", TelegramStatus.Normal)]
    public void Control_status_is_kept_so_drills_and_tests_never_pass_for_real(string status, TelegramStatus expected)
    {
        var xml = Telegram("landslide-issued.xml").Replace("<Status>通常</Status>", $"<Status>{status}</Status>");

        Assert.Equal(expected, Assert.IsType<TelegramReading.ForTown>(ReadText(xml)).Telegram.Status);
    }

    [Fact]
    public void Correction_is_read_as_a_correction_with_its_content()
    {
        var xml = Telegram("landslide-issued.xml").Replace("<InfoType>発表</InfoType>", "<InfoType>訂正</InfoType>");

        var (telegram, town) = Assert.IsType<TelegramReading.ForTown>(ReadText(xml));

        Assert.Equal(TelegramInfoType.Correction, telegram.InfoType);
        Assert.Equal(4, town.HighestLevel);
    }

    [Fact]
    public void Cancellation_naming_the_town_cancels_and_one_naming_only_other_areas_is_not_for_the_town()
    {
        var forTown = Telegram("weather-issued.xml").Replace("<InfoType>発表</InfoType>", "<InfoType>取消</InfoType>");
        var elsewhere = Telegram("weather-other-area.xml").Replace("<InfoType>発表</InfoType>", "<InfoType>取消</InfoType>");

        Assert.Equal(TelegramInfoType.Cancellation, Assert.IsType<TelegramReading.Cancels>(ReadText(forTown)).Telegram.InfoType);
        Assert.IsType<TelegramReading.NotForTown>(ReadText(elsewhere));
    }

    [Fact]
    public void Emergency_warning_stepping_down_keeps_the_warning_in_force_at_its_new_level()
    {
        var xml = Telegram("weather-emergency.xml")
            .Replace("<Name>大雨特別警報</Name><Code>33</Code><Status>発表</Status>",
                "<Name>大雨警報</Name><Code>03</Code><Status>特別警報から警報</Status>");

        var town = Assert.IsType<TelegramReading.ForTown>(ReadText(xml)).Town;

        Assert.Equal(new WarningInForce("大雨警報（土砂災害、浸水害）", "土砂災害、浸水害", "特別警報から警報", 3), town.InForce[0]);
        Assert.Equal(3, town.HighestLevel);
    }

    [Fact]
    public void Area_with_no_warnings_at_all_is_for_the_town_with_nothing_in_force()
    {
        var xml = Telegram("weather-lifted.xml").Replace(
            """
            <Kind><Name>大雨警報</Name><Code>03</Code><Status>解除</Status><Condition>土砂災害、浸水害</Condition></Kind>
                    <Kind><Name>洪水注意報</Name><Code>18</Code><Status>解除</Status></Kind>
            """,
            "<Kind><Status>発表警報・注意報はなし</Status></Kind>\n");

        var town = Assert.IsType<TelegramReading.ForTown>(ReadText(xml)).Town;

        Assert.Empty(town.InForce);
        Assert.Empty(town.Ended);
    }
}
