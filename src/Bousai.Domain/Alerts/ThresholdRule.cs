using System.Globalization;
using Bousai.Domain.Rain;
using Bousai.Domain.Rivers;
using Bousai.Domain.Sensors;

namespace Bousai.Domain.Alerts;

/// <summary>What a threshold rule watches. A rule family is one station and one kind: it owns at most one alert.</summary>
public enum ThresholdRuleKind
{
    RiverStage,
    SixtyMinuteRain,
    LocalLandslide,
    GaugeSilence,
}

/// <summary>
/// The step an alert of a rule family stands at, low to high within the family. Only river stage rules have more than
/// one step (氾濫注意 → 避難判断 → 氾濫危険; crisis gauges 観測開始 → 危険); the other kinds have one.
/// </summary>
public enum ThresholdStep
{
    None,

    /// <summary>Crisis gauge at or above 観測開始水位.</summary>
    Observing,

    /// <summary>At or above 氾濫注意水位.</summary>
    Caution,

    /// <summary>At or above 避難判断水位.</summary>
    Evacuation,

    /// <summary>At or above 氾濫危険水位 (a crisis gauge: 危険水位).</summary>
    Danger,

    /// <summary>60-minute rain at or above the station's criterion.</summary>
    RainCriterion,

    /// <summary>The town's own landslide estimate at 警戒.</summary>
    LandslideWarning,

    /// <summary>The gauge silent past its expected interval.</summary>
    Silent,
}

/// <summary>
/// A threshold alert rule: data per station, stored by the server beside the station. The condition must hold for
/// <see cref="Duration"/> before it raises (and before each escalation); once raised, the alert clears only after the
/// value has stayed on the clear side of the rule's line (for numeric kinds: a set margin below the lowest step's
/// threshold) for <see cref="ClearAfter"/>.
/// </summary>
public abstract record ThresholdRule
{
    public required string StationId { get; init; }

    public required string StationNameJa { get; init; }

    public required string StationNameEn { get; init; }

    /// <summary>How long the condition must hold before the rule raises or escalates. Zero raises on the first reading.</summary>
    public required TimeSpan Duration { get; init; }

    /// <summary>How long the value must stay on the clear side before the alert clears.</summary>
    public required TimeSpan ClearAfter { get; init; }

    public abstract ThresholdRuleKind Kind { get; }

    /// <summary>
    /// The first problem with this rule as data, naming the field (for the server's problem details), or null when
    /// it can be evaluated.
    /// </summary>
    public virtual (string Field, string Reason)? Problem =>
        string.IsNullOrWhiteSpace(StationId) ? ("stationId", "a rule names its station")
        : Duration < TimeSpan.Zero ? ("duration", "the duration cannot be negative")
        : ClearAfter < TimeSpan.Zero ? ("clearAfter", "the clear time cannot be negative")
        : null;

    internal static bool IsMargin(double value) => double.IsFinite(value) && value >= 0;

    /// <summary>The steps this rule can raise, low to high.</summary>
    public abstract IReadOnlyList<ThresholdStep> Steps { get; }

    /// <summary>
    /// What an observation says against this rule, or null when it says nothing (unknown, NaN, never heard): such an
    /// observation changes no timer and decides nothing.
    /// </summary>
    internal abstract ThresholdReading? Read(StationObservation observation);

    /// <summary>The line a step stands for, with its value (「氾濫危険水位 3.20 m」).</summary>
    internal abstract (string Ja, string En) LineOf(ThresholdStep step);

    /// <summary>What follows the value in a raise message: 「、氾濫危険水位 3.20 mに到達」 / " reached the flood danger level 3.20 m".</summary>
    internal virtual (string Ja, string En) Reached(ThresholdStep step)
    {
        var (ja, en) = LineOf(step);
        return ($"、{ja}に到達", $" reached {en}");
    }

    /// <summary>What had to hold for the alert to clear, without the time.</summary>
    internal abstract (string Ja, string En) ClearSide { get; }

