// Hand-written situation messages for the issue-12 views (drill, 警戒レベル board, official warnings), in the shapes of
// the shared contract: the server's fixtures (test/fixtures/) do not carry these yet.
import type { DistrictEvacuation, Drill, OfficialWarning, SituationEvent, SituationSnapshot } from '../src/core/live/situationMessages';

export const snapshot = (over: Partial<SituationSnapshot> = {}): SituationSnapshot => ({
  seq: 10,
  at: '2026-07-28T09:00:00Z',
  shelters: [],
  districts: [],
  stations: [],
  reports: [],
  alerts: [],
  recent: [],
  ...over,
});

export const drill = (over: Partial<Drill> = {}): Drill => ({
  drillId: 3,
  name: '総合防災訓練',
  startedAt: '2026-09-01T00:30:00Z',
  ...over,
});

export const level = (districtId: string, value: number, over: Partial<DistrictEvacuation> = {}): DistrictEvacuation => ({
  districtId,
  level: value,
  issuedAt: '2026-07-28T08:40:00Z',
  ...over,
});

export const warning = (over: Partial<OfficialWarning> = {}): OfficialWarning => ({
  warningId: 1,
  warningKey: 'weather_warning:0638100:大雨警報:土砂災害',
  kind: 'weather_warning',
  name: '大雨警報（土砂災害）',
  nameEn: 'Heavy rain warning (landslides)',
  condition: '土砂災害',
  levelEquivalent: 3,
  status: 'in_force',
  source: 'jma_feed',
  issuedAt: '2026-07-28T07:12:00Z',
  areas: ['高畠町'],
  rivers: [],
  enteredByHand: false,
  updatedAt: '2026-07-28T07:12:00Z',
  ...over,
});

type EventBody<E> = E extends SituationEvent ? Omit<E, 'seq' | 'at'> : never;

let seq = 10;
/** An event as the hub sends it, numbered after the last one. */
export const event = (body: EventBody<SituationEvent>): SituationEvent =>
  ({ seq: ++seq, at: '2026-07-28T09:01:00Z', ...body }) as SituationEvent;
