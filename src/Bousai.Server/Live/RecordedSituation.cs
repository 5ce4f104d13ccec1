using Bousai.Domain.Alerts;
using Bousai.Domain.Reports;
using Bousai.Server.Alerts;
using Bousai.Server.Drills;
using Bousai.Server.Evacuation;
using Bousai.Server.OfficialWarnings;
using Bousai.Server.Reports;
using Bousai.Server.Sensors;
using Bousai.Server.Shelters;

namespace Bousai.Server.Live;

/// <summary>
/// The whole situation after event <see cref="Seq"/>, held so that the events after it can be applied one by one: what a
/// checkpoint stores and what a moment in the past is rebuilt from. It keeps a little more than a snapshot shows (every
/// district's real level beside a drill's, closed reports for the day they stay on the map) so that applying an event
/// needs nothing but the event. Pure: no I/O, no clock.
/// </summary>
public sealed class RecordedSituation
{
    /// <summary>A closed report stays in the picture this long after its last change, as it does live.</summary>
    public static readonly TimeSpan ClosedReportsShown = TimeSpan.FromHours(24);

    /// <summary>Most reports a snapshot carries, newest first, as the live read does.</summary>
    public const int ReportsShown = 1000;

    private readonly SortedDictionary<string, ShelterState> _shelters = new(StringComparer.Ordinal);
    private readonly SortedSet<string> _districtIds = new(StringComparer.Ordinal);
    private readonly Dictionary<(string DistrictId, long DrillId), DistrictEvacuation> _levels = [];
    private readonly SortedDictionary<string, StationState> _stations = new(StringComparer.Ordinal);
    private readonly Dictionary<long, FieldReport> _reports = [];
    private readonly Dictionary<long, AlertState> _alerts = [];
    private readonly Dictionary<long, OfficialWarning> _warnings = [];
    private readonly Dictionary<long, EvacuationRecommendation> _recommendations = [];
    private readonly Queue<SituationEvent> _recent = new();

    public long Seq { get; private set; }

    /// <summary>When event Seq happened (or, for a state read from the live tables, when it was read).</summary>
    public DateTimeOffset At { get; private set; }

    public Drill? Drill { get; private set; }

    public IReadOnlyList<HazardStatus> Hazards { get; private set; } = [];

    private RecordedSituation()
    {
    }

    /// <summary>The situation as the live tables hold it after event <paramref name="seq"/>: where a record begins.</summary>
    public static RecordedSituation FromParts(SituationParts parts)
    {
        var situation = new RecordedSituation { Seq = parts.Seq, At = parts.At, Drill = parts.Drill, Hazards = parts.Hazards };
        foreach (var shelter in parts.Shelters) situation._shelters[shelter.ShelterId] = shelter;
        foreach (var id in parts.DistrictIds) situation._districtIds.Add(id);
        foreach (var level in parts.Levels) situation._levels[(level.DistrictId, level.DrillId ?? 0)] = level;
        foreach (var station in parts.Stations) situation._stations[Key(station)] = station;
        foreach (var report in parts.Reports) situation._reports[report.ReportId] = report;
        foreach (var alert in parts.Alerts) situation._alerts[alert.AlertId] = alert;
        foreach (var warning in parts.OfficialWarnings) situation._warnings[warning.WarningId] = warning;
        foreach (var recommendation in parts.Recommendations) situation._recommendations[recommendation.RecommendationId] = recommendation;
        foreach (var change in parts.Recent.TakeLast(SituationSnapshots.RecentEvents)) situation._recent.Enqueue(change);
        return situation;
    }

    /// <summary>What a checkpoint stores: everything this holds, closed reports that have left the picture forgotten.</summary>
    public SituationParts ToParts() => new(
        Seq, At, [.. _shelters.Values], [.. _districtIds], [.. _levels.Values.OrderBy(l => l.DistrictId, StringComparer.Ordinal).ThenBy(l => l.DrillId)],
        [.. _stations.Values], [.. _reports.Values.Where(r => ShownAt(r, At)).OrderBy(r => r.ReportId)], [.. _alerts.Values.OrderBy(a => a.AlertId)],
        [.. _warnings.Values.OrderBy(w => w.WarningId)], [.. _recommendations.Values.OrderBy(r => r.RecommendationId)], [.. _recent], Drill, Hazards);

