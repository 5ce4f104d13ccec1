using Bousai.Domain.Shelters;
using Bousai.Server.Evacuation;
using Bousai.Server.Live;
using Bousai.Server.Notifications;
using Bousai.Server.OfficialWarnings;
using Bousai.Server.PublicView;
using Bousai.Server.Shelters;
using Bousai.Server.Tests.Support;

namespace Bousai.Server.Tests.Notifications;

/// <summary>What residents are told of a change, and in which words: the topic rules as tables.</summary>
public sealed class ResidentNoticeTests
{
    private static readonly DateTimeOffset Now = new(2026, 8, 3, 5, 0, 0, TimeSpan.Zero);
    private static readonly PublicText Text = Repository.PublicText();

    private static DistrictEvacuationLevelChanged Level(int previous, int level, long? drill = null) =>
        new(new DistrictEvacuation("district-yashiro", level, Now, "本部長", "hq", "屋代川の増水", DrillId: drill), previous) { At = Now };

    [Theory]
    [InlineData(0, 3, NoticeKind.LevelIssued, PushUrgency.High)]
    [InlineData(0, 4, NoticeKind.LevelIssued, PushUrgency.High)]
    [InlineData(3, 4, NoticeKind.LevelRaised, PushUrgency.High)]
    [InlineData(4, 5, NoticeKind.LevelRaised, PushUrgency.High)]
    [InlineData(5, 3, NoticeKind.LevelLowered, PushUrgency.High)]
    [InlineData(4, 0, NoticeKind.LevelLifted, PushUrgency.Normal)]
    [InlineData(3, 0, NoticeKind.LevelLifted, PushUrgency.Normal)]
    public void A_district_level_change_tells_the_district(int previous, int level, NoticeKind kind, PushUrgency urgency)
    {
        var notice = ResidentNotices.ForLevel(Level(previous, level))!;
        Assert.Equal(kind, notice.Kind);
        Assert.Equal("district:district-yashiro", notice.Topic);
        Assert.Equal(urgency, notice.Urgency);
        Assert.Equal(level, notice.Level);
        Assert.Equal(previous, notice.PreviousLevel);
        Assert.False(notice.Drill);
        Assert.Equal(TimeSpan.FromHours(12).TotalSeconds, notice.TtlSeconds);
    }

    [Fact]
    public void The_same_level_again_tells_nobody_and_a_drill_level_is_marked_as_the_drill() =>
        Assert.Multiple(
            () => Assert.Null(ResidentNotices.ForLevel(Level(4, 4))),
            () => Assert.True(ResidentNotices.ForLevel(Level(0, 4, drill: 7))!.Drill));

    private static OfficialWarning Warning(OfficialKind kind, string name, int? level, OfficialWarningStatus status, long? drill = null) =>
        new(1, OfficialWarning.KeyOf(kind, "0638100", name, null), kind, name, name + " (en)", null, level, status, OfficialWarningSource.JmaFeed,
            Now, null, ["0638100"], [], null, false, null, drill, Now);

    [Theory]
    // kind, name, 警戒レベル相当, status, what residents were told last → the notice (null: none), urgent
    [InlineData(OfficialKind.WeatherWarning, "大雨警報", 3, OfficialWarningStatus.InForce, null, NoticeKind.WarningIssued, false)]
    [InlineData(OfficialKind.WeatherWarning, "大雨特別警報", 5, OfficialWarningStatus.InForce, null, NoticeKind.WarningIssued, true)]
    [InlineData(OfficialKind.WeatherWarning, "暴風警報", null, OfficialWarningStatus.InForce, null, NoticeKind.WarningIssued, false)]
    [InlineData(OfficialKind.LandslideAlert, "土砂災害警戒情報", 4, OfficialWarningStatus.InForce, null, NoticeKind.WarningIssued, true)]
    [InlineData(OfficialKind.RiverFlood, "氾濫危険情報", 4, OfficialWarningStatus.InForce, null, NoticeKind.WarningIssued, true)]
    [InlineData(OfficialKind.RiverFlood, "氾濫注意情報", 2, OfficialWarningStatus.InForce, null, null, false)]
    [InlineData(OfficialKind.WeatherWarning, "大雨注意報", 2, OfficialWarningStatus.InForce, null, null, false)]
    [InlineData(OfficialKind.WeatherWarning, "大雨警報", 3, OfficialWarningStatus.InForce, NoticeMark.InForce, null, false)]
    [InlineData(OfficialKind.WeatherWarning, "大雨警報", 3, OfficialWarningStatus.Ended, NoticeMark.InForce, NoticeKind.WarningEnded, false)]
    [InlineData(OfficialKind.WeatherWarning, "大雨警報", 3, OfficialWarningStatus.Ended, null, null, false)]
    [InlineData(OfficialKind.LandslideAlert, "土砂災害警戒情報", 4, OfficialWarningStatus.Ended, NoticeMark.InForce, NoticeKind.WarningEnded, false)]
    public void Official_warnings_for_the_town_tell_the_town_topic(OfficialKind kind, string name, int? level, OfficialWarningStatus status,
        NoticeMark? told, NoticeKind? expected, bool urgent)
    {
        var notice = ResidentNotices.ForWarning(Warning(kind, name, level, status), told);
        Assert.Equal(expected, notice?.Kind);
        if (notice is null) return;
        Assert.Equal(ResidentNotices.TownTopic, notice.Topic);
        Assert.Equal(urgent, notice.Urgent);
        Assert.Equal(name, notice.WarningName);
    }