    internal static string Metres(double value) => value.ToString("0.00", CultureInfo.InvariantCulture);

    internal static string Amount(double value) => value.ToString("0.#", CultureInfo.InvariantCulture);

    internal static string Minutes(TimeSpan span) => ((int)span.TotalMinutes).ToString(CultureInfo.InvariantCulture);

    /// <summary>Times in messages are Japan time, as HQ reads the clock.</summary>
    internal static string JapanTime(DateTimeOffset at) =>
        at.ToOffset(TimeSpan.FromHours(9)).ToString("yyyy-MM-dd HH:mm", CultureInfo.InvariantCulture) + " JST";

    internal static T Expect<T>(StationObservation observation, ThresholdRuleKind kind) where T : StationObservation =>
        observation as T ?? throw new ArgumentException(
            $"a {kind} rule reads a {typeof(T).Name}, not a {observation.GetType().Name}", nameof(observation));
}

/// <summary>What one observation says against a rule: how many steps it reaches, and whether it is on the clear side.</summary>
internal sealed record ThresholdReading(int StepsReached, bool OnClearSide, string ValueJa, string ValueEn);

/// <summary>
/// A river reaching 氾濫注意, 避難判断 and 氾濫危険水位 (a crisis gauge: 観測開始 and 危険水位), from the station's own
/// <see cref="WaterLevelThresholds"/>. Steps the station does not define are skipped; 水防団待機水位 raises nothing.
/// The alert clears once the level is at least <see cref="ClearMarginMetres"/> below the lowest step's threshold.
/// </summary>
public sealed record RiverStageRule : ThresholdRule
{
    public required WaterLevelThresholds Thresholds { get; init; }

    public required double ClearMarginMetres { get; init; }

    public override ThresholdRuleKind Kind => ThresholdRuleKind.RiverStage;

    public override (string Field, string Reason)? Problem =>
        base.Problem ?? (!IsMargin(ClearMarginMetres) ? ("clearMarginMetres", "the clear margin must be a finite, non-negative number of metres")
            : Lines.Count == 0 ? ("thresholds", Thresholds.IsCrisisGauge
                ? "a crisis gauge rule needs observation_start or danger"
                : "a river stage rule needs caution, evacuation or danger")
            : null);

    public override IReadOnlyList<ThresholdStep> Steps => Lines.Select(l => l.Step).ToList();

    private IReadOnlyList<(ThresholdStep Step, double Metres)> Lines
    {
        get
        {
            (WaterLevelThreshold Threshold, ThresholdStep Step)[] order = Thresholds.IsCrisisGauge
                ? [(WaterLevelThreshold.ObservationStart, ThresholdStep.Observing), (WaterLevelThreshold.Danger, ThresholdStep.Danger)]
                : [(WaterLevelThreshold.Caution, ThresholdStep.Caution), (WaterLevelThreshold.Evacuation, ThresholdStep.Evacuation),
                    (WaterLevelThreshold.Danger, ThresholdStep.Danger)];
            return order.Where(o => Thresholds.Levels.ContainsKey(o.Threshold))
                .Select(o => (o.Step, Thresholds.Levels[o.Threshold])).ToList();
        }
    }

    internal override ThresholdReading? Read(StationObservation observation)
    {
        var level = Expect<RiverLevelObservation>(observation, Kind);
        if (level.Metres is not { } metres || !double.IsFinite(metres))
        {
            return null;
        }

        var lines = Lines;
        var reached = lines.Count(l => metres >= l.Metres);
        var onClearSide = lines.Count > 0 && reached == 0 && metres <= Math.Round(lines[0].Metres - ClearMarginMetres, 6);
        return new ThresholdReading(reached, onClearSide, $"水位 {Metres(metres)} m", $"water level {Metres(metres)} m");
    }

