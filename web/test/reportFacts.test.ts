import { describe, expect, it } from 'vitest';
import type { FieldReport, FieldReportStatus } from '../src/core/live/situationMessages';
import {
  canMarkDuplicate,
  canMove,
  clusterSummary,
  isPublicReport,
  matchesTriageFilter,
  reportStatuses,
  statusMoves,
  triageQueue,
  worstSeverity,
} from '../src/core/reportFacts';
import { report } from './reports';

describe('the triage order', () => {
  it('puts the most severe first and, among equals, the one waiting longest first', () => {
    const queue = triageQueue(
      [
        report(1, { severity: 'minor', reportedAt: '2026-07-08T04:00:00+00:00' }),
        report(2, { severity: 'critical', reportedAt: '2026-07-08T04:30:00+00:00' }),
        report(3, { severity: 'serious', reportedAt: '2026-07-08T04:10:00+00:00' }),
        report(4, { severity: 'critical', reportedAt: '2026-07-08T04:05:00+00:00' }),
        // The same instant written in Japan time: still earlier than #2.
        report(5, { severity: 'critical', reportedAt: '2026-07-08T13:20:00+09:00' }),
      ],
      { category: 'all', status: 'all', district: 'all' },
    );
    expect(queue.map((r) => r.reportId)).toEqual([4, 5, 2, 3, 1]);
  });

  it('puts closed reports after every open one, whatever their severity', () => {
    const queue = triageQueue(
      [report(1, { severity: 'critical', status: 'resolved' }), report(2, { severity: 'minor', status: 'in_progress' })],
      { category: 'all', status: 'all', district: 'all' },
    );
    expect(queue.map((r) => r.reportId)).toEqual([2, 1]);
  });
});

describe('the triage filter', () => {
  const cases: Array<[string, Partial<FieldReport>, Parameters<typeof matchesTriageFilter>[1], boolean]> = [
    ['category matches', { category: 'landslide' }, { category: 'landslide', status: 'all', district: 'all' }, true],
    ['category differs', { category: 'flooding' }, { category: 'landslide', status: 'all', district: 'all' }, false],
    ['open takes new', { status: 'new' }, { category: 'all', status: 'open', district: 'all' }, true],
    ['open takes in progress', { status: 'in_progress' }, { category: 'all', status: 'open', district: 'all' }, true],
    ['open leaves out resolved', { status: 'resolved' }, { category: 'all', status: 'open', district: 'all' }, false],
    ['open leaves out duplicates', { status: 'duplicate' }, { category: 'all', status: 'open', district: 'all' }, false],
    ['one status', { status: 'rejected' }, { category: 'all', status: 'rejected', district: 'all' }, true],
    ['another status', { status: 'verified' }, { category: 'all', status: 'rejected', district: 'all' }, false],
    ['district matches', { districtId: 'd-01' }, { category: 'all', status: 'all', district: 'd-01' }, true],
    ['district differs', { districtId: 'd-02' }, { category: 'all', status: 'all', district: 'd-01' }, false],
    ['no district: outside', {}, { category: 'all', status: 'all', district: 'none' }, true],
    ['a district is not outside', { districtId: 'd-01' }, { category: 'all', status: 'all', district: 'none' }, false],
    ['no district is not in one', {}, { category: 'all', status: 'all', district: 'd-01' }, false],
  ];
  it.each(cases)('%s', (_, fields, filter, expected) => {
    expect(matchesTriageFilter(report(1, fields), filter)).toBe(expected);
  });

  it('combines all three', () => {
    const reports = [
      report(1, { category: 'road_blocked', status: 'new', districtId: 'd-01' }),
      report(2, { category: 'road_blocked', status: 'resolved', districtId: 'd-01' }),
      report(3, { category: 'flooding', status: 'new', districtId: 'd-01' }),
      report(4, { category: 'road_blocked', status: 'verified', districtId: 'd-02' }),
      report(5, { category: 'road_blocked', status: 'verified', districtId: 'd-01' }),
    ];
    expect(triageQueue(reports, { category: 'road_blocked', status: 'open', district: 'd-01' }).map((r) => r.reportId)).toEqual([1, 5]);
  });
});

describe('a cluster on the map', () => {
  it('shows its count and its worst severity still open', () => {
    expect(clusterSummary([report(1, { severity: 'minor' }), report(2, { severity: 'critical' }), report(3, { severity: 'serious' })]))
      .toEqual({ count: 3, worst: 'critical', closed: false });
  });

  it('does not let a closed critical report make the cluster critical', () => {
    expect(clusterSummary([report(1, { severity: 'critical', status: 'resolved' }), report(2, { severity: 'serious' })]))
      .toEqual({ count: 2, worst: 'serious', closed: false });
  });

  it('is closed, with the worst of all, when every report in it is closed', () => {
    expect(clusterSummary([report(1, { severity: 'critical', status: 'rejected' }), report(2, { status: 'duplicate' })]))
      .toEqual({ count: 2, worst: 'critical', closed: true });
  });

  it('has no worst severity without reports', () => {
    expect(worstSeverity([])).toBeUndefined();
  });
});

describe('the moves HQ is offered', () => {
  // The server's FieldReportWorkflow table, as the contract states it.
  const allowed: Record<FieldReportStatus, FieldReportStatus[]> = {
    new: ['verified', 'rejected', 'duplicate'],
    verified: ['in_progress', 'resolved', 'rejected', 'duplicate', 'new'],
    in_progress: ['resolved', 'verified'],
    resolved: ['in_progress'],
    rejected: ['new'],
    duplicate: [],
  };
  const pairs = reportStatuses.flatMap((from) => reportStatuses.map((to): [FieldReportStatus, FieldReportStatus] => [from, to]));
  it.each(pairs)('%s → %s', (from, to) => {
    expect(canMove(from, to)).toBe(allowed[from].includes(to));
  });

  it('offers the duplicate mark on its own form, not among the status moves', () => {
    expect(statusMoves('new')).toEqual(['verified', 'rejected']);
    expect(canMarkDuplicate('new')).toBe(true);
    expect(canMarkDuplicate('in_progress')).toBe(false);
  });
});

describe('the public rule', () => {
  it.each([
    ['road_blocked', 'verified', true],
    ['flooding', 'in_progress', true],
    ['flooding', 'new', false],
    ['road_blocked', 'resolved', false],
    ['landslide', 'verified', false],
    ['river_anomaly', 'in_progress', false],
  ] as const)('%s %s → %s', (category, status, expected) => {
    expect(isPublicReport({ category, status })).toBe(expected);
  });
});
