// "My reports": the crew member's own reports with the state HQ gave them, loaded from /api/reports/mine and kept
// current by the staff situation hub (its report events carry the whole report; only this user's are kept).
import { html, nothing, render } from 'lit-html';
import { onLangChange } from '../core/i18n';
import { hhmm } from '../core/japanTime';
import { mountLiveIndicator } from '../core/live/liveIndicator';
import { concerns, Situation } from '../core/live/situation';
import { followSituation } from '../core/live/situationStream';
import type { Mounted } from '../core/mounted';
import { t } from './messages';
import { isOwnReport, type OwnReport } from './report';
import { fromCacheHeader } from './swCaches';

export interface MyReports extends Mounted {
  /** Loads the list again (back online, a report just sent). */
  refresh(): void;
  /** The live situation this view follows (the page's drill banner watches it too). */
  readonly situation: Situation;
}

/** The newer of two copies of one report. */
function newer(a: OwnReport | undefined, b: OwnReport): OwnReport {
  return a && Date.parse(a.updatedAt) > Date.parse(b.updatedAt) ? a : b;
}

export function mountMyReports(container: HTMLElement, liveStatus: HTMLElement, userName: string | null): MyReports {
  const reports = new Map<number, OwnReport>();
  let load: 'loading' | 'loaded' | 'cached' | 'failed' = 'loading';

  const keep = (value: unknown) => {
    if (!isOwnReport(value) || value.reportedBy !== userName) return;
    reports.set(value.reportId, newer(reports.get(value.reportId), value));
  };

  const statusText = (report: OwnReport) => html`<p class="report-status">
      <span class="status-badge">${t(`status.${report.status}`)}</span>
      <span class="updated">${t('updatedAt', { time: hhmm(report.updatedAt) })}</span>
    </p>
    ${report.status === 'rejected' && report.rejectionReason
      ? html`<p class="rejection-reason">${t('rejectionReason', { reason: report.rejectionReason })}</p>`
      : nothing}
    ${report.status === 'duplicate' && report.duplicateOf ? html`<p class="duplicate-of">${t('duplicateOf', { id: report.duplicateOf })}</p>` : nothing}`;

  const item = (report: OwnReport) => html`<li class="my-report" data-report-id=${report.reportId} data-status=${report.status}>
    <div class="item-head">
      <strong class="server-number">#${report.reportId}</strong>
      <span class="category">${t(`reportCategory.${report.category}`)}</span>
      <span class="severity severity-${report.severity}">${t(`severity.${report.severity}`)}</span>
    </div>
    <p class="item-meta">${t('observedAt', { time: hhmm(report.observedAt) })}</p>
    ${report.description ? html`<p class="item-text">${report.description}</p>` : nothing}
    ${report.photos.length > 0
      ? html`<ul class="item-photos">
          ${report.photos.map(
            (p) => html`<li><img loading="lazy" src=${`/api/reports/${report.reportId}/photos/${p.position}/thumbnail`} alt=${t('photos.alt', { n: p.position })} /></li>`,
          )}
        </ul>`
      : nothing}
    ${statusText(report)}
  </li>`;

  const paint = () => {
    const list = [...reports.values()].sort((a, b) => Date.parse(b.reportedAt) - Date.parse(a.reportedAt));
    const note = { loading: t('mine.loading'), loaded: '', cached: t('mine.offline'), failed: t('mine.failed') }[load];
    render(
      html`${note ? html`<p class="list-note" role="status">${note}</p>` : nothing}
        ${list.length === 0 && load !== 'loading'
          ? html`<p class="empty">${t('mine.empty')}</p>`
          : html`<ul class="my-reports" id="my-reports">${list.map(item)}</ul>`}`,
      container,
    );
  };

  const refresh = async () => {
    try {
      const response = await fetch('/api/reports/mine', { headers: { Accept: 'application/json' }, credentials: 'same-origin' });
      if (!response.ok) throw new Error(`/api/reports/mine: HTTP ${response.status}`);
      (await response.json() as unknown[]).forEach(keep);
      load = response.headers.get(fromCacheHeader) ? 'cached' : 'loaded';
    } catch (error) {
      console.warn('own reports unavailable', error);
      load = reports.size > 0 ? 'cached' : 'failed';
    }
    paint();
  };

  const situation = new Situation();
  const stopSituation = situation.onChange((change) => {
    if (!concerns(change, ['field_report_submitted', 'field_report_updated'])) return;
    situation.reports.forEach(keep);
    paint();
  });
  const indicator = mountLiveIndicator(liveStatus, { staleHint: 'short' });
  const stream = followSituation('/hubs/situation', {
    snapshot: (snapshot) => situation.load(snapshot),
    events: (events) => situation.apply(events),
    status: indicator.show,
    signedIn: async () => (await fetch('/api/me', { credentials: 'same-origin' })).status !== 401,
  });
  const stopLang = onLangChange(paint);
  const online = () => void refresh();
  window.addEventListener('online', online);

  paint();
  void refresh();

  return {
    refresh: () => void refresh(),
    situation,
    dispose() {
      window.removeEventListener('online', online);
      stopLang();
      stopSituation();
      indicator.dispose();
      void stream.stop();
      render(nothing, container);
    },
  };
}
