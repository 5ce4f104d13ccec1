// HQ's edit of a shelter's registry in its details: capacity and whether it is assumed or confirmed, the hazards it
// is designated for, its kind, accessible facilities and the staff contact. Sent as one PATCH through send(); the
// server audits before and after and tells every page by shelter_registry_changed. Checked here as the server checks
// it (same limits), and the server's field problems land on the same fields. lit-html keeps what is typed when a
// live update arrives.
import { html, nothing, render, type TemplateResult } from 'lit-html';
import { live } from 'lit-html/directives/live.js';
import { describedBy, fieldError, formMessage, formText, isInvalid, type FieldErrors } from '../core/form';
import { hazards, type Hazard, type ShelterProps } from '../core/geodata';
import type { ShelterKind, ShelterState } from '../core/live/situationMessages';
import type { Mounted } from '../core/mounted';
import { send, type SendFailure, type SendResult } from '../core/send';
import { t } from './messages';

export const maxCapacity = 100_000;
export const maxContactLength = 200;
export const shelterKinds: readonly ShelterKind[] = ['emergency_site', 'evacuation_shelter', 'both', 'welfare'];
const fields = ['capacity', 'capacityAssumed', 'hazards', 'kind', 'accessible', 'contact'] as const;

/** What PATCH /api/shelters/{id} takes (the server leaves out what is absent). */
export interface ShelterRegistryUpdate {
  capacity?: number;
  capacityAssumed?: boolean;
  hazards?: Hazard[];
  kind?: ShelterKind;
  accessible?: boolean;
  contact?: string;
}

export type UpdateRegistry = (shelterId: string, update: ShelterRegistryUpdate) => Promise<SendResult<unknown>>;

export const updateRegistry: UpdateRegistry = (shelterId, update) =>
  send('patch', '/api/shelters/{shelterId}', { shelterId }, update);

/** A shelter's designated hazards: the live registry's (it follows HQ's edits on any screen), the shipped geodata's before it arrives. */
export function knownHazards(state: ShelterState | undefined, props: ShelterProps): Hazard[] {
  return hazards.filter((h) => (state?.hazards ?? props.hazards ?? []).includes(h));
}

/** The form's values as typed. */
export interface RegistryDraft {
  capacity: string;
  capacityAssumed: boolean;
  hazards: Hazard[];
  kind: ShelterKind;
  accessible: boolean;
  contact: string;
}

/** The registry as known now: the live state first (it follows HQ's edits), the shipped geodata otherwise. */
export function draftFrom(state: ShelterState | undefined, props: ShelterProps): RegistryDraft {
  const capacity = state?.capacity ?? props.capacity;
  return {
    capacity: typeof capacity === 'number' ? String(capacity) : '',
    capacityAssumed: state?.capacityAssumed ?? props.capacity_assumed ?? true,
    hazards: knownHazards(state, props),
    kind: state?.kind ?? kindFromProps(props),
    accessible: state?.accessible ?? false,
    contact: state?.contact ?? '',
  };
}

function kindFromProps(props: ShelterProps): ShelterKind {
  if (props.is_evacuation_shelter && props.is_emergency_site) return 'both';
  if (props.is_evacuation_shelter) return 'evacuation_shelter';
  return 'emergency_site';
}

/** The field problems of a draft, as the server would name them; none: it may be sent. */
export function checkRegistry(draft: RegistryDraft): FieldErrors {
  const found: FieldErrors = {};
  const capacity = draft.capacity.trim();
  if (capacity !== '' && (!/^\d+$/.test(capacity) || Number(capacity) > maxCapacity)) {
    found.capacity = [t('registry.badCapacity', { max: maxCapacity.toLocaleString() })];
  }
  if (!shelterKinds.includes(draft.kind)) found.kind = [t('registry.badKind')];
  if (draft.contact.trim().length > maxContactLength) found.contact = [t('registry.contactTooLong', { max: maxContactLength })];
  // The server refuses NUL and other control characters in text; say so before sending.
  if (/[\u0000-\u0008\u000b\u000c\u000e-\u001f]/.test(draft.contact)) found.contact = [t('registry.contactBadCharacters')];
  return found;
}

