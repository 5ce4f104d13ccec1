// What the situation hubs stream (docs/architecture.md, "Live situation channel"): the C# records of
// src/Bousai.Server/Live and the feature endpoints, as JSON (camelCase, enums in snake_case, nulls left out).

export type CrowdingBand = 'closed' | 'available' | 'somewhat_crowded' | 'crowded' | 'full' | 'unknown';

/** ShelterKind on the server: 指定緊急避難場所, 指定避難所, both, 福祉避難所 (a welfare shelter is a place to stay). */
export type ShelterKind = 'emergency_site' | 'evacuation_shelter' | 'both' | 'welfare';

/** A hazard a shelter can be designated for, and the ones that can be active (flood, landslide). */
export type ShelterHazard = 'flood' | 'landslide' | 'earthquake';
export type ActiveHazardKind = 'flood' | 'landslide';

/** Why a shelter is not suitable for the active hazards, in words for both languages. */
export interface SuitabilityReason {
  /** not_designated, in_flood_zone, in_landslide_zone, … */
  code: string;
  ja: string;
  en: string;
}

/**
 * Whether the shelter may be suggested while the active hazards last (Shelters/ShelterSuitability.cs). No hazard
 * active: every shelter is suitable. placeToStay false: an emergency site only, a place to flee to, never to stay.
 */
export interface ShelterSuitability {
  suitable: boolean;
  placeToStay: boolean;
  reasons: SuitabilityReason[];
}

export interface ShelterState {
  shelterId: string;
  open: boolean;
  occupancy: number;
  capacity?: number;
  declaredFull: boolean;
  crowding: CrowdingBand;
  updatedAt?: string;
  /** Staff only. */
  note?: string;
  /** Staff only. */
  updatedBy?: string;
  /** Issue 11: the registry and the suitability for the active hazards. */
  capacityAssumed?: boolean;
  kind?: ShelterKind;
  /** The hazards it is designated for (the registry's, as HQ last saved them). */
  hazards?: ShelterHazard[];
  accessible?: boolean;
  /** Staff only. */
  contact?: string;
  suitability?: ShelterSuitability;
}

/** What makes a hazard active: one gauge at or above 避難判断水位, the town's landslide estimate, or HQ's declaration. */
export interface HazardSource {
  kind: 'gauge' | 'estimate' | 'hq';
  /** A gauge source: the gauge and its river. */
  stationId?: string;
  river?: string;
  /** An HQ source: why; who decided (staff only) and when. */
  reason?: string;
  decidedBy?: string;
  at?: string;
}

/** One hazard and whether it is active now, with each thing that makes it so. */
export interface HazardStatus {
  hazard: ActiveHazardKind;
  active: boolean;
  sources: HazardSource[];
}

/** A district's 警戒レベル as the town issued it; 0 is none or lifted. */
export interface DistrictEvacuation {
  districtId: string;
  level: number;
  issuedAt?: string;
  /** Staff only: who decided it (e.g. 本部長). */
  decidedBy?: string;
  /** Staff only: who entered it. */
  enteredBy?: string;
  /** Staff only: why it was issued or lifted (recorded since the server requires a reason). */
  reason?: string;
  /** Issue 12: the recommendation it answered, when issued from one. */
  recommendationId?: number;
  /** Issued during a drill: 訓練 / EXERCISE, beside the real level. */
  drillId?: number;
}

/** Where a water level stands against its station's own 基準水位 (a crisis gauge: normal, observing, danger). */
export type WaterLevelStage = 'normal' | 'observing' | 'standby' | 'caution' | 'evacuation' | 'danger';
export type TrendDirection = 'unknown' | 'falling' | 'steady' | 'rising';
export type LandslideConcern = 'none' | 'advisory' | 'warning';

export interface RainTotals {
  tenMinutes: number;
  sixtyMinutes: number;
  twentyFourHours: number;
  /** 累加雨量: since rain began after a dry spell of 24 h. */
  continuous: number;
  continuousSince?: string;
}

