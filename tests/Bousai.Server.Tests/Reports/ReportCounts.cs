using Bousai.Server.Tests.Support;

namespace Bousai.Server.Tests.Reports;

/// <summary>Everything a report submission can leave behind: reports, photo links, photo contents, events, audit records.</summary>
public readonly record struct ReportCounts(long Reports, long PhotoLinks, long PhotoContents, long Events, long Audits)
{
    public static async Task<ReportCounts> OfAsync(TestDatabase database) => new(
        await database.ScalarAsync<long>("SELECT count(*) FROM field_reports"),
        await database.ScalarAsync<long>("SELECT count(*) FROM field_report_photos"),
        await database.ScalarAsync<long>("SELECT count(*) FROM report_photos_content"),
        await database.ScalarAsync<long>("SELECT count(*) FROM situation_events"),
        await database.ScalarAsync<long>("SELECT count(*) FROM audit_log WHERE entity = 'field_report'"));
}
