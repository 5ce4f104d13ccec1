// Official warnings in force for the town (気象警報・注意報, 土砂災害警戒情報, 指定河川洪水予報), each marked 公式 / Official
// and kept apart from the town's own estimates from its gauges. For an HQ account the panel also reads a JMA telegram
// file (防災情報XML), records one received by fax or phone by hand, and ends one. Nothing is shown as done before the
// server's 2xx; the list follows the live channel (official_warning_changed).
import { html, nothing, render, type TemplateResult } from 'lit-html';
import { live } from 'lit-html/directives/live.js';
import { repeat } from 'lit-html/directives/repeat.js';
import { describedBy, fieldError, formMessage, formText, isInvalid, type FieldErrors } from '../core/form';
import { lang, onLangChange } from '../core/i18n';
import { hhmm, isoTime } from '../core/japanTime';
import { concerns, type Situation } from '../core/live/situation';
import type { OfficialWarning, OfficialWarningKind } from '../core/live/situationMessages';
import { subscriptions, type Mounted } from '../core/mounted';
import { send, type RequestBody, type ResponseBody, type SendFailure, type SendResult } from '../core/send';
import { fromJstInput } from '../field/observedTime';
import { t } from './messages';

const telegramPath = '/api/official-warnings/telegrams' as const;
const handPath = '/api/official-warnings' as const;
const endPath = '/api/official-warnings/{warningId}/end' as const;

export type TelegramOutcome = NonNullable<ResponseBody<typeof telegramPath, 'post'>>;
export type HandWarningBody = NonNullable<RequestBody<typeof handPath, 'post'>>;
export type RecordTelegram = (file: Blob) => Promise<SendResult<TelegramOutcome | undefined>>;
export type RecordByHand = (body: HandWarningBody) => Promise<SendResult<unknown>>;
export type EndWarning = (warningId: number) => Promise<SendResult<unknown>>;

export const recordTelegram: RecordTelegram = (file) => send('post', telegramPath, {}, file);
export const recordByHand: RecordByHand = (body) => send('post', handPath, {}, body);
export const endWarning: EndWarning = (warningId) => send('post', endPath, { warningId }, undefined);

export const officialKinds: readonly OfficialWarningKind[] = ['weather_warning', 'landslide_alert', 'river_flood'];
export const officialLevels = [2, 3, 4, 5] as const;
export const maxNameLength = 100;
export const maxTextLength = 1_000;
const handFields = ['kind', 'name', 'condition', 'levelEquivalent', 'areas', 'rivers', 'issuedAt', 'validUntil', 'headline'] as const;

/** The warning's name in the page's language, as JMA's dated table names it. */
export function officialName(w: OfficialWarning): string {
  return lang() === 'en' && w.nameEn ? w.nameEn : w.name;
}

/** What a telegram came to, in words: recorded (with how many warnings it set), or why nothing changed. */
export function outcomeText(outcome: TelegramOutcome): string {
  const known = telegramOutcomes.find((o) => o === outcome.outcome);
  return known ? t(`official.outcome.${known}`, { n: outcome.warnings.length }) : outcome.outcome;
}

/** What the server says a telegram came to (POST /api/official-warnings/telegrams). */
export const telegramOutcomes = ['recorded', 'duplicate', 'not_for_town', 'older', 'nothing_to_cancel'] as const;

export interface HandDraft {
  kind: OfficialWarningKind;
  name: string;
  condition: string;
  levelEquivalent: number | null;
  areas: string;
  rivers: string;
  /** datetime-local values, Japan time. */
  issuedAt: string;
  validUntil: string;
  headline: string;
  sending: boolean;
  errors: FieldErrors;
  failure: SendFailure | null;
}

export const emptyHandDraft = (): HandDraft => ({
  kind: 'weather_warning',
  name: '',
  condition: '',
  levelEquivalent: null,
  areas: '高畠町',
  rivers: '',
  issuedAt: '',
  validUntil: '',
  headline: '',
  sending: false,
  errors: {},
  failure: null,
});

/** 「高畠町、米沢市」 or "Takahata, Yonezawa" → the names, without blanks. */
export function splitList(text: string): string[] {
  return text
    .split(/[、,，]/)
    .map((s) => s.trim())
    .filter((s) => s !== '');
}

