// The triage queue: the field reports the live situation holds, the most severe first and, among equals, the one
// waiting longest first, filtered by category, status and district, with how many there are. Each row opens the
// report's details. Browser tests read [data-report-id][data-status][data-severity] on each row.
import { html, nothing, render, type TemplateResult } from 'lit-html';
import { repeat } from 'lit-html/directives/repeat.js';
import { live } from 'lit-html/directives/live.js';
import { localName, onLangChange } from '../core/i18n';
import { hhmm } from '../core/japanTime';
import { reportTitle } from '../core/layers/reports';
import type { FieldReport, SituationEventKind } from '../core/live/situationMessages';
import { concerns, type Situation } from '../core/live/situation';
import { subscriptions, type Mounted } from '../core/mounted';
import {
  isClosed,
  reportCategories,
  reportStatuses,
  triageQueue,
  type TriageFilter,
} from '../core/reportFacts';
import { everyHalfMinute } from '../core/stations/stationFacts';
import { t } from './messages';

const reportKinds: readonly SituationEventKind[] = ['field_report_submitted', 'field_report_updated', 'field_report_withdrawn'];

export interface District {
  id: string;
  name_ja?: string;
  name_en?: string;
}

export interface TriageQueueView extends Mounted {
  /** The districts to filter by, in the layer's order (from the districts layer, once loaded). */
  setDistricts(districts: District[]): void;
}

/** The queue opens on what still needs HQ: closed reports are one choice away. */
export const initialTriageFilter: TriageFilter = { category: 'all', status: 'open', district: 'all' };

/** "12分前" since `from`, in whole minutes. */
function waited(from: string, now: number): string {
  const minutes = Math.max(0, Math.floor((now - Date.parse(from)) / 60_000));
  if (minutes < 60) return t('triage.minutesAgo', { n: minutes });
  return t('triage.hoursAgo', { h: Math.floor(minutes / 60), m: minutes % 60 });
}

export function mountTriageQueue(
  container: HTMLElement,
  situation: Situation,
  onPick: (reportId: number) => void,
  badge?: HTMLElement,
): TriageQueueView {
  let filter: TriageFilter = { ...initialTriageFilter };
  let districts: District[] = [];
  let disposed = false;
  const districtName = (id: string | undefined) =>
    id == null ? t('triage.noDistrict') : localName(districts.find((d) => d.id === id) ?? { name_ja: id });

  const setFilter = (next: Partial<TriageFilter>) => {
    filter = { ...filter, ...next };
    paint();
  };

  const select = (
    name: keyof TriageFilter,
    labelText: string,
    options: Array<[value: string, text: string]>,
  ): TemplateResult => html`<label class="triage-filter">
    <span>${labelText}</span>
    <select
      name=${name}
      .value=${live(filter[name])}
      @change=${(e: Event) => setFilter({ [name]: (e.target as HTMLSelectElement).value } as Partial<TriageFilter>)}
    >
      ${options.map(([value, text]) => html`<option value=${value} ?selected=${filter[name] === value}>${text}</option>`)}
    </select>
  </label>`;

  const row = (report: FieldReport, now: number) => {
    const arrived = report.reportedAt ?? report.observedAt;
    return html`<li data-report-id=${report.reportId} data-status=${report.status} data-severity=${report.severity}>
      <button type="button" class=${isClosed(report.status) ? 'closed' : ''} @click=${() => onPick(report.reportId)}>
        <span class="severity-badge" data-severity=${report.severity}>${t(`reportSeverity.${report.severity}`)}</span>
        ${report.drillId != null ? html`<span class="drill-mark">${t('drillMark')}</span>` : nothing}
        <span class="triage-main">
          <span class="triage-title">${reportTitle(report)}</span>
          <span class="triage-meta"
            >${districtName(report.districtId)}${t('listSeparator')}<span class="triage-status">${t(`reportStatus.${report.status}`)}</span
            >${report.photos.length > 0 ? `${t('listSeparator')}${t('triage.photos', { n: report.photos.length })}` : nothing}</span
          >
          <span class="triage-meta"
            ><time datetime=${arrived}>${hhmm(arrived)}</time
            >${isClosed(report.status) ? nothing : t('triage.waited', { time: waited(arrived, now) })}${report.assignedTo
              ? `${t('listSeparator')}${t('triage.assigned', { who: report.assignedToName ?? report.assignedTo })}`
              : nothing}</span
          >
        </span>
      </button>
    </li>`;
  };

  const paint = () => {
    if (disposed) return;
    const all = [...situation.reports.values()];
    const shown = triageQueue(all, filter);
    const open = all.filter((r) => !isClosed(r.status));
    const waiting = all.filter((r) => r.status === 'new').length;
    const now = Date.now();
    // A row moved by the new order loses its focus in the DOM: give it back.
    const focused = document.activeElement instanceof HTMLElement && container.contains(document.activeElement) ? document.activeElement : null;
    render(
      html`<div class="triage-filters">
          ${select('category', t('reportCategory'), [
            ['all', t('triage.all')],
            ...reportCategories.map((c): [string, string] => [c, t(`reportCategory.${c}`)]),
          ])}
          ${select('status', t('reportStatus'), [
            ['open', t('triage.open')],
            ['all', t('triage.all')],
            ...reportStatuses.map((s): [string, string] => [s, t(`reportStatus.${s}`)]),
          ])}
          ${select('district', t('triage.district'), [
            ['all', t('triage.all')],
            ...districts.map((d): [string, string] => [d.id, localName(d)]),
            ['none', t('triage.noDistrict')],
          ])}
        </div>
        <p class="triage-count" role="status" data-shown=${shown.length} data-total=${all.length}>
          ${situation.known
            ? t('triage.count', { shown: shown.length, total: all.length, open: open.length, waiting })
            : t('triage.waiting')}
        </p>
        <ul id="report-list" class="triage-list">
          ${situation.known && shown.length === 0
            ? html`<li class="list-empty">${all.length === 0 ? t('reportListEmpty') : t('triage.noneMatch')}</li>`
            : repeat(shown, (r) => r.reportId, (r) => row(r, now))}
        </ul>`,
      container,
    );
    if (focused && focused.isConnected && document.activeElement !== focused) focused.focus({ preventScroll: true });
    if (badge) {
      const critical = open.filter((r) => r.severity === 'critical').length;
      badge.hidden = !situation.known;
      badge.dataset.count = String(critical);
      badge.textContent = String(open.length);
      badge.title = t('triage.badge', { open: open.length, critical });
      badge.setAttribute('aria-label', badge.title);
    }
  };

  const subs = subscriptions();
  subs.add(situation.onChange((change) => {
    if (concerns(change, reportKinds)) paint();
  }));
  subs.add(onLangChange(paint));
  // How long each report has waited moves on without any event.
  subs.add(everyHalfMinute(paint));
  paint();
  return {
    setDistricts(next) {
      districts = [...next];
      paint();
    },
    dispose() {
      subs.dispose();
      render(nothing, container);
      disposed = true;
    },
  };
}
