using Bousai.Server.OgcApi;

namespace Bousai.Server.Tests.OgcApi;

/// <summary>The rules of an items request (OGC API – Features Part 1 Core), as a table.</summary>
public sealed class OgcQueryTests
{
    private static (OgcItemsQuery? Query, Dictionary<string, string[]> Errors) Parse(params (string Name, string Value)[] parameters) =>
        OgcQuery.ParseItems(parameters.GroupBy(p => p.Name).Select(g => new KeyValuePair<string, string?[]>(g.Key, [.. g.Select(p => p.Value)])));

    [Fact]
    public void Nothing_asked_is_the_first_ten_of_everything()
    {
        var (query, errors) = Parse();
        Assert.Empty(errors);
        Assert.Equal(new OgcItemsQuery(null, null, 10, 0), query);
    }

    [Theory]
    [InlineData("140.1,38.0,140.3,38.1", 140.1, 38.0, 140.3, 38.1)]
    [InlineData("140.1,38.0,0,140.3,38.1,100", 140.1, 38.0, 140.3, 38.1)]
    [InlineData("-180,-90,180,90", -180, -90, 180, 90)]
    [InlineData("140.2,38.05,140.2,38.05", 140.2, 38.05, 140.2, 38.05)]
    public void A_bbox_is_read_in_CRS84_order(string text, double minLon, double minLat, double maxLon, double maxLat)
    {
        var (query, errors) = Parse(("bbox", text));
        Assert.Empty(errors);
        Assert.Equal(new OgcBbox(minLon, minLat, maxLon, maxLat), query!.Bbox);
    }

    [Theory]
    [InlineData("140.1,38.0,140.3")]
    [InlineData("140.1,38.0,140.3,38.1,1")]
    [InlineData("a,b,c,d")]
    [InlineData("38.0,140.1,38.1,140.3")] // latitude first: 140 is no latitude
    [InlineData("140.1,38.1,140.3,38.0")]
    [InlineData("170,38,-170,39")]
    [InlineData("NaN,38,140,39")]
    [InlineData("")]
    public void A_bad_bbox_is_refused_with_a_reason(string text)
    {
        var (query, errors) = Parse(("bbox", text));
        Assert.Null(query);
        Assert.Contains("bbox", errors.Keys);
        Assert.False(string.IsNullOrWhiteSpace(errors["bbox"][0]));
    }

    public static TheoryData<string, DateTimeOffset?, DateTimeOffset?> Datetimes => new()
    {
        { "2026-07-25T05:00:00Z", DateTimeOffset.Parse("2026-07-25T05:00:00Z"), DateTimeOffset.Parse("2026-07-25T05:00:00Z") },
        { "2026-07-25T14:00:00+09:00", DateTimeOffset.Parse("2026-07-25T05:00:00Z"), DateTimeOffset.Parse("2026-07-25T05:00:00Z") },
        { "2026-07-25T00:00:00Z/2026-07-26T00:00:00Z", DateTimeOffset.Parse("2026-07-25T00:00:00Z"), DateTimeOffset.Parse("2026-07-26T00:00:00Z") },
        { "../2026-07-26T00:00:00Z", null, DateTimeOffset.Parse("2026-07-26T00:00:00Z") },
        { "2026-07-25T00:00:00Z/..", DateTimeOffset.Parse("2026-07-25T00:00:00Z"), null },
        { "2026-07-25T00:00:00Z/", DateTimeOffset.Parse("2026-07-25T00:00:00Z"), null },
    };

    [Theory]
    [MemberData(nameof(Datetimes))]
    public void A_datetime_is_an_instant_or_an_interval_open_at_either_end(string text, DateTimeOffset? start, DateTimeOffset? end)
    {
        var (query, errors) = Parse(("datetime", text));
        Assert.Empty(errors);
        Assert.Equal(new OgcInterval(start, end), query!.Datetime);
    }

    [Theory]
    [InlineData("2026-07-25T05:00:00")] // no offset: a different moment to each client
    [InlineData("yesterday")]
    [InlineData("../..")]
    [InlineData("2026-07-26T00:00:00Z/2026-07-25T00:00:00Z")]
    [InlineData("2026-07-25T00:00:00Z/2026-07-26T00:00:00Z/2026-07-27T00:00:00Z")]
    public void A_bad_datetime_is_refused(string text)
    {
        var (query, errors) = Parse(("datetime", text));
        Assert.Null(query);
        Assert.Contains("datetime", errors.Keys);
    }

    [Theory]
    [InlineData("1", true)]
    [InlineData("10000", true)]
    [InlineData("0", false)]
    [InlineData("10001", false)]
    [InlineData("-5", false)]
    [InlineData("ten", false)]
    public void Limit_is_1_to_10000(string text, bool good)
    {
        var (query, errors) = Parse(("limit", text));
        Assert.Equal(good, query is not null);
        Assert.Equal(!good, errors.ContainsKey("limit"));
        if (good) Assert.Equal(int.Parse(text), query!.Limit);
    }

    [Fact]
    public void An_unknown_parameter_or_one_given_twice_is_refused()
    {
        var (query, errors) = Parse(("crs", "EPSG:4326"), ("limit", "5"), ("limit", "6"));
        Assert.Null(query);
        Assert.Equal(["crs", "limit"], errors.Keys.Order());
    }

    [Theory]
    [InlineData("text/html,application/xhtml+xml,application/xml;q=0.9,*/*;q=0.8", true)]
    [InlineData("application/geo+json, application/json;q=0.9, */*;q=0.1", false)]
    [InlineData("application/json", false)]
    [InlineData("", false)]
    [InlineData("*/*", false)]
    [InlineData("text/html;q=0.5, application/json", false)]
    public void A_browser_gets_HTML_and_GIS_clients_JSON(string accept, bool html) =>
        Assert.Equal(html, OgcFormats.PrefersHtml(accept));
}
