// The situation as the page knows it: loaded from a snapshot, moved on by each event, watched by the views.
import type {
  Drill,
  AlertState,
  EvacuationRecommendation,
  DistrictEvacuation,
  FieldReport,
  HazardStatus,
  OfficialWarning,
  ShelterState,
  SituationEvent,
  SituationEventKind,
  SituationSnapshot,
  StationState,
} from './situationMessages';

/** An event with what it changed, as it was before: enough to say "opened" rather than "updated". */
export interface AppliedEvent {
  event: SituationEvent;
  shelterBefore?: ShelterState;
  alertBefore?: AlertState;
  /** The gauge's state before a station_state_changed; undefined when it had never been heard from. */
  stationBefore?: StationState;
}

export type SituationChange = { kind: 'snapshot'; snapshot: SituationSnapshot } | { kind: 'events'; applied: AppliedEvent[] };

/** Whether a change may concern what a view shows: any snapshot, or events of the given kinds. */
export function concerns(change: SituationChange, kinds: readonly SituationEventKind[]): boolean {
  return change.kind === 'snapshot' || change.applied.some(({ event }) => kinds.includes(event.kind));
}

/** Gauge states and the gauge register (a gauge added, thresholds replaced): drawn by the station views alone. */
export const stationKinds: readonly SituationEventKind[] = ['station_state_changed', 'station_added', 'station_thresholds_changed'];

/** Changes of the gauge register, after which views that hold gauges' names, places or thresholds load them again. */
export const stationRegisterKinds: readonly SituationEventKind[] = ['station_added', 'station_thresholds_changed'];

/** Changes of a shelter's state, registry or suitability. */
export const shelterKinds: readonly SituationEventKind[] = ['shelter_status_changed', 'shelter_registry_changed', 'hazards_changed'];

/** Everything but gauge states and refused gauge messages, which have their own views. */
export const situationKinds: readonly SituationEventKind[] = [
  'shelter_status_changed',
  'shelter_registry_changed',
  'hazards_changed',
  'district_evacuation_level_changed',
  'field_report_submitted',
  'field_report_updated',
  'field_report_withdrawn',
  'alert_raised',
  'alert_acknowledged',
  'alert_cleared',
];

/** Alert changes: the alert list and its cue. */
export const alertKinds: readonly SituationEventKind[] = ['alert_raised', 'alert_escalated', 'alert_acknowledged', 'alert_cleared'];

export class Situation {
  readonly shelters = new Map<string, ShelterState>();
  readonly districts = new Map<string, DistrictEvacuation>();
  /** Each gauge's latest state, by station id (a gauge measures one quantity). */
  readonly stations = new Map<string, StationState>();
  readonly reports = new Map<number, FieldReport>();
  /** Alerts not yet cleared. */
  readonly alerts = new Map<number, AlertState>();
  /** Official warnings in force, by warning id. */
  readonly officialWarnings = new Map<number, OfficialWarning>();
  /** Open recommendations of a district 警戒レベル, by recommendation id (staff only). */
  readonly recommendations = new Map<number, EvacuationRecommendation>();
  /** The hazards as the last hazards_changed gave them; null until one arrived (GET /api/hazards has them before). */
  hazards: HazardStatus[] | null = null;
  /** The drill in progress, or null: while one is on, every view marks itself 訓練 / EXERCISE. */
  drill: Drill | null = null;
  /** False until the first snapshot: until then nothing is known about opening status or levels. */
  known = false;

  private readonly listeners = new Set<(change: SituationChange) => void>();

  /** Calls `listener` after each snapshot and batch; returns what stops that. */
  onChange(listener: (change: SituationChange) => void): () => void {
    this.listeners.add(listener);
    return () => this.listeners.delete(listener);
  }

  /** `hazards`: as they were at the snapshot's moment (a past situation carries them; the live snapshot does not). */
  load(snapshot: SituationSnapshot, hazards: HazardStatus[] | null = null): void {
    this.shelters.clear();
    this.districts.clear();
    this.stations.clear();
    this.reports.clear();
    this.alerts.clear();
    this.officialWarnings.clear();
    this.recommendations.clear();
    // A live snapshot does not carry the hazards: views that show them load them again.
    this.hazards = hazards;
    snapshot.shelters.forEach((s) => this.shelters.set(s.shelterId, s));
    snapshot.districts.forEach((d) => this.districts.set(d.districtId, d));
    snapshot.stations.forEach((s) => this.stations.set(s.stationId, s));
    snapshot.reports.forEach((r) => this.reports.set(r.reportId, r));
    (snapshot.alerts ?? []).forEach((a) => this.alerts.set(a.alertId, a));
    (snapshot.officialWarnings ?? []).forEach((w) => this.officialWarnings.set(w.warningId, w));
    (snapshot.recommendations ?? []).forEach((r) => this.recommendations.set(r.recommendationId, r));
    this.drill = snapshot.drill ?? null;
    this.known = true;
    this.emit({ kind: 'snapshot', snapshot });
  }

