using System.Xml.Linq;
using Bousai.Server.Cap;

namespace Bousai.Server.Tests.Cap;

/// <summary>Every kind of item through its life (Alert, Update, Cancel) as CAP 1.2, checked against the OASIS schema.</summary>
public sealed class CapXmlTests
{
    private static readonly XNamespace C = CapXml.Cap;
    private static readonly CapOptions Options = new();
    private static readonly DateTimeOffset Issued = new(2026, 7, 14, 5, 30, 15, 123, TimeSpan.Zero);

    private static readonly CapArea Yashiro = new("屋代地区", "Yashiro district",
        [CapPolygons.FromRing([(140.18, 38.0), (140.2, 38.0), (140.2, 38.02), (140.18, 38.02)], 100)], []);

    private static readonly CapArea Town = new("高畠町", "Takahata Town",
        [CapPolygons.FromRing([(140.1, 37.95), (140.3, 37.95), (140.3, 38.1), (140.1, 38.1), (140.1, 37.95)], 100)],
        [new CapGeocode("JMA-AREA-CODE", "0638100")]);

    /// <summary>One item of every kind, real and drill, and the same item changed (what an Update carries).</summary>
    public static TheoryData<string, CapItem, CapItem> Items()
    {
        var data = new TheoryData<string, CapItem, CapItem>();
        foreach (var drill in new long?[] { null, 7 })
        {
            var level = new DistrictLevelRow("district-yashiro", "屋代地区", "Yashiro", 3, Issued, "屋代川の水位上昇", drill);
            data.Add($"district level, drill {drill}", CapItems.District(level, [Yashiro]),
                CapItems.District(level with { Level = 4, Reason = "屋代川 氾濫危険水位" }, [Yashiro]));
            foreach (var (kind, name, nameEn, condition, lvl, rivers) in new (string, string, string, string?, int?, string[])[]
                     {
                         ("weather_warning", "大雨警報", "Heavy rain warning", "土砂災害", 3, []),
                         ("weather_warning", "大雨特別警報", "Heavy rain emergency warning", "浸水害", 5, []),
                         ("landslide_alert", "土砂災害警戒情報", "Landslide alert", null, 4, []),
                         ("river_flood", "屋代川氾濫危険情報", "Yashiro River flood danger", null, 4, ["屋代川"]),
                     })
            {
                var warning = new OfficialWarningRow(11, kind, name, nameEn, condition, lvl, "jma_feed", Issued, Issued.AddHours(6),
                    ["高畠町"], ["0638100"], rivers, "山形県では、土砂災害に警戒してください。", drill);
                data.Add($"{kind} {name}, drill {drill}", CapItems.Warning(warning, [Town]),
                    CapItems.Warning(warning with { ValidUntil = Issued.AddHours(12), Source = "hand" }, [Town]));
            }

            foreach (var (kind, message, messageEn, river) in new (string, string, string?, string?)[]
                     {
                         ("water_level", "避難判断水位に到達", "Reached the evacuation-judgement stage", "屋代川"),
                         ("rain", "60分雨量が基準に到達", "60-minute rain at the town's criterion", null),
                         ("landslide", "土砂災害の危険度が高い", null, null),
                     })
            {
                var alert = new SystemAlertRow(5, kind, 3, message, messageEn, "evacuation", Issued, drill,
                    river is null ? null : "中橋", river is null ? null : "Nakahashi", river);
                data.Add($"system alert {kind}, drill {drill}", CapItems.Alert(alert, [Yashiro]),
                    CapItems.Alert(alert with { LevelEquivalent = 4, Message = "氾濫危険水位に到達", Step = "danger" }, [Yashiro]));
            }
        }

        return data;
    }

    private static (CapMessage Alert, CapMessage Update, CapMessage Cancel) Life(CapItem item, CapItem changed)
    {
        var alert = Assert.Single(CapPlan.Next([item], [], Issued, Options));
        var update = Assert.Single(CapPlan.Next([changed], [alert], Issued.AddMinutes(10), Options));
        var cancel = Assert.Single(CapPlan.Next([], [update], Issued.AddMinutes(20), Options));
        return (alert, update, cancel);
    }

    [Theory]
    [MemberData(nameof(Items))]
    public void Alert_update_and_cancel_of_every_kind_are_valid_CAP_1_2(string what, CapItem item, CapItem changed)
    {
        var (alert, update, cancel) = Life(item, changed);
        foreach (var message in new[] { alert, update, cancel })
        {
            CapSchema.AssertValid(CapXml.Text(message, Options), $"{what} {message.MsgType}");
        }

        Assert.Equal([CapMsgType.Alert, CapMsgType.Update, CapMsgType.Cancel], new[] { alert.MsgType, update.MsgType, cancel.MsgType });
    }

