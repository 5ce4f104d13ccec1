namespace Bousai.Domain.Alerts;

/// <summary>What an evaluation asks of the family's one alert.</summary>
public enum ThresholdDecisionKind
{
    None,
    Raise,
    Escalate,
    Clear,
}

/// <summary>
/// A decision on a family's alert. <see cref="From"/> is the step before (None on Raise), <see cref="To"/> the step
/// after (None on Clear). <see cref="AlertLevelEquivalent"/> is the 警戒レベル相当 of the step raised or escalated to,
/// or, on Clear, of the step that cleared: 氾濫注意 2, 避難判断 3, 氾濫危険 (and a crisis gauge's 危険) 4. The other
/// steps carry none (null): 観測開始 has no level in the guide, and a local gauge reading or the town's own landslide
/// estimate is not official information, so it must not borrow the level of a JMA product. The messages name the
/// station and the value, in Japanese and in English.
/// </summary>
public sealed record ThresholdDecision
{
    public static ThresholdDecision None { get; } = new()
    {
        Kind = ThresholdDecisionKind.None, From = ThresholdStep.None, To = ThresholdStep.None, MessageJa = "", MessageEn = "",
    };

    public required ThresholdDecisionKind Kind { get; init; }

    public required ThresholdStep From { get; init; }

    public required ThresholdStep To { get; init; }

    public int? AlertLevelEquivalent { get; init; }

    public required string MessageJa { get; init; }

    public required string MessageEn { get; init; }
}

/// <summary>The state to store and the decision to carry out, from one evaluation.</summary>
public sealed record ThresholdEvaluation(ThresholdRuleState State, ThresholdDecision Decision);
