namespace Bousai.Domain.Rivers;

/// <summary>The 基準水位 a gauge can define. Standard gauges: 水防団待機 → 氾濫注意 → 避難判断 → 氾濫危険.
/// Crisis gauges (危機管理型水位計): 観測開始 and 危険 only.</summary>
public enum WaterLevelThreshold
{
    ObservationStart,
    Standby,
    Caution,
    Evacuation,
    Danger,
}

/// <summary>A station's own thresholds in metres above its gauge datum. Values are data per station, never constants.</summary>
public sealed record WaterLevelThresholds
{
    private static readonly (string Key, WaterLevelThreshold Stage)[] Keys =
    [
        ("observation_start", WaterLevelThreshold.ObservationStart),
        ("standby", WaterLevelThreshold.Standby),
        ("caution", WaterLevelThreshold.Caution),
        ("evacuation", WaterLevelThreshold.Evacuation),
        ("danger", WaterLevelThreshold.Danger),
    ];

    private static readonly WaterLevelThreshold[] StandardOrder =
        [WaterLevelThreshold.Standby, WaterLevelThreshold.Caution, WaterLevelThreshold.Evacuation, WaterLevelThreshold.Danger];

    private static readonly WaterLevelThreshold[] CrisisOrder = [WaterLevelThreshold.ObservationStart, WaterLevelThreshold.Danger];

    public static IEnumerable<string> StageKeys => Keys.Select(k => k.Key);

    public required IReadOnlyDictionary<WaterLevelThreshold, double> Levels { get; init; }

    public required bool IsCrisisGauge { get; init; }

    public static bool TryParseStage(string key, out WaterLevelThreshold stage)
    {
        foreach (var (k, s) in Keys)
        {
            if (k == key)
            {
                stage = s;
                return true;
            }
        }

        stage = default;
        return false;
    }

    public static string KeyOf(WaterLevelThreshold stage) => Keys.First(k => k.Stage == stage).Key;

    /// <summary>
    /// The stage a level in metres has reached on this station: the highest threshold the level is at or above (≥).
    /// Standard gauges rise 水防団待機 → 氾濫注意 → 避難判断 → 氾濫危険; crisis gauges 観測開始 (Observing) → 危険 (Danger).
    /// Thresholds the station does not define are skipped; below all of them the stage is Normal.
    /// </summary>
    public WaterLevelStage StageOf(double levelMetres)
    {
        if (!double.IsFinite(levelMetres))
        {
            throw new ArgumentOutOfRangeException(nameof(levelMetres), levelMetres, "a water level must be a finite number of metres");
        }

        var order = IsCrisisGauge ? CrisisOrder : StandardOrder;
        for (var i = order.Length - 1; i >= 0; i--)
        {
            if (Levels.TryGetValue(order[i], out var threshold) && levelMetres >= threshold)
            {
                return StageReached(order[i]);
            }
        }

        return WaterLevelStage.Normal;
    }

    private static WaterLevelStage StageReached(WaterLevelThreshold threshold) => threshold switch
    {
        WaterLevelThreshold.ObservationStart => WaterLevelStage.Observing,
        WaterLevelThreshold.Standby => WaterLevelStage.Standby,
        WaterLevelThreshold.Caution => WaterLevelStage.Caution,
        WaterLevelThreshold.Evacuation => WaterLevelStage.Evacuation,
        WaterLevelThreshold.Danger => WaterLevelStage.Danger,
        _ => throw new ArgumentOutOfRangeException(nameof(threshold), threshold, null),
    };

    /// <summary>Checks that the stages fit the gauge type and rise strictly from low to high.</summary>
    public static ThresholdsResult Create(IReadOnlyDictionary<WaterLevelThreshold, double> levels, bool isCrisisGauge)
    {
        var order = isCrisisGauge ? CrisisOrder : StandardOrder;
        var misplaced = levels.Keys.Where(stage => !order.Contains(stage)).ToList();
        if (misplaced.Count > 0)
        {
            return new ThresholdsResult(null,
                $"{(isCrisisGauge ? "a crisis gauge" : "a standard gauge")} has no '{string.Join("', '", misplaced.Select(KeyOf))}' threshold " +
                $"(it uses {string.Join(", ", order.Select(KeyOf))})");
        }

        if (levels.Values.Any(v => !double.IsFinite(v)))
        {
            return new ThresholdsResult(null, "thresholds must be finite numbers of metres");
        }

        var present = order.Where(levels.ContainsKey).ToList();
        for (var i = 1; i < present.Count; i++)
        {
            if (levels[present[i]] <= levels[present[i - 1]])
            {
                return new ThresholdsResult(null,
                    $"threshold '{KeyOf(present[i])}' ({levels[present[i]]} m) must be above '{KeyOf(present[i - 1])}' ({levels[present[i - 1]]} m)");
            }
        }

        return new ThresholdsResult(new WaterLevelThresholds { Levels = levels, IsCrisisGauge = isCrisisGauge }, null);
    }
}

public sealed record ThresholdsResult(WaterLevelThresholds? Thresholds, string? Error);