    [Theory]
    [MemberData(nameof(Items))]
    public void Each_message_has_one_Japanese_and_one_English_info_with_the_items_areas(string what, CapItem item, CapItem changed)
    {
        var (alert, _, _) = Life(item, changed);
        var document = CapXml.Document(alert, Options);
        var infos = document.Root!.Elements(C + "info").ToList();

        Assert.Equal(["ja-JP", "en-US"], infos.Select(i => i.Element(C + "language")!.Value));
        Assert.Contains("高畠", infos[0].Element(C + "senderName")!.Value);
        Assert.Contains("Takahata", infos[1].Element(C + "senderName")!.Value);
        Assert.DoesNotMatch("[ぁ-んァ-ヶ一-龯]", infos[1].Element(C + "event")!.Value);
        foreach (var info in infos)
        {
            var area = Assert.Single(info.Elements(C + "area"));
            var pairs = area.Element(C + "polygon")!.Value.Split(' ');
            Assert.True(pairs.Length >= 4, what);
            Assert.Equal(pairs[0], pairs[^1]);
            var first = pairs[0].Split(',').Select(double.Parse).ToArray();
            Assert.InRange(first[0], 37, 39);
            Assert.InRange(first[1], 139, 141);
        }
    }

    [Theory]
    [MemberData(nameof(Items))]
    public void An_update_and_a_cancel_reference_the_previous_message_of_the_item(string what, CapItem item, CapItem changed)
    {
        var (alert, update, cancel) = Life(item, changed);

        Assert.Null(CapXml.Document(alert, Options).Root!.Element(C + "references"));
        Assert.Equal($"{Options.Sender},{alert.Identifier},{CapXml.Time(alert.Sent)}",
            CapXml.Document(update, Options).Root!.Element(C + "references")!.Value);
        Assert.Equal($"{Options.Sender},{update.Identifier},{CapXml.Time(update.Sent)}",
            CapXml.Document(cancel, Options).Root!.Element(C + "references")!.Value);
        Assert.Equal($"urn:bousai:takahata:{item.Key}:1", alert.Identifier);
        Assert.Equal($"urn:bousai:takahata:{item.Key}:2", update.Identifier);
        Assert.Equal($"urn:bousai:takahata:{item.Key}:3", cancel.Identifier);
        Assert.All(new[] { alert, update, cancel }, m => Assert.False(m.Identifier.IndexOfAny([' ', ',', '<', '&']) >= 0, what));
    }

    [Theory]
    [MemberData(nameof(Items))]
    public void A_drill_item_is_an_Exercise_marked_訓練_and_a_real_one_is_Actual(string what, CapItem item, CapItem changed)
    {
        var (alert, update, cancel) = Life(item, changed);
        foreach (var message in new[] { alert, update, cancel })
        {
            var root = CapXml.Document(message, Options).Root!;
            var headlines = root.Elements(C + "info").Select(i => i.Element(C + "headline")!.Value).ToList();
            Assert.True(root.Element(C + "status")!.Value == (item.DrillId is null ? "Actual" : "Exercise"), what);
            if (item.DrillId is null)
            {
                Assert.DoesNotContain(headlines, h => h.Contains("訓練") || h.Contains("EXERCISE"));
            }
            else
            {
                Assert.StartsWith("【訓練】", headlines[0]);
                Assert.StartsWith("[EXERCISE]", headlines[1]);
                Assert.StartsWith($"drill-{item.DrillId}:", item.Key);
            }
        }
    }

    [Fact]
    public void Times_are_in_Japan_time_to_the_second_as_CAP_wants_them()
    {
        Assert.Equal("2026-07-14T14:30:15+09:00", CapXml.Time(Issued));
        var alert = Assert.Single(CapPlan.Next([CapItems.District(new DistrictLevelRow("d", "屋代地区", "Yashiro", 4, Issued, "r", null), [Yashiro])],
            [], Issued, Options));
        Assert.Equal(0, alert.Sent.Millisecond);
    }