    private static ShelterState Shelter(bool open, int occupancy, bool declaredFull = false) =>
        new("takahata-shelter-01", open, occupancy, 100, declaredFull, ShelterCrowding.Band(open, occupancy, 100, declaredFull), Now, "内部メモ", "shelter",
            new ShelterSuitability(true, true, []), ShelterKind.Both, ["flood"], false, true, "090-0000-0000");

    [Theory]
    // open, head count of 100, declared full, what residents were told last → the notice (null: none), the mark kept
    [InlineData(true, 10, false, null, NoticeKind.ShelterOpened, NoticeMark.Open)]
    [InlineData(true, 10, false, NoticeMark.Closed, NoticeKind.ShelterOpened, NoticeMark.Open)]
    [InlineData(true, 40, false, NoticeMark.Open, null, NoticeMark.Open)]
    [InlineData(true, 95, false, NoticeMark.Open, NoticeKind.ShelterFull, NoticeMark.Full)]
    [InlineData(true, 30, true, NoticeMark.Open, NoticeKind.ShelterFull, NoticeMark.Full)]
    [InlineData(true, 95, false, NoticeMark.Closed, NoticeKind.ShelterFull, NoticeMark.Full)]
    [InlineData(true, 99, false, NoticeMark.Full, null, NoticeMark.Full)]
    [InlineData(true, 20, false, NoticeMark.Full, null, NoticeMark.Open)]
    [InlineData(false, 0, false, NoticeMark.Open, NoticeKind.ShelterClosed, NoticeMark.Closed)]
    [InlineData(false, 0, false, NoticeMark.Full, NoticeKind.ShelterClosed, NoticeMark.Closed)]
    [InlineData(false, 0, false, NoticeMark.Closed, null, NoticeMark.Closed)]
    [InlineData(false, 0, false, null, null, NoticeMark.Closed)]
    public void A_shelter_opening_filling_or_closing_tells_its_topic(bool open, int occupancy, bool declaredFull, NoticeMark? told,
        NoticeKind? expected, NoticeMark kept)
    {
        var shelter = Shelter(open, occupancy, declaredFull);
        var notice = ResidentNotices.ForShelter(shelter, told);
        Assert.Equal(expected, notice?.Kind);
        Assert.Equal(kept, ResidentNotices.MarkOf(shelter));
        if (notice is null) return;
        Assert.Equal("shelter:takahata-shelter-01", notice.Topic);
        Assert.Equal(PushUrgency.Normal, notice.Urgency);
        Assert.False(notice.Drill);
        Assert.Equal(TimeSpan.FromHours(2).TotalSeconds, notice.TtlSeconds);
    }

