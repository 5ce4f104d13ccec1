// Road closures and flooding that the town has verified, as residents read them: what, where (district), how bad,
// when (Japan time), the town's public summary and the photos the town made public. The public hub sends only
// public reports and only their public fields (the server's public rule), so this lists what it is given; nothing
// of the reporter, the crew's description or the town's internal notes ever reaches the page. All text is rendered
// as text. Browser tests read [data-report-id][data-status] on each card.
import { html, nothing, render, type TemplateResult } from 'lit-html';
import { repeat } from 'lit-html/directives/repeat.js';
import type { CommonProps } from '../core/geodata';
import { localName, onLangChange } from '../core/i18n';
import { hhmm } from '../core/japanTime';
import type { FieldReport, SituationEventKind } from '../core/live/situationMessages';
import { concerns, type Situation } from '../core/live/situation';
import { subscriptions, type Mounted } from '../core/mounted';
import { photoUrl, reportTitle, severityRank } from '../core/reportFacts';
import { t } from './messages';

const reportKinds: readonly SituationEventKind[] = ['field_report_submitted', 'field_report_updated', 'field_report_withdrawn'];

export interface PublicReports extends Mounted {
  /** District names, from the districts layer. */
  setDistricts(districts: CommonProps[]): void;
}

/** The most severe first, then the latest change first. */
export function publicOrder(a: FieldReport, b: FieldReport): number {
  return severityRank(b.severity) - severityRank(a.severity) || b.updatedAt.localeCompare(a.updatedAt) || b.reportId - a.reportId;
}

export function mountPublicReports(
  list: HTMLElement,
  count: HTMLElement,
  situation: Situation,
  onShowOnMap: (reportId: number) => void,
): PublicReports {
  const districts = new Map<string, CommonProps>();
  let disposed = false;

  const card = (report: FieldReport): TemplateResult => {
    const headingId = `public-report-${report.reportId}`;
    const district = report.districtId != null ? districts.get(report.districtId) : undefined;
    const photos = report.photos.filter((p) => p.public).sort((a, b) => a.position - b.position);
    return html`<li class="report-card severity-${report.severity}" data-report-id=${report.reportId} data-status=${report.status}>
      <h3 id=${headingId}>
        <span class="report-severity" data-severity=${report.severity}>${t(`reportSeverity.${report.severity}`)}</span>
        ${t(`reportCategory.${report.category}`)}
      </h3>
      <p class="report-where">
        ${district ? localName(district) : report.districtId != null ? report.districtId : t('reportNoDistrict')}${t('listSeparator')}${t(`reportStatus.${report.status}`)}
      </p>
      <p class="report-when">
        ${t('reportObserved')}
        <time datetime=${report.observedAt}>${hhmm(report.observedAt)}</time>
        ${report.updatedAt !== report.observedAt
          ? html`（${t('reportUpdated')} <time datetime=${report.updatedAt}>${hhmm(report.updatedAt)}</time>）`
          : nothing}
      </p>
      ${report.publicSummary ? html`<p class="report-summary">${report.publicSummary}</p>` : nothing}
      ${photos.length > 0
        ? html`<ul class="report-photos" aria-label=${t('reportPhotos')}>
            ${photos.map(
              (photo) => html`<li>
                <a href=${photoUrl(report.reportId, photo.position)} target="_blank" rel="noopener">
                  <img
                    src=${photoUrl(report.reportId, photo.position, true)}
                    alt=${t('reportPhotoAlt', { title: reportTitle(report), n: photo.position })}
                    loading="lazy"
                    decoding="async"
                  />
                </a>
              </li>`,
            )}
          </ul>`
        : nothing}
      <button type="button" class="show-on-map" aria-describedby=${headingId} @click=${() => onShowOnMap(report.reportId)}>
        ${t('showOnMap')}
      </button>
    </li>`;
  };

  const paint = () => {
    if (disposed) return;
    const reports = [...situation.reports.values()].sort(publicOrder);
    count.textContent = situation.known ? t('reportsShown', { n: reports.length }) : '';
    list.dataset.count = String(reports.length);
    render(
      situation.known && reports.length === 0
        ? html`<li class="empty">${t('noPublicReports')}</li>`
        : repeat(reports, (r) => r.reportId, card),
      list,
    );
  };

  const subs = subscriptions();
  subs.add(situation.onChange((change) => {
    if (concerns(change, reportKinds)) paint();
  }));
  subs.add(onLangChange(paint));
  paint();
  return {
    setDistricts(next) {
      next.forEach((d) => districts.set(String(d.id), d));
      paint();
    },
    dispose() {
      subs.dispose();
      render(nothing, list);
      count.textContent = '';
      disposed = true;
    },
  };
}
