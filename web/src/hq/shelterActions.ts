// HQ acting for a shelter's staff, in the shelter's details: open or close it, set the head count, declare it full,
// with a note. The server takes the whole status at once, so the form starts from the live status and sends all of
// it; a field not touched here follows the live status until it is. Closing asks for confirmation first, naming the
// shelter. lit-html patches the form in place: a live update of the shelter keeps what is being typed.
import { html, nothing, render, type TemplateResult } from 'lit-html';
import { live } from 'lit-html/directives/live.js';
import { describedBy, fieldError, formMessage, formText, isInvalid, type FieldErrors } from '../core/form';
import type { Mounted } from '../core/mounted';
import type { ShelterState } from '../core/live/situationMessages';
import { send, type RequestBody, type SendFailure, type SendResult } from '../core/send';
import { t } from './messages';

const statusPath = '/api/shelters/{shelterId}/status' as const;

/** The generated PUT body, with what the server requires (open, head count) required here too. */
export type ShelterStatusUpdate = NonNullable<RequestBody<typeof statusPath, 'put'>> & {
  open: boolean;
  occupancy: number;
  declaredFull: boolean;
  note: string;
};

export type UpdateShelter = (shelterId: string, update: ShelterStatusUpdate) => Promise<SendResult<unknown>>;

export const updateShelter: UpdateShelter = (shelterId, update) => send('put', statusPath, { shelterId }, update);

export const maxOccupancy = 100_000;
export const maxShelterNoteLength = 500;
const fields = ['open', 'occupancy', 'declaredFull', 'note'] as const;

export interface ShelterActions extends Mounted {
  readonly element: HTMLElement;
  /** The shelter's status as the live channel has it now (undefined until it has said anything), and its name in the page's language. */
  show(state: ShelterState | undefined, name: string): void;
  /** Role from /api/me: only `hq` acts for shelter staff on this page. */
  setRole(role: string | null): void;
}

interface Edits {
  open?: boolean;
  /** As typed: checked when sent. */
  occupancy?: string;
  declaredFull?: boolean;
  note?: string;
}

