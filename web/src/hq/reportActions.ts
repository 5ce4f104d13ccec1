// HQ's triage of one field report, in the report's details: verify or un-verify it, move it along new → in progress
// → resolved (the server allows any of the three from any other: a report closed too early is reopened), and keep an
// internal note. Only what was changed on this form is sent, so a change another HQ screen made to another field in
// the meantime stays. lit-html patches the form in place: a live update of the report keeps what is being typed.
import { html, nothing, render, type TemplateResult } from 'lit-html';
import { live } from 'lit-html/directives/live.js';
import { describedBy, fieldError, formMessage, formText, isInvalid, type FieldErrors } from '../core/form';
import type { Mounted } from '../core/mounted';
import type { FieldReport, FieldReportStatus } from '../core/live/situationMessages';
import { send, type RequestBody, type SendFailure, type SendResult } from '../core/send';
import { t } from './messages';

const triagePath = '/api/reports/{reportId}' as const;

/** The generated PATCH body: fields left out stay as they are. */
export type ReportTriage = NonNullable<RequestBody<typeof triagePath, 'patch'>>;

export type TriageReport = (reportId: number, triage: ReportTriage) => Promise<SendResult<unknown>>;

export const triageReport: TriageReport = (reportId, triage) => send('patch', triagePath, { reportId }, triage);

export const maxInternalNoteLength = 1_000;
export const reportStatuses: readonly FieldReportStatus[] = ['new', 'in_progress', 'resolved'];
const fields = ['verified', 'status', 'internalNote'] as const;

export interface ReportActions extends Mounted {
  readonly element: HTMLElement;
  /** The report as the live channel has it now. */
  show(report: FieldReport): void;
  /** Role from /api/me: only `hq` triages; everyone else sees the details read-only. */
  setRole(role: string | null): void;
}

/** What was changed on the form; a field not touched follows the live report. */
interface Edits {
  verified?: boolean;
  status?: FieldReportStatus;
  internalNote?: string;
}

