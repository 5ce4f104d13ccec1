using System.Text;
using Bousai.Server.OfficialWarnings;

namespace Bousai.Server.Tests.OfficialWarnings;

public sealed class ProductNamesTests
{
    static readonly TimeSpan Jst = TimeSpan.FromHours(9);

    [Fact]
    public void Shipped_table_names_its_sources()
    {
        Assert.NotEmpty(ProductNames.Shipped.Sources);
        Assert.All(ProductNames.Shipped.Products, p => Assert.False(string.IsNullOrWhiteSpace(p.En)));
    }

    [Theory]
    [InlineData("土砂災害警戒情報", null, 2025, 4)]
    [InlineData("大雨警報", "土砂災害、浸水害", 2025, 3)]
    [InlineData("大雨警報", "浸水害", 2025, null)]
    [InlineData("大雨特別警報", "浸水害", 2025, 5)]
    [InlineData("氾濫危険情報", null, 2025, 4)]
    [InlineData("土砂災害危険警報", null, 2026, 4)]
    [InlineData("氾濫危険警報", null, 2026, 4)]
    [InlineData("大雨危険警報", null, 2026, 4)]
    [InlineData("大雨警報", null, 2026, 3)]
    public void Name_has_the_level_of_its_time(string name, string? condition, int year, int? level)
    {
        var entry = ProductNames.Shipped.Find(name, condition, new DateTimeOffset(year, 7, 1, 12, 0, 0, Jst));

        Assert.NotNull(entry);
        Assert.Equal(level, entry.Level);
    }

    [Fact]
    public void Name_is_looked_up_by_its_japanese_day_at_the_changeover()
    {
        var before = new DateTimeOffset(2026, 5, 28, 23, 59, 0, Jst);
        var after = new DateTimeOffset(2026, 5, 28, 15, 0, 0, TimeSpan.Zero);

        Assert.NotNull(ProductNames.Shipped.Find("土砂災害警戒情報", null, before));
        Assert.Null(ProductNames.Shipped.Find("土砂災害警戒情報", null, after));
        Assert.Null(ProductNames.Shipped.Find("土砂災害危険警報", null, before));
        Assert.NotNull(ProductNames.Shipped.Find("土砂災害危険警報", null, after));
    }

    [Theory]
    [InlineData("""{"sources":[],"products":[]}""", "names no sources")]
    [InlineData("""{"sources":["s"],"products":[{"name":"x","level":7,"en":"x"}]}""", "level 7 is not 1 to 5")]
    [InlineData("""{"sources":["s"],"products":[{"name":"x","level":4}]}""", "no English name")]
    [InlineData("""{"sources":["s"],"products":[{"name":"x","level":4,"en":"x","from":"2026-05-28","until":"2026-05-01"}]}""", "is not after from")]
    public void Table_that_does_not_hold_together_is_refused(string json, string expected)
    {
        var e = Assert.Throws<InvalidDataException>(() => ProductNames.FromJson(new MemoryStream(Encoding.UTF8.GetBytes(json))));

        Assert.Contains(expected, e.Message);
    }
}
