// What the situation hubs stream (docs/architecture.md, "Live situation channel"): the C# records of
// src/Bousai.Server/Live and the feature endpoints, as JSON (camelCase, enums in snake_case, nulls left out).

export type CrowdingBand = 'closed' | 'available' | 'somewhat_crowded' | 'crowded' | 'full' | 'unknown';

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
}

export interface StationReading {
  stationId: string;
  quantity: string;
  value: number;
  observedAt: string;
}

export type FieldReportCategory = 'flooding' | 'landslide' | 'road_blocked' | 'building_damage' | 'rescue_needed' | 'other';
export type FieldReportStatus = 'new' | 'in_progress' | 'resolved';

export interface FieldReport {
  reportId: number;
  category: FieldReportCategory;
  status: FieldReportStatus;
  verified: boolean;
  longitude: number;
  latitude: number;
  reportedAt: string;
  /** Staff only. */
  description?: string;
  /** Staff only. */
  reportedBy?: string;
  /** Staff only. */
  internalNote?: string;
}

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
  clearedBy?: string;
}

interface EventBase {
  seq: number;
  /** When the server committed the change (ISO 8601). */
  at: string;
}

export type SituationEvent =
  | (EventBase & { kind: 'shelter_status_changed'; shelter: ShelterState })
  | (EventBase & { kind: 'district_evacuation_level_changed'; district: DistrictEvacuation; previousLevel: number })
  | (EventBase & { kind: 'field_report_submitted'; report: FieldReport })
  | (EventBase & { kind: 'field_report_updated'; report: FieldReport; wasVerified: boolean; updatedBy?: string })
  | (EventBase & { kind: 'field_report_withdrawn'; reportId: number })
  | (EventBase & { kind: 'alert_raised'; alert: AlertState })
  | (EventBase & { kind: 'alert_acknowledged'; alertId: number; acknowledgedBy: string })
  | (EventBase & { kind: 'alert_cleared'; alertId: number; clearedBy: string; note?: string })
  | (EventBase & { kind: 'station_reading_changed'; reading: StationReading });

export type SituationEventKind = SituationEvent['kind'];

/** The whole situation as of event `seq`. The public hub sends no alerts and no recent events. */
export interface SituationSnapshot {
  seq: number;
  at: string;
  shelters: ShelterState[];
  districts: DistrictEvacuation[];
  stations: StationReading[];
  reports: FieldReport[];
  alerts: AlertState[];
  recent: SituationEvent[];
}

export type ResyncReason = 'expired' | 'too_far_behind' | 'unknown_position';

export type SituationMessage =
  | { type: 'snapshot'; snapshot: SituationSnapshot }
  | { type: 'events'; after: number; through: number; events: SituationEvent[] }
  | { type: 'resync'; reason: ResyncReason };
