// The server's HTTP contract, in one place.
import type { CrowdingBand, FieldReport, HazardStatus, ShelterState, SituationEvent, SituationSnapshot, StationState } from './live/situationMessages';
import { untilShown } from './live/shownMoment';

export interface MapConfig {
  basemap: { url: string; attribution: string };
  center: [number, number];
  zoom: number;
  /** The gauge data come from the simulator: every page says so. */
  simulated: boolean;
}

export interface SignedInUser {
  userName: string;
  displayName: string;
  role: string;
}

export const layerIds = [
  'boundary',
  'districts',
  'rivers',
  'flood-zones',
  'landslide-zones',
  'stations',
  'shelters',
] as const;

export type LayerId = (typeof layerIds)[number];

/** GeoJSON FeatureCollection (RFC 7946, lon/lat) as the layers endpoint returns it. */
export interface FeatureCollectionJson {
  type: 'FeatureCollection';
  features: unknown[];
}

export class UnauthorizedError extends Error {}

async function getJson<T>(url: string): Promise<T> {
  const response = await fetch(url, { headers: { Accept: 'application/json' }, credentials: 'same-origin' });
  if (response.status === 401) throw new UnauthorizedError(url);
  if (!response.ok) throw new Error(`${url}: HTTP ${response.status}`);
  return (await response.json()) as T;
}

export function fetchConfig(): Promise<MapConfig> {
  return getJson<MapConfig>('/api/config');
}

export function fetchMe(): Promise<SignedInUser> {
  return getJson<SignedInUser>('/api/me');
}

/**
 * The area requested for every layer: the town with a margin (one site lies just outside it).
 * A fixed bbox keeps each layer's URL stable, so the browser's cache can revalidate it by ETag.
 */
export function townBbox(center: [number, number]): [number, number, number, number] {
  const [lon, lat] = center;
  const round = (v: number) => Math.round(v * 1000) / 1000;
  return [round(lon - 0.3), round(lat - 0.2), round(lon + 0.3), round(lat + 0.2)];
}

export function fetchLayer(id: LayerId, bbox: [number, number, number, number]): Promise<FeatureCollectionJson> {
  return getJson<FeatureCollectionJson>(`/api/layers/${id}?bbox=${bbox.join(',')}`);
}

/** Water-level thresholds in metres by key: standby, caution, evacuation, danger; or observation_start, danger. */
export type ThresholdLevels = Partial<Record<'observation_start' | 'standby' | 'caution' | 'evacuation' | 'danger', number>>;

/** A gauge as HQ sees it (staff only). */
export interface StationOverview {
  stationId: string;
  nameJa: string;
  nameEn?: string;
  kind: 'water_level' | 'rain';
  gaugeType: 'standard' | 'crisis' | 'amedas';
  expectedIntervalMinutes: number;
  thresholds: ThresholdLevels;
  state: StationState | null;
  deadLetters24h: number;
  lastDeadLetterAt?: string | null;
}

/** A gauge's readings for a chart: the highest water level, or the rain, per bucket; the window ends at its latest reading. */
export interface StationSeries {
  stationId: string;
  quantity: 'water_level' | 'rainfall';
  /** TimeSpan as "hh:mm:ss". */
  bucket: string;
  thresholds: ThresholdLevels;
  points: Array<{ at: string; value: number }>;
}

/** A gauge message refused by ingestion, with why. */
export interface DeadLetter {
  id: number;
  receivedAt: string;
  topic: string;
  stationId?: string | null;
  reason: string;
  detail?: string | null;
  /** The first 2 KB of what was sent. */
  payload: string;
  payloadBytes: number;
}

export function fetchStations(): Promise<StationOverview[]> {
  return getJson<StationOverview[]>('/api/stations');
}

export function fetchStationSeries(stationId: string, hours = 24): Promise<StationSeries> {
  return getJson<StationSeries>(`/api/stations/${encodeURIComponent(stationId)}/readings?hours=${hours}${untilShown('&')}`);
}

export function fetchDeadLetters(stationId: string | null, limit = 50): Promise<DeadLetter[]> {
  const query = stationId ? `stationId=${encodeURIComponent(stationId)}&limit=${limit}` : `limit=${limit}`;
  return getJson<DeadLetter[]>(`/api/dead-letters?${query}`);
}

// ── Field reports: HQ's reads (writes go through send()) ──

/** One change of a report, from the audit log: the fields it changed, as they were and as they became. */
export interface ReportHistoryEntry {
  at: string;
  /** The account that made the change. */
  actor: string;
  action: string;
  comment?: string | null;
  before?: Record<string, unknown> | null;
  after?: Record<string, unknown> | null;
}