/** The town's own landslide estimate from its rain gauge: never the official 土砂災害警戒情報, always shown with its label. */
export interface LocalLandslideEstimate {
  concern: LandslideConcern;
  sixtyMinuteMm: number;
  soilWaterIndex: number;
  /** Which criteria were met (ja). */
  reason: string;
  reasonEn: string;
  /** The label to show with the estimate (ja). */
  label: string;
}

/**
 * A gauge's latest reading and what follows from it (Sensors/StationStates.cs). After `staleAfter` the gauge counts as
 * silent ("no data"), which the page judges against its own clock. Gauges never heard from are absent.
 */
export interface StationState {
  stationId: string;
  quantity: 'water_level' | 'rainfall';
  value: number;
  observedAt: string;
  heardAt: string;
  staleAfter?: string;
  /** Water level only. */
  stage?: WaterLevelStage;
  /** 警戒レベル相当: 2, 3 or 4 (caution, evacuation, danger). */
  alertLevelEquivalent?: number;
  trend?: TrendDirection;
  metresPerHour?: number;
  rain?: RainTotals;
  landslide?: LocalLandslideEstimate;
}

/** Gauge messages refused into the dead letters by one ingestion batch (staff only). */
export interface RefusalCount {
  stationId?: string;
  reason: string;
  count: number;
}

export type FieldReportCategory =
  | 'flooding'
  | 'landslide'
  | 'road_blocked'
  | 'building_damage'
  | 'rescue_needed'
  | 'river_anomaly'
  | 'other';
/** In words, ordered: minor < serious < critical (lives at risk). */
export type FieldReportSeverity = 'minor' | 'serious' | 'critical';
/** resolved, rejected and duplicate are closed; duplicate is final (merged into `duplicateOf`). */
export type FieldReportStatus = 'new' | 'verified' | 'in_progress' | 'resolved' | 'rejected' | 'duplicate';

/** A photo of a report: its images are /api/reports/{reportId}/photos/{position} and …/thumbnail. */
export interface FieldReportPhoto {
  position: number;
  /** HQ made it public: residents see it while the report is public. */
  public: boolean;
  width: number;
  height: number;
}

/**
 * A report from a field crew (Reports/ on the server). The public hub sends only public reports (verified or in
 * progress, in a public category), and of them only what residents may see: no reporter, description, assignee,
 * reason, internal note or accuracy, and only the public photos.
 */
export interface FieldReport {
  reportId: number;
  category: FieldReportCategory;
  severity: FieldReportSeverity;
  status: FieldReportStatus;
  observedAt: string;
  updatedAt: string;
  longitude: number;
  latitude: number;
  districtId?: string;
  publicSummary?: string;
  photos: FieldReportPhoto[];
  /** Staff only. */
  clientId?: string;
  /** Staff only (the public projection has no reportedAt). */
  reportedAt?: string;
  /** Staff only. */
  accuracyMetres?: number;
  /** Staff only. */
  description?: string;
  /** Staff only: the reporter's user name. */
  reportedBy?: string;
  /** Staff only: the reporter's display name. */
  reportedByName?: string;
  /** Staff only: the field crew account it is assigned to. */
  assignedTo?: string;
  assignedToName?: string;
  /** Staff only: the report this one was merged into. */
  duplicateOf?: number;
  /** Staff only. */
  rejectionReason?: string;
  /** Staff only. */
  internalNote?: string;
  /** Sent during a drill: 訓練 / EXERCISE. */
  drillId?: number;
}

/** What a field_report_updated says was changed. */
export type FieldReportAction = 'status' | 'duplicate' | 'assignment' | 'notes' | 'photo';

export type AlertStatus = 'raised' | 'acknowledged' | 'cleared';

