namespace Bousai.Domain.Rain;

/// <summary>
/// The soil water index (土壌雨量指数): how much of the rain that fell is still held in the ground, in mm, from the
/// series three-tank model (直列3段タンクモデル) that JMA uses for its landslide criteria.
/// <para>
/// Model and parameters: Ishihara &amp; Kobatake (1979), as adopted by JMA with one nationwide parameter set (Okada et al.,
/// 2001, 「土壌雨量指数」, 天気 48: 349–356; JMA, 「土壌雨量指数」, https://www.jma.go.jp/jma/kishou/know/bosai/dojoshisu.html).
/// Each tank has side outlets (runoff to the surrounding soil) and a bottom outlet (infiltration into the tank below);
/// the index is the sum of the three storages. Per hour:
/// <list type="table">
/// <item><term>1st tank</term><description>side outlets at 15 mm (α1 = 0.10) and 60 mm (α2 = 0.15); bottom β1 = 0.12</description></item>
/// <item><term>2nd tank</term><description>side outlet at 15 mm (α3 = 0.05); bottom β2 = 0.05</description></item>
/// <item><term>3rd tank</term><description>side outlet at 15 mm (α4 = 0.01); bottom β3 = 0.01 (leaves the model)</description></item>
/// </list>
/// A side outlet at height L lets out α × (S − L) per hour while the storage S is above L; a bottom outlet lets out β × S.
/// JMA computes the index on 10-minute rain; the hourly coefficients become 10-minute ones by the step length
/// Δt = 1/6 h, in JMA's explicit scheme: S′ = S − (side + bottom outflow) × Δt + inflow, outflows taken from the storage
/// at the start of the step, inflow being the step's rain for the 1st tank and the bottom outflow of the tank above for
/// the others.
/// </para>
/// <para>
/// This is a local estimate from the town's own gauge, not JMA's analysed index (which runs on radar-raingauge
/// analysed rain on a 1 km grid and never restarts). Starting from empty tanks at <c>from</c> under-estimates the index
/// after a long wet spell: water still held from rain before <c>from</c> is missing (the 3rd tank drains with a time
/// scale of days). The server passes <c>from</c> = asOf − 7 days.
/// </para>
/// </summary>
public static class SoilWaterIndex
{
    /// <summary>The model's step: JMA computes the index on 10-minute rain.</summary>
    public static readonly TimeSpan Step = TimeSpan.FromMinutes(10);

    private const double StepHours = 1.0 / 6.0;

    private const double FirstLowOutletMm = 15, FirstLowOutletPerHour = 0.10;
    private const double FirstHighOutletMm = 60, FirstHighOutletPerHour = 0.15;
    private const double FirstBottomPerHour = 0.12;
    private const double SecondOutletMm = 15, SecondOutletPerHour = 0.05;
    private const double SecondBottomPerHour = 0.05;
    private const double ThirdOutletMm = 15, ThirdOutletPerHour = 0.01;
    private const double ThirdBottomPerHour = 0.01;

    /// <summary>
    /// The index in mm at <paramref name="asOf"/>, running the model from empty tanks at <paramref name="from"/> in
    /// 10-minute steps that end at <paramref name="asOf"/> (so the last step is (asOf − 10 min, asOf]; a part-step at
    /// the start is dropped). A sample's rain falls in the step its interval ends in; a sample with a longer interval
    /// (e.g. a 60-minute amount) is spread evenly over ⌈interval / 10 min⌉ equal parts ending at even spacing back from
    /// its ObservedAt. Steps with no sample count as no rain. Rain ending at or before the first step, or after asOf,
    /// is ignored. Several samples in one step add up (one sample per interval: duplicates are the caller's to remove).
    /// </summary>
    /// <exception cref="ArgumentOutOfRangeException"><paramref name="from"/> is after <paramref name="asOf"/>, or a
    /// sample has a negative or non-finite amount or a non-positive interval.</exception>
    public static double After(IEnumerable<RainSample> samples, DateTimeOffset from, DateTimeOffset asOf)
    {
        ArgumentNullException.ThrowIfNull(samples);
        if (from > asOf)
        {
            throw new ArgumentOutOfRangeException(nameof(from), from, $"the model must start at or before {asOf:O}");
        }

        var steps = (int)((asOf - from).Ticks / Step.Ticks);
        var rainPerStep = new double[steps];
        foreach (var sample in samples.Select(s => s.Checked()))
        {
            var parts = (int)Math.Ceiling(sample.IntervalMinutes / Step.TotalMinutes);
            var partSpacing = TimeSpan.FromMinutes((double)sample.IntervalMinutes / parts);
            for (var part = 0; part < parts; part++)
            {
                var partEndsAt = sample.ObservedAt - part * partSpacing;
                if (partEndsAt > asOf)
                {
                    continue;
                }

                var stepsBeforeLast = (asOf - partEndsAt).Ticks / Step.Ticks;
                if (stepsBeforeLast < steps)
                {
                    rainPerStep[steps - 1 - stepsBeforeLast] += sample.Millimetres / parts;
                }
            }
        }

        double first = 0, second = 0, third = 0;
        foreach (var rain in rainPerStep)
        {
            var firstSide = SideOutflow(first, FirstLowOutletMm, FirstLowOutletPerHour) + SideOutflow(first, FirstHighOutletMm, FirstHighOutletPerHour);
            var firstBottom = FirstBottomPerHour * first;
            var secondSide = SideOutflow(second, SecondOutletMm, SecondOutletPerHour);
            var secondBottom = SecondBottomPerHour * second;
            var thirdSide = SideOutflow(third, ThirdOutletMm, ThirdOutletPerHour);
            var thirdBottom = ThirdBottomPerHour * third;

            first += rain - (firstSide + firstBottom) * StepHours;
            second += (firstBottom - secondSide - secondBottom) * StepHours;
            third += (secondBottom - thirdSide - thirdBottom) * StepHours;
        }

        return first + second + third;
    }

    private static double SideOutflow(double storage, double outletMm, double perHour) =>
        storage > outletMm ? perHour * (storage - outletMm) : 0;
}
