using System.Text.Json.Serialization;
using Bousai.Server.Alerts;
using Bousai.Server.Drills;
using Bousai.Server.Evacuation;
using Bousai.Server.OfficialWarnings;
using Bousai.Server.Reports;
using Bousai.Server.Sensors;
using Bousai.Server.Shelters;

namespace Bousai.Server.Live;

/// <summary>
/// One change of the situation, as logged in situation_events and pushed by the hubs. Seq is gap-free and strictly
/// increasing across every server instance; At is when the change was committed by the server.
/// </summary>
[JsonPolymorphic(TypeDiscriminatorPropertyName = "kind")]
[JsonDerivedType(typeof(StationStateChanged), "station_state_changed")]
[JsonDerivedType(typeof(FieldReportSubmitted), "field_report_submitted")]
[JsonDerivedType(typeof(FieldReportUpdated), "field_report_updated")]
[JsonDerivedType(typeof(FieldReportWithdrawn), "field_report_withdrawn")]
[JsonDerivedType(typeof(ShelterStatusChanged), "shelter_status_changed")]
[JsonDerivedType(typeof(ShelterRegistryChanged), "shelter_registry_changed")]
[JsonDerivedType(typeof(HazardsChanged), "hazards_changed")]
[JsonDerivedType(typeof(AlertRaised), "alert_raised")]
[JsonDerivedType(typeof(AlertAcknowledged), "alert_acknowledged")]
[JsonDerivedType(typeof(AlertCleared), "alert_cleared")]
[JsonDerivedType(typeof(DistrictEvacuationLevelChanged), "district_evacuation_level_changed")]
[JsonDerivedType(typeof(SensorMessagesRefused), "sensor_messages_refused")]
[JsonDerivedType(typeof(StationAdded), "station_added")]
[JsonDerivedType(typeof(StationThresholdsChanged), "station_thresholds_changed")]
[JsonDerivedType(typeof(DrillStarted), "drill_started")]
[JsonDerivedType(typeof(DrillEnded), "drill_ended")]
[JsonDerivedType(typeof(AlertEscalated), "alert_escalated")]
[JsonDerivedType(typeof(OfficialWarningChanged), "official_warning_changed")]
[JsonDerivedType(typeof(EvacuationRecommended), "evacuation_recommended")]
[JsonDerivedType(typeof(EvacuationRecommendationAnswered), "evacuation_recommendation_answered")]
public abstract record SituationEvent
{
    public long Seq { get; init; }

    public DateTimeOffset At { get; init; }

    /// <summary>What residents may see of this change on the public hub, or null when it is for staff only.</summary>
    public abstract SituationEvent? ForPublic();
}

/// <summary>A gauge's state changed (a new reading, or a late one that changed its totals). Several in a row for one gauge are coalesced for each client (latest wins).</summary>
public sealed record StationStateChanged(StationState State) : SituationEvent
{
    public override SituationEvent ForPublic() => this;
}

/// <summary>A crew's report arrived (a new report is never public: HQ verifies it first).</summary>
public sealed record FieldReportSubmitted(FieldReport Report) : SituationEvent
{
    public override SituationEvent? ForPublic() => Report.IsVisibleToPublic() ? this with { Report = Report.ForPublic() } : null;
}

/// <summary>
/// HQ changed a report (Action says what, Comment why). WasPublic: whether residents saw it before, so the public hub
/// learns when it leaves their view. A duplicate merge carries the target as it is after the merge (MergedInto): one
/// change, both reports.
/// </summary>
public sealed record FieldReportUpdated(
    FieldReport Report,
    bool WasPublic,
    string? UpdatedBy,
    FieldReportChange Action,
    string? Comment = null,
    FieldReport? MergedInto = null) : SituationEvent
{
    // A merged duplicate's photos are not public on the target until HQ says so: residents' view of the target is unchanged.
    public override SituationEvent? ForPublic() => (Report.IsVisibleToPublic(), WasPublic) switch
    {
        (true, _) => this with { Report = Report.ForPublic(), UpdatedBy = null, Comment = null, MergedInto = null },
        (false, true) => new FieldReportWithdrawn(Report.ReportId) { Seq = Seq, At = At },
        _ => null,
    };
}

/// <summary>Public only: a report residents could see is no longer public (resolved, rejected, merged), so it leaves their map.</summary>
public sealed record FieldReportWithdrawn(long ReportId) : SituationEvent
{
    public override SituationEvent ForPublic() => this;
}

/// <summary>A shelter opened, closed, or its head count or full declaration changed.</summary>
public sealed record ShelterStatusChanged(ShelterState Shelter) : SituationEvent
{
    public override SituationEvent ForPublic() => this with { Shelter = Shelter.ForPublic() };
}