  apply(events: SituationEvent[]): void {
    const applied = events.map((event) => this.applyOne(event));
    this.emit({ kind: 'events', applied });
  }

  /** The highest 警戒レベル in force in any district (0 when none). */
  highestLevel(): number {
    let highest = 0;
    this.districts.forEach((d) => (highest = Math.max(highest, d.level)));
    return highest;
  }

  private applyOne(event: SituationEvent): AppliedEvent {
    switch (event.kind) {
      case 'shelter_status_changed': {
        const shelterBefore = this.shelters.get(event.shelter.shelterId);
        this.shelters.set(event.shelter.shelterId, event.shelter);
        return { event, shelterBefore };
      }
      case 'shelter_registry_changed': {
        const shelterBefore = this.shelters.get(event.shelter.shelterId);
        this.shelters.set(event.shelter.shelterId, event.shelter);
        return { event, shelterBefore };
      }
      case 'hazards_changed':
        this.hazards = event.hazards;
        event.shelters.forEach((s) => this.shelters.set(s.shelterId, s));
        return { event };
      case 'district_evacuation_level_changed':
        this.districts.set(event.district.districtId, event.district);
        return { event };
      case 'field_report_submitted':
        this.reports.set(event.report.reportId, event.report);
        return { event };
      case 'field_report_updated':
        this.reports.set(event.report.reportId, event.report);
        if (event.mergedInto) this.reports.set(event.mergedInto.reportId, event.mergedInto);
        return { event };
      case 'field_report_withdrawn':
        this.reports.delete(event.reportId);
        return { event };
      case 'alert_raised':
        this.alerts.set(event.alert.alertId, event.alert);
        return { event };
      // Escalation replaces the one alert: 注意 → 判断 → 危険 is one alert, not three.
      case 'alert_escalated': {
        const alertBefore = this.alerts.get(event.alert.alertId);
        this.alerts.set(event.alert.alertId, event.alert);
        return { event, alertBefore };
      }
      case 'alert_acknowledged': {
        const alertBefore = this.alerts.get(event.alertId);
        if (alertBefore) {
          this.alerts.set(event.alertId, {
            ...alertBefore,
            status: 'acknowledged',
            acknowledgedBy: event.acknowledgedBy,
            acknowledgedAt: event.acknowledgedAt ?? event.at,
          });
        }
        return { event, alertBefore };
      }
      case 'alert_cleared': {
        const alertBefore = this.alerts.get(event.alertId);
        this.alerts.delete(event.alertId);
        return { event, alertBefore };
      }
      case 'station_state_changed': {
        const stationBefore = this.stations.get(event.state.stationId);
        this.stations.set(event.state.stationId, event.state);
        return { event, stationBefore };
      }
      case 'drill_started':
        this.drill = event.drill;
        return { event };
      // What the drill made leaves with a new snapshot, which the stream loads on this event.
      case 'drill_ended':
        this.drill = null;
        return { event };
      // Ended and cancelled warnings leave the picture: only what is in force is kept.
      case 'official_warning_changed':
        if (event.warning.status === 'in_force') this.officialWarnings.set(event.warning.warningId, event.warning);
        else this.officialWarnings.delete(event.warning.warningId);
        return { event };
      case 'evacuation_recommended':
        if (event.recommendation.status === 'open') this.recommendations.set(event.recommendation.recommendationId, event.recommendation);
        return { event };
      case 'evacuation_recommendation_answered':
        this.recommendations.delete(event.recommendation.recommendationId);
        return { event };
      case 'sensor_messages_refused':
      // The register itself is not held here: the views that show gauges load it again (stationRegisterKinds).
      case 'station_added':
      case 'station_thresholds_changed':
        return { event };
    }
  }

  private emit(change: SituationChange): void {
    [...this.listeners].forEach((listener) => listener(change));
  }
}
