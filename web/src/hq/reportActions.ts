// HQ's triage of one field report, in the report's details: move its status (verify, reject with a reason, start,
// resolve, reopen), mark it a duplicate of another report (which merges it into that one: confirmed first, since it
// cannot be undone), assign it to a field crew, and keep its internal note and public summary, each change with an
// optional comment; then its photos and its history. Each form sends only its own request, so a change another HQ
// screen made meanwhile stays. lit-html patches the forms in place: a live update of the report keeps what is typed.
import { html, nothing, render, type TemplateResult } from 'lit-html';
import { live } from 'lit-html/directives/live.js';
import { fetchFieldCrews, fetchReportHistory, type FieldCrew, type ReportHistoryEntry } from '../core/api';
import { describedBy, fieldError, formMessage, formText, isInvalid, type FieldErrors } from '../core/form';
import { reportTitle } from '../core/layers/reports';
import type { FieldReport, FieldReportStatus } from '../core/live/situationMessages';
import type { Mounted } from '../core/mounted';
import { canMarkDuplicate, isPublicReport, statusMoves } from '../core/reportFacts';
import { send, type RequestBody, type SendFailure, type SendResult } from '../core/send';
import { t, tOr } from './messages';
import { mountReportHistory, type ReportHistory } from './reportHistory';
import { mountReportPhotos, type ReportPhotos } from './reportPhotos';

const statusPath = '/api/reports/{reportId}/status' as const;
const duplicatePath = '/api/reports/{reportId}/duplicate' as const;
const assignmentPath = '/api/reports/{reportId}/assignment' as const;
const notesPath = '/api/reports/{reportId}' as const;
const photoPublicPath = '/api/reports/{reportId}/photos/{position}/public' as const;

export type StatusMove = NonNullable<RequestBody<typeof statusPath, 'post'>>;
export type DuplicateMark = NonNullable<RequestBody<typeof duplicatePath, 'post'>>;
export type Assignment = NonNullable<RequestBody<typeof assignmentPath, 'post'>>;
/** Fields left out stay as they are; an empty string clears one. */
export type ReportNotes = NonNullable<RequestBody<typeof notesPath, 'patch'>>;
export type PhotoPublic = NonNullable<RequestBody<typeof photoPublicPath, 'put'>>;

/** Every write of a report's details (replaced in tests). */
export interface ReportWrites {
  move(reportId: number, body: StatusMove): Promise<SendResult<unknown>>;
  markDuplicate(reportId: number, body: DuplicateMark): Promise<SendResult<unknown>>;
  assign(reportId: number, body: Assignment): Promise<SendResult<unknown>>;
  saveNotes(reportId: number, body: ReportNotes): Promise<SendResult<unknown>>;
  setPhotoPublic(reportId: number, position: number, body: PhotoPublic): Promise<SendResult<unknown>>;
}

export const reportWrites: ReportWrites = {
  move: (reportId, body) => send('post', statusPath, { reportId }, body),
  markDuplicate: (reportId, body) => send('post', duplicatePath, { reportId }, body),
  assign: (reportId, body) => send('post', assignmentPath, { reportId }, body),
  saveNotes: (reportId, body) => send('patch', notesPath, { reportId }, body),
  setPhotoPublic: (reportId, position, body) => send('put', photoPublicPath, { reportId, position }, body),
};

/** What the details read besides the report (replaced in tests). */
export interface ReportReads {
  history(reportId: number): Promise<ReportHistoryEntry[]>;
  fieldCrews(): Promise<FieldCrew[]>;
}

let crews: Promise<FieldCrew[]> | null = null;

export const reportReads: ReportReads = {
  history: fetchReportHistory,
  // The crews change rarely: asked once per page, again after a failure.
  fieldCrews: () =>
    (crews ??= fetchFieldCrews().catch((error: unknown) => {
      crews = null;
      throw error;
    })),
};

export const maxCommentLength = 1_000;
export const maxReasonLength = 1_000;
export const maxInternalNoteLength = 1_000;
export const maxPublicSummaryLength = 1_000;

export interface ReportActionsOptions {
  writes?: ReportWrites;
  reads?: ReportReads;
  /** Another report the situation holds, to name the one a duplicate goes into. */
  reportById?: (reportId: number) => FieldReport | undefined;
  /** A district's name, for the history. */
  districtName?: (districtId: string) => string;
}

