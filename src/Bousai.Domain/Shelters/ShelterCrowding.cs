namespace Bousai.Domain.Shelters;

/// <summary>The crowding bands residents know from shelter-crowding maps (空いています / やや混雑 / 混雑 / 満 / 閉鎖).</summary>
public enum CrowdingBand
{
    /// <summary>閉鎖: not open now.</summary>
    Closed,
    /// <summary>空いています: under 30 % of capacity.</summary>
    Available,
    /// <summary>やや混雑: 30 % to under 60 %.</summary>
    SomewhatCrowded,
    /// <summary>混雑: 60 % to under 80 %.</summary>
    Crowded,
    /// <summary>満: 80 % or more, or declared full by staff.</summary>
    Full,
    /// <summary>Open, but the capacity is not known, so no band can be computed.</summary>
    Unknown,
}

public static class ShelterCrowding
{
    /// <summary>The band for an open or closed shelter. Staff declaring it full overrides the head count.</summary>
    public static CrowdingBand Band(bool open, int occupancy, int? capacity, bool declaredFull)
    {
        ArgumentOutOfRangeException.ThrowIfNegative(occupancy);
        if (!open) return CrowdingBand.Closed;
        if (declaredFull) return CrowdingBand.Full;
        if (capacity is not > 0) return CrowdingBand.Unknown;

        // Integer percentages would blur the band edges; compare occupancy * 100 against capacity * limit exactly.
        var scaled = (long)occupancy * 100;
        return scaled switch
        {
            _ when scaled < 30L * capacity.Value => CrowdingBand.Available,
            _ when scaled < 60L * capacity.Value => CrowdingBand.SomewhatCrowded,
            _ when scaled < 80L * capacity.Value => CrowdingBand.Crowded,
            _ => CrowdingBand.Full,
        };
    }

    /// <summary>The head count as a whole percentage of capacity, never clamped (130 of 100 is 130); null when capacity is unknown.</summary>
    public static int? Percent(int occupancy, int? capacity) =>
        capacity is > 0 ? (int)Math.Floor((long)occupancy * 100.0 / capacity.Value) : null;
}
