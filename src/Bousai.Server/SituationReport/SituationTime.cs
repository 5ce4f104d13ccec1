using System.Globalization;

namespace Bousai.Server.SituationReport;

/// <summary>Times as the report prints them: Japan time, to the minute, marked JST.</summary>
public static class SituationTime
{
    private static readonly TimeZoneInfo Japan = TimeZoneInfo.FindSystemTimeZoneById("Asia/Tokyo");

    public static DateTimeOffset InJapan(DateTimeOffset at) => TimeZoneInfo.ConvertTime(at, Japan);

    /// <summary>"2025-07-14 14:20 JST".</summary>
    public static string Jst(DateTimeOffset at) => InJapan(at).ToString("yyyy-MM-dd HH:mm", CultureInfo.InvariantCulture) + " JST";

    /// <summary>"7/14 14:20": for table cells, where the report's own moment names the year.</summary>
    public static string Short(DateTimeOffset at) => InJapan(at).ToString("M/d HH:mm", CultureInfo.InvariantCulture);
}