    internal override (string Ja, string En) LineOf(ThresholdStep step)
    {
        // A step the station no longer defines (HQ edited the thresholds under an alert) is named without a value.
        var metres = string.Concat(Lines.Where(l => l.Step == step).Select(l => $" {Metres(l.Metres)} m"));
        return step switch
        {
            ThresholdStep.Observing => ($"観測開始水位{metres}", $"the observation start level{metres}"),
            ThresholdStep.Caution => ($"氾濫注意水位{metres}", $"the flood caution level{metres}"),
            ThresholdStep.Evacuation => ($"避難判断水位{metres}", $"the evacuation decision level{metres}"),
            ThresholdStep.Danger when Thresholds.IsCrisisGauge => ($"危険水位{metres}", $"the danger level{metres}"),
            ThresholdStep.Danger => ($"氾濫危険水位{metres}", $"the flood danger level{metres}"),
            _ => throw new ArgumentOutOfRangeException(nameof(step), step, null),
        };
    }

    internal override (string Ja, string En) ClearSide
    {
        get
        {
            var (ja, en) = LineOf(Lines[0].Step);
            return ($"{ja}より {Metres(ClearMarginMetres)} m 以上低い水位", $"at least {Metres(ClearMarginMetres)} m below {en}");
        }
    }
}

/// <summary>60-minute rain reaching the town's warning criterion for this station (a per-station setting, mm).</summary>
public sealed record SixtyMinuteRainRule : ThresholdRule
{
    public required double CriterionMm { get; init; }

    public required double ClearMarginMm { get; init; }

    public override ThresholdRuleKind Kind => ThresholdRuleKind.SixtyMinuteRain;

    public override (string Field, string Reason)? Problem =>
        base.Problem ?? (!double.IsFinite(CriterionMm) || CriterionMm <= 0 ? ("criterionMm", "the criterion must be a positive number of mm")
            : !IsMargin(ClearMarginMm) ? ("clearMarginMm", "the clear margin must be a finite, non-negative number of mm")
            : null);

    public override IReadOnlyList<ThresholdStep> Steps { get; } = [ThresholdStep.RainCriterion];

    internal override ThresholdReading? Read(StationObservation observation)
    {
        var rain = Expect<SixtyMinuteRainObservation>(observation, Kind);
        if (rain.Millimetres is not { } mm || !double.IsFinite(mm) || mm < 0)
        {
            return null;
        }

        var reached = mm >= CriterionMm ? 1 : 0;
        var onClearSide = reached == 0 && mm <= Math.Round(CriterionMm - ClearMarginMm, 6);
        return new ThresholdReading(reached, onClearSide, $"60分雨量 {Amount(mm)} mm", $"60-minute rain {Amount(mm)} mm");
    }

    internal override (string Ja, string En) LineOf(ThresholdStep step) =>
        ($"基準 {Amount(CriterionMm)} mm", $"the criterion {Amount(CriterionMm)} mm");

    internal override (string Ja, string En) ClearSide =>
        ($"基準 {Amount(CriterionMm)} mm より {Amount(ClearMarginMm)} mm 以上少ない雨量",
            $"at least {Amount(ClearMarginMm)} mm below the criterion {Amount(CriterionMm)} mm");
}

/// <summary>
/// The town's own <see cref="LocalLandslideEstimate"/> at 警戒 (never the official 土砂災害警戒情報). The estimate is
/// computed here from the observation with <see cref="Criteria"/>. It clears once the estimate is below 警戒 and the
/// soil water index at least <see cref="ClearMarginSoilWaterIndex"/> below its warning line: the index falls slowly
/// while 60-minute rain can bounce across its line, so the index is what keeps the alert from flapping.
/// </summary>
public sealed record LocalLandslideRule : ThresholdRule
{
    public required LandslideCriteria Criteria { get; init; }

    public required double ClearMarginSoilWaterIndex { get; init; }

    public override ThresholdRuleKind Kind => ThresholdRuleKind.LocalLandslide;

