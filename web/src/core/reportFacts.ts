// The rules of field reports the pages need, pure: how severe, whether closed, which moves HQ may offer (mirroring
// the server's FieldReportWorkflow, which decides), what a map cluster shows, and the triage queue's order and filter.
import { t } from './i18n';
import type { FieldReport, FieldReportCategory, FieldReportSeverity, FieldReportStatus } from './live/situationMessages';

/** 「現地報告 #12 道路通行止め」. */
export function reportTitle(report: Pick<FieldReport, 'reportId' | 'category'>): string {
  return t('reportTitle', { id: report.reportId, category: t(`reportCategory.${report.category}`) });
}

export const reportCategories: readonly FieldReportCategory[] = [
  'flooding',
  'landslide',
  'road_blocked',
  'building_damage',
  'rescue_needed',
  'river_anomaly',
  'other',
];

/** Least severe first. */
export const reportSeverities: readonly FieldReportSeverity[] = ['minor', 'serious', 'critical'];

export const reportStatuses: readonly FieldReportStatus[] = ['new', 'verified', 'in_progress', 'resolved', 'rejected', 'duplicate'];

/** 0 for minor up to 2 for critical. */
export function severityRank(severity: FieldReportSeverity): number {
  return reportSeverities.indexOf(severity);
}

/** Resolved, rejected and duplicate reports need nothing more from HQ. */
export function isClosed(status: FieldReportStatus): boolean {
  return status === 'resolved' || status === 'rejected' || status === 'duplicate';
}

/**
 * The status moves from each status (server: FieldReportWorkflow.CanMove). Marking a duplicate has its own request
 * (it merges), so it is not among the moves offered on the status form; `canMarkDuplicate` says when it is.
 */
const moves: Record<FieldReportStatus, readonly FieldReportStatus[]> = {
  new: ['verified', 'rejected', 'duplicate'],
  verified: ['in_progress', 'resolved', 'rejected', 'duplicate', 'new'],
  in_progress: ['resolved', 'verified'],
  resolved: ['in_progress'],
  rejected: ['new'],
  duplicate: [],
};

export function canMove(from: FieldReportStatus, to: FieldReportStatus): boolean {
  return moves[from].includes(to);
}

/** The statuses the status form offers from `from` (duplicate has its own form). */
export function statusMoves(from: FieldReportStatus): FieldReportStatus[] {
  return moves[from].filter((to) => to !== 'duplicate');
}

export function canMarkDuplicate(from: FieldReportStatus): boolean {
  return canMove(from, 'duplicate');
}

/** Categories residents see once HQ has verified a report (server: the public rule). */
export const publicCategories: readonly FieldReportCategory[] = ['road_blocked', 'flooding'];

/** Whether residents see the report now: verified or in progress, in a public category. */
export function isPublicReport(report: Pick<FieldReport, 'status' | 'category'>): boolean {
  return (report.status === 'verified' || report.status === 'in_progress') && publicCategories.includes(report.category);
}

/** The worst severity among `reports`; undefined for none. */
export function worstSeverity(reports: Iterable<Pick<FieldReport, 'severity'>>): FieldReportSeverity | undefined {
  let worst: FieldReportSeverity | undefined;
  for (const { severity } of reports) {
    if (worst === undefined || severityRank(severity) > severityRank(worst)) worst = severity;
  }
  return worst;
}

export interface ClusterSummary {
  count: number;
  /** The worst severity of the reports still open; of all of them when every one is closed. */
  worst: FieldReportSeverity;
  /** Every report in the cluster is closed: drawn grey. */
  closed: boolean;
}

/** What a cluster of reports on the map says: how many, and how bad the worst one still waiting is. */
export function clusterSummary(reports: readonly Pick<FieldReport, 'severity' | 'status'>[]): ClusterSummary {
  const open = reports.filter((r) => !isClosed(r.status));
  return {
    count: reports.length,
    worst: worstSeverity(open.length > 0 ? open : reports) ?? 'minor',
    closed: reports.length > 0 && open.length === 0,
  };
}

/**
 * The triage order: reports still open before closed ones, then the most severe first, then the one waiting longest
 * (reported earliest) first, then by number so the order is stable.
 */
export function compareForTriage(a: FieldReport, b: FieldReport): number {
  return (
    Number(isClosed(a.status)) - Number(isClosed(b.status)) ||
    severityRank(b.severity) - severityRank(a.severity) ||
    arrivedAt(a).localeCompare(arrivedAt(b)) ||
    a.reportId - b.reportId
  );
}

function arrivedAt(report: FieldReport): string {
  // Normalised, so that offsets written differently still compare as times.
  return new Date(report.reportedAt ?? report.observedAt).toISOString();
}

/** `open`: new, verified or in progress. `none` as district: reports outside every district. */
export interface TriageFilter {
  category: FieldReportCategory | 'all';
  status: FieldReportStatus | 'open' | 'all';
  district: string | 'all' | 'none';
}

export const allReports: TriageFilter = { category: 'all', status: 'all', district: 'all' };

export function matchesTriageFilter(report: FieldReport, filter: TriageFilter): boolean {
  if (filter.category !== 'all' && report.category !== filter.category) return false;
  if (filter.status === 'open' && isClosed(report.status)) return false;
  if (filter.status !== 'open' && filter.status !== 'all' && report.status !== filter.status) return false;
  if (filter.district === 'none' && report.districtId != null) return false;
  if (filter.district !== 'none' && filter.district !== 'all' && report.districtId !== filter.district) return false;
  return true;
}

/** The queue: the reports that match, in triage order. */
export function triageQueue(reports: Iterable<FieldReport>, filter: TriageFilter): FieldReport[] {
  return [...reports].filter((r) => matchesTriageFilter(r, filter)).sort(compareForTriage);
}

/** The full image of a report's photo, and its thumbnail. */
export function photoUrl(reportId: number, position: number, thumbnail = false): string {
  return `/api/reports/${reportId}/photos/${position}${thumbnail ? '/thumbnail' : ''}`;
}
