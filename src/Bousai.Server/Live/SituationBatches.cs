namespace Bousai.Server.Live;

public static class SituationBatches
{
    /// <summary>
    /// The events of one batch as an audience receives them: public-safe projections for the public, and gauge readings
    /// coalesced so only the latest per gauge and quantity is sent (it sits where the latest was in the order).
    /// </summary>
    public static IReadOnlyList<SituationEvent> ForAudience(IReadOnlyList<SituationEvent> events, Audience audience)
    {
        var latestReading = new HashSet<(string, string)>();
        var kept = new List<SituationEvent>(events.Count);
        for (var i = events.Count - 1; i >= 0; i--)
        {
            var change = audience == Audience.Public ? events[i].ForPublic() : events[i];
            if (change is null) continue;
            if (change is StationStateChanged { State: var state } && !latestReading.Add((state.StationId, state.Quantity))) continue;
            kept.Add(change);
        }

        kept.Reverse();
        return kept;
    }
}
