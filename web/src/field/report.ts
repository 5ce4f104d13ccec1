// What a crew sends and what comes back: the field report as the contract of issue 10 describes it.

export const categories = [
  'flooding',
  'landslide',
  'road_blocked',
  'building_damage',
  'rescue_needed',
  'river_anomaly',
  'other',
] as const;
export type FieldReportCategory = (typeof categories)[number];

/** In words, mildest first: minor < serious < critical (lives at risk). */
export const severities = ['minor', 'serious', 'critical'] as const;
export type FieldReportSeverity = (typeof severities)[number];

export const statuses = ['new', 'verified', 'in_progress', 'resolved', 'rejected', 'duplicate'] as const;
export type FieldReportStatus = (typeof statuses)[number];

/** The `report` part of POST /api/reports. */
export interface NewReport {
  clientId: string;
  category: FieldReportCategory;
  severity: FieldReportSeverity;
  description?: string;
  /** ISO 8601 with its offset (+09:00: entered in Japan time). */
  observedAt: string;
  longitude: number;
  latitude: number;
  /** The GPS fix's accuracy; absent when the place was tapped on the map. */
  accuracyMetres?: number;
}

export interface ReportPhoto {
  position: number;
  public: boolean;
  width: number;
  height: number;
}

/** A report as staff (and its reporter) see it. */
export interface OwnReport {
  reportId: number;
  clientId: string;
  category: FieldReportCategory;
  severity: FieldReportSeverity;
  status: FieldReportStatus;
  observedAt: string;
  reportedAt: string;
  updatedAt: string;
  longitude: number;
  latitude: number;
  accuracyMetres?: number | null;
  districtId?: string | null;
  description?: string | null;
  reportedBy: string;
  reportedByName?: string | null;
  duplicateOf?: number | null;
  rejectionReason?: string | null;
  photos: ReportPhoto[];
}

/** Whether a value from the server or the live stream has what the page shows of a report. */
export function isOwnReport(value: unknown): value is OwnReport {
  if (typeof value !== 'object' || value === null) return false;
  const r = value as Record<string, unknown>;
  return typeof r.reportId === 'number' && typeof r.status === 'string' && typeof r.reportedBy === 'string'
    && typeof r.category === 'string' && typeof r.updatedAt === 'string';
}

export const descriptionMaxLength = 2000;
export const maxPhotos = 4;