export interface ReportActions extends Mounted {
  readonly element: HTMLElement;
  /** The report as the live channel has it now. */
  show(report: FieldReport): void;
  /**
   * The signed-in account (from /api/me): only `hq` triages; other staff see the photos, and the history only of
   * their own reports (the server gives it to HQ and the reporter alone).
   */
  setRole(role: string | null, userName?: string | null): void;
}

/** One form's state around its request. */
interface FormState {
  errors: FieldErrors;
  failure: SendFailure | null;
  sending: boolean;
  /** What the form says once done, in the page's language at the time it is shown. */
  done: (() => string) | null;
}

const idle = (): FormState => ({ errors: {}, failure: null, sending: false, done: null });

export function mountReportActions(initial: FieldReport, options: ReportActionsOptions = {}): ReportActions {
  const writes = options.writes ?? reportWrites;
  const reads = options.reads ?? reportReads;
  const element = document.createElement('div');
  element.className = 'detail-actions report-actions';
  const forms = document.createElement('div');
  let report = initial;
  let role: string | null = null;
  let disposed = false;
  const id = `report-form-${initial.reportId}`;
  const focusAfterRender = (selector: string) => queueMicrotask(() => element.querySelector<HTMLElement>(selector)?.focus());

  const photos: ReportPhotos = mountReportPhotos(report, (position, body) => writes.setPhotoPublic(report.reportId, position, body));
  /** Mounted once the account is known to be allowed to read it. */
  let history: ReportHistory | null = null;
  element.append(forms, photos.element);

  // ── Status ──
  let move: { to?: FieldReportStatus; reason?: string; comment?: string } = {};
  const moveState = idle();
  const moves = () => statusMoves(report.status);
  const chosen = () => (move.to && moves().includes(move.to) ? move.to : undefined);
  const moveFields = ['status', 'reason', 'comment'] as const;

  // ── Duplicate ──
  let duplicate: { of?: string; comment?: string; confirming?: number } = {};
  let duplicateState = idle();
  const duplicateFields = ['duplicateOf', 'comment'] as const;

  // ── Assignment ──
  let assignment: { to?: string; comment?: string } = {};
  const assignmentState = idle();
  let crewList: FieldCrew[] | null = null;
  let crewsFailed = false;
  const assignee = () => assignment.to ?? report.assignedTo ?? '';
  const assignmentFields = ['assignee', 'comment'] as const;

  // ── Notes ──
  let notes: { internalNote?: string; publicSummary?: string } = {};
  let notesState = idle();
  let notesUnchanged = false;
  const internalNote = () => notes.internalNote ?? report.internalNote ?? '';
  const publicSummary = () => notes.publicSummary ?? report.publicSummary ?? '';
  const notesFields = ['internalNote', 'publicSummary'] as const;

  /** Sends one form's request; on a refusal its messages go beside its fields and the first such field gets focus. */
  const run = async (
    state: FormState,
    formId: string,
    fields: readonly string[],
    request: () => Promise<SendResult<unknown>>,
    onDone: () => () => string,
    onFailure: () => void = () => undefined,
  ) => {
    state.sending = true;
    state.errors = {};
    state.failure = null;
    state.done = null;
    paint();
    const result = await request();
    if (disposed) return;
    state.sending = false;
    if (result.ok) {
      // The server's answer is the report as it now stands; the live event that follows says the same.
      const saved = result.value as FieldReport | undefined;
      if (saved && saved.reportId === report.reportId) show({ ...report, ...saved });
      state.done = onDone();
      paint();
      return;
    }
    state.failure = result;
    onFailure();
    if (result.kind === 'invalid') {
      state.errors = result.fields;
      const field = fields.find((f) => state.errors[f]?.length);
      if (field) focusAfterRender(`#${formId} [name="${field}"]`);
    }
    paint();
  };

  const refuse = (state: FormState, formId: string, field: string, message: string) => {
    state.errors = { [field]: [message] };
    state.failure = null;
    state.done = null;
    paint();
    focusAfterRender(`#${formId} [name="${field}"]`);
  };

  const tooLong = (text: string | undefined, max: number) => (text ?? '').trim().length > max;
  const optional = (text: string | undefined) => (text?.trim() ? text.trim() : undefined);

  const submitMove = (event: Event) => {
    event.preventDefault();
    const formId = `${id}-status`;
    if (moveState.sending) return;
    const to = chosen();
    if (!to) return refuse(moveState, formId, 'status', t('reportForm.chooseMove'));
    if (to === 'rejected' && !move.reason?.trim()) return refuse(moveState, formId, 'reason', t('reportForm.reasonRequired'));
    if (to === 'rejected' && tooLong(move.reason, maxReasonLength))
      return refuse(moveState, formId, 'reason', t('reportForm.tooLong', { max: maxReasonLength.toLocaleString() }));
    if (tooLong(move.comment, maxCommentLength))
      return refuse(moveState, formId, 'comment', t('reportForm.tooLong', { max: maxCommentLength.toLocaleString() }));
    const body: StatusMove = { status: to, comment: optional(move.comment) };
    if (to === 'rejected') body.reason = move.reason!.trim();
    void run(moveState, formId, moveFields, () => writes.move(report.reportId, body), () => {
      move = {};
      return () => t('reportForm.moved', { id: report.reportId, status: t(`reportStatus.${to}`) });
    });
  };

  const submitDuplicate = (event: Event) => {
    event.preventDefault();
    const formId = `${id}-duplicate`;
    if (duplicateState.sending) return;
    const typed = (duplicate.of ?? '').trim().replace(/^[#＃]/, '');
    const target = /^\d{1,18}$/.test(typed) ? Number(typed) : NaN;
    if (!Number.isSafeInteger(target) || target <= 0) return refuse(duplicateState, formId, 'duplicateOf', t('reportForm.duplicateNumber'));
    if (target === report.reportId) return refuse(duplicateState, formId, 'duplicateOf', t('reportForm.duplicateSelf'));
    if (tooLong(duplicate.comment, maxCommentLength))
      return refuse(duplicateState, formId, 'comment', t('reportForm.tooLong', { max: maxCommentLength.toLocaleString() }));
    // Merging cannot be undone: say what will happen and ask once more.
    duplicate = { ...duplicate, confirming: target };
    duplicateState = idle();
    paint();
    focusAfterRender(`#${formId} .confirm-text`);
  };

  const confirmDuplicate = () => {
    const target = duplicate.confirming;
    if (target === undefined || duplicateState.sending) return;
    const body: DuplicateMark = { duplicateOf: target, comment: optional(duplicate.comment) };
    void run(
      duplicateState,
      `${id}-duplicate`,
      duplicateFields,
      () => writes.markDuplicate(report.reportId, body),
      () => {
        duplicate = {};
        return () => t('reportForm.merged', { id: report.reportId, target });
      },
      // A refusal goes back to the form, with the number still there to correct.
      () => (duplicate = { ...duplicate, confirming: undefined }),
    );
  };

  const submitAssignment = (event: Event) => {
    event.preventDefault();
    const formId = `${id}-assignment`;
    if (assignmentState.sending) return;
    const to = assignee();
    if (to === (report.assignedTo ?? '')) return refuse(assignmentState, formId, 'assignee', t('reportForm.sameAssignee'));
    if (tooLong(assignment.comment, maxCommentLength))
      return refuse(assignmentState, formId, 'comment', t('reportForm.tooLong', { max: maxCommentLength.toLocaleString() }));
    const body: Assignment = { assignee: to === '' ? null : to, comment: optional(assignment.comment) };
    void run(assignmentState, formId, assignmentFields, () => writes.assign(report.reportId, body), () => {
      assignment = {};
      const who = crewName(to);
      return () => (to === '' ? t('reportForm.unassigned', { id: report.reportId }) : t('reportForm.assigned', { id: report.reportId, who }));
    });
  };

  const crewName = (userName: string) => {
    const crew = crewList?.find((c) => c.userName === userName);
    if (crew) return crew.displayName;
    return userName === report.assignedTo ? (report.assignedToName ?? userName) : userName;
  };

  const submitNotes = (event: Event) => {
    event.preventDefault();
    const formId = `${id}-notes`;
    if (notesState.sending) return;
    notesUnchanged = false;
    if (tooLong(internalNote(), maxInternalNoteLength))
      return refuse(notesState, formId, 'internalNote', t('reportForm.tooLong', { max: maxInternalNoteLength.toLocaleString() }));
    if (tooLong(publicSummary(), maxPublicSummaryLength))
      return refuse(notesState, formId, 'publicSummary', t('reportForm.tooLong', { max: maxPublicSummaryLength.toLocaleString() }));
    // Only the fields that differ from the report's: another screen's change to the other one stays.
    const body: ReportNotes = {};
    if (internalNote().trim() !== (report.internalNote ?? '').trim()) body.internalNote = internalNote().trim();
    if (publicSummary().trim() !== (report.publicSummary ?? '').trim()) body.publicSummary = publicSummary().trim();
    if (Object.keys(body).length === 0) {
      notesState = idle();
      notesUnchanged = true;
      paint();
      return;
    }
    void run(notesState, formId, notesFields, () => writes.saveNotes(report.reportId, body), () => {
      notes = {};
      return () => t('reportForm.notesSaved', { id: report.reportId });
    });
  };

  const comment = (formId: string, value: string, errors: FieldErrors, onInput: (text: string) => void) => html`
    <label class="field-label" for=${`${formId}-comment`}>${t('reportForm.comment')}</label>
    <textarea
      id=${`${formId}-comment`}
      name="comment"
      rows="2"
      maxlength=${maxCommentLength}
      .value=${live(value)}
      aria-invalid=${isInvalid('comment', errors)}
      aria-describedby=${describedBy(formId, 'comment', errors, `${formId}-comment-hint`)}
      @input=${(e: Event) => onInput((e.target as HTMLTextAreaElement).value)}
    ></textarea>
    <p class="field-hint" id=${`${formId}-comment-hint`}>${t('reportForm.commentHint', { max: maxCommentLength.toLocaleString() })}</p>
    ${fieldError(formId, 'comment', errors)}
  `;

  const done = (state: FormState) => (state.done ? html`<p class="form-done" role="status">${state.done()}</p>` : nothing);
  const sendButton = (state: FormState, label: string) =>
    html`<button type="submit" class="primary" ?disabled=${state.sending}>${state.sending ? formText('send.sending') : label}</button>`;

  const moveLabel = (to: FieldReportStatus) => tOr(`reportForm.move.${report.status}.${to}`, tOr(`reportForm.move.${to}`, to));

  const statusForm = (): TemplateResult | typeof nothing => {
    const options = moves();
    const formId = `${id}-status`;
    const { errors } = moveState;
    if (options.length === 0) return nothing;
    return html`<form id=${formId} class="action-form" novalidate aria-label=${t('reportForm.statusLabel', { id: report.reportId })} @submit=${submitMove}>
      <h3 class="action-title">${t('reportForm.statusTitle', { status: t(`reportStatus.${report.status}`) })}</h3>
      <fieldset class="choice" aria-invalid=${isInvalid('status', errors)} aria-describedby=${describedBy(formId, 'status', errors)}>
        <legend>${t('reportForm.moveTo')}</legend>
        ${options.map(
          (to) => html`<label class="choice-option">
            <input type="radio" name="status" value=${to} .checked=${live(chosen() === to)} @change=${() => editMove({ to })} />
            ${moveLabel(to)}
          </label>`,
        )}
        ${fieldError(formId, 'status', errors)}
      </fieldset>
      ${chosen() === 'rejected'
        ? html`<label class="field-label" for=${`${formId}-reason`}>${t('reportForm.reason')}</label>
            <textarea
              id=${`${formId}-reason`}
              name="reason"
              rows="2"
              required
              aria-required="true"
              maxlength=${maxReasonLength}
              .value=${live(move.reason ?? '')}
              aria-invalid=${isInvalid('reason', errors)}
              aria-describedby=${describedBy(formId, 'reason', errors, `${formId}-reason-hint`)}
              @input=${(e: Event) => editMove({ reason: (e.target as HTMLTextAreaElement).value })}
            ></textarea>
            <p class="field-hint" id=${`${formId}-reason-hint`}>${t('reportForm.reasonHint', { max: maxReasonLength.toLocaleString() })}</p>
            ${fieldError(formId, 'reason', errors)}`
        : nothing}
      ${comment(formId, move.comment ?? '', errors, (text) => editMove({ comment: text }))}
      ${formMessage(moveState.failure, moveFields)}
      <div class="form-actions">${sendButton(moveState, t('reportForm.moveSave'))}</div>
      ${done(moveState)}
    </form>`;
  };

  const editMove = (next: typeof move) => {
    move = { ...move, ...next };
    moveState.done = null;
    if (next.to !== undefined) moveState.errors = {};
    paint();
  };

  const duplicateForm = (): TemplateResult | typeof nothing => {
    const formId = `${id}-duplicate`;
    const { errors } = duplicateState;
    if (!canMarkDuplicate(report.status)) return duplicateState.done ? html`<div id=${formId} class="action-form">${done(duplicateState)}</div>` : nothing;
    const target = duplicate.confirming;
    if (target !== undefined) {
      const known = options.reportById?.(target);
      return html`<div id=${formId} class="action-form action-confirm" role="group" aria-labelledby=${`${formId}-confirm`}>
        <p class="form-step">${t('reportForm.confirmTitle')}</p>
        <p id=${`${formId}-confirm`} class="confirm-text" tabindex="-1">
          <strong>${t('reportForm.confirmMerge', { id: report.reportId, target })}</strong>
        </p>
        ${known ? html`<p class="confirm-note">${reportTitle(known)}（${t(`reportStatus.${known.status}`)}）</p>` : nothing}
        <p class="confirm-note">${t('reportForm.mergeEffect', { target })}</p>
        ${formMessage(duplicateState.failure, duplicateFields)}
        <div class="form-actions">
          <button type="button" class="primary confirm" ?disabled=${duplicateState.sending} @click=${confirmDuplicate}>
            ${duplicateState.sending ? formText('send.sending') : t('reportForm.confirmMergeButton', { target })}
          </button>
          <button
            type="button"
            ?disabled=${duplicateState.sending}
            @click=${() => {
              duplicate = { ...duplicate, confirming: undefined };
              paint();
              focusAfterRender(`#${formId} [name="duplicateOf"]`);
            }}
          >
            ${t('reportForm.back')}
          </button>
        </div>
      </div>`;
    }
    const typed = (duplicate.of ?? '').trim().replace(/^[#＃]/, '');
    const known = /^\d+$/.test(typed) && Number(typed) !== report.reportId ? options.reportById?.(Number(typed)) : undefined;
    return html`<form id=${formId} class="action-form" novalidate aria-label=${t('reportForm.duplicateLabel', { id: report.reportId })} @submit=${submitDuplicate}>
      <h3 class="action-title">${t('reportForm.duplicateTitle')}</h3>
      <label class="field-label" for=${`${formId}-of`}>${t('reportForm.duplicateOf')}</label>
      <input
        id=${`${formId}-of`}
        name="duplicateOf"
        type="text"
        inputmode="numeric"
        autocomplete="off"
        class="count-input"
        .value=${live(duplicate.of ?? '')}
        aria-invalid=${isInvalid('duplicateOf', errors)}
        aria-describedby=${describedBy(formId, 'duplicateOf', errors, `${formId}-of-hint`)}
        @input=${(e: Event) => {
          duplicate = { ...duplicate, of: (e.target as HTMLInputElement).value };
          duplicateState.done = null;
          paint();
        }}
      />
      <p class="field-hint" id=${`${formId}-of-hint`} aria-live="polite">
        ${known ? html`${reportTitle(known)}（${t(`reportStatus.${known.status}`)}）` : t('reportForm.duplicateHint')}
      </p>
      ${fieldError(formId, 'duplicateOf', errors)}
      ${comment(formId, duplicate.comment ?? '', errors, (text) => {
        duplicate = { ...duplicate, comment: text };
        paint();
      })}
      ${formMessage(duplicateState.failure, duplicateFields)}
      <div class="form-actions">${sendButton(duplicateState, t('reportForm.duplicateNext'))}</div>
      ${done(duplicateState)}
    </form>`;
  };

  const assignmentForm = (): TemplateResult | typeof nothing => {
    if (report.status === 'duplicate') return nothing;
    const formId = `${id}-assignment`;
    const { errors } = assignmentState;
    const current = assignee();
    // The assigned account stays choosable while the list loads or if it was disabled since.
    const listed = crewList ?? [];
    const choices: FieldCrew[] =
      report.assignedTo && !listed.some((c) => c.userName === report.assignedTo)
        ? [{ userName: report.assignedTo, displayName: report.assignedToName ?? report.assignedTo }, ...listed]
        : listed;
    return html`<form id=${formId} class="action-form" novalidate aria-label=${t('reportForm.assignmentLabel', { id: report.reportId })} @submit=${submitAssignment}>
      <h3 class="action-title">${t('reportForm.assignmentTitle')}</h3>
      <label class="field-label" for=${`${formId}-assignee`}>${t('reportForm.assignee')}</label>
      <select
        id=${`${formId}-assignee`}
        name="assignee"
        .value=${live(current)}
        aria-invalid=${isInvalid('assignee', errors)}
        aria-describedby=${describedBy(formId, 'assignee', errors, `${formId}-assignee-hint`)}
        @change=${(e: Event) => {
          assignment = { ...assignment, to: (e.target as HTMLSelectElement).value };
          assignmentState.done = null;
          assignmentState.errors = {};
          paint();
        }}
      >
        <option value="" ?selected=${current === ''}>${t('reportForm.nobody')}</option>
        ${choices.map(
          (c) => html`<option value=${c.userName} ?selected=${current === c.userName}>${c.displayName}（${c.userName}）</option>`,
        )}
      </select>
      <p class="field-hint" id=${`${formId}-assignee-hint`}>
        ${crewsFailed ? t('reportForm.crewsFailed') : crewList === null ? t('reportForm.crewsLoading') : t('reportForm.assigneeHint')}
      </p>
      ${fieldError(formId, 'assignee', errors)}
      ${comment(formId, assignment.comment ?? '', errors, (text) => {
        assignment = { ...assignment, comment: text };
        paint();
      })}
      ${formMessage(assignmentState.failure, assignmentFields)}
      <div class="form-actions">${sendButton(assignmentState, t('reportForm.assign'))}</div>
      ${done(assignmentState)}
    </form>`;
  };

  const notesForm = (): TemplateResult => {
    const formId = `${id}-notes`;
    const { errors } = notesState;
    const area = (field: 'internalNote' | 'publicSummary', value: string, max: number, hint: string) => html`
      <label class="field-label" for=${`${formId}-${field}`}>${t(field === 'internalNote' ? 'internalNote' : 'publicSummary')}</label>
      <textarea
        id=${`${formId}-${field}`}
        name=${field}
        rows="3"
        maxlength=${max}
        .value=${live(value)}
        aria-invalid=${isInvalid(field, errors)}
        aria-describedby=${describedBy(formId, field, errors, `${formId}-${field}-hint`)}
        @input=${(e: Event) => {
          notes = { ...notes, [field]: (e.target as HTMLTextAreaElement).value };
          notesState.done = null;
          notesUnchanged = false;
          paint();
        }}
      ></textarea>
      <p class="field-hint" id=${`${formId}-${field}-hint`}>
        ${hint}
        <span class="char-count">${t('reportForm.count', { n: value.length, max: max.toLocaleString() })}</span>
      </p>
      ${fieldError(formId, field, errors)}
    `;
    return html`<form id=${formId} class="action-form" novalidate aria-label=${t('reportForm.notesLabel', { id: report.reportId })} @submit=${submitNotes}>
      <h3 class="action-title">${t('reportForm.notesTitle')}</h3>
      ${area('internalNote', internalNote(), maxInternalNoteLength, t('reportForm.noteHint', { max: maxInternalNoteLength.toLocaleString() }))}
      ${area(
        'publicSummary',
        publicSummary(),
        maxPublicSummaryLength,
        isPublicReport(report) ? t('reportForm.summaryShown') : t('reportForm.summaryNotShown'),
      )}
      ${formMessage(notesState.failure, notesFields)}
      ${notesUnchanged ? html`<p class="form-hint" role="status">${t('reportForm.nothingChanged')}</p>` : nothing}
      <div class="form-actions">${sendButton(notesState, t('reportForm.save'))}</div>
      ${done(notesState)}
    </form>`;
  };

  const loadCrews = () => {
    if (crewList !== null) return;
    crewsFailed = false;
    reads.fieldCrews().then(
      (list) => {
        crewList = list;
        paint();
      },
      () => {
        crewsFailed = true;
        paint();
      },
    );
  };

  const paint = () => {
    if (disposed) return;
    render(
      role === 'hq' ? html`<div class="report-forms">${statusForm()} ${duplicateForm()} ${assignmentForm()} ${notesForm()}</div>` : nothing,
      forms,
    );
  };

  const show = (next: FieldReport) => {
    const changed = next.updatedAt !== report.updatedAt || next.photos.length !== report.photos.length;
    report = next;
    if (!canMarkDuplicate(report.status)) duplicate = { ...duplicate, confirming: undefined };
    photos.show(report);
    // Each change is in the history: read it again when the report changed.
    if (changed) history?.reload();
    paint();
  };

  paint();
  return {
    element,
    show,
    setRole(next, userName) {
      role = next;
      photos.setRole(role, userName);
      const mayReadHistory = role === 'hq' || (!!userName && userName === report.reportedBy);
      if (mayReadHistory && !history) {
        history = mountReportHistory(report.reportId, reads.history, options.districtName);
        element.append(history.element);
      } else if (!mayReadHistory && history) {
        history.dispose();
        history.element.remove();
        history = null;
      }
      if (role === 'hq') loadCrews();
      paint();
    },
    dispose() {
      photos.dispose();
      history?.dispose();
      render(nothing, forms);
      disposed = true;
    },
  };
}