export function mountReportActions(initial: FieldReport, options: { triage?: TriageReport } = {}): ReportActions {
  const triage = options.triage ?? triageReport;
  const element = document.createElement('div');
  element.className = 'detail-actions report-actions';
  let report = initial;
  let role: string | null = null;
  let edits: Edits = {};
  let errors: FieldErrors = {};
  let failure: SendFailure | null = null;
  let sending = false;
  let done = false;
  /** Save was pressed with nothing changed. */
  let unchanged = false;
  let disposed = false;
  const id = `report-form-${initial.reportId}`;

  const verified = () => edits.verified ?? report.verified;
  const status = () => edits.status ?? report.status;
  const note = () => edits.internalNote ?? report.internalNote ?? '';
  const focusAfterRender = (selector: string) => queueMicrotask(() => element.querySelector<HTMLElement>(selector)?.focus());

  /** The body to send: only the fields whose value on the form differs from the report's. */
  const changes = (): ReportTriage => {
    const body: ReportTriage = {};
    if (verified() !== report.verified) body.verified = verified();
    if (status() !== report.status) body.status = status();
    if (note().trim() !== (report.internalNote ?? '').trim()) body.internalNote = note().trim();
    return body;
  };

  const edit = (next: Edits) => {
    edits = { ...edits, ...next };
    done = false;
    unchanged = false;
    paint();
  };

  const submit = async (event: Event) => {
    event.preventDefault();
    if (sending) return;
    const body = changes();
    if (note().trim().length > maxInternalNoteLength) {
      errors = { internalNote: [t('reportForm.noteTooLong', { max: maxInternalNoteLength.toLocaleString() })] };
      failure = null;
      paint();
      focusAfterRender(`#${id} [name="internalNote"]`);
      return;
    }
    if (Object.keys(body).length === 0) {
      errors = {};
      failure = null;
      done = false;
      unchanged = true;
      paint();
      return;
    }
    sending = true;
    errors = {};
    failure = null;
    paint();
    const result = await triage(report.reportId, body);
    if (disposed) return;
    sending = false;
    if (result.ok) {
      // The server's answer is the report as it now stands; the live event that follows says the same.
      const saved = result.value as FieldReport | undefined;
      if (saved && saved.reportId === report.reportId) report = { ...report, ...saved };
      edits = {};
      done = true;
      paint();
      return;
    }
    failure = result;
    if (result.kind === 'invalid') {
      errors = result.fields;
      const field = fields.find((f) => errors[f]?.length);
      if (field) focusAfterRender(`#${id} [name="${field}"]`);
    }
    paint();
  };

  const form = (): TemplateResult => {
    const hintId = `${id}-note-hint`;
    const changed = Object.keys(changes()).length > 0;
    return html`<form id=${id} class="action-form" novalidate aria-label=${t('reportForm.label', { id: report.reportId })} @submit=${submit}>
      <h3 class="action-title">${t('reportForm.title')}</h3>
      <label class="check-option">
        <input
          type="checkbox"
          name="verified"
          .checked=${live(verified())}
          aria-invalid=${isInvalid('verified', errors)}
          aria-describedby=${describedBy(id, 'verified', errors)}
          @change=${(e: Event) => edit({ verified: (e.target as HTMLInputElement).checked })}
        />
        ${t('reportForm.verified')}
      </label>
      ${fieldError(id, 'verified', errors)}
      <fieldset class="choice" aria-invalid=${isInvalid('status', errors)} aria-describedby=${describedBy(id, 'status', errors)}>
        <legend>${t('reportStatus')}</legend>
        ${reportStatuses.map(
          (value) => html`<label class="choice-option">
            <input
              type="radio"
              name="status"
              value=${value}
              .checked=${live(status() === value)}
              @change=${() => edit({ status: value })}
            />
            ${t(`reportStatus.${value}`)}
          </label>`,
        )}
        ${fieldError(id, 'status', errors)}
      </fieldset>
      <label class="field-label" for=${`${id}-internalNote`}>${t('internalNote')}</label>
      <textarea
        id=${`${id}-internalNote`}
        name="internalNote"
        rows="3"
        maxlength=${maxInternalNoteLength}
        .value=${live(note())}
        aria-invalid=${isInvalid('internalNote', errors)}
        aria-describedby=${describedBy(id, 'internalNote', errors, hintId)}
        @input=${(e: Event) => edit({ internalNote: (e.target as HTMLTextAreaElement).value })}
      ></textarea>
      <p class="field-hint" id=${hintId}>
        ${t('reportForm.noteHint', { max: maxInternalNoteLength.toLocaleString() })}
        <span class="char-count">${t('reportForm.noteCount', { n: note().length, max: maxInternalNoteLength.toLocaleString() })}</span>
      </p>
      ${fieldError(id, 'internalNote', errors)} ${formMessage(failure, fields)}
      ${unchanged ? html`<p class="form-hint" role="status">${t('reportForm.nothingChanged')}</p>` : nothing}
      <div class="form-actions">
        <button type="submit" class="primary" ?disabled=${sending}>${sending ? formText('send.sending') : t('reportForm.save')}</button>
        ${changed && !sending
          ? html`<button
              type="button"
              @click=${() => {
                edits = {};
                errors = {};
                failure = null;
                paint();
              }}
            >
              ${t('reportForm.undo')}
            </button>`
          : nothing}
      </div>
      ${done ? html`<p class="form-done" role="status">${t('reportForm.done', { id: report.reportId })}</p>` : nothing}
    </form>`;
  };

  const paint = () => {
    if (disposed) return;
    render(role === 'hq' ? form() : nothing, element);
  };

  paint();
  return {
    element,
    show(next) {
      report = next;
      paint();
    },
    setRole(next) {
      role = next;
      paint();
    },
    dispose() {
      render(nothing, element);
      disposed = true;
    },
  };
}
