using Bousai.Domain.Sensors;
using static Bousai.Domain.Sensors.Quantity;
using static Bousai.Domain.Sensors.ReadingProblem;

namespace Bousai.Domain.Tests.Sensors;

public sealed class ReadingCheckTests
{
    private static readonly DateTimeOffset Now = new(2026, 8, 3, 19, 10, 0, TimeSpan.FromHours(9));
    private static readonly TimeSpan Retention = TimeSpan.FromDays(730);

    public static TheoryData<string, Quantity, double, string?, int, double, ReadingProblem?> Cases => new()
    {
        { "ordinary water level", WaterLevel, 3.42, "m", 10, 0, null },
        { "below the datum is possible", WaterLevel, -1.2, "m", 10, 0, null },
        { "centimetres sent as metres", WaterLevel, 342, "m", 10, 0, OutOfBounds },
        { "water level in millimetres", WaterLevel, 3.42, "mm", 10, 0, WrongUnit },
        { "no unit", WaterLevel, 3.42, null, 10, 0, MissingUnit },
        { "empty unit", Rainfall, 1, "", 10, 0, MissingUnit },
        { "NaN", WaterLevel, double.NaN, "m", 10, 0, NotFinite },
        { "infinity", Rainfall, double.PositiveInfinity, "mm", 10, 0, NotFinite },
        { "no rain is a reading", Rainfall, 0, "mm", 10, 0, null },
        { "record ten minutes", Rainfall, 50, "mm", 10, 0, null },
        { "more than six a minute", Rainfall, 61, "mm", 10, 0, OutOfBounds },
        { "an hour's heavy rain", Rainfall, 120, "mm", 60, 0, null },
        { "negative rain", Rainfall, -0.5, "mm", 10, 0, OutOfBounds },
        { "zero interval", Rainfall, 1, "mm", 0, 0, BadInterval },
        { "more than a day", Rainfall, 1, "mm", 1441, 0, BadInterval },
        { "clock 10 minutes fast is tolerated", WaterLevel, 1, "m", 10, 10, null },
        { "clock 11 minutes fast", WaterLevel, 1, "m", 10, 11, FutureTimestamp },
        { "a day old backlog", WaterLevel, 1, "m", 10, -1440, null },
        { "older than retention", WaterLevel, 1, "m", 10, -731 * 1440, OlderThanRetention },
    };

    [Theory]
    [MemberData(nameof(Cases))]
    public void Readings_are_checked_against_physics_unit_and_clock(string _, Quantity quantity, double value, string? unit,
        int intervalMinutes, double minutesFromNow, ReadingProblem? expected) =>
        Assert.Equal(expected, ReadingCheck.Check(quantity, value, unit, intervalMinutes, Now.AddMinutes(minutesFromNow), Now, Retention));
}