    /// <summary>Applies the next event of the log (Seq + 1); an event at or before Seq is refused, as applying it twice would be wrong.</summary>
    /// <exception cref="InvalidOperationException">The event is not after Seq.</exception>
    public void Apply(SituationEvent change)
    {
        if (change.Seq <= Seq) throw new InvalidOperationException($"Event {change.Seq} is not after {Seq}, the situation's position.");
        Seq = change.Seq;
        At = change.At;
        switch (change)
        {
            case ShelterStatusChanged c: _shelters[c.Shelter.ShelterId] = c.Shelter; break;
            case ShelterRegistryChanged c: _shelters[c.Shelter.ShelterId] = c.Shelter; break;
            case HazardsChanged c:
                Hazards = c.Hazards;
                foreach (var shelter in c.Shelters) _shelters[shelter.ShelterId] = shelter;
                break;
            case DistrictEvacuationLevelChanged c:
                _districtIds.Add(c.District.DistrictId);
                _levels[(c.District.DistrictId, c.District.DrillId ?? 0)] = c.District;
                break;
            case FieldReportSubmitted c: _reports[c.Report.ReportId] = c.Report; break;
            case FieldReportUpdated c:
                _reports[c.Report.ReportId] = c.Report;
                if (c.MergedInto is { } target) _reports[target.ReportId] = target;
                break;
            case AlertRaised c: _alerts[c.Alert.AlertId] = c.Alert; break;
            case AlertEscalated c: _alerts[c.Alert.AlertId] = c.Alert; break;
            case AlertAcknowledged c:
                if (_alerts.TryGetValue(c.AlertId, out var raised))
                {
                    _alerts[c.AlertId] = raised with
                    {
                        Status = AlertStatus.Acknowledged, AcknowledgedBy = c.AcknowledgedBy, AcknowledgedAt = c.AcknowledgedAt ?? c.At,
                    };
                }

                break;
            case AlertCleared c: _alerts.Remove(c.AlertId); break;
            case StationStateChanged c: _stations[Key(c.State)] = c.State; break;
            case DrillStarted c: Drill = c.Drill; break;
            case DrillEnded c: EndDrill(c.Drill.DrillId); break;
            case OfficialWarningChanged c:
                if (c.Warning.Status == OfficialWarningStatus.InForce) _warnings[c.Warning.WarningId] = c.Warning;
                else _warnings.Remove(c.Warning.WarningId);
                break;
            case EvacuationRecommended c:
                if (c.Recommendation.Status == RecommendationStatus.Open) _recommendations[c.Recommendation.RecommendationId] = c.Recommendation;
                break;
            case EvacuationRecommendationAnswered c: _recommendations.Remove(c.Recommendation.RecommendationId); break;
            // The gauge register is not part of the picture: a gauge shows once it has a state.
            case StationAdded or StationThresholdsChanged or SensorMessagesRefused or FieldReportWithdrawn: break;
            default: throw new InvalidOperationException($"Event kind {change.GetType().Name} is not known to the record of the situation.");
        }

        if (change is not StationStateChanged)
        {
            _recent.Enqueue(change);
            if (_recent.Count > SituationSnapshots.RecentEvents) _recent.Dequeue();
        }
    }

    /// <summary>
    /// The situation as staff saw it at <paramref name="moment"/> (at or after At): the same selection and order as the
    /// live read, with the moment for "now" (a closed report leaves the picture a day after its last change).
    /// </summary>
    public SituationSnapshot ToSnapshot(DateTimeOffset moment)
    {
        var drillId = Drill?.DrillId;
        var districts = _districtIds.Select(id =>
            (drillId is { } drill && _levels.TryGetValue((id, drill), out var drillLevel) ? drillLevel : null)
            ?? (_levels.TryGetValue((id, 0), out var real) ? real : new DistrictEvacuation(id, 0, null, null, null)));
        var reports = _reports.Values.Where(r => ShownAt(r, moment))
            .OrderByDescending(r => r.ReportedAt).ThenByDescending(r => r.ReportId).Take(ReportsShown);
        var alerts = _alerts.Values.OrderByDescending(a => a.RaisedAt).ThenByDescending(a => a.AlertId);
        var warnings = _warnings.Values.OrderByDescending(w => w.LevelEquivalent.HasValue).ThenByDescending(w => w.LevelEquivalent)
            .ThenBy(w => w.IssuedAt).ThenBy(w => w.WarningId);
        var recommendations = _recommendations.Values.OrderBy(r => r.MadeAt).ThenBy(r => r.RecommendationId);
        return new SituationSnapshot(Seq, moment, [.. _shelters.Values], [.. districts], [.. _stations.Values], [.. reports], [.. alerts],
            [.. _recent], Drill)
        {
            OfficialWarnings = [.. warnings],
            Recommendations = [.. recommendations],
        };
    }

    /// <summary>Ending a drill takes what it made away: its reports, alerts, warnings, recommendations and districts' drill levels.</summary>
    private void EndDrill(long drillId)
    {
        Drill = null;
        RemoveWhere(_reports, r => r.DrillId == drillId);
        RemoveWhere(_alerts, a => a.DrillId == drillId);
        RemoveWhere(_warnings, w => w.DrillId == drillId);
        RemoveWhere(_recommendations, r => r.DrillId == drillId);
        RemoveWhere(_levels, l => l.DrillId == drillId);
    }

    private static void RemoveWhere<TKey, TValue>(Dictionary<TKey, TValue> items, Func<TValue, bool> gone) where TKey : notnull
    {
        foreach (var key in items.Where(i => gone(i.Value)).Select(i => i.Key).ToList()) items.Remove(key);
    }

    private static bool ShownAt(FieldReport report, DateTimeOffset moment) =>
        !FieldReportWorkflow.IsClosed(report.Status) || report.UpdatedAt > moment - ClosedReportsShown;

    private static string Key(StationState state) => $"{state.StationId}\u0000{state.Quantity}";
}

/// <summary>What a <see cref="RecordedSituation"/> is made of: read from the live tables, or stored in a checkpoint.</summary>
public sealed record SituationParts(
    long Seq,
    DateTimeOffset At,
    IReadOnlyList<ShelterState> Shelters,
    IReadOnlyList<string> DistrictIds,
    IReadOnlyList<DistrictEvacuation> Levels,
    IReadOnlyList<StationState> Stations,
    IReadOnlyList<FieldReport> Reports,
    IReadOnlyList<AlertState> Alerts,
    IReadOnlyList<OfficialWarning> OfficialWarnings,
    IReadOnlyList<EvacuationRecommendation> Recommendations,
    IReadOnlyList<SituationEvent> Recent,
    Drill? Drill,
    IReadOnlyList<HazardStatus> Hazards);
