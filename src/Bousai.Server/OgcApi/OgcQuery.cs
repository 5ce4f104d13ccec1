using System.Globalization;

namespace Bousai.Server.OgcApi;

/// <summary>A bbox in CRS84 (longitude, latitude), as OGC API – Features Part 1 gives it.</summary>
public sealed record OgcBbox(double MinLon, double MinLat, double MaxLon, double MaxLat);

/// <summary>A datetime filter: an instant (Start == End) or an interval, either end open (null).</summary>
public sealed record OgcInterval(DateTimeOffset? Start, DateTimeOffset? End);

/// <summary>An items request as asked: what to keep, how many, from where.</summary>
public sealed record OgcItemsQuery(OgcBbox? Bbox, OgcInterval? Datetime, int Limit, int Offset);

/// <summary>
/// The rules of an items request (OGC API – Features Part 1 Core, /req/core/fc-*): bbox, datetime, limit, offset and f,
/// and nothing else (an unknown parameter is a 400, /req/core/query-param-unknown). Pure: the endpoints turn the errors
/// into problem details.
/// </summary>
public static class OgcQuery
{
    public const int DefaultLimit = 10;
    public const int MaxLimit = 10_000;

    /// <summary>The parameters an items request may carry; the API definition (OpenAPI) declares exactly these.</summary>
    public static readonly IReadOnlySet<string> ItemsParameters = new HashSet<string>(StringComparer.Ordinal) { "f", "bbox", "datetime", "limit", "offset" };

    /// <summary>The parameters every other OGC resource may carry.</summary>
    public static readonly IReadOnlySet<string> ResourceParameters = new HashSet<string>(StringComparer.Ordinal) { "f" };

    /// <summary>Reads an items request; errors by parameter name when any is wrong.</summary>
    public static (OgcItemsQuery? Query, Dictionary<string, string[]> Errors) ParseItems(IEnumerable<KeyValuePair<string, string?[]>> parameters)
    {
        var errors = new Dictionary<string, string[]>();
        string? One(string name, string?[] values)
        {
            if (values.Length == 1) return values[0];
            errors[name] = [$"Give {name} once."];
            return null;
        }

        OgcBbox? bbox = null;
        OgcInterval? datetime = null;
        var limit = DefaultLimit;
        var offset = 0;
        foreach (var (name, values) in parameters)
        {
            switch (name)
            {
                case "f":
                    break;
                case "bbox" when One(name, values) is { } text:
                    if (ParseBbox(text, out var box) is { } bboxError) errors[name] = [bboxError];
                    bbox = box;
                    break;
                case "datetime" when One(name, values) is { } text:
                    if (ParseDatetime(text, out var interval) is { } datetimeError) errors[name] = [datetimeError];
                    datetime = interval;
                    break;
                case "limit" when One(name, values) is { } text:
                    if (!int.TryParse(text, NumberStyles.None, CultureInfo.InvariantCulture, out limit) || limit is < 1 or > MaxLimit)
                        errors[name] = [$"Give limit as a whole number from 1 to {MaxLimit:N0}."];
                    break;
                case "offset" when One(name, values) is { } text:
                    if (!int.TryParse(text, NumberStyles.None, CultureInfo.InvariantCulture, out offset) || offset < 0)
                        errors[name] = ["Give offset as a whole number, 0 or more (the next link carries it)."];
                    break;
                case "bbox" or "datetime" or "limit" or "offset":
                    break; // given twice: One() said so
                default:
                    errors[name] = [$"Unknown parameter. An items request takes {string.Join(", ", ItemsParameters.Order(StringComparer.Ordinal))}."];
                    break;
            }
        }

        return errors.Count > 0 ? (null, errors) : (new OgcItemsQuery(bbox, datetime, limit, offset), errors);
    }

    /// <summary>Errors for parameters a resource other than items does not take.</summary>
    public static Dictionary<string, string[]> UnknownParameters(IEnumerable<string> names, IReadOnlySet<string> known) =>
        names.Where(n => !known.Contains(n)).ToDictionary(n => n, _ => new[] { $"Unknown parameter. This resource takes {string.Join(", ", known)}." });

    /// <summary>minLon,minLat,maxLon,maxLat in CRS84 (a 6-number 3D box is read without its heights); null when good.</summary>
    public static string? ParseBbox(string text, out OgcBbox? bbox)
    {
        bbox = null;
        var parts = text.Split(',');
        var numbers = new double[parts.Length];
        for (var i = 0; i < parts.Length; i++)
        {
            if (!double.TryParse(parts[i], NumberStyles.Float, CultureInfo.InvariantCulture, out numbers[i]) || !double.IsFinite(numbers[i]))
                return "Give bbox as four numbers: minimum longitude, minimum latitude, maximum longitude, maximum latitude (CRS84).";
        }

        (double x1, double y1, double x2, double y2) = numbers.Length switch
        {
            4 => (numbers[0], numbers[1], numbers[2], numbers[3]),
            6 => (numbers[0], numbers[1], numbers[3], numbers[4]),
            _ => (double.NaN, 0, 0, 0),
        };
        if (double.IsNaN(x1)) return "Give bbox as four numbers (or six with heights): minLon,minLat,maxLon,maxLat in CRS84.";
        if (x1 is < -180 or > 180 || x2 is < -180 or > 180 || y1 is < -90 or > 90 || y2 is < -90 or > 90)
            return "bbox is longitude (-180 to 180) then latitude (-90 to 90), in that order (CRS84).";
        if (y1 > y2) return "bbox's minimum latitude is above its maximum.";
        if (x1 > x2) return "bbox crosses the antimeridian (minimum longitude above maximum), which this server does not serve.";
        bbox = new OgcBbox(x1, y1, x2, y2);
        return null;
    }

    /// <summary>An RFC 3339 date-time, or an interval start/end with ".." or nothing for an open end; null when good.</summary>
    public static string? ParseDatetime(string text, out OgcInterval? interval)
    {
        interval = null;
        const string help = "Give datetime as an RFC 3339 date-time (2026-07-25T14:00:00+09:00) or an interval start/end, with .. for an open end.";
        var parts = text.Split('/');
        if (parts.Length > 2) return help;
        if (parts.Length == 1)
        {
            if (!TryInstant(parts[0], out var instant) || instant is null) return help;
            interval = new OgcInterval(instant, instant);
            return null;
        }

        if (!TryInstant(parts[0], out var start) || !TryInstant(parts[1], out var end)) return help;
        if (start is null && end is null) return "An interval needs at least one end.";
        if (start > end) return "The interval ends before it starts.";
        interval = new OgcInterval(start, end);
        return null;
    }

    private static bool TryInstant(string text, out DateTimeOffset? instant)
    {
        instant = null;
        if (text is "" or "..") return true;
        // RFC 3339 wants the offset (or Z): a bare local time would mean different moments to different clients.
        if (!text.Contains('T', StringComparison.OrdinalIgnoreCase) || !(text.EndsWith('Z') || text.EndsWith('z') || HasOffset(text))) return false;
        if (!DateTimeOffset.TryParse(text, CultureInfo.InvariantCulture, DateTimeStyles.None, out var parsed)) return false;
        instant = parsed.ToUniversalTime();
        return true;
    }

    private static bool HasOffset(string text)
    {
        var t = text.IndexOf('T', StringComparison.OrdinalIgnoreCase);
        var tail = text[t..];
        return tail.Contains('+') || tail.LastIndexOf('-') > 0;
    }
}