export function checkHand(d: HandDraft): FieldErrors {
  const errors: FieldErrors = {};
  if (d.name.trim() === '') errors.name = [t('official.needName')];
  else if (d.name.trim().length > maxNameLength) errors.name = [t('alertForm.tooLong', { max: maxNameLength })];
  if (d.headline.trim().length > maxTextLength) errors.headline = [t('alertForm.tooLong', { max: maxTextLength })];
  if (d.issuedAt !== '' && fromJstInput(d.issuedAt) === null) errors.issuedAt = [t('official.badTime')];
  if (d.validUntil !== '' && fromJstInput(d.validUntil) === null) errors.validUntil = [t('official.badTime')];
  return errors;
}

/** The hand entry as the server takes it: empty fields left out (the server fills issuedAt with now). */
export function handBody(d: HandDraft): HandWarningBody {
  const body: HandWarningBody = { kind: d.kind, name: d.name.trim() };
  if (d.condition.trim() !== '') body.condition = d.condition.trim();
  if (d.levelEquivalent !== null) body.levelEquivalent = d.levelEquivalent;
  const areas = splitList(d.areas);
  if (areas.length > 0) body.areas = areas;
  const rivers = splitList(d.rivers);
  if (rivers.length > 0) body.rivers = rivers;
  const issuedAt = fromJstInput(d.issuedAt);
  if (issuedAt) body.issuedAt = issuedAt;
  const validUntil = fromJstInput(d.validUntil);
  if (validUntil) body.validUntil = validUntil;
  if (d.headline.trim() !== '') body.headline = d.headline.trim();
  return body;
}

export interface OfficialWarningsOptions {
  upload?: RecordTelegram;
  record?: RecordByHand;
  end?: EndWarning;
}

export interface OfficialWarningsPanel extends Mounted {
  /** Role from /api/me: only `hq` may upload, record and end. */
  /** null: no actions (signed out, or the past shown). */
  setRole(role: string | null): void;
}

interface Upload {
  file: File | null;
  sending: boolean;
  errors: FieldErrors;
  failure: SendFailure | null;
}

interface Ending {
  warningId: number;
  sending: boolean;
  failure: SendFailure | null;
}

export const handFormId = 'official-hand-form';
const uploadFormId = 'official-upload-form';