/** The PATCH body of a checked draft. An empty capacity is left out (unknown stays unknown). */
export function registryBody(draft: RegistryDraft): ShelterRegistryUpdate {
  const body: ShelterRegistryUpdate = {
    capacityAssumed: draft.capacityAssumed,
    hazards: [...draft.hazards],
    kind: draft.kind,
    accessible: draft.accessible,
    contact: draft.contact.trim(),
  };
  if (draft.capacity.trim() !== '') body.capacity = Number(draft.capacity.trim());
  return body;
}

export interface ShelterRegistryForm extends Mounted {
  readonly element: HTMLElement;
  show(state: ShelterState | undefined, props: ShelterProps): void;
  setRole(role: string | null): void;
}

export function mountShelterRegistry(
  shelterId: string,
  props: ShelterProps,
  initial: ShelterState | undefined,
  options: { update?: UpdateRegistry } = {},
): ShelterRegistryForm {
  const update = options.update ?? updateRegistry;
  const element = document.createElement('div');
  element.className = 'detail-actions shelter-registry';
  const id = `registry-form-${shelterId.replace(/[^\w-]/g, '_')}`;
  let state = initial;
  let shelter = props;
  let role: string | null = null;
  let edits: Partial<RegistryDraft> = {};
  let errors: FieldErrors = {};
  let failure: SendFailure | null = null;
  let sending = false;
  let done: string | null = null;
  let disposed = false;

  const draft = (): RegistryDraft => ({ ...draftFrom(state, shelter), ...edits });
  const edit = (next: Partial<RegistryDraft>) => {
    edits = { ...edits, ...next };
    done = null;
    paint();
  };
  const focusField = (found: FieldErrors) => {
    const field = fields.find((f) => found[f]?.length);
    if (field) queueMicrotask(() => element.querySelector<HTMLElement>(`#${id} [name="${field}"]`)?.focus());
  };

  const submit = async (event: Event) => {
    event.preventDefault();
    if (sending) return;
    const current = draft();
    const found = checkRegistry(current);
    failure = null;
    errors = found;
    if (Object.keys(found).length > 0) {
      paint();
      focusField(found);
      return;
    }
    sending = true;
    paint();
    const result = await update(shelterId, registryBody(current));
    if (disposed) return;
    sending = false;
    if (result.ok) {
      const saved = result.value as ShelterState | undefined;
      if (saved && saved.shelterId === shelterId) state = saved;
      edits = {};
      done = t('registry.done');
    } else {
      failure = result;
      if (result.kind === 'invalid') {
        errors = result.fields;
        focusField(result.fields);
      }
    }
    paint();
  };

  const form = (): TemplateResult => {
    const d = draft();
    const capacityHint = `${id}-capacity-hint`;
    const contactHint = `${id}-contact-hint`;
    return html`<form id=${id} class="action-form" novalidate aria-label=${t('registry.title')} @submit=${submit}>
      <h3 class="action-title">${t('registry.title')}</h3>
      <label class="field-label" for=${`${id}-capacity`}>${t('registry.capacity')}</label>
      <input
        id=${`${id}-capacity`}
        name="capacity"
        type="text"
        inputmode="numeric"
        autocomplete="off"
        class="count-input"
        .value=${live(d.capacity)}
        aria-invalid=${isInvalid('capacity', errors)}
        aria-describedby=${describedBy(id, 'capacity', errors, capacityHint)}
        @input=${(e: Event) => edit({ capacity: (e.target as HTMLInputElement).value })}
      />
      <p class="field-hint" id=${capacityHint}>${t('registry.capacityHint', { max: maxCapacity.toLocaleString() })}</p>
      ${fieldError(id, 'capacity', errors)}
      <fieldset class="choice" aria-invalid=${isInvalid('capacityAssumed', errors)} aria-describedby=${describedBy(id, 'capacityAssumed', errors)}>
        <legend>${t('registry.capacityBasis')}</legend>
        <label class="choice-option">
          <input type="radio" name="capacityAssumed" value="false" .checked=${live(!d.capacityAssumed)} @change=${() => edit({ capacityAssumed: false })} />
          ${t('registry.confirmed')}
        </label>
        <label class="choice-option">
          <input type="radio" name="capacityAssumed" value="true" .checked=${live(d.capacityAssumed)} @change=${() => edit({ capacityAssumed: true })} />
          ${t('registry.assumed')}
        </label>
        ${fieldError(id, 'capacityAssumed', errors)}
      </fieldset>
      <fieldset class="choice" aria-invalid=${isInvalid('hazards', errors)} aria-describedby=${describedBy(id, 'hazards', errors)}>
        <legend>${t('registry.hazards')}</legend>
        ${hazards.map(
          (hazard) => html`<label class="choice-option">
            <input
              type="checkbox"
              name="hazards"
              value=${hazard}
              .checked=${live(d.hazards.includes(hazard))}
              @change=${(e: Event) => {
                const checked = (e.target as HTMLInputElement).checked;
                edit({ hazards: hazards.filter((h) => (h === hazard ? checked : d.hazards.includes(h))) });
              }}
            />
            ${t(`hazard.${hazard}`)}
          </label>`,
        )}
        ${fieldError(id, 'hazards', errors)}
      </fieldset>
      <label class="field-label" for=${`${id}-kind`}>${t('registry.kind')}</label>
      <select
        id=${`${id}-kind`}
        name="kind"
        aria-invalid=${isInvalid('kind', errors)}
        aria-describedby=${describedBy(id, 'kind', errors)}
        @change=${(e: Event) => edit({ kind: (e.target as HTMLSelectElement).value as ShelterKind })}
      >
        ${shelterKinds.map((kind) => html`<option value=${kind} ?selected=${d.kind === kind}>${t(`shelterKind.${kind}`)}</option>`)}
      </select>
      ${fieldError(id, 'kind', errors)}
      <label class="check-option">
        <input
          type="checkbox"
          name="accessible"
          .checked=${live(d.accessible)}
          aria-invalid=${isInvalid('accessible', errors)}
          aria-describedby=${describedBy(id, 'accessible', errors)}
          @change=${(e: Event) => edit({ accessible: (e.target as HTMLInputElement).checked })}
        />
        ${t('registry.accessible')}
      </label>
      ${fieldError(id, 'accessible', errors)}
      <label class="field-label" for=${`${id}-contact`}>${t('registry.contact')}</label>
      <input
        id=${`${id}-contact`}
        name="contact"
        type="text"
        autocomplete="off"
        maxlength=${maxContactLength}
        .value=${live(d.contact)}
        aria-invalid=${isInvalid('contact', errors)}
        aria-describedby=${describedBy(id, 'contact', errors, contactHint)}
        @input=${(e: Event) => edit({ contact: (e.target as HTMLInputElement).value })}
      />
      <p class="field-hint" id=${contactHint}>${t('registry.contactHint', { max: maxContactLength })}</p>
      ${fieldError(id, 'contact', errors)} ${formMessage(failure, fields)}
      <div class="form-actions">
        <button type="submit" class="primary" ?disabled=${sending}>${sending ? formText('send.sending') : t('registry.save')}</button>
      </div>
      ${done ? html`<p class="form-done" role="status">${done}</p>` : nothing}
    </form>`;
  };

  const paint = () => {
    if (disposed) return;
    render(role === 'hq' || role === 'admin' ? form() : nothing, element);
  };
  paint();

  return {
    element,
    show(next, nextProps) {
      state = next;
      shelter = nextProps;
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
