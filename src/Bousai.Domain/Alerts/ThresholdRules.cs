using Bousai.Domain.Rivers;

namespace Bousai.Domain.Alerts;

/// <summary>
/// The threshold alert engine: (state, observation at t) → (new state, decision). Pure; time comes in the observation.
/// <list type="bullet">
/// <item>Raise: the value has been at or above a step for the rule's Duration without a break; the alert is raised at
/// the highest step held that long (a river that leapt straight to 氾濫危険 raises 氾濫危険, not three alerts).</item>
/// <item>Escalate: a step above the alert's has been held for Duration; the family's one alert moves up.</item>
/// <item>No de-escalation: a falling value keeps the alert at the highest step reached until it clears. Lowering a
/// step would put the bouncing back between steps, and what residents are told to do when the river falls is a
/// person's decision, not a gauge's.</item>
/// <item>Clear: the value has stayed on the rule's clear side (a margin below the lowest step's line; readings
/// resumed, for silence) for ClearAfter without a break. A value between the clear side and the line keeps the alert
/// and restarts the clear timer, so a level bouncing on a threshold neither clears nor raises again.</item>
/// <item>Ignored (state unchanged, no decision): an observation older than the latest one taken into account, and an
/// unknown value (null, NaN, negative rain, a station never heard).</item>
/// </list>
/// </summary>
public static class ThresholdRules
{
    /// <exception cref="ArgumentException">The observation is not the kind the rule reads.</exception>
    public static ThresholdEvaluation Evaluate(ThresholdRule rule, ThresholdRuleState state, StationObservation observation)
    {
        ArgumentNullException.ThrowIfNull(rule);
        ArgumentNullException.ThrowIfNull(state);
        ArgumentNullException.ThrowIfNull(observation);

        var at = observation.At;
        var reading = rule.Read(observation);
        if (reading is null || at < state.LastObservedAt)
        {
            return new ThresholdEvaluation(state, ThresholdDecision.None);
        }

        var steps = rule.Steps;
        var reachedSince = state.ReachedSince.Take(reading.StepsReached).ToList();
        while (reachedSince.Count < reading.StepsReached)
        {
            reachedSince.Add(at);
        }

        var held = reachedSince.Count(since => at - since >= rule.Duration);
        var inForce = state.Raised != ThresholdStep.None;
        var clearSideSince = inForce && reading.OnClearSide ? state.ClearSideSince ?? at : (DateTimeOffset?)null;
        var next = state with { ReachedSince = reachedSince, ClearSideSince = clearSideSince, LastObservedAt = at };

        // Steps compare by their order in ThresholdStep, not by position in the rule's list, so an alert in force
        // stays one alert when HQ edits the station's thresholds under it.
        if (held > 0 && steps[held - 1] > state.Raised)
        {
            var to = steps[held - 1];
            var raisedState = next with { Raised = to, RaisedAt = inForce ? state.RaisedAt : at, ClearSideSince = null };
            return new ThresholdEvaluation(raisedState, inForce ? Escalate(rule, state.Raised, to, reading) : Raise(rule, to, reading));
        }

        if (clearSideSince is { } since && at - since >= rule.ClearAfter)
        {
            var cleared = next with { Raised = ThresholdStep.None, RaisedAt = null, ClearSideSince = null };
            return new ThresholdEvaluation(cleared, Clear(rule, state.Raised, reading));
        }

        return new ThresholdEvaluation(next, ThresholdDecision.None);
    }

    /// <summary>警戒レベル相当 of a step: the river stages' levels from the domain guide; null for every other step.</summary>
    public static int? AlertLevelEquivalent(ThresholdStep step) => step switch
    {
        ThresholdStep.Caution => WaterLevelStages.AlertLevelEquivalent(WaterLevelStage.Caution),
        ThresholdStep.Evacuation => WaterLevelStages.AlertLevelEquivalent(WaterLevelStage.Evacuation),
        ThresholdStep.Danger => WaterLevelStages.AlertLevelEquivalent(WaterLevelStage.Danger),
        _ => null,
    };

    private static (string Ja, string En) Level(ThresholdStep step) => AlertLevelEquivalent(step) is { } level
        ? ($"（警戒レベル{level}相当）", $" (alert level {level} equivalent)")
        : ("", "");

    private static ThresholdDecision Raise(ThresholdRule rule, ThresholdStep to, ThresholdReading reading)
    {
        var (reachedJa, reachedEn) = rule.Reached(to);
        var (levelJa, levelEn) = Level(to);
        return new ThresholdDecision
        {
            Kind = ThresholdDecisionKind.Raise,
            From = ThresholdStep.None,
            To = to,
            AlertLevelEquivalent = AlertLevelEquivalent(to),
            MessageJa = $"{rule.StationNameJa}: {reading.ValueJa}{reachedJa}{levelJa}",
            MessageEn = $"{rule.StationNameEn}: {reading.ValueEn}{reachedEn}{levelEn}",
        };
    }

    private static ThresholdDecision Escalate(ThresholdRule rule, ThresholdStep from, ThresholdStep to, ThresholdReading reading)
    {
        var (fromJa, fromEn) = rule.LineOf(from);
        var (lineJa, lineEn) = rule.LineOf(to);
        var (levelJa, levelEn) = Level(to);
        return new ThresholdDecision
        {
            Kind = ThresholdDecisionKind.Escalate,
            From = from,
            To = to,
            AlertLevelEquivalent = AlertLevelEquivalent(to),
            MessageJa = $"{rule.StationNameJa}: {reading.ValueJa}、{fromJa}から{lineJa}に引き上げ{levelJa}",
            MessageEn = $"{rule.StationNameEn}: {reading.ValueEn}, raised from {fromEn} to {lineEn}{levelEn}",
        };
    }

    private static ThresholdDecision Clear(ThresholdRule rule, ThresholdStep from, ThresholdReading reading)
    {
        var (sideJa, sideEn) = rule.ClearSide;
        var minutes = ThresholdRule.Minutes(rule.ClearAfter);
        var (afterJa, afterEn) = rule.ClearAfter > TimeSpan.Zero
            ? ($"{sideJa}が {minutes} 分続いたため解除", $"cleared after {minutes} minutes {sideEn}")
            : ($"{sideJa}により解除", $"cleared: {sideEn}");
        return new ThresholdDecision
        {
            Kind = ThresholdDecisionKind.Clear,
            From = from,
            To = ThresholdStep.None,
            AlertLevelEquivalent = AlertLevelEquivalent(from),
            MessageJa = $"{rule.StationNameJa}: {reading.ValueJa}、{afterJa}",
            MessageEn = $"{rule.StationNameEn}: {reading.ValueEn}; {afterEn}",
        };
    }
}
