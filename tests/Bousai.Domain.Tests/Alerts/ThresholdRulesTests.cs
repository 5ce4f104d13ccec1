using System.Globalization;
using Bousai.Domain.Alerts;
using Bousai.Domain.Rain;
using Bousai.Domain.Rivers;

namespace Bousai.Domain.Tests.Alerts;

/// <summary>
/// Each case is a script of observations, "minute=value" (null and nan for unknown values), and the decision each one
/// gives: "-" none, "R:Step" raise, "E:From>To" escalate, "C:Step" clear.
/// </summary>
public sealed class ThresholdRulesTests
{
    private static readonly DateTimeOffset Start = new(2026, 7, 28, 6, 0, 0, TimeSpan.FromHours(9));

    // 屋代川-like standard gauge (assumed values): 水防団待機 2.00, 氾濫注意 2.50, 避難判断 3.00, 氾濫危険 3.20 m.
    private static RiverStageRule River(int durationMinutes = 10, int clearAfterMinutes = 30, double marginMetres = 0.20) => new()
    {
        StationId = "yashiro-1",
        StationNameJa = "屋代川 一本柳",
        StationNameEn = "Yashiro River, Ipponyanagi",
        Duration = TimeSpan.FromMinutes(durationMinutes),
        ClearAfter = TimeSpan.FromMinutes(clearAfterMinutes),
        ClearMarginMetres = marginMetres,
        Thresholds = new WaterLevelThresholds
        {
            IsCrisisGauge = false,
            Levels = new Dictionary<WaterLevelThreshold, double>
            {
                [WaterLevelThreshold.Standby] = 2.00,
                [WaterLevelThreshold.Caution] = 2.50,
                [WaterLevelThreshold.Evacuation] = 3.00,
                [WaterLevelThreshold.Danger] = 3.20,
            },
        },
    };

    // Crisis gauge (危機管理型水位計): 観測開始 1.00, 危険 1.80 m.
    private static RiverStageRule CrisisGauge() => River(durationMinutes: 0) with
    {
        StationId = "wada-1",
        StationNameJa = "和田川 夏茂",
        StationNameEn = "Wada River, Natsumo",
        Thresholds = new WaterLevelThresholds
        {
            IsCrisisGauge = true,
            Levels = new Dictionary<WaterLevelThreshold, double>
            {
                [WaterLevelThreshold.ObservationStart] = 1.00,
                [WaterLevelThreshold.Danger] = 1.80,
            },
        },
    };

    private static SixtyMinuteRainRule Rain() => new()
    {
        StationId = "takahata-rain",
        StationNameJa = "高畠町役場 雨量計",
        StationNameEn = "Takahata town hall rain gauge",
        Duration = TimeSpan.Zero,
        ClearAfter = TimeSpan.FromMinutes(60),
        CriterionMm = 50,
        ClearMarginMm = 10,
    };

    private static LocalLandslideRule Landslide() => new()
    {
        StationId = "takahata-rain",
        StationNameJa = "高畠町役場 雨量計",
        StationNameEn = "Takahata town hall rain gauge",
        Duration = TimeSpan.Zero,
        ClearAfter = TimeSpan.FromMinutes(60),
        Criteria = LandslideCriteria.Takahata,
        ClearMarginSoilWaterIndex = 10,
    };

    private static GaugeSilenceRule Silence(int clearAfterMinutes = 0) => new()
    {
        StationId = "yashiro-1",
        StationNameJa = "屋代川 一本柳",
        StationNameEn = "Yashiro River, Ipponyanagi",
        Duration = TimeSpan.Zero,
        ClearAfter = TimeSpan.FromMinutes(clearAfterMinutes),
        ExpectedInterval = TimeSpan.FromMinutes(10),
    };

    private static double? Value(string text) => text switch
    {
        "null" => null,
        "nan" => double.NaN,
        "inf" => double.PositiveInfinity,
        _ => double.Parse(text, CultureInfo.InvariantCulture),
    };

    private static IEnumerable<(int Minute, string Value)> Script(string script) =>
        script.Split(' ', StringSplitOptions.RemoveEmptyEntries).Select(step =>
        {
            var parts = step.Split('=');
            return (int.Parse(parts[0], CultureInfo.InvariantCulture), parts[1]);
        });

