// The form that raises an HQ alert by hand: a kind from a short list, an optional 警戒レベル and district, and what
// is wrong. It renders into the alert list's panel with lit-html, so a live event re-rendering the panel keeps what
// is being typed and where the focus is. Nothing is shown as raised before the server's 201.
import { html, type TemplateResult } from 'lit-html';
import { live } from 'lit-html/directives/live.js';
import { describedBy, fieldError, formMessage, formText, isInvalid, type FieldErrors } from '../core/form';
import { send, type RequestBody, type ResponseBody, type SendFailure, type SendResult } from '../core/send';
import { t } from './messages';

const raisePath = '/api/alerts' as const;

export type NewAlertBody = NonNullable<RequestBody<typeof raisePath, 'post'>>;
export type RaisedAlert = NonNullable<ResponseBody<typeof raisePath, 'post'>>;
export type RaiseAlert = (alert: NewAlertBody) => Promise<SendResult<RaisedAlert | undefined>>;

export const raiseAlert: RaiseAlert = (alert) => send('post', raisePath, {}, alert);

/** The kinds offered; the server takes any short lower-case word, these are the ones HQ raises by hand. */
export const alertKinds = ['manual', 'water_level', 'landslide', 'evacuation', 'other'] as const;
export const alertLevels = [1, 2, 3, 4, 5] as const;
export const maxAlertTextLength = 1_000;

export const raiseFormId = 'alert-raise-form';
/** The fields as the server names them in a 400's `errors`. */
const fields = ['kind', 'level', 'districtId', 'message'] as const;

export interface RaiseDraft {
  kind: string;
  level: number | null;
  districtId: string;
  message: string;
  sending: boolean;
  errors: FieldErrors;
  failure: SendFailure | null;
}

export const emptyRaiseDraft = (): RaiseDraft => ({
  kind: 'manual',
  level: null,
  districtId: '',
  message: '',
  sending: false,
  errors: {},
  failure: null,
});

/** What the form itself can say before sending. */
export function checkRaise(draft: RaiseDraft): FieldErrors {
  const message = draft.message.trim();
  if (message === '') return { message: [t('alertForm.needMessage')] };
  if (message.length > maxAlertTextLength) return { message: [t('alertForm.tooLong', { max: maxAlertTextLength })] };
  return {};
}

export function raiseBody(draft: RaiseDraft): NewAlertBody {
  const body: NewAlertBody = { kind: draft.kind, message: draft.message.trim() };
  if (draft.level !== null) body.level = draft.level;
  if (draft.districtId !== '') body.districtId = draft.districtId;
  return body;
}

/** The first field with a message, to move the focus there. */
export function firstInvalidField(errors: FieldErrors): string | undefined {
  return fields.find((f) => errors[f]?.length);
}

export interface RaiseFormView {
  draft: RaiseDraft;
  districts: Array<{ id: string; name: string }>;
  /** Changes the draft without drawing again (typing), or with (`paint`). */
  edit(next: Partial<RaiseDraft>, paint?: boolean): void;
  submit(event: Event): void;
  cancel(): void;
}

export function raiseForm(view: RaiseFormView): TemplateResult {
  const { draft: d, districts } = view;
  const id = raiseFormId;
  const hintId = `${id}-message-hint`;
  const select = (field: 'kind' | 'level' | 'districtId', label: string, options: TemplateResult[]) =>
    html`<label class="field-label" for=${`${id}-${field}`}>${label}</label>
      <select
        id=${`${id}-${field}`}
        name=${field}
        aria-invalid=${isInvalid(field, d.errors)}
        aria-describedby=${describedBy(id, field, d.errors)}
        @change=${(e: Event) => {
          const value = (e.target as HTMLSelectElement).value;
          view.edit(field === 'level' ? { level: value === '' ? null : Number(value) } : { [field]: value }, true);
        }}
      >
        ${options}
      </select>
      ${fieldError(id, field, d.errors)}`;
  const option = (value: string, text: string, selected: boolean) =>
    html`<option value=${value} .selected=${live(selected)}>${text}</option>`;

  return html`<form id=${id} class="level-form alert-form" novalidate aria-labelledby=${`${id}-title`} @submit=${view.submit}>
    <p id=${`${id}-title`} class="form-step">${t('alertForm.title')}</p>
    ${select('kind', t('alertForm.kind'), alertKinds.map((k) => option(k, t(`alertKind.${k}`), d.kind === k)))}
    <div class="alert-form-pair">
      <div>
        ${select('level', t('alertForm.level'), [
          option('', t('alertForm.noLevel'), d.level === null),
          ...alertLevels.map((l) => option(String(l), t('evacLevelNumber', { level: l }), d.level === l)),
        ])}
      </div>
      <div>
        ${select('districtId', t('alertForm.district'), [
          option('', t('alertForm.noDistrict'), d.districtId === ''),
          ...districts.map((district) => option(district.id, district.name, d.districtId === district.id)),
        ])}
      </div>
    </div>
    <label class="field-label" for=${`${id}-message`}>${t('alertForm.message')}</label>
    <textarea
      id=${`${id}-message`}
      name="message"
      rows="3"
      maxlength=${maxAlertTextLength}
      required
      .value=${live(d.message)}
      aria-invalid=${isInvalid('message', d.errors)}
      aria-describedby=${describedBy(id, 'message', d.errors, hintId)}
      @input=${(e: Event) => view.edit({ message: (e.target as HTMLTextAreaElement).value }, true)}
    ></textarea>
    <p class="field-hint" id=${hintId}>
      ${t('alertForm.messageHint', { max: maxAlertTextLength })}
      <span class="reason-count">${t('alertForm.count', { n: d.message.length, max: maxAlertTextLength })}</span>
    </p>
    ${fieldError(id, 'message', d.errors)} ${formMessage(d.failure, fields)}
    <div class="form-actions">
      <button type="submit" class="primary" ?disabled=${d.sending}>
        ${d.sending ? formText('send.sending') : t('alertForm.send')}
      </button>
      <button type="button" ?disabled=${d.sending} @click=${view.cancel}>${t('alertForm.cancel')}</button>
    </div>
  </form>`;
}