export function mountOfficialWarnings(root: HTMLElement, situation: Situation, options: OfficialWarningsOptions = {}): OfficialWarningsPanel {
  const upload = options.upload ?? recordTelegram;
  const record = options.record ?? recordByHand;
  const end = options.end ?? endWarning;
  let canAct = false;
  let disposed = false;
  let hand: HandDraft | null = null;
  let ending: Ending | null = null;
  const telegram: Upload = { file: null, sending: false, errors: {}, failure: null };
  let notice: { text: string; refused: boolean } | null = null;

  const focusAfterRender = (selector: string) => queueMicrotask(() => root.querySelector<HTMLElement>(selector)?.focus());
  const say = (text: string, refused = false) => {
    notice = { text, refused };
    paint();
    focusAfterRender('.official-notice');
  };

  // A telegram file.

  const submitUpload = async (event: Event) => {
    event.preventDefault();
    if (telegram.sending) return;
    notice = null;
    const file = telegram.file;
    if (!file) {
      Object.assign(telegram, { errors: { telegram: [t('official.needFile')] }, failure: null });
      paint();
      focusAfterRender(`#${uploadFormId} [name="telegram"]`);
      return;
    }
    Object.assign(telegram, { sending: true, errors: {}, failure: null });
    paint();
    const result = await upload(file);
    if (disposed) return;
    telegram.sending = false;
    if (result.ok) {
      telegram.file = null;
      root.querySelector<HTMLFormElement>(`#${uploadFormId}`)?.reset();
      say(result.value ? outcomeText(result.value) : t('official.outcome.recorded', { n: '—' }));
      return;
    }
    Object.assign(telegram, { errors: {}, failure: result });
    paint();
  };

  // By hand.

  const openHand = () => {
    notice = null;
    hand = emptyHandDraft();
    paint();
    focusAfterRender(`#${handFormId} [name="kind"]`);
  };
  const closeHand = () => {
    hand = null;
    paint();
    focusAfterRender('.official-hand-toggle');
  };
  const editHand = (next: Partial<HandDraft>, repaint = false) => {
    if (!hand) return;
    Object.assign(hand, next);
    if (repaint) paint();
  };

  const submitHand = async (event: Event) => {
    event.preventDefault();
    const draft = hand;
    if (!draft || draft.sending) return;
    const errors = checkHand(draft);
    if (Object.keys(errors).length > 0) {
      editHand({ errors, failure: null }, true);
      const field = handFields.find((f) => errors[f]?.length);
      if (field) focusAfterRender(`#${handFormId} [name="${field}"]`);
      return;
    }
    editHand({ sending: true, errors: {}, failure: null }, true);
    const result = await record(handBody(draft));
    if (disposed || hand !== draft) return;
    if (result.ok) {
      hand = null;
      say(t('official.recorded', { name: draft.name.trim() }));
      return;
    }
    editHand({ sending: false, errors: result.kind === 'invalid' ? result.fields : {}, failure: result }, true);
  };

  // Ending one.

  const openEnd = (warningId: number) => {
    notice = null;
    ending = { warningId, sending: false, failure: null };
    paint();
    focusAfterRender(`#official-end-${warningId} .confirm`);
  };
  const closeEnd = () => {
    const id = ending?.warningId;
    ending = null;
    paint();
    if (id !== undefined) focusAfterRender(`[data-warning-id="${id}"] .official-end-open`);
  };
  const confirmEnd = async (w: OfficialWarning) => {
    const e = ending;
    if (!e || e.sending || e.warningId !== w.warningId) return;
    e.sending = true;
    paint();
    const result = await end(w.warningId);
    if (disposed || ending !== e) return;
    if (result.ok) {
      ending = null;
      say(t('official.ended', { name: officialName(w) }));
      return;
    }
    if (result.kind === 'not_found' || result.kind === 'conflict') {
      ending = null;
      say(t('official.gone'), true);
      return;
    }
    Object.assign(e, { sending: false, failure: result });
    paint();
  };

  // Drawing.

  const endPanel = (w: OfficialWarning, e: Ending): TemplateResult => html`<div
    id=${`official-end-${w.warningId}`}
    class="level-form official-end"
    role="group"
    aria-labelledby=${`official-end-${w.warningId}-confirm`}
  >
    <p id=${`official-end-${w.warningId}-confirm`} class="confirm-text"><strong>${t('official.endConfirm', { name: officialName(w) })}</strong></p>
    ${formMessage(e.failure, [])}
    <div class="form-actions">
      <button type="button" class="primary confirm" ?disabled=${e.sending} @click=${() => void confirmEnd(w)}>
        ${e.sending ? formText('send.sending') : t('official.endButton')}
      </button>
      <button type="button" ?disabled=${e.sending} @click=${closeEnd}>${t('alertForm.cancel')}</button>
    </div>
  </div>`;

  const item = (w: OfficialWarning): TemplateResult => {
    const open = ending?.warningId === w.warningId;
    return html`<li
      class=${`official-item official-${w.kind}${w.drillId !== undefined ? ' official-drill' : ''}`}
      data-warning-id=${String(w.warningId)}
      data-kind=${w.kind}
      data-source=${w.source}
    >
      <span class="official-meta">
        <span class="official-mark">${t('officialMark')}</span>
        ${w.drillId !== undefined ? html`<span class="drill-mark">${t('drillMark')}</span>` : nothing}
        <span class="official-kind">${t(`officialKind.${w.kind}`)}</span>
        ${w.levelEquivalent !== undefined ? html`<span class="official-level">${t('alertLevelEquivalent', { level: w.levelEquivalent })}</span>` : nothing}
      </span>
      <span class="official-name"><strong>${officialName(w)}</strong>${w.condition && !w.name.includes(w.condition) ? html` <span class="official-condition">（${w.condition}）</span>` : nothing}</span>
      ${w.headline ? html`<span class="official-headline">${w.headline}</span>` : nothing}
      <span class="official-record">
        <time datetime=${isoTime(w.issuedAt)}>${t('official.issued', { time: hhmm(w.issuedAt) })}</time>
        ${w.validUntil ? html` <time datetime=${isoTime(w.validUntil)}>${t('official.validUntil', { time: hhmm(w.validUntil) })}</time>` : nothing}
      </span>
      ${w.areas.length > 0 ? html`<span class="official-record official-areas">${t('official.areas', { list: w.areas.join(t('listSeparator')) })}</span>` : nothing}
      ${w.rivers.length > 0 ? html`<span class="official-record official-rivers">${t('official.rivers', { list: w.rivers.join(t('listSeparator')) })}</span>` : nothing}
      <span class="official-record official-source">
        ${w.enteredByHand ? t('official.byHand', { who: w.enteredBy ?? '—' }) : t(`officialSource.${w.source}`)}
      </span>
      ${canAct
        ? html`<div class="form-actions">
            <button
              type="button"
              class="official-end-open"
              aria-expanded=${open ? 'true' : 'false'}
              aria-controls=${`official-end-${w.warningId}`}
              aria-label=${t('official.endLabel', { name: officialName(w) })}
              @click=${() => (open ? closeEnd() : openEnd(w.warningId))}
            >
              ${t('official.end')}
            </button>
          </div>`
        : nothing}
      ${canAct && open && ending ? endPanel(w, ending) : nothing}
    </li>`;
  };

  const uploadForm = (): TemplateResult => html`<form id=${uploadFormId} class="official-upload" novalidate @submit=${(e: Event) => void submitUpload(e)}>
    <label class="field-label" for=${`${uploadFormId}-telegram`}>${t('official.upload')}</label>
    <input
      id=${`${uploadFormId}-telegram`}
      name="telegram"
      type="file"
      accept=".xml,application/xml,text/xml"
      aria-invalid=${isInvalid('telegram', telegram.errors)}
      aria-describedby=${describedBy(uploadFormId, 'telegram', telegram.errors)}
      @change=${(e: Event) => {
        telegram.file = (e.target as HTMLInputElement).files?.[0] ?? null;
      }}
    />
    ${fieldError(uploadFormId, 'telegram', telegram.errors)} ${formMessage(telegram.failure, ['telegram'])}
    <div class="form-actions">
      <button type="submit" class="primary" ?disabled=${telegram.sending}>
        ${telegram.sending ? formText('send.sending') : t('official.uploadButton')}
      </button>
    </div>
  </form>`;

  const handForm = (d: HandDraft): TemplateResult => {
    const id = handFormId;
    const text = (field: 'name' | 'condition' | 'areas' | 'rivers' | 'headline', label: string, max: number) => html`<label
        class="field-label"
        for=${`${id}-${field}`}
        >${label}</label
      >
      <input
        id=${`${id}-${field}`}
        name=${field}
        type="text"
        autocomplete="off"
        maxlength=${max}
        ?required=${field === 'name'}
        .value=${live(d[field])}
        aria-invalid=${isInvalid(field, d.errors)}
        aria-describedby=${describedBy(id, field, d.errors)}
        @input=${(e: Event) => editHand({ [field]: (e.target as HTMLInputElement).value })}
      />
      ${fieldError(id, field, d.errors)}`;
    const time = (field: 'issuedAt' | 'validUntil', label: string) => html`<label class="field-label" for=${`${id}-${field}`}>${label}</label>
      <input
        id=${`${id}-${field}`}
        name=${field}
        type="datetime-local"
        .value=${live(d[field])}
        aria-invalid=${isInvalid(field, d.errors)}
        aria-describedby=${describedBy(id, field, d.errors)}
        @input=${(e: Event) => editHand({ [field]: (e.target as HTMLInputElement).value })}
      />
      ${fieldError(id, field, d.errors)}`;
    return html`<form id=${id} class="level-form official-hand" novalidate aria-labelledby=${`${id}-title`} @submit=${(e: Event) => void submitHand(e)}>
      <p id=${`${id}-title`} class="form-step">${t('official.handTitle')}</p>
      <label class="field-label" for=${`${id}-kind`}>${t('official.kind')}</label>
      <select id=${`${id}-kind`} name="kind" @change=${(e: Event) => editHand({ kind: (e.target as HTMLSelectElement).value as OfficialWarningKind }, true)}>
        ${officialKinds.map((k) => html`<option value=${k} .selected=${live(d.kind === k)}>${t(`officialKind.${k}`)}</option>`)}
      </select>
      ${text('name', t('official.name'), maxNameLength)} ${text('condition', t('official.condition'), maxNameLength)}
      <label class="field-label" for=${`${id}-levelEquivalent`}>${t('official.level')}</label>
      <select
        id=${`${id}-levelEquivalent`}
        name="levelEquivalent"
        @change=${(e: Event) => {
          const value = (e.target as HTMLSelectElement).value;
          editHand({ levelEquivalent: value === '' ? null : Number(value) }, true);
        }}
      >
        <option value="" .selected=${live(d.levelEquivalent === null)}>${t('official.noLevel')}</option>
        ${officialLevels.map(
          (l) => html`<option value=${String(l)} .selected=${live(d.levelEquivalent === l)}>${t('alertLevelEquivalent', { level: l })}</option>`,
        )}
      </select>
      ${text('areas', t('official.areasField'), maxTextLength)} ${text('rivers', t('official.riversField'), maxTextLength)}
      ${time('issuedAt', t('official.issuedAt'))} ${time('validUntil', t('official.validUntilField'))}
      ${text('headline', t('official.headline'), maxTextLength)} ${formMessage(d.failure, handFields)}
      <div class="form-actions">
        <button type="submit" class="primary" ?disabled=${d.sending}>${d.sending ? formText('send.sending') : t('official.handButton')}</button>
        <button type="button" ?disabled=${d.sending} @click=${closeHand}>${t('alertForm.cancel')}</button>
      </div>
    </form>`;
  };

  const paint = () => {
    if (disposed) return;
    const warnings = [...situation.officialWarnings.values()]
      .filter((w) => w.status === 'in_force')
      .sort((a, b) => (b.levelEquivalent ?? 0) - (a.levelEquivalent ?? 0) || b.issuedAt.localeCompare(a.issuedAt));
    if (ending && !ending.sending && !warnings.some((w) => w.warningId === ending!.warningId)) ending = null;
    render(
      html`<p class="official-note">${t('official.note')}</p>
        ${notice
          ? html`<p class=${`official-notice ${notice.refused ? 'form-message' : 'form-done'}`} role=${notice.refused ? 'alert' : 'status'} tabindex="-1">
              ${notice.text}
            </p>`
          : nothing}
        <ul class="official-list">
          ${repeat(warnings, (w) => w.warningId, item)}
          ${situation.known && warnings.length === 0 ? html`<li class="official-none">${t('official.none')}</li>` : nothing}
        </ul>
        ${canAct
          ? html`<div class="official-tools">
              ${uploadForm()}
              <button
                type="button"
                class="official-hand-toggle"
                aria-expanded=${hand ? 'true' : 'false'}
                aria-controls=${handFormId}
                @click=${() => (hand ? closeHand() : openHand())}
              >
                ${t('official.handOpen')}
              </button>
              ${hand ? handForm(hand) : nothing}
            </div>`
          : nothing}`,
      root,
    );
  };

  const onKeydown = (event: KeyboardEvent) => {
    if (event.key !== 'Escape') return;
    if (ending && !ending.sending) closeEnd();
    else if (hand && !hand.sending) closeHand();
  };
  const subs = subscriptions();
  root.addEventListener('keydown', onKeydown);
  subs.add(() => root.removeEventListener('keydown', onKeydown));
  subs.add(
    situation.onChange((change) => {
      if (concerns(change, ['official_warning_changed', 'drill_ended'])) paint();
    }),
  );
  subs.add(onLangChange(paint));
  paint();

  return {
    setRole(role) {
      canAct = role === 'hq';
      if (!canAct) {
        hand = null;
        ending = null;
      }
      paint();
    },
    dispose() {
      subs.dispose();
      render(nothing, root);
      disposed = true;
    },
  };
}