    private static string Shown(ThresholdDecision decision) => decision.Kind switch
    {
        ThresholdDecisionKind.None => "-",
        ThresholdDecisionKind.Raise => $"R:{decision.To}",
        ThresholdDecisionKind.Escalate => $"E:{decision.From}>{decision.To}",
        ThresholdDecisionKind.Clear => $"C:{decision.From}",
        _ => throw new ArgumentOutOfRangeException(nameof(decision)),
    };

    private static (List<string> Decisions, ThresholdRuleState State) Run(
        ThresholdRule rule, IEnumerable<StationObservation> observations, ThresholdRuleState? from = null)
    {
        var state = from ?? ThresholdRuleState.Initial;
        var decisions = new List<string>();
        foreach (var observation in observations)
        {
            var evaluation = ThresholdRules.Evaluate(rule, state, observation);
            state = evaluation.State;
            decisions.Add(Shown(evaluation.Decision));
        }

        return (decisions, state);
    }

    private static IEnumerable<StationObservation> Levels(string script) =>
        Script(script).Select(s => new RiverLevelObservation(Start.AddMinutes(s.Minute), Value(s.Value)));

    private static IEnumerable<StationObservation> RainFigures(string script) =>
        Script(script).Select(s => new SixtyMinuteRainObservation(Start.AddMinutes(s.Minute), Value(s.Value)));

    /// <summary>"minute=rain/index".</summary>
    private static IEnumerable<StationObservation> LandslideInputs(string script) =>
        Script(script).Select(s =>
        {
            var parts = s.Value.Split('/');
            return new LandslideObservation(Start.AddMinutes(s.Minute), Value(parts[0]), Value(parts[1]));
        });

    /// <summary>"minute=minute last heard" ("null": never heard; a suffix d: a crisis gauge whose last reading was low).</summary>
    private static IEnumerable<StationObservation> Heard(string script) =>
        Script(script).Select(s =>
        {
            var daily = s.Value.EndsWith('d');
            var heard = s.Value.TrimEnd('d');
            return new StationHeardObservation(Start.AddMinutes(s.Minute),
                heard == "null" ? null : Start.AddMinutes(int.Parse(heard, CultureInfo.InvariantCulture)), daily);
        });

    private static string Joined(List<string> decisions) => string.Join(" ", decisions);

    [Theory]
    [InlineData("below 氾濫注意", "2.49", "-")]
    [InlineData("at 水防団待機 only: no alert", "2.10", "-")]
    [InlineData("exactly 氾濫注意", "2.50", "R:Caution")]
    [InlineData("at 避難判断", "3.00", "R:Evacuation")]
    [InlineData("above 氾濫危険", "3.45", "R:Danger")]
    public void A_river_reaching_a_stage_raises_it_at_once_when_the_rule_has_no_duration(string _, string metres, string expected) =>
        Assert.Equal(expected, Joined(Run(River(durationMinutes: 0), Levels($"0={metres}")).Decisions));

    [Theory]
    [InlineData("held 5 of 10 minutes", "0=2.6 5=2.6", "- -")]
    [InlineData("held 10 minutes", "0=2.6 5=2.6 10=2.6", "- - R:Caution")]
    [InlineData("a dip below restarts the duration", "0=2.6 5=2.4 10=2.6 15=2.6 20=2.6", "- - - - R:Caution")]
    [InlineData("a one-reading spike to 氾濫危険 raises nothing", "0=3.3 5=2.4 10=2.4", "- - -")]
    [InlineData("leapt straight to 氾濫危険: one alert at 氾濫危険", "0=3.3 10=3.3", "- R:Danger")]
    [InlineData("氾濫注意 held first, 氾濫危険 not yet held: raise 氾濫注意, escalate later", "0=2.6 5=3.3 10=3.3 15=3.3", "- - R:Caution E:Caution>Danger")]
    public void A_river_raises_only_after_its_stage_has_held_for_the_duration(string _, string script, string expected) =>
        Assert.Equal(expected, Joined(Run(River(), Levels(script)).Decisions));