export interface AlertState {
  alertId: number;
  kind: string;
  level?: number;
  districtId?: string;
  message: string;
  status: AlertStatus;
  raisedAt: string;
  raisedBy?: string;
  acknowledgedBy?: string;
  acknowledgedAt?: string;
  clearedBy?: string;
  clearedAt?: string;
  /** Why it was cleared, as the one who cleared it wrote. */
  note?: string;
  /** Issue 12: 'hq' (raised by hand) or 'system' (a threshold rule on a gauge). */
  source?: AlertSource;
  /** A system alert: the gauge, the rule and the step it reached. */
  stationId?: string;
  ruleKind?: ThresholdRuleKind;
  step?: ThresholdStep;
  /** 警戒レベル相当 of a system alert (its `level` too). */
  levelEquivalent?: number;
  /** The message in English (`message` is the Japanese one). */
  messageEn?: string;
  /** Made while a drill was on: 訓練 / EXERCISE. */
  drillId?: number;
  /** When a system alert last escalated. */
  updatedAt?: string;
}

export type AlertSource = 'hq' | 'system';
export type ThresholdRuleKind = 'river_stage' | 'sixty_minute_rain' | 'local_landslide' | 'gauge_silence';
export type ThresholdStep = 'none' | 'observing' | 'caution' | 'evacuation' | 'danger' | 'rain_criterion' | 'landslide_warning' | 'silent';

export type OfficialWarningKind = 'weather_warning' | 'landslide_alert' | 'river_flood';
export type OfficialWarningStatus = 'in_force' | 'ended' | 'cancelled';
export type OfficialWarningSource = 'jma_feed' | 'jma_upload' | 'jma_drop' | 'hand';

/** An official warning (JMA 防災情報XML or entered by hand from a fax or call): never a local estimate. */
export interface OfficialWarning {
  warningId: number;
  warningKey: string;
  kind: OfficialWarningKind;
  name: string;
  nameEn: string;
  condition?: string;
  levelEquivalent?: number;
  status: OfficialWarningStatus;
  source: OfficialWarningSource;
  issuedAt: string;
  validUntil?: string;
  areas: string[];
  rivers: string[];
  headline?: string;
  enteredByHand: boolean;
  /** Staff only: who entered it by hand. */
  enteredBy?: string;
  drillId?: number;
  updatedAt: string;
}

export type EvacuationRecommendationStatus = 'open' | 'issued' | 'dismissed' | 'superseded';

/** A district 警戒レベル the system recommends; a person issues or dismisses it (staff only). */
export interface EvacuationRecommendation {
  recommendationId: number;
  districtId: string;
  level: number;
  levelNameJa: string;
  levelNameEn: string;
  basis: string;
  reasonJa: string;
  reasonEn: string;
  madeAt: string;
  status: EvacuationRecommendationStatus;
  answeredBy?: string;
  answeredAt?: string;
  answerReason?: string;
  drillId?: number;
}

/** Metres by stage key (standby, caution, evacuation, danger; a crisis gauge has observation_start and danger). */
export type StationThresholds = Record<string, number>;

/** A gauge in the town's register, as an admin added it (Sensors/StationStore.cs). */
export interface StationDefinition {
  stationId: string;
  nameJa: string;
  nameEn?: string;
  kind: 'water_level' | 'rain';
  gaugeType: string;
  riverJa?: string;
  expectedIntervalMinutes: number;
  longitude: number;
  latitude: number;
  thresholds: StationThresholds;
}

interface EventBase {
  seq: number;
  /** When the server committed the change (ISO 8601). */
  at: string;
}