/** An enabled account with the field role: whom HQ can assign a report to. */
export interface FieldCrew {
  userName: string;
  displayName: string;
}

/** One report as staff see it (GET /api/reports/{id}). */
export function fetchReport(reportId: number): Promise<FieldReport> {
  return getJson<FieldReport>(`/api/reports/${reportId}`);
}

/** Oldest first. */
export function fetchReportHistory(reportId: number): Promise<ReportHistoryEntry[]> {
  return getJson<ReportHistoryEntry[]>(`/api/reports/${reportId}/history${untilShown('?')}`);
}

export function fetchFieldCrews(): Promise<FieldCrew[]> {
  return getJson<FieldCrew[]>('/api/field-crews');
}
// ── end of field reports ──

// ── Shelters and hazards (issue 11): reads; writes go through send() ──

/** One change of a shelter, for its chart (Shelters/ShelterHistory on the server), oldest first. */
export interface ShelterHistoryEntry {
  at: string;
  change: 'opened' | 'closed' | 'count' | 'correction' | 'declared_full' | 'full_lifted' | 'note' | 'registry';
  open: boolean;
  occupancy: number;
  capacity?: number | null;
  declaredFull: boolean;
  crowding: CrowdingBand;
  actor: string;
}

/** A shelter near the asked point or district: open, suitable, not full, nearest first. */
export interface NearestShelter {
  /** Public: no contact, note or who. */
  shelter: ShelterState;
  /** Straight-line distance (PostGIS ST_Distance on geography). */
  distanceMetres: number;
}

export function fetchShelterHistory(shelterId: string): Promise<ShelterHistoryEntry[]> {
  return getJson<ShelterHistoryEntry[]>(`/api/shelters/${encodeURIComponent(shelterId)}/history${untilShown('?')}`);
}

/** Anyone: each hazard and what makes it active (gauges, the landslide estimate, HQ). */
export function fetchHazards(): Promise<HazardStatus[]> {
  return getJson<HazardStatus[]>('/api/hazards');
}

export type NearestFrom = { lon: number; lat: number } | { district: string };

export function fetchNearestShelters(from: NearestFrom, limit = 3): Promise<NearestShelter[]> {
  const query =
    'district' in from
      ? `district=${encodeURIComponent(from.district)}&limit=${limit}`
      : `lon=${from.lon.toFixed(6)}&lat=${from.lat.toFixed(6)}&limit=${limit}`;
  return getJson<NearestShelter[]>(`/api/shelters/nearest?${query}`);
}
// ── end of shelters and hazards ──

// ── The situation in the past (issue 15): HQ's time travel ──

/** How far back the situation can be shown, and when the last event happened. */
export interface SituationRecord {
  startsAt?: string | null;
  lastEventAt?: string | null;
}

/** The whole staff picture at a moment, with the hazards as they were. */
export interface PastSituation {
  moment: string;
  snapshot: SituationSnapshot;
  hazards: HazardStatus[];
}

/** Events after a position up to a moment; `more`: ask again from `through`. */
export interface PastEvents {
  after: number;
  through: number;
  events: SituationEvent[];
  more: boolean;
}

/** The moment is before the record begins (404 with the record's start). */
export class BeforeRecordError extends Error {
  constructor(readonly recordStartsAt: string | null) {
    super('before the record');
  }
}

export function fetchSituationRecord(): Promise<SituationRecord> {
  return getJson<SituationRecord>('/api/situation/record');
}

export async function fetchPastSituation(moment: Date): Promise<PastSituation> {
  const url = `/api/situation/at?moment=${encodeURIComponent(moment.toISOString())}`;
  const response = await fetch(url, { headers: { Accept: 'application/json' }, credentials: 'same-origin' });
  if (response.status === 404) {
    const problem = (await response.json().catch(() => ({}))) as { recordStartsAt?: string | null };
    throw new BeforeRecordError(problem.recordStartsAt ?? null);
  }
  if (response.status === 401) throw new UnauthorizedError(url);
  if (!response.ok) throw new Error(`${url}: HTTP ${response.status}`);
  return (await response.json()) as PastSituation;
}

export function fetchPastEvents(after: number, until: Date): Promise<PastEvents> {
  return getJson<PastEvents>(`/api/situation/events?after=${after}&until=${encodeURIComponent(until.toISOString())}`);
}
// ── end of the situation in the past ──