    [Theory]
    [InlineData(NoticeKind.LevelIssued, 4, false, "ja", "警戒レベル4 避難指示：屋代地区", "/public?district=district-yashiro", "/notifications/level-4.png")]
    [InlineData(NoticeKind.LevelRaised, 5, true, "ja", "【訓練】警戒レベル5 緊急安全確保に引き上げ：屋代地区", "/public?district=district-yashiro", "/notifications/level-5.png")]
    [InlineData(NoticeKind.LevelIssued, 3, false, "en", "Alert level 3 ", "/public/en?district=district-yashiro", "/notifications/level-3.png")]
    [InlineData(NoticeKind.LevelLifted, 0, true, "en", "[EXERCISE] Lifted: Yashiro", "/public/en?district=district-yashiro", "/notifications/level-0.png")]
    public void A_level_notice_says_the_level_in_words_and_opens_the_public_view_at_the_district(NoticeKind kind, int level, bool drill,
        string language, string titleStart, string url, string icon)
    {
        var notice = new ResidentNotice(kind, "district:district-yashiro", "district-yashiro", drill, level >= 3 ? PushUrgency.High : PushUrgency.Normal,
            ResidentNotices.LevelTtl, level, 0);
        var lang = language == "en" ? PublicLanguage.En : PublicLanguage.Ja;
        var payload = NoticeWording.Payload(notice, 12, lang, Text, language == "en" ? "Yashiro" : "屋代地区");
        Assert.StartsWith(titleStart, payload.Title);
        Assert.Equal(url, payload.Url);
        Assert.Equal(icon, payload.Icon);
        Assert.Equal(language, payload.Language);
        Assert.Equal(drill, payload.Drill);
        Assert.Equal(12, payload.NoticeId);
        Assert.Equal("district:district-yashiro", payload.Tag);
        // The body says what to do now (the level's action), or that it was lifted.
        var expectedBody = level == 0 ? Text.T(lang, "notice.levelLiftedBody", ("district", "Yashiro")) : Text.T(lang, $"evacAction.{level}");
        Assert.Equal(expectedBody, payload.Body);
        Assert.False(string.IsNullOrWhiteSpace(payload.Body));
    }

    [Theory]
    [InlineData(NoticeKind.ShelterOpened, "ja", "開設：第一小学校", "/public#shelter-takahata-shelter-01", "/notifications/shelter-open.png")]
    [InlineData(NoticeKind.ShelterFull, "en", "Full: First school", "/public/en#shelter-takahata-shelter-01", "/notifications/shelter-full.png")]
    [InlineData(NoticeKind.ShelterClosed, "ja", "閉鎖：第一小学校", "/public#shelter-takahata-shelter-01", "/notifications/shelter-closed.png")]
    public void A_shelter_notice_opens_the_public_view_at_the_shelter(NoticeKind kind, string language, string title, string url, string icon)
    {
        var notice = new ResidentNotice(kind, "shelter:takahata-shelter-01", "takahata-shelter-01", false, PushUrgency.Normal, ResidentNotices.ShelterTtl);
        var payload = NoticeWording.Payload(notice, 3, language == "en" ? PublicLanguage.En : PublicLanguage.Ja, Text,
            language == "en" ? "First school" : "第一小学校");
        Assert.Equal((title, url, icon, false), (payload.Title, payload.Url, payload.Icon, payload.Urgent));
    }

    [Fact]
    public void A_warning_notice_names_the_warning_in_the_language_and_opens_the_official_section()
    {
        var notice = ResidentNotices.ForWarning(Warning(OfficialKind.LandslideAlert, "土砂災害警戒情報", 4, OfficialWarningStatus.InForce), null)!;
        var ja = NoticeWording.Payload(notice, 5, PublicLanguage.Ja, Text, null);
        var en = NoticeWording.Payload(notice, 5, PublicLanguage.En, Text, null);
        Assert.Equal(("土砂災害警戒情報（高畠町）", "/public#official-title", true), (ja.Title, ja.Url, ja.Urgent));
        Assert.Equal(("土砂災害警戒情報 (en) (Takahata)", "/public/en#official-title"), (en.Title, en.Url));
        Assert.Equal("/notifications/warning.png", en.Icon);
    }

    [Theory]
    // attempts so far, Retry-After (s, -1: none), jitter → the wait (s)
    [InlineData(1, -1, 0.0, 5)]
    [InlineData(2, -1, 0.0, 10)]
    [InlineData(3, -1, 0.0, 20)]
    [InlineData(3, -1, 0.5, 22)]
    [InlineData(8, -1, 0.0, 600)]
    [InlineData(30, -1, 0.99, 718.8)]
    [InlineData(1, 120, 0.7, 120)]
    [InlineData(5, 0, 0.7, 0)]
    [InlineData(1, 86_400, 0.0, 3600)]
    public void A_retry_waits_as_the_push_service_asks_or_backs_off(int attempts, int retryAfter, double jitter, double seconds) =>
        Assert.Equal(seconds, PushRetries.Wait(attempts, retryAfter < 0 ? null : TimeSpan.FromSeconds(retryAfter), jitter).TotalSeconds, 3);

    [Fact]
    public void A_push_topic_is_a_short_url_safe_name_of_the_notice_topic()
    {
        var topic = PushSender.PushTopic("district:district-yashiro");
        Assert.Equal(32, topic.Length);
        Assert.Matches("^[A-Za-z0-9_-]+$", topic);
        Assert.NotEqual(topic, PushSender.PushTopic("district:district-kameoka"));
    }
}