    [Theory]
    [InlineData("bouncing across 氾濫注意 within the margin",
        "0=2.6 10=2.6 20=2.45 30=2.55 40=2.45 50=2.55 60=2.40 70=2.52 80=2.35", "- R:Caution - - - - - - -")]
    [InlineData("dipping to the clear side but rising before the clear time",
        "0=2.6 10=2.6 20=2.30 40=2.6 50=2.30 70=2.6", "- R:Caution - - - -")]
    public void A_level_bouncing_on_a_threshold_does_not_flap(string _, string script, string expected) =>
        Assert.Equal(expected, Joined(Run(River(), Levels(script)).Decisions));

    [Theory]
    [InlineData("at the clear line for 30 minutes", "0=2.6 10=2.6 20=2.30 50=2.30", "- R:Caution - C:Caution")]
    [InlineData("below the clear line for 29 minutes", "0=2.6 10=2.6 20=2.20 49=2.20", "- R:Caution - -")]
    [InlineData("within the margin for hours", "0=2.6 10=2.6 20=2.40 200=2.40", "- R:Caution - -")]
    [InlineData("a reading inside the margin restarts the clear time", "0=2.6 10=2.6 20=2.2 40=2.35 50=2.2 70=2.2 80=2.2", "- R:Caution - - - - C:Caution")]
    [InlineData("raised again after clearing, once the duration has held", "0=2.6 10=2.6 20=2.2 50=2.2 60=2.6 65=2.6 70=2.6", "- R:Caution - C:Caution - - R:Caution")]
    public void An_alert_clears_only_after_the_level_has_stayed_a_margin_below_for_the_clear_time(string _, string script, string expected) =>
        Assert.Equal(expected, Joined(Run(River(), Levels(script)).Decisions));

    [Theory]
    [InlineData("注意 → 判断 → 危険 updates one alert", "0=2.6 10=2.6 15=3.1 25=3.1 30=3.3 40=3.3", "- R:Caution - E:Caution>Evacuation - E:Evacuation>Danger")]
    [InlineData("a falling level keeps the highest step until it clears",
        "0=3.3 10=3.3 20=3.1 40=2.6 60=2.6 80=2.2 110=2.2", "- R:Danger - - - - C:Danger")]
    [InlineData("rising again after falling does not raise the same step twice", "0=3.1 10=3.1 20=2.6 30=3.1 40=3.1", "- R:Evacuation - - -")]
    public void Escalation_updates_the_one_alert_of_the_family_rather_than_stacking(string _, string script, string expected) =>
        Assert.Equal(expected, Joined(Run(River(), Levels(script)).Decisions));

    [Fact]
    public void A_falling_level_leaves_the_alert_at_its_highest_step_in_the_stored_state()
    {
        var (_, state) = Run(River(), Levels("0=3.3 10=3.3 20=2.6 80=2.6"));
        Assert.Equal(ThresholdStep.Danger, state.Raised);
        Assert.Equal(Start.AddMinutes(10), state.RaisedAt);
    }

    [Theory]
    [InlineData("below 観測開始", "0=0.9", "-")]
    [InlineData("観測開始 then 危険", "0=1.0 10=1.9", "R:Observing E:Observing>Danger")]
    [InlineData("back below 観測開始 by the margin, 30 minutes", "0=1.2 10=0.8 40=0.8", "R:Observing - C:Observing")]
    public void A_crisis_gauge_raises_at_observation_start_and_danger(string _, string script, string expected) =>
        Assert.Equal(expected, Joined(Run(CrisisGauge(), Levels(script)).Decisions));

    [Theory]
    [InlineData(ThresholdStep.Observing, null)]
    [InlineData(ThresholdStep.Caution, 2)]
    [InlineData(ThresholdStep.Evacuation, 3)]
    [InlineData(ThresholdStep.Danger, 4)]
    [InlineData(ThresholdStep.RainCriterion, null)]
    [InlineData(ThresholdStep.LandslideWarning, null)]
    [InlineData(ThresholdStep.Silent, null)]
    public void Each_step_carries_its_alert_level_equivalent(ThresholdStep step, int? expected) =>
        Assert.Equal(expected, ThresholdRules.AlertLevelEquivalent(step));

