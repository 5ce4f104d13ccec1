using Bousai.Server.OfficialWarnings;

namespace Bousai.Server.Tests.Evacuation;

public sealed class EvacuationLevelNamesTests
{
    static readonly TimeSpan Jst = TimeSpan.FromHours(9);

    [Theory]
    [InlineData(3, 2021, 6, "高齢者等避難", "Elderly etc. evacuate")]
    [InlineData(4, 2021, 6, "避難指示", "Evacuate")]
    [InlineData(5, 2026, 7, "緊急安全確保", "Emergency safety")]
    [InlineData(3, 2020, 7, "避難準備・高齢者等避難開始", "Evacuation preparation, elderly etc. begin to evacuate")]
    [InlineData(4, 2020, 7, "避難勧告・避難指示（緊急）", "Evacuation advisory, evacuation order (urgent)")]
    public void Evacuation_level_has_the_name_of_its_time(int level, int year, int month, string ja, string en)
    {
        var name = ProductNames.Shipped.EvacuationLevelName(level, new DateTimeOffset(year, month, 1, 12, 0, 0, Jst));

        Assert.NotNull(name);
        Assert.Equal((ja, en), (name.Name, name.En));
    }

    [Fact]
    public void Evacuation_level_names_change_on_the_japanese_day_the_2021_law_took_effect()
    {
        Assert.Equal("避難勧告・避難指示（緊急）", ProductNames.Shipped.EvacuationLevelName(4, new DateTimeOffset(2021, 5, 19, 23, 59, 0, Jst))?.Name);
        Assert.Equal("避難指示", ProductNames.Shipped.EvacuationLevelName(4, new DateTimeOffset(2021, 5, 19, 15, 0, 0, TimeSpan.Zero))?.Name);
        Assert.Null(ProductNames.Shipped.EvacuationLevelName(2, new DateTimeOffset(2026, 7, 1, 12, 0, 0, Jst)));
    }

    [Fact]
    public void Evacuation_level_outside_three_to_five_is_refused()
    {
        var json = """{"sources":["s"],"products":[],"evacuationLevels":[{"level":2,"name":"x","en":"x"}]}""";

        var e = Assert.Throws<InvalidDataException>(() => ProductNames.FromJson(new MemoryStream(System.Text.Encoding.UTF8.GetBytes(json))));

        Assert.Contains("evacuation level 2 is not 3 to 5", e.Message);
    }
}