    [Theory]
    [InlineData(3, "Expected", "Moderate", "Likely", "Evacuate")]
    [InlineData(4, "Immediate", "Severe", "Likely", "Evacuate")]
    [InlineData(5, "Immediate", "Extreme", "Observed", "Shelter")]
    public void A_district_level_maps_to_urgency_severity_certainty_and_response(int level, string urgency, string severity, string certainty,
        string response)
    {
        var item = CapItems.District(new DistrictLevelRow("district-yashiro", "屋代地区", "Yashiro", level, Issued, "理由", null), [Yashiro]);
        var info = CapXml.Document(Assert.Single(CapPlan.Next([item], [], Issued, Options)), Options).Root!.Element(C + "info")!;

        Assert.Equal("Safety", info.Element(C + "category")!.Value);
        Assert.Equal(urgency, info.Element(C + "urgency")!.Value);
        Assert.Equal(severity, info.Element(C + "severity")!.Value);
        Assert.Equal(certainty, info.Element(C + "certainty")!.Value);
        Assert.Equal(response, info.Element(C + "responseType")!.Value);
        Assert.Equal(level.ToString(), info.Element(C + "parameter")!.Element(C + "value")!.Value);
    }

    [Fact]
    public void A_cancel_says_all_clear()
    {
        var item = CapItems.District(new DistrictLevelRow("district-yashiro", "屋代地区", "Yashiro", 4, Issued, "理由", null), [Yashiro]);
        var alert = Assert.Single(CapPlan.Next([item], [], Issued, Options));
        var info = CapXml.Document(Assert.Single(CapPlan.Next([], [alert], Issued, Options)), Options).Root!.Element(C + "info")!;

        Assert.Equal("AllClear", info.Element(C + "responseType")!.Value);
        Assert.Equal("Past", info.Element(C + "urgency")!.Value);
        Assert.StartsWith("解除", info.Element(C + "headline")!.Value);
        Assert.Null(info.Element(C + "instruction"));
    }

    [Fact]
    public void Official_warnings_say_they_are_official_and_the_systems_alerts_that_they_are_local_estimates()
    {
        var warning = CapItems.Warning(new OfficialWarningRow(1, "landslide_alert", "土砂災害警戒情報", "Landslide alert", null, 4, "jma_feed",
            Issued, null, ["高畠町"], ["0638100"], [], null, null), [Town]);
        var alert = CapItems.Alert(new SystemAlertRow(2, "water_level", 4, "氾濫危険水位に到達", "Reached the flood danger stage", "danger",
            Issued, null, "中橋", "Nakahashi", "屋代川"), [Yashiro]);

        Assert.StartsWith("公式", warning.HeadlineJa);
        Assert.StartsWith("Official", warning.HeadlineEn);
        Assert.Contains("山形県と気象庁", warning.DescriptionJa);
        Assert.Contains("公式の情報ではありません", alert.DescriptionJa);
        Assert.Contains("not an official warning", alert.DescriptionEn);
        Assert.Equal("Observed", CapXml.Certainty(alert));
        Assert.Equal("Geo", CapXml.Category(warning));
    }

    [Fact]
    public void The_schema_check_refuses_what_CAP_does_not_allow()
    {
        var item = CapItems.District(new DistrictLevelRow("district-yashiro", "屋代地区", "Yashiro", 4, Issued, "理由", null), [Yashiro]);
        var xml = CapXml.Text(Assert.Single(CapPlan.Next([item], [], Issued, Options)), Options);

        Assert.NotEmpty(CapSchema.Errors(xml.Replace("<status>Actual</status>", "<status>Real</status>")));
        Assert.NotEmpty(CapSchema.Errors(xml.Replace("+09:00</sent>", "Z</sent>")));
        Assert.NotEmpty(CapSchema.Errors(xml.Replace("urn:oasis:names:tc:emergency:cap:1.2", "urn:example:not-cap")));
    }

    [Theory]
    [InlineData("2021-05-19T12:00:00+09:00", "避難勧告・避難指示（緊急）")]
    [InlineData("2021-05-20T00:00:00+09:00", "避難指示")]
    public void A_level_is_named_as_it_was_named_when_issued(string issuedAt, string name)
    {
        var item = CapItems.District(new DistrictLevelRow("district-yashiro", "屋代地区", "Yashiro", 4, DateTimeOffset.Parse(issuedAt), "理由", null),
            [Yashiro]);

        Assert.Equal(name, item.EventJa);
        Assert.Contains($"「{name}」", item.DescriptionJa);
    }

    [Theory]
    [InlineData("大雨警報（土砂災害）", "土砂災害", "大雨警報（土砂災害）")]
    [InlineData("大雨警報", "土砂災害", "大雨警報（土砂災害）")]
    [InlineData("洪水警報", null, "洪水警報")]
    public void A_warning_names_its_condition_once(string name, string? condition, string expected)
    {
        var item = CapItems.Warning(new OfficialWarningRow(1, "weather_warning", name, null, condition, 3, "jma_feed",
            Issued, null, ["高畠町"], ["0638100"], [], null, null), [Town]);

        Assert.Equal(expected, item.EventJa);
    }
}
