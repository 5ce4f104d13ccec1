namespace Bousai.SensorsSim;

/// <summary>
/// The scenarios the simulator plays, anchored on real events (docs in /work/shared/domain.md, sources in
/// reference/anchors.md). Marks are real; every curve is SYNTHETIC.
/// </summary>
public static class Scenarios
{
    private static readonly TimeSpan Jst = TimeSpan.FromHours(9);

    private static DateTimeOffset At(int year, int month, int day, int hour, int minute = 0) => new(year, month, day, hour, minute, 0, Jst);

    /// <summary>
    /// 2022-08-03/04 heavy rain in 置賜: rain builds through the afternoon of the 3rd and peaks in the evening, wettest in
    /// the west (飯豊町, where AMeDAS 高峰 recorded 306 mm in 24 h); every river crosses its own danger level late in the
    /// evening and recedes overnight. The window is the 24 hours of that record.
    /// </summary>
    public static Scenario HeavyRain202208 { get; } = new()
    {
        Name = "2022-08",
        Title = "2022年8月3日〜4日の大雨 (heavy rain of 2022-08-03/04)",
        Start = At(2022, 8, 3, 6),
        End = At(2022, 8, 4, 6),
        Rain = new RainStorm("飯豊町付近", 139.95, 38.00, CentreTotalMillimetres: 290, FalloffKilometres: 25,
        [
            new RainBurst(At(2022, 8, 3, 15), TimeSpan.FromHours(4), 0.3),
            new RainBurst(At(2022, 8, 3, 18, 30), TimeSpan.FromHours(1.2), 0.6),
            new RainBurst(At(2022, 8, 3, 23), TimeSpan.FromHours(2), 0.1),
        ]),
        Rivers = new Dictionary<string, RiverCourse>
        {
            ["standard"] = new(At(2022, 8, 3, 13), At(2022, 8, 3, 21, 20), At(2022, 8, 3, 22, 20),
                Crest.Above("danger", 0.3), TimeSpan.FromHours(2.5)),
            ["crisis"] = new(At(2022, 8, 3, 15), At(2022, 8, 3, 20, 40), At(2022, 8, 3, 21, 20),
                Crest.Above("danger", 0.3), TimeSpan.FromHours(2)),
        },
        Marks =
        [
            new ScenarioMark(At(2022, 8, 3, 19, 15), "大雨特別警報, 警戒レベル5相当"),
            new ScenarioMark(At(2022, 8, 3, 20, 50), "最上川 小出 13.3 m, 氾濫危険水位 12.8 m 超"),
            new ScenarioMark(At(2022, 8, 3, 21, 10), "緊急安全確保, この時刻までに発令"),
            new ScenarioMark(At(2022, 8, 4, 6), "アメダス高峰 306 mm/24 h, 観測史上最大"),
        ],
        Facts = "real: 大雨特別警報 19:15 on the 3rd, 緊急安全確保 by 21:10, 最上川 小出 13.3 m at 20:50, AMeDAS 高峰 306 mm/24 h; "
              + "hourly curves were not published, so every value is SYNTHETIC",
    };

    /// <summary>
    /// Typhoon Hagibis (令和元年東日本台風), 2019-10-12/13: rain from the morning of the 12th into the early 13th, heaviest
    /// in the evening and night of the 12th, with AMeDAS 高畠 near its record 240.5 mm in 24 h. Small rivers (和田川 at
    /// 夏茂) go over their danger level overnight; the larger ones crest between evacuation and danger.
    /// </summary>
    public static Scenario Hagibis2019 { get; } = new()
    {
        Name = "2019-hagibis",
        Title = "令和元年東日本台風 (Typhoon Hagibis, 2019-10-12/13)",
        Start = At(2019, 10, 12, 6),
        End = At(2019, 10, 13, 6),
        Rain = new RainStorm("二井宿付近 (宮城県境)", 140.30, 38.00, CentreTotalMillimetres: 266, FalloffKilometres: 80,
        [
            new RainBurst(At(2019, 10, 12, 16), TimeSpan.FromHours(5), 0.4),
            new RainBurst(At(2019, 10, 12, 21), TimeSpan.FromHours(2), 0.6),
        ]),
        Rivers = new Dictionary<string, RiverCourse>
        {
            ["standard"] = new(At(2019, 10, 12, 14), At(2019, 10, 12, 23, 30), At(2019, 10, 13, 1, 30),
                Crest.Between("evacuation", "danger", 0.5), TimeSpan.FromHours(3)),
            ["crisis"] = new(At(2019, 10, 12, 15), At(2019, 10, 12, 22, 30), At(2019, 10, 13, 0, 30),
                Crest.Above("danger", 0.3), TimeSpan.FromHours(2)),
        },
        Marks = [],
        Facts = "real: AMeDAS 高畠 240.5 mm/24 h (a record); 和田川・砂川 overflowed at 夏茂, 福沢, 元和田; "
              + "hourly curves were not published, so every value is SYNTHETIC",
    };

    public static IReadOnlyList<Scenario> All { get; } = [HeavyRain202208, Hagibis2019];

    public static Scenario Named(string name) => All.FirstOrDefault(s => s.Name == name)
        ?? throw new ArgumentException($"unknown scenario '{name}': choose {string.Join(" or ", All.Select(s => s.Name))}");
}