    [Fact]
    public void Decisions_carry_the_level_equivalent_and_name_the_station_and_value_in_both_languages()
    {
        var rule = River(durationMinutes: 0);
        var raised = ThresholdRules.Evaluate(rule, ThresholdRuleState.Initial, new RiverLevelObservation(Start, 3.05));
        Assert.Equal(3, raised.Decision.AlertLevelEquivalent);
        Assert.Equal("屋代川 一本柳: 水位 3.05 m、避難判断水位 3.00 mに到達（警戒レベル3相当）", raised.Decision.MessageJa);
        Assert.Equal("Yashiro River, Ipponyanagi: water level 3.05 m reached the evacuation decision level 3.00 m (alert level 3 equivalent)", raised.Decision.MessageEn);

        var escalated = ThresholdRules.Evaluate(rule, raised.State, new RiverLevelObservation(Start.AddMinutes(10), 3.21));
        Assert.Equal(4, escalated.Decision.AlertLevelEquivalent);
        Assert.Contains("水位 3.21 m", escalated.Decision.MessageJa);
        Assert.Contains("氾濫危険水位 3.20 m", escalated.Decision.MessageJa);
        Assert.Contains("from the evacuation decision level 3.00 m to the flood danger level 3.20 m", escalated.Decision.MessageEn);

        var first = ThresholdRules.Evaluate(rule, escalated.State, new RiverLevelObservation(Start.AddMinutes(20), 2.25));
        var cleared = ThresholdRules.Evaluate(rule, first.State, new RiverLevelObservation(Start.AddMinutes(50), 2.20));
        Assert.Equal(ThresholdDecisionKind.Clear, cleared.Decision.Kind);
        Assert.Equal(4, cleared.Decision.AlertLevelEquivalent);
        Assert.Equal("屋代川 一本柳: 水位 2.20 m、氾濫注意水位 2.50 mより 0.20 m 以上低い水位が 30 分続いたため解除", cleared.Decision.MessageJa);
        Assert.Equal("Yashiro River, Ipponyanagi: water level 2.20 m; cleared after 30 minutes at least 0.20 m below the flood caution level 2.50 m", cleared.Decision.MessageEn);
    }

    [Theory]
    [InlineData("below the criterion", "0=49.5", "-")]
    [InlineData("at the criterion", "0=50", "R:RainCriterion")]
    [InlineData("easing within the margin keeps it", "0=52 10=45 40=48 90=41", "R:RainCriterion - - -")]
    [InlineData("10 mm below for 60 minutes clears", "0=52 10=40 70=30", "R:RainCriterion - C:RainCriterion")]
    [InlineData("back at the criterion while easing: no second alert", "0=52 10=40 30=55 40=38 100=20", "R:RainCriterion - - - C:RainCriterion")]
    public void Sixty_minute_rain_at_the_station_criterion_raises_and_clears_with_hysteresis(string _, string script, string expected) =>
        Assert.Equal(expected, Joined(Run(Rain(), RainFigures(script)).Decisions));

    [Fact]
    public void A_rain_alert_names_the_amount_and_carries_no_official_level()
    {
        var raised = ThresholdRules.Evaluate(Rain(), ThresholdRuleState.Initial, new SixtyMinuteRainObservation(Start, 63.5));
        Assert.Null(raised.Decision.AlertLevelEquivalent);
        Assert.Equal("高畠町役場 雨量計: 60分雨量 63.5 mm、基準 50 mmに到達", raised.Decision.MessageJa);
        Assert.Equal("Takahata town hall rain gauge: 60-minute rain 63.5 mm reached the criterion 50 mm", raised.Decision.MessageEn);
    }

    // Takahata criteria: soil water index 74 / 97, 60-minute rain 30 / 50 mm; clear at index ≤ 87 and below 警戒.
    [Theory]
    [InlineData("advisory only: no alert", "0=35/80", "-")]
    [InlineData("intense rain on dry ground stays advisory", "0=60/40", "-")]
    [InlineData("index at the warning line", "0=0/97", "R:LandslideWarning")]
    [InlineData("soaked ground under warning-level rain", "0=50/80", "R:LandslideWarning")]
    [InlineData("rain easing while the index is still high keeps it", "0=50/80 10=20/95 80=0/90", "R:LandslideWarning - -")]
    [InlineData("rain bouncing on 50 mm with the index between the lines does not flap",
        "0=50/80 10=45/82 20=52/83 30=45/84 40=51/85", "R:LandslideWarning - - - -")]
    [InlineData("index 10 below its line and below 警戒 for 60 minutes clears", "0=0/98 10=0/87 70=0/80", "R:LandslideWarning - C:LandslideWarning")]
    public void The_local_landslide_estimate_at_warning_raises_and_clears_on_the_soil_water_index(string _, string script, string expected) =>
        Assert.Equal(expected, Joined(Run(Landslide(), LandslideInputs(script)).Decisions));