    public override (string Field, string Reason)? Problem =>
        base.Problem ?? (!IsMargin(ClearMarginSoilWaterIndex) ? ("clearMarginSoilWaterIndex", "the clear margin must be a finite, non-negative number")
            : null);

    public override IReadOnlyList<ThresholdStep> Steps { get; } = [ThresholdStep.LandslideWarning];

    internal override ThresholdReading? Read(StationObservation observation)
    {
        var inputs = Expect<LandslideObservation>(observation, Kind);
        if (inputs.SixtyMinuteMm is not { } mm || !double.IsFinite(mm) || mm < 0
            || inputs.SoilWaterIndex is not { } index || !double.IsFinite(index) || index < 0)
        {
            return null;
        }

        var estimate = LocalLandslideEstimate.From(mm, index, Criteria);
        var reached = estimate.Concern == LandslideConcern.Warning ? 1 : 0;
        var onClearSide = reached == 0 && index <= Math.Round(Criteria.SoilWaterIndexWarning - ClearMarginSoilWaterIndex, 6);
        return new ThresholdReading(reached, onClearSide, $"{estimate.Reason}（独自推計）", $"{estimate.ReasonEn} (the town's own estimate)");
    }

    internal override (string Ja, string En) LineOf(ThresholdStep step) =>
        ("土砂災害の目安「警戒」（独自推計・公式の土砂災害警戒情報ではありません）",
            "the landslide indication at warning (the town's own estimate, not the official landslide alert)");

    internal override (string Ja, string En) ClearSide =>
        ($"「警戒」未満かつ土壌雨量指数が警戒の目安 {Amount(Criteria.SoilWaterIndexWarning)} より {Amount(ClearMarginSoilWaterIndex)} 以上低い状態",
            $"below warning with the soil water index at least {Amount(ClearMarginSoilWaterIndex)} below its warning line {Amount(Criteria.SoilWaterIndexWarning)}");
}

/// <summary>
/// A gauge gone silent past its expected interval, as <see cref="Staleness"/> decides it (one missed report tolerated;
/// a crisis gauge whose last reading was low may report once a day). A station never heard raises nothing: there is no
/// silence to speak of, only no data. It clears when readings resume (Current) for <see cref="ThresholdRule.ClearAfter"/>.
/// </summary>
public sealed record GaugeSilenceRule : ThresholdRule
{
    public required TimeSpan ExpectedInterval { get; init; }

    public override ThresholdRuleKind Kind => ThresholdRuleKind.GaugeSilence;

    public override (string Field, string Reason)? Problem =>
        base.Problem ?? (ExpectedInterval <= TimeSpan.Zero ? ("expectedInterval", "a station's expected interval must be positive") : null);

    public override IReadOnlyList<ThresholdStep> Steps { get; } = [ThresholdStep.Silent];

    internal override ThresholdReading? Read(StationObservation observation)
    {
        var heard = Expect<StationHeardObservation>(observation, Kind);
        if (heard.LastHeard is not { } last)
        {
            return null;
        }

        var freshness = Staleness.Of(last, ExpectedInterval, heard.ReportsDailyWhenLow, heard.At);
        return new ThresholdReading(freshness == Freshness.Stale ? 1 : 0, freshness == Freshness.Current,
            $"最終受信 {JapanTime(last)}", $"last heard {JapanTime(last)}");
    }

    internal override (string Ja, string En) LineOf(ThresholdStep step) =>
        ($"受信間隔 {Minutes(ExpectedInterval)} 分を超えて受信なし", $"silent past its {Minutes(ExpectedInterval)}-minute interval");

    internal override (string Ja, string En) Reached(ThresholdStep step) =>
        ($"、受信間隔 {Minutes(ExpectedInterval)} 分を超えて受信なし", $", silent past its {Minutes(ExpectedInterval)}-minute interval");

    internal override (string Ja, string En) ClearSide => ("受信の再開", "readings resumed");
}
