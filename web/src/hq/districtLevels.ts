// Each district's 警戒レベル as a list: what the map's fills say, reachable by keyboard and screen reader. For an HQ
// account each district also has a form to issue or lift 高齢者等避難 (3), 避難指示 (4) or 緊急安全確保 (5): choose the
// level, say who decided it and why, confirm a sentence naming the level and the district in full, then send.
// lit-html patches the list in place, so a live event arriving while someone types keeps their text and focus.
import { html, nothing, render, type TemplateResult } from 'lit-html';
import { live } from 'lit-html/directives/live.js';
import { repeat } from 'lit-html/directives/repeat.js';
import { isIssued, issuedLevels, levelName, levelText } from '../core/evacuationLevels';
import { describedBy, fieldError, formMessage, formText, isInvalid, type FieldErrors } from '../core/form';
import { localName, onLangChange } from '../core/i18n';
import type { Mounted } from '../core/mounted';
import { hhmm } from '../core/japanTime';
import { concerns, type Situation } from '../core/live/situation';
import type { DistrictEvacuation } from '../core/live/situationMessages';
import { send, type RequestBody, type SendFailure, type SendResult } from '../core/send';
import { t } from './messages';

export interface DistrictRef {
  id: string;
  name_ja?: string;
  name_en?: string;
}

const levelPath = '/api/districts/{districtId}/evacuation-level' as const;

/** What the town decided: the generated request body, its fields all required by the server. */
export type LevelDecision = Required<NonNullable<RequestBody<typeof levelPath, 'put'>>> & { level: number; decidedBy: string; reason: string };

export type IssueLevel = (districtId: string, decision: LevelDecision) => Promise<SendResult<unknown>>;

export const issueLevel: IssueLevel = (districtId, decision) => send('put', levelPath, { districtId }, decision);

export const maxReasonLength = 500;
const maxNameLength = 100;
const fields = ['level', 'decidedBy', 'reason'] as const;

export interface DistrictLevelsOptions {
  districts: DistrictRef[];
  situation: Situation;
  onPick(districtId: string): void;
  /** The write; a test passes its own. */
  issue?: IssueLevel;
}

export interface DistrictLevels extends Mounted {
  /** Role from /api/me: only `hq` may issue and lift; everyone else sees the list read-only. */
  /** null: no actions (signed out, or the past shown). */
  setRole(role: string | null): void;
  /** Whether this account may issue and lift levels, and the situation is known (the form needs the current level). */
  canIssue(): boolean;
  /** Opens the district's form in the list (from the map's details panel), shows it and moves focus into it. */
  openForm(districtId: string): void;
}

interface Draft {
  districtId: string;
  level: number | null;
  decidedBy: string;
  reason: string;
  step: 'edit' | 'confirm';
  sending: boolean;
  errors: FieldErrors;
  failure: SendFailure | null;
}