    [Fact]
    public void A_landslide_alert_says_it_is_the_towns_own_estimate_and_borrows_no_official_level()
    {
        var raised = ThresholdRules.Evaluate(Landslide(), ThresholdRuleState.Initial, new LandslideObservation(Start, 10, 98));
        Assert.Null(raised.Decision.AlertLevelEquivalent);
        Assert.Contains("土壌雨量指数 98", raised.Decision.MessageJa);
        Assert.Contains("公式の土砂災害警戒情報ではありません", raised.Decision.MessageJa);
        Assert.Contains("not the official landslide alert", raised.Decision.MessageEn);
    }

    // 10-minute gauge: stale after 2 × 10 + 5 = 25 minutes of silence.
    [Theory]
    [InlineData("silent 25 minutes, the limit", "25=0", "-")]
    [InlineData("silent 26 minutes", "26=0", "R:Silent")]
    [InlineData("still silent: one alert", "26=0 60=0 120=0", "R:Silent - -")]
    [InlineData("readings resume", "26=0 40=39", "R:Silent C:Silent")]
    [InlineData("never heard: no data, no silence alert", "60=null", "-")]
    [InlineData("crisis gauge quiet after a low reading for a day", "1440=0d", "-")]
    [InlineData("crisis gauge quiet after a low reading past two days", "2890=0d", "R:Silent")]
    public void A_gauge_silent_past_its_interval_raises_and_clears_when_readings_resume(string _, string script, string expected) =>
        Assert.Equal(expected, Joined(Run(Silence(), Heard(script)).Decisions));

    [Fact]
    public void A_silence_alert_and_its_clearing_name_when_the_gauge_was_last_heard()
    {
        var raised = ThresholdRules.Evaluate(Silence(), ThresholdRuleState.Initial, new StationHeardObservation(Start.AddMinutes(40), Start, false));
        Assert.Equal("屋代川 一本柳: 最終受信 2026-07-28 06:00 JST、受信間隔 10 分を超えて受信なし", raised.Decision.MessageJa);
        Assert.Equal("Yashiro River, Ipponyanagi: last heard 2026-07-28 06:00 JST, silent past its 10-minute interval", raised.Decision.MessageEn);

        var resumed = ThresholdRules.Evaluate(Silence(), raised.State, new StationHeardObservation(Start.AddMinutes(50), Start.AddMinutes(49), false));
        Assert.Equal("屋代川 一本柳: 最終受信 2026-07-28 06:49 JST、受信の再開により解除", resumed.Decision.MessageJa);
        Assert.Equal("Yashiro River, Ipponyanagi: last heard 2026-07-28 06:49 JST; cleared: readings resumed", resumed.Decision.MessageEn);
    }

    [Theory]
    [InlineData("null level", "0=2.6 5=null 10=2.6", "- - R:Caution")]
    [InlineData("NaN level", "0=2.6 5=nan 10=2.6", "- - R:Caution")]
    [InlineData("infinite level", "0=inf", "-")]
    [InlineData("unknown values while raised neither clear nor restart the clear time", "0=2.6 10=2.6 20=2.2 35=nan 50=2.2", "- R:Caution - - C:Caution")]
    public void Unknown_and_NaN_levels_are_ignored(string _, string script, string expected) =>
        Assert.Equal(expected, Joined(Run(River(), Levels(script)).Decisions));

    [Theory]
    [InlineData("0=null")]
    [InlineData("0=nan")]
    [InlineData("0=-1")]
    public void Unknown_rain_changes_nothing_in_the_state(string script)
    {
        var evaluation = ThresholdRules.Evaluate(Rain(), ThresholdRuleState.Initial, RainFigures(script).Single());
        Assert.Same(ThresholdRuleState.Initial, evaluation.State);
        Assert.Equal(ThresholdDecisionKind.None, evaluation.Decision.Kind);
    }

    [Theory]
    [InlineData("null/90")]
    [InlineData("10/nan")]
    public void Unknown_landslide_inputs_are_ignored(string inputs) =>
        Assert.Equal("-", Joined(Run(Landslide(), LandslideInputs($"0={inputs}")).Decisions));