export function mountShelterActions(
  shelterId: string,
  shelterName: string,
  initial: ShelterState | undefined,
  options: { update?: UpdateShelter } = {},
): ShelterActions {
  const update = options.update ?? updateShelter;
  const element = document.createElement('div');
  element.className = 'detail-actions shelter-actions';
  const id = `shelter-form-${shelterId.replace(/[^\w-]/g, '_')}`;
  let state = initial;
  let name = shelterName;
  let role: string | null = null;
  let edits: Edits = {};
  let errors: FieldErrors = {};
  let failure: SendFailure | null = null;
  let step: 'edit' | 'confirm' = 'edit';
  let sending = false;
  let done: string | null = null;
  let disposed = false;

  const open = () => edits.open ?? state?.open ?? false;
  const occupancy = () => edits.occupancy ?? String(state?.occupancy ?? 0);
  const declaredFull = () => open() && (edits.declaredFull ?? state?.declaredFull ?? false);
  const note = () => edits.note ?? state?.note ?? '';
  const focusAfterRender = (selector: string) => queueMicrotask(() => element.querySelector<HTMLElement>(selector)?.focus());

  const edit = (next: Edits) => {
    edits = { ...edits, ...next };
    done = null;
    paint();
  };

  const check = (): FieldErrors => {
    const found: FieldErrors = {};
    const count = occupancy().trim();
    if (!/^\d+$/.test(count) || Number(count) > maxOccupancy) found.occupancy = [t('shelterForm.badCount', { max: maxOccupancy.toLocaleString() })];
    if (note().trim().length > maxShelterNoteLength) found.note = [t('shelterForm.noteTooLong', { max: maxShelterNoteLength })];
    return found;
  };

  const body = (): ShelterStatusUpdate => ({
    open: open(),
    occupancy: Number(occupancy().trim()),
    declaredFull: declaredFull(),
    note: note().trim(),
  });

  const showErrors = (found: FieldErrors) => {
    errors = found;
    step = 'edit';
    const field = fields.find((f) => found[f]?.length);
    if (field) focusAfterRender(`#${id} [name="${field}"]`);
  };

  const review = (event: Event) => {
    event.preventDefault();
    if (sending) return;
    const found = check();
    failure = null;
    if (Object.keys(found).length > 0) {
      showErrors(found);
      paint();
      return;
    }
    errors = {};
    if (state?.open && !open()) {
      // Closing turns people away from a shelter: say it in full and ask once more.
      step = 'confirm';
      paint();
      focusAfterRender(`#${id} .confirm-text`);
      return;
    }
    void submit();
  };

  const submit = async () => {
    if (sending) return;
    const sent = body();
    sending = true;
    failure = null;
    paint();
    const result = await update(shelterId, sent);
    if (disposed) return;
    sending = false;
    if (result.ok) {
      const saved = result.value as ShelterState | undefined;
      if (saved && saved.shelterId === shelterId) state = saved;
      const wasConfirm = step === 'confirm';
      edits = {};
      step = 'edit';
      done = sent.open
        ? t('shelterForm.doneOpen', { name, count: sent.occupancy.toLocaleString() })
        : t('shelterForm.doneClosed', { name });
      paint();
      if (wasConfirm) focusAfterRender(`#${id} [name="open"]`);
      return;
    }
    failure = result;
    if (result.kind === 'invalid') showErrors(result.fields);
    paint();
  };

  const editForm = (): TemplateResult => {
    const countHint = `${id}-occupancy-hint`;
    const noteHint = `${id}-note-hint`;
    return html`<form id=${id} class="action-form" novalidate aria-label=${t('shelterForm.label', { name })} @submit=${review}>
      <h3 class="action-title">${t('shelterForm.title')}</h3>
      <fieldset class="choice" aria-invalid=${isInvalid('open', errors)} aria-describedby=${describedBy(id, 'open', errors)}>
        <legend>${t('openingStatus')}</legend>
        <label class="choice-option">
          <input type="radio" name="open" value="true" .checked=${live(open())} @change=${() => edit({ open: true })} />
          ${t('shelterForm.open')}
        </label>
        <label class="choice-option">
          <input type="radio" name="open" value="false" .checked=${live(!open())} @change=${() => edit({ open: false })} />
          ${t('shelterForm.closed')}
        </label>
        ${fieldError(id, 'open', errors)}
      </fieldset>
      <label class="field-label" for=${`${id}-occupancy`}>${t('shelterForm.occupancy')}</label>
      <input
        id=${`${id}-occupancy`}
        name="occupancy"
        type="text"
        inputmode="numeric"
        autocomplete="off"
        class="count-input"
        .value=${live(occupancy())}
        aria-invalid=${isInvalid('occupancy', errors)}
        aria-describedby=${describedBy(id, 'occupancy', errors, countHint)}
        @input=${(e: Event) => edit({ occupancy: (e.target as HTMLInputElement).value })}
      />
      <p class="field-hint" id=${countHint}>
        ${typeof state?.capacity === 'number'
          ? t('shelterForm.occupancyHintCapacity', { capacity: state.capacity.toLocaleString(), max: maxOccupancy.toLocaleString() })
          : t('shelterForm.occupancyHint', { max: maxOccupancy.toLocaleString() })}
      </p>
      ${fieldError(id, 'occupancy', errors)}
      <label class="check-option">
        <input
          type="checkbox"
          name="declaredFull"
          .checked=${live(declaredFull())}
          ?disabled=${!open()}
          aria-invalid=${isInvalid('declaredFull', errors)}
          aria-describedby=${describedBy(id, 'declaredFull', errors)}
          @change=${(e: Event) => edit({ declaredFull: (e.target as HTMLInputElement).checked })}
        />
        ${t('shelterForm.declaredFull')}
      </label>
      ${fieldError(id, 'declaredFull', errors)}
      <label class="field-label" for=${`${id}-note`}>${t('shelterForm.note')}</label>
      <textarea
        id=${`${id}-note`}
        name="note"
        rows="2"
        maxlength=${maxShelterNoteLength}
        .value=${live(note())}
        aria-invalid=${isInvalid('note', errors)}
        aria-describedby=${describedBy(id, 'note', errors, noteHint)}
        @input=${(e: Event) => edit({ note: (e.target as HTMLTextAreaElement).value })}
      ></textarea>
      <p class="field-hint" id=${noteHint}>
        ${t('shelterForm.noteHint', { max: maxShelterNoteLength })}
        <span class="char-count">${t('reportForm.noteCount', { n: note().length, max: maxShelterNoteLength })}</span>
      </p>
      ${fieldError(id, 'note', errors)} ${formMessage(failure, fields)}
      <div class="form-actions">
        <button type="submit" class="primary" ?disabled=${sending}>
          ${sending ? formText('send.sending') : t(state?.open && !open() ? 'shelterForm.next' : 'shelterForm.save')}
        </button>
      </div>
      ${done ? html`<p class="form-done" role="status">${done}</p>` : nothing}
    </form>`;
  };

  const confirmStep = (): TemplateResult => html`<div id=${id} class="action-form action-confirm" role="group" aria-labelledby=${`${id}-confirm`}>
    <p class="form-step">${t('shelterForm.confirmTitle')}</p>
    <p id=${`${id}-confirm`} class="confirm-text" tabindex="-1"><strong>${t('shelterForm.confirmClose', { name })}</strong></p>
    ${note().trim() ? html`<p class="confirm-note">${t('shelterForm.note')}：${note().trim()}</p>` : nothing}
    ${formMessage(failure, fields)}
    <div class="form-actions">
      <button type="button" class="primary confirm" ?disabled=${sending} @click=${() => void submit()}>
        ${sending ? formText('send.sending') : t('shelterForm.confirmCloseButton')}
      </button>
      <button
        type="button"
        ?disabled=${sending}
        @click=${() => {
          step = 'edit';
          failure = null;
          paint();
          focusAfterRender(`#${id} [name="open"][value="false"]`);
        }}
      >
        ${t('shelterForm.back')}
      </button>
    </div>
  </div>`;

  const paint = () => {
    if (disposed) return;
    render(role === 'hq' ? (step === 'edit' ? editForm() : confirmStep()) : nothing, element);
  };

  const onKeydown = (event: KeyboardEvent) => {
    if (event.key !== 'Escape' || step !== 'confirm' || sending) return;
    // Escape backs out of the confirmation only; the details panel closes on the next one.
    event.stopPropagation();
    step = 'edit';
    paint();
    focusAfterRender(`#${id} [name="open"][value="false"]`);
  };
  element.addEventListener('keydown', onKeydown);
  paint();

  return {
    element,
    show(next, nextName) {
      state = next;
      name = nextName;
      paint();
    },
    setRole(next) {
      role = next;
      if (role !== 'hq') step = 'edit';
      paint();
    },
    dispose() {
      element.removeEventListener('keydown', onKeydown);
      render(nothing, element);
      disposed = true;
    },
  };
}

