// A report's photos in its details: thumbnails that open the full image in a new tab, and for HQ a "public" switch
// on each (residents see a photo only while it is public and the report is). The switch follows the live report
// except while its own request is on the way, and says so when the server refused.
import { html, nothing, render } from 'lit-html';
import { live } from 'lit-html/directives/live.js';
import { failureText } from '../core/form';
import type { FieldReport } from '../core/live/situationMessages';
import type { Mounted } from '../core/mounted';
import { isPublicReport, photoUrl } from '../core/reportFacts';
import type { SendFailure, SendResult } from '../core/send';
import { t } from './messages';

export type SetPhotoPublic = (position: number, body: { public: boolean }) => Promise<SendResult<unknown>>;

export interface ReportPhotos extends Mounted {
  readonly element: HTMLElement;
  show(report: FieldReport): void;
  /**
   * Only `hq` gets the switches. HQ and the report's own crew see every photo; other staff only what residents see
   * (the server serves them nothing else).
   */
  setRole(role: string | null, userName?: string | null): void;
}

export function mountReportPhotos(initial: FieldReport, setPublic: SetPhotoPublic): ReportPhotos {
  const element = document.createElement('section');
  element.className = 'report-photos';
  let report = initial;
  let role: string | null = null;
  let userName: string | null = null;
  let disposed = false;
  /** Positions whose switch is being sent, with the value asked for. */
  const sending = new Map<number, boolean>();
  const failures = new Map<number, SendFailure>();

  const toggle = async (position: number, value: boolean) => {
    if (sending.has(position)) return;
    sending.set(position, value);
    failures.delete(position);
    paint();
    const result = await setPublic(position, { public: value });
    if (disposed) return;
    sending.delete(position);
    if (result.ok) {
      // Until the live event arrives, show what the server accepted.
      report = { ...report, photos: report.photos.map((p) => (p.position === position ? { ...p, public: value } : p)) };
    } else {
      failures.set(position, result);
    }
    paint();
  };

  const paint = () => {
    if (disposed) return;
    const seesAll = role === 'hq' || (!!userName && userName === report.reportedBy);
    const photos = report.photos
      .filter((p) => seesAll || (p.public && isPublicReport(report)))
      .sort((a, b) => a.position - b.position);
    const headingId = `report-photos-${report.reportId}`;
    render(
      photos.length === 0
        ? nothing
        : html`<h3 class="action-title" id=${headingId}>${t('photos.title', { n: photos.length })}</h3>
            ${role === 'hq' && !isPublicReport(report) ? html`<p class="field-hint">${t('photos.notPublicReport')}</p>` : nothing}
            <ul class="photo-grid" aria-labelledby=${headingId}>
              ${photos.map((photo) => {
                const pending = sending.get(photo.position);
                const checked = pending ?? photo.public;
                const failure = failures.get(photo.position);
                const alt = t('photos.alt', { n: photo.position, width: photo.width, height: photo.height });
                return html`<li data-position=${photo.position} data-public=${String(photo.public)}>
                  <a href=${photoUrl(report.reportId, photo.position)} target="_blank" rel="noopener" title=${t('photos.open')}>
                    <img src=${photoUrl(report.reportId, photo.position, true)} alt=${alt} loading="lazy" decoding="async" />
                  </a>
                  ${role === 'hq'
                    ? html`<label class="check-option photo-public">
                        <input
                          type="checkbox"
                          name=${`photo-public-${photo.position}`}
                          .checked=${live(checked)}
                          ?disabled=${pending !== undefined}
                          aria-describedby=${failure ? `${headingId}-${photo.position}-error` : nothing}
                          @change=${(e: Event) => void toggle(photo.position, (e.target as HTMLInputElement).checked)}
                        />
                        ${t('photos.public')}
                      </label>`
                    : html`<span class="photo-state">${t(photo.public ? 'photos.isPublic' : 'photos.isPrivate')}</span>`}
                  ${failure
                    ? html`<p class="field-error" role="alert" id=${`${headingId}-${photo.position}-error`}>${failureText(failure, [])}</p>`
                    : nothing}
                </li>`;
              })}
            </ul>`,
      element,
    );
  };

  paint();
  return {
    element,
    show(next) {
      report = next;
      paint();
    },
    setRole(next, account) {
      role = next;
      userName = account ?? null;
      paint();
    },
    dispose() {
      render(nothing, element);
      disposed = true;
    },
  };
}