    [Fact]
    public void An_observation_older_than_the_latest_one_is_ignored()
    {
        var (_, state) = Run(River(), Levels("0=2.6 10=2.6 20=2.2"));
        var late = ThresholdRules.Evaluate(River(), state, new RiverLevelObservation(Start.AddMinutes(15), 3.5));
        Assert.Same(state, late.State);
        Assert.Equal(ThresholdDecisionKind.None, late.Decision.Kind);
    }

    [Theory]
    [InlineData("0=2.6 10=2.6")]
    [InlineData("0=2.6 10=2.6 15=3.1 25=3.1")]
    [InlineData("0=2.6 10=2.6 20=2.2 50=2.2")]
    public void The_same_observation_evaluated_again_on_the_stored_state_decides_nothing(string script)
    {
        // The second server instance takes the family's lock after the first and sees its state: no second alert.
        var observations = Levels(script).ToList();
        var (decisions, state) = Run(River(), observations);
        Assert.NotEqual("-", decisions[^1]);
        var again = ThresholdRules.Evaluate(River(), state, observations[^1]);
        Assert.Equal(ThresholdDecisionKind.None, again.Decision.Kind);
        Assert.Equal(state.Raised, again.State.Raised);
    }

    [Fact]
    public void A_stored_state_carries_on_after_a_restart()
    {
        var (_, before) = Run(River(), Levels("0=2.6 5=2.6"));
        var restored = before with { ReachedSince = before.ReachedSince.ToArray() };
        Assert.Equal("R:Caution", Joined(Run(River(), Levels("10=2.6"), restored).Decisions));
    }

    [Fact]
    public void Thresholds_edited_under_an_alert_keep_it_one_alert()
    {
        var (_, state) = Run(River(durationMinutes: 0), Levels("0=3.1"));
        Assert.Equal(ThresholdStep.Evacuation, state.Raised);
        var withoutEvacuation = River(durationMinutes: 0) with
        {
            Thresholds = new WaterLevelThresholds
            {
                IsCrisisGauge = false,
                Levels = new Dictionary<WaterLevelThreshold, double>
                {
                    [WaterLevelThreshold.Caution] = 2.50,
                    [WaterLevelThreshold.Danger] = 3.20,
                },
            },
        };
        var (decisions, _) = Run(withoutEvacuation, Levels("10=3.1 20=3.3"), state);
        Assert.Equal("- E:Evacuation>Danger", Joined(decisions));
    }

    public static TheoryData<string, ThresholdRule, string?> Rules => new()
    {
        { "river rule as given", River(), null },
        { "negative duration", River() with { Duration = TimeSpan.FromMinutes(-1) }, "duration" },
        { "negative clear time", Rain() with { ClearAfter = TimeSpan.FromMinutes(-1) }, "clearAfter" },
        { "no station", Rain() with { StationId = " " }, "stationId" },
        { "NaN river margin", River(marginMetres: double.NaN), "clearMarginMetres" },
        { "river with only 水防団待機", River() with { Thresholds = new WaterLevelThresholds { IsCrisisGauge = false, Levels = new Dictionary<WaterLevelThreshold, double> { [WaterLevelThreshold.Standby] = 2.0 } } }, "thresholds" },
        { "rain criterion zero", Rain() with { CriterionMm = 0 }, "criterionMm" },
        { "negative rain margin", Rain() with { ClearMarginMm = -1 }, "clearMarginMm" },
        { "landslide rule as given", Landslide(), null },
        { "infinite landslide margin", Landslide() with { ClearMarginSoilWaterIndex = double.PositiveInfinity }, "clearMarginSoilWaterIndex" },
        { "silence rule as given", Silence(), null },
        { "zero interval", Silence() with { ExpectedInterval = TimeSpan.Zero }, "expectedInterval" },
    };

    [Theory]
    [MemberData(nameof(Rules))]
    public void A_rule_as_data_names_the_field_it_cannot_accept(string _, ThresholdRule rule, string? field) =>
        Assert.Equal(field, rule.Problem?.Field);

    [Fact]
    public void A_rule_refuses_an_observation_of_another_kind() =>
        Assert.Throws<ArgumentException>(() =>
            ThresholdRules.Evaluate(Rain(), ThresholdRuleState.Initial, new RiverLevelObservation(Start, 2.6)));
}