export function mountDistrictLevels(list: HTMLElement, options: DistrictLevelsOptions): DistrictLevels {
  const { districts, situation, onPick } = options;
  const issue = options.issue ?? issueLevel;
  let canIssue = false;
  let draft: Draft | null = null;
  let done: { districtId: string; text: string } | null = null;
  let disposed = false;

  const formId = (districtId: string) => `level-form-${districtId}`;
  const nameOf = (districtId: string) => {
    const district = districts.find((d) => d.id === districtId);
    return district ? localName(district) : districtId;
  };
  const currentLevel = (districtId: string) => situation.districts.get(districtId)?.level ?? 0;

  /** Moves focus after the next render, when the element exists. */
  const focusAfterRender = (selector: string) =>
    queueMicrotask(() => list.querySelector<HTMLElement>(selector)?.focus());

  const update = (next: Partial<Draft>) => {
    if (draft) draft = { ...draft, ...next };
    paint();
  };

  const open = (districtId: string) => {
    done = null;
    draft = { districtId, level: null, decidedBy: '', reason: '', step: 'edit', sending: false, errors: {}, failure: null };
    paint();
    focusAfterRender(`#${formId(districtId)} input[name="level"]`);
  };

  const close = (districtId: string) => {
    draft = null;
    paint();
    focusAfterRender(`[data-district-id="${districtId}"] .district-change`);
  };

  const check = (d: Draft): FieldErrors => {
    const errors: FieldErrors = {};
    if (d.level === null) errors.level = [t('levelForm.needLevel')];
    else if (d.level === currentLevel(d.districtId)) errors.level = [t('levelForm.sameLevel')];
    if (d.decidedBy.trim() === '') errors.decidedBy = [t('levelForm.needDecidedBy')];
    if (d.reason.trim() === '') errors.reason = [t('levelForm.needReason')];
    else if (d.reason.trim().length > maxReasonLength) errors.reason = [t('levelForm.reasonTooLong', { max: maxReasonLength })];
    return errors;
  };

  const firstInvalid = (d: Draft, errors: FieldErrors) => {
    const field = fields.find((f) => errors[f]?.length);
    if (field) focusAfterRender(`#${formId(d.districtId)} [name="${field}"]`);
  };

  const review = (event: Event) => {
    event.preventDefault();
    if (!draft) return;
    const errors = check(draft);
    if (Object.keys(errors).length > 0) {
      update({ errors, failure: null });
      firstInvalid(draft, errors);
      return;
    }
    update({ step: 'confirm', errors: {}, failure: null });
    focusAfterRender(`#${formId(draft.districtId)} .confirm-text`);
  };

  const submit = async () => {
    if (!draft || draft.sending || draft.level === null) return;
    const sent = draft;
    const level = sent.level!;
    const previous = currentLevel(sent.districtId);
    update({ sending: true, failure: null });
    const result = await issue(sent.districtId, {
      level,
      decidedBy: sent.decidedBy.trim(),
      reason: sent.reason.trim(),
    });
    if (disposed || draft?.districtId !== sent.districtId) return;
    if (result.ok) {
      const name = nameOf(sent.districtId);
      done = {
        districtId: sent.districtId,
        text: isIssued(level)
          ? t('levelForm.doneIssue', { district: name, name: levelName(level), level })
          : t('levelForm.doneLift', { district: name, level: previous }),
      };
      close(sent.districtId);
      return;
    }
    if (result.kind === 'invalid' && Object.keys(result.fields).length > 0) {
      // Back to the inputs, with the server's words beside each one it named.
      update({ sending: false, step: 'edit', errors: result.fields, failure: result });
      firstInvalid(draft, result.fields);
      return;
    }
    // Nothing was changed; everything typed is still here, one click from sending again.
    update({ sending: false, failure: result });
  };

  const record = (evacuation: DistrictEvacuation | undefined): TemplateResult | typeof nothing => {
    if (!evacuation?.issuedAt) return nothing;
    return html`<p class="district-record">
      ${evacuation.drillId !== undefined ? html`<span class="drill-mark">${t('drillMark')}</span>` : nothing}
      ${t('levelForm.record', {
        time: hhmm(evacuation.issuedAt),
        who: evacuation.decidedBy ?? '—',
        by: evacuation.enteredBy ?? '—',
      })}
      ${evacuation.reason ? html`<br /><span class="district-reason">${t('levelForm.recordReason', { reason: evacuation.reason })}</span>` : nothing}
      ${evacuation.recommendationId !== undefined
        ? html`<br /><span class="district-from-recommendation">${t('levelForm.fromRecommendation')}</span>`
        : nothing}
    </p>`;
  };

  const editForm = (d: Draft, current: number): TemplateResult => {
    const id = formId(d.districtId);
    const name = nameOf(d.districtId);
    const hintId = `${id}-reason-hint`;
    const choices = [...issuedLevels].reverse() as number[];
    return html`<form
      id=${id}
      class="level-form"
      novalidate
      aria-label=${t('levelForm.legend', { district: name, current: levelText(current) })}
      @submit=${review}
    >
      <fieldset
        class="level-choice"
        aria-invalid=${isInvalid('level', d.errors)}
        aria-describedby=${describedBy(id, 'level', d.errors)}
      >
        <legend>${t('levelForm.level')}</legend>
        ${choices.map(
          (level) => html`<label class="level-option level-${level}">
            <input
              type="radio"
              name="level"
              value=${level}
              .checked=${live(d.level === level)}
              ?disabled=${level === current}
              @change=${() => update({ level })}
            />
            ${levelText(level)}
          </label>`,
        )}
        ${current > 0
          ? html`<label class="level-option level-0">
              <input type="radio" name="level" value="0" .checked=${live(d.level === 0)} @change=${() => update({ level: 0 })} />
              ${t('levelForm.lift', { current: levelText(current) })}
            </label>`
          : nothing}
        ${fieldError(id, 'level', d.errors)}
      </fieldset>
      <label class="field-label" for=${`${id}-decidedBy`}>${t('levelForm.decidedBy')}</label>
      <input
        id=${`${id}-decidedBy`}
        name="decidedBy"
        type="text"
        autocomplete="off"
        maxlength=${maxNameLength}
        required
        .value=${live(d.decidedBy)}
        aria-invalid=${isInvalid('decidedBy', d.errors)}
        aria-describedby=${describedBy(id, 'decidedBy', d.errors)}
        @input=${(e: Event) => {
          if (draft) draft.decidedBy = (e.target as HTMLInputElement).value;
        }}
      />
      ${fieldError(id, 'decidedBy', d.errors)}
      <label class="field-label" for=${`${id}-reason`}>${t('levelForm.reason')}</label>
      <textarea
        id=${`${id}-reason`}
        name="reason"
        rows="3"
        maxlength=${maxReasonLength}
        required
        .value=${live(d.reason)}
        aria-invalid=${isInvalid('reason', d.errors)}
        aria-describedby=${describedBy(id, 'reason', d.errors, hintId)}
        @input=${(e: Event) => {
          if (draft) draft.reason = (e.target as HTMLTextAreaElement).value;
          paint();
        }}
      ></textarea>
      <p class="field-hint" id=${hintId}>
        ${t('levelForm.reasonHint', { max: maxReasonLength })}
        <span class="reason-count">${t('levelForm.reasonCount', { n: d.reason.length, max: maxReasonLength })}</span>
      </p>
      ${fieldError(id, 'reason', d.errors)} ${formMessage(d.failure, fields)}
      <div class="form-actions">
        <button type="submit" class="primary">${t('levelForm.next')}</button>
        <button type="button" @click=${() => close(d.districtId)}>${t('levelForm.cancel')}</button>
      </div>
    </form>`;
  };

  const confirmStep = (d: Draft, current: number): TemplateResult => {
    const id = formId(d.districtId);
    const district = nameOf(d.districtId);
    const level = d.level ?? 0;
    const lifting = !isIssued(level);
    const shown = lifting ? current : level;
    const sentence = isIssued(shown)
      ? t(lifting ? 'levelForm.confirmLift' : 'levelForm.confirmIssue', { district, name: levelName(shown), level: shown })
      : '';
    return html`<div id=${id} class="level-form level-confirm" role="group" aria-labelledby=${`${id}-confirm`}>
      <p class="form-step">${t('levelForm.confirmTitle')}</p>
      <p id=${`${id}-confirm`} class=${`confirm-text level-${shown}`} tabindex="-1"><strong>${sentence}</strong></p>
      <dl class="confirm-facts">
        <dt>${t('decidedBy')}</dt>
        <dd>${d.decidedBy.trim()}</dd>
        <dt>${t('levelForm.reason')}</dt>
        <dd>${d.reason.trim()}</dd>
      </dl>
      ${formMessage(d.failure, fields)}
      <div class="form-actions">
        <button type="button" class="primary confirm" ?disabled=${d.sending} @click=${() => void submit()}>
          ${d.sending ? formText('send.sending') : t(lifting ? 'levelForm.confirmLiftButton' : 'levelForm.confirmIssueButton')}
        </button>
        <button
          type="button"
          ?disabled=${d.sending}
          @click=${() => {
            update({ step: 'edit', failure: null });
            focusAfterRender(`#${id} [name="reason"]`);
          }}
        >
          ${t('levelForm.back')}
        </button>
      </div>
    </div>`;
  };

  const row = (district: DistrictRef): TemplateResult => {
    const evacuation = situation.districts.get(district.id);
    const level = situation.known ? (evacuation?.level ?? 0) : undefined;
    const name = localName(district);
    const editing = draft?.districtId === district.id ? draft : null;
    return html`<li data-district-id=${district.id} data-level=${level === undefined ? nothing : String(level)}>
      <div class="district-row">
        <button type="button" class="district-pick" @click=${() => onPick(district.id)}>
          <span class="district-name">${name}</span>
          <span class=${`district-level level-${level ?? 'pending'}`}>${level === undefined ? '' : levelText(level)}</span>
        </button>
        ${canIssue && situation.known
          ? html`<button
              type="button"
              class="district-change"
              aria-expanded=${editing ? 'true' : 'false'}
              aria-controls=${formId(district.id)}
              aria-label=${t('levelForm.changeLabel', { district: name })}
              @click=${() => (editing ? close(district.id) : open(district.id))}
            >
              ${t('levelForm.change')}
            </button>`
          : nothing}
      </div>
      ${record(evacuation)}
      ${editing
        ? editing.step === 'edit'
          ? editForm(editing, level ?? 0)
          : confirmStep(editing, level ?? 0)
        : nothing}
      ${done?.districtId === district.id ? html`<p class="form-done" role="status">${done.text}</p>` : nothing}
    </li>`;
  };

  const paint = () => {
    if (disposed) return;
    render(
      html`${repeat(districts, (d) => d.id, row)}`,
      list,
    );
  };

  const onKeydown = (event: KeyboardEvent) => {
    if (event.key === 'Escape' && draft && !draft.sending) close(draft.districtId);
  };
  list.addEventListener('keydown', onKeydown);
  const stopSituation = situation.onChange((change) => {
    if (concerns(change, ['district_evacuation_level_changed'])) paint();
  });
  const stopLang = onLangChange(paint);
  paint();

  return {
    setRole(role) {
      canIssue = role === 'hq';
      if (!canIssue) draft = null;
      paint();
    },
    canIssue: () => canIssue && situation.known,
    openForm(districtId) {
      if (!canIssue || !situation.known || !districts.some((d) => d.id === districtId)) return;
      // The list may sit in a folded panel (on a phone the panels start folded).
      const folded = list.closest('details');
      if (folded) folded.open = true;
      if (draft?.districtId !== districtId) open(districtId);
      else focusAfterRender(`#${formId(districtId)} input[name="level"], #${formId(districtId)} .confirm-text`);
      queueMicrotask(() => list.querySelector(`[data-district-id="${districtId}"]`)?.scrollIntoView({ block: 'nearest' }));
    },
    dispose() {
      stopSituation();
      stopLang();
      list.removeEventListener('keydown', onKeydown);
      render(nothing, list);
      disposed = true;
    },
  };
}
