// Field reports for the tests, built with only what a case cares about set.
import type { FieldReport } from '../src/core/live/situationMessages';

/** A staff report with only what a case cares about set. */
export function report(reportId: number, fields: Partial<FieldReport> = {}): FieldReport {
  return {
    reportId,
    category: 'flooding',
    severity: 'minor',
    status: 'new',
    observedAt: '2026-07-08T04:00:00+00:00',
    reportedAt: '2026-07-08T04:01:00+00:00',
    updatedAt: '2026-07-08T04:01:00+00:00',
    longitude: 140.2012,
    latitude: 38.0105,
    photos: [],
    ...fields,
  };
}
