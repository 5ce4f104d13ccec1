using Bousai.Server.PublicView;

namespace Bousai.Server.Notifications;

/// <summary>What a resident's phone shows, as the service worker (/public-sw.js) reads it from the push message.</summary>
public sealed record PushPayload(
    long NoticeId,
    string Title,
    string Body,
    string Tag,
    string Url,
    string Language,
    bool Urgent,
    string Icon,
    bool Drill);

/// <summary>
/// The words of a notice in one language, pure: from the public view's own message table (public-messages.json), so
/// the phone says what the public page says. The level is in words and in its icon (the level's colour with its
/// number, never colour alone); a drill says 【訓練】 / [EXERCISE] first.
/// </summary>
public static class NoticeWording
{
    /// <param name="subjectName">The district's or shelter's name in this language (the Japanese name when it has no English one).</param>
    public static PushPayload Payload(ResidentNotice notice, long noticeId, PublicLanguage language, PublicText text, string? subjectName)
    {
        string T(string key, params (string Name, object Value)[] values) => text.T(language, key, values);
        string Level(int level) => $"{T("evacLevelNumber", ("level", level))} {T($"evacLevel.{level}")}";
        var name = subjectName ?? notice.Subject;
        var warning = (language == PublicLanguage.En ? notice.WarningNameEn : notice.WarningName) ?? notice.WarningName ?? notice.Subject;
        var level = notice.Level ?? 0;

        var (title, body, icon) = notice.Kind switch
        {
            NoticeKind.LevelIssued => (T("notice.levelIssued", ("level", Level(level)), ("district", name)), T($"evacAction.{level}"), $"level-{level}"),
            NoticeKind.LevelRaised => (T("notice.levelRaised", ("level", Level(level)), ("district", name)), T($"evacAction.{level}"), $"level-{level}"),
            NoticeKind.LevelLowered => (T("notice.levelLowered", ("level", Level(level)), ("district", name)), T($"evacAction.{level}"), $"level-{level}"),
            NoticeKind.LevelLifted => (T("notice.levelLifted", ("district", name)), T("notice.levelLiftedBody", ("district", name)), "level-0"),
            NoticeKind.WarningIssued => (T("notice.warningIssued", ("warning", warning)), T("notice.warningIssuedBody"), "warning"),
            NoticeKind.WarningEnded => (T("notice.warningEnded", ("warning", warning)), T("notice.warningEndedBody", ("warning", warning)), "warning"),
            NoticeKind.ShelterOpened => (T("notice.shelterOpened", ("shelter", name)), T("notice.shelterOpenedBody", ("shelter", name)), "shelter-open"),
            NoticeKind.ShelterFull => (T("notice.shelterFull", ("shelter", name)), T("notice.shelterFullBody", ("shelter", name)), "shelter-full"),
            NoticeKind.ShelterClosed => (T("notice.shelterClosed", ("shelter", name)), T("notice.shelterClosedBody", ("shelter", name)), "shelter-closed"),
            _ => throw new ArgumentOutOfRangeException(nameof(notice), notice.Kind, "A notice kind without words."),
        };
        if (notice.Drill) title = T("notice.drill") + title;

        var page = language == PublicLanguage.En ? "/public/en" : "/public";
        var url = notice.Topic switch
        {
            _ when notice.Kind is NoticeKind.ShelterOpened or NoticeKind.ShelterFull or NoticeKind.ShelterClosed => $"{page}#shelter-{Uri.EscapeDataString(notice.Subject)}",
            ResidentNotices.TownTopic => $"{page}#official-title",
            _ => $"{page}?district={Uri.EscapeDataString(notice.Subject)}",
        };
        return new PushPayload(noticeId, title, body, notice.Topic, url, language == PublicLanguage.En ? "en" : "ja", notice.Urgent,
            $"/notifications/{icon}.png", notice.Drill);
    }
}