/// <summary>HQ or an admin changed a shelter's registry (capacity, designated hazards, kind, accessible facilities, contact).</summary>
public sealed record ShelterRegistryChanged(ShelterState Shelter) : SituationEvent
{
    public override SituationEvent ForPublic() => this with { Shelter = Shelter.ForPublic() };
}

/// <summary>
/// The active hazards changed (a gauge crossed 避難判断水位, the landslide estimate went to warning, HQ declared or
/// lifted one): the hazards and every shelter judged by them again.
/// </summary>
public sealed record HazardsChanged(IReadOnlyList<HazardStatus> Hazards, IReadOnlyList<ShelterState> Shelters) : SituationEvent
{
    public override SituationEvent ForPublic() => this with
    {
        Hazards = [.. Hazards.Select(h => h.ForPublic())],
        Shelters = [.. Shelters.Select(s => s.ForPublic())],
    };
}

public sealed record AlertRaised(AlertState Alert) : SituationEvent
{
    public override SituationEvent? ForPublic() => null;
}

/// <summary>A threshold alert moved up a step (氾濫注意 → 避難判断 → 氾濫危険): the same alert, replaced by id.</summary>
public sealed record AlertEscalated(AlertState Alert) : SituationEvent
{
    public override SituationEvent? ForPublic() => null;
}

/// <summary>Someone is on the alert. AcknowledgedAt is absent only in events logged before it was carried.</summary>
public sealed record AlertAcknowledged(long AlertId, string AcknowledgedBy, DateTimeOffset? AcknowledgedAt = null) : SituationEvent
{
    public override SituationEvent? ForPublic() => null;
}

/// <summary>The alert is over. ClearedAt is absent only in events logged before it was carried.</summary>
public sealed record AlertCleared(long AlertId, string ClearedBy, string? Note, DateTimeOffset? ClearedAt = null) : SituationEvent
{
    public override SituationEvent? ForPublic() => null;
}

/// <summary>
/// The town issued, raised, lowered or lifted (level 0) a district's 警戒レベル. Residents see the level and its
/// reason (the order states why), not the staff who decided or entered it.
/// </summary>
public sealed record DistrictEvacuationLevelChanged(DistrictEvacuation District, int PreviousLevel) : SituationEvent
{
    public override SituationEvent ForPublic() => this with { District = District.ForPublic() };
}

/// <summary>Gauge messages (or backlog elements) refused into the dead letters by one ingestion batch, counted per station and reason.</summary>
public sealed record SensorMessagesRefused(IReadOnlyList<RefusalCount> Refusals) : SituationEvent
{
    public override SituationEvent? ForPublic() => null;
}

/// <summary>An admin added a gauge; ingestion accepts its readings from now on. Gauges and their thresholds are public, who added one is not.</summary>
public sealed record StationAdded(StationDefinition Station, string? AddedBy) : SituationEvent
{
    public override SituationEvent ForPublic() => this with { AddedBy = null };
}

/// <summary>An admin replaced a gauge's thresholds (metres by stage key); its latest reading is judged again by them.</summary>
public sealed record StationThresholdsChanged(
    string StationId,
    IReadOnlyDictionary<string, double> Thresholds,
    IReadOnlyDictionary<string, double> PreviousThresholds,
    string? ChangedBy) : SituationEvent
{
    public override SituationEvent ForPublic() => this with { ChangedBy = null };
}

/// <summary>HQ started a drill: from now on what is made is marked 訓練 / EXERCISE on every page and message.</summary>
public sealed record DrillStarted(Drill Drill) : SituationEvent
{
    public override SituationEvent ForPublic() => this with { Drill = Drill.ForPublic() };
}

/// <summary>
/// HQ ended the drill: everything made during it leaves the live picture. Clients load a new snapshot on this event
/// rather than work out what left.
/// </summary>
public sealed record DrillEnded(Drill Drill) : SituationEvent
{
    public override SituationEvent ForPublic() => this with { Drill = Drill.ForPublic() };
}

/// <summary>
/// An official warning was issued, continued with changes, ended or cancelled (取消: it leaves the picture). One event per
/// warning that changed. Residents see it, not who entered it by hand.
/// </summary>
public sealed record OfficialWarningChanged(OfficialWarning Warning) : SituationEvent
{
    public override SituationEvent ForPublic() => this with { Warning = Warning.ForPublic() };
}

public sealed record RefusalCount(string? StationId, string Reason, int Count);

/// <summary>The system recommends a 警戒レベル for a district, with its reason: for HQ to issue or dismiss. Staff only.</summary>
public sealed record EvacuationRecommended(EvacuationRecommendation Recommendation) : SituationEvent
{
    public override SituationEvent? ForPublic() => null;
}

/// <summary>A recommendation was answered: issued or dismissed by a person, or superseded by the system. Staff only.</summary>
public sealed record EvacuationRecommendationAnswered(EvacuationRecommendation Recommendation) : SituationEvent
{
    public override SituationEvent? ForPublic() => null;
}