export type SituationEvent =
  | (EventBase & { kind: 'shelter_status_changed'; shelter: ShelterState })
  /** HQ changed a shelter's registry (capacity, hazards, kind, accessible, contact): its state as it is now. */
  | (EventBase & { kind: 'shelter_registry_changed'; shelter: ShelterState; changedBy?: string })
  /** The active hazards changed: every shelter's state with its new suitability. */
  | (EventBase & { kind: 'hazards_changed'; hazards: HazardStatus[]; shelters: ShelterState[] })
  | (EventBase & { kind: 'district_evacuation_level_changed'; district: DistrictEvacuation; previousLevel: number })
  | (EventBase & { kind: 'field_report_submitted'; report: FieldReport })
  /** updatedBy, action, comment and mergedInto: staff only. */
  | (EventBase & {
      kind: 'field_report_updated';
      report: FieldReport;
      /** Whether residents saw the report before this change. */
      wasPublic?: boolean;
      updatedBy?: string;
      action?: FieldReportAction;
      comment?: string;
      /** A duplicate merge: the report it went into, as it is after the merge (one change, both reports). */
      mergedInto?: FieldReport;
    })
  | (EventBase & { kind: 'field_report_withdrawn'; reportId: number })
  | (EventBase & { kind: 'alert_raised'; alert: AlertState })
  /** A system alert reached a higher step: the same alert, as it is now. */
  | (EventBase & { kind: 'alert_escalated'; alert: AlertState })
  /** acknowledgedAt / clearedAt are absent only in events logged before the server carried them. */
  | (EventBase & { kind: 'alert_acknowledged'; alertId: number; acknowledgedBy: string; acknowledgedAt?: string })
  | (EventBase & { kind: 'alert_cleared'; alertId: number; clearedBy: string; note?: string; clearedAt?: string })
  | (EventBase & { kind: 'station_state_changed'; state: StationState })
  | (EventBase & { kind: 'sensor_messages_refused'; refusals: RefusalCount[] })
  /** Staff only: addedBy / changedBy (the public hub leaves them out). */
  | (EventBase & { kind: 'station_added'; station: StationDefinition; addedBy?: string })
  | (EventBase & {
      kind: 'station_thresholds_changed';
      stationId: string;
      thresholds: StationThresholds;
      previousThresholds: StationThresholds;
      changedBy?: string;
    })
  /** From now on everything made is marked 訓練 / EXERCISE. */
  | (EventBase & { kind: 'drill_started'; drill: Drill })
  /** The drill's records left the live picture: the page loads a new snapshot. */
  | (EventBase & { kind: 'drill_ended'; drill: Drill })
  /** An official warning was issued, continued with changes, ended or cancelled. */
  | (EventBase & { kind: 'official_warning_changed'; warning: OfficialWarning })
  | (EventBase & { kind: 'evacuation_recommended'; recommendation: EvacuationRecommendation })
  /** Issued, dismissed or superseded. */
  | (EventBase & { kind: 'evacuation_recommendation_answered'; recommendation: EvacuationRecommendation });

/** A drill (訓練); who started or ended it is staff only. */
export interface Drill {
  drillId: number;
  name: string;
  startedAt: string;
  startedBy?: string;
  endedAt?: string;
  endedBy?: string;
}

export type SituationEventKind = SituationEvent['kind'];

/** The whole situation as of event `seq`. The public hub sends no alerts and no recent events. */
export interface SituationSnapshot {
  seq: number;
  at: string;
  shelters: ShelterState[];
  districts: DistrictEvacuation[];
  /** Gauges never heard from are absent. */
  stations: StationState[];
  reports: FieldReport[];
  alerts: AlertState[];
  recent: SituationEvent[];
  /** The drill in progress; absent when none is on. */
  drill?: Drill;
  /** Official warnings in force. */
  officialWarnings?: OfficialWarning[];
  /** Staff: open recommendations; the public hub sends none. */
  recommendations?: EvacuationRecommendation[];
}

export type ResyncReason = 'expired' | 'too_far_behind' | 'unknown_position';

export type SituationMessage =
  | { type: 'snapshot'; snapshot: SituationSnapshot }
  | { type: 'events'; after: number; through: number; events: SituationEvent[] }
  | { type: 'resync'; reason: ResyncReason };
