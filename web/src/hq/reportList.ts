// Field reports as a list of buttons, so a keyboard or screen-reader user reaches a report's details (and HQ its
// triage form) without clicking its square on the map. Newest first; browser tests read [data-report-id].
import { html, nothing, render } from 'lit-html';
import { repeat } from 'lit-html/directives/repeat.js';
import { onLangChange } from '../core/i18n';
import { hhmm } from '../core/japanTime';
import { reportTitle } from '../core/layers/reports';
import { concerns, type Situation } from '../core/live/situation';
import type { FieldReport, SituationEventKind } from '../core/live/situationMessages';
import type { Mounted } from '../core/mounted';
import { t } from './messages';

const reportKinds: readonly SituationEventKind[] = ['field_report_submitted', 'field_report_updated', 'field_report_withdrawn'];

export function mountReportList(list: HTMLElement, situation: Situation, onPick: (reportId: number) => void): Mounted {
  let disposed = false;
  const item = (report: FieldReport) => html`<li
    data-report-id=${report.reportId}
    data-verified=${String(report.verified)}
    data-status=${report.status}
  >
    <button type="button" @click=${() => onPick(report.reportId)}>
      <span class="shelter-name">${reportTitle(report)}</span>
      <span class="shelter-status">
        ${hhmm(report.reportedAt)} ${t(report.verified ? 'reportVerified' : 'reportUnverified')}・${t(`reportStatus.${report.status}`)}
      </span>
    </button>
  </li>`;
  const paint = () => {
    if (disposed) return;
    const reports = [...situation.reports.values()].sort((a, b) => b.reportedAt.localeCompare(a.reportedAt));
    render(
      situation.known && reports.length === 0
        ? html`<li class="list-empty">${t('reportListEmpty')}</li>`
        : repeat(reports, (r) => r.reportId, item),
      list,
    );
  };
  const stopSituation = situation.onChange((change) => {
    if (concerns(change, reportKinds)) paint();
  });
  const stopLang = onLangChange(paint);
  paint();
  return {
    dispose() {
      stopSituation();
      stopLang();
      render(nothing, list);
      disposed = true;
    },
  };
}
