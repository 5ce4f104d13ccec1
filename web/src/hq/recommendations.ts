// The district 警戒レベル the system recommends (a gauge at 氾濫危険水位, 土砂災害警戒情報 in force …), each with its
// reason. A person decides: "発令 / Issue" opens a form that starts from the recommendation (its level, its reason)
// and asks who decided; "見送り / Dismiss" asks why. Nothing is shown as done before the server's 2xx; the live
// channel then takes the recommendation off the list. Browser tests find rows by [data-recommendation-id], the buttons
// by data-action="issue" / "dismiss", and the form by name="decidedBy", name="reason" and its submit button.
import { html, nothing, render, type TemplateResult } from 'lit-html';
import { live } from 'lit-html/directives/live.js';
import { repeat } from 'lit-html/directives/repeat.js';
import { describedBy, fieldError, formMessage, formText, isInvalid, type FieldErrors } from '../core/form';
import { lang, onLangChange } from '../core/i18n';
import { hhmm, isoTime } from '../core/japanTime';
import { concerns, type Situation } from '../core/live/situation';
import type { EvacuationRecommendation } from '../core/live/situationMessages';
import { subscriptions, type Mounted } from '../core/mounted';
import { send, type RequestBody, type SendFailure, type SendResult } from '../core/send';
import type { PlaceNames } from './activityList';
import { t } from './messages';

const issuePath = '/api/evacuation/recommendations/{recommendationId}/issue' as const;
const dismissPath = '/api/evacuation/recommendations/{recommendationId}/dismiss' as const;

export type IssueBody = NonNullable<RequestBody<typeof issuePath, 'post'>>;
export type DismissBody = NonNullable<RequestBody<typeof dismissPath, 'post'>>;
export type IssueRecommendation = (id: number, body: IssueBody) => Promise<SendResult<unknown>>;
export type DismissRecommendation = (id: number, body: DismissBody) => Promise<SendResult<unknown>>;

export const issueRecommendation: IssueRecommendation = (id, body) => send('post', issuePath, { recommendationId: id }, body);
export const dismissRecommendation: DismissRecommendation = (id, body) => send('post', dismissPath, { recommendationId: id }, body);

export const maxReasonLength = 500;
export const maxNameLength = 100;

/** The level's name as the server gave it, from the same dated table as everywhere (e.g. 避難指示). */
export function recommendedName(r: EvacuationRecommendation): string {
  return lang() === 'en' ? r.levelNameEn : r.levelNameJa;
}

export function recommendationReason(r: EvacuationRecommendation): string {
  return lang() === 'en' ? r.reasonEn : r.reasonJa;
}

export interface Answer {
  mode: 'issue' | 'dismiss';
  recommendationId: number;
  decidedBy: string;
  reason: string;
  sending: boolean;
  errors: FieldErrors;
  failure: SendFailure | null;
}

/** The issue form starts from the recommendation: its level is the one issued, its reason (as shown) the one proposed. */
export function issueDraft(r: EvacuationRecommendation): Answer {
  const reason = recommendationReason(r);
  return { mode: 'issue', recommendationId: r.recommendationId, decidedBy: '', reason, sending: false, errors: {}, failure: null };
}

/** Dismissing starts empty: the reason is the person's own. */
export function dismissDraft(r: EvacuationRecommendation): Answer {
  return { mode: 'dismiss', recommendationId: r.recommendationId, decidedBy: '', reason: '', sending: false, errors: {}, failure: null };
}

export function checkAnswer(a: Answer): FieldErrors {
  const errors: FieldErrors = {};
  if (a.mode === 'issue') {
    if (a.decidedBy.trim() === '') errors.decidedBy = [t('recommendation.needDecidedBy')];
    else if (a.decidedBy.trim().length > maxNameLength) errors.decidedBy = [t('recommendation.tooLong', { max: maxNameLength })];
  }
  const reason = a.reason.trim();
  if (a.mode === 'dismiss' && reason === '') errors.reason = [t('recommendation.needReason')];
  else if (reason.length > maxReasonLength) errors.reason = [t('recommendation.tooLong', { max: maxReasonLength })];
  return errors;
}

/** The issue request: who decided, and the reason (left out when emptied: the server keeps the recommendation's). */
export function issueBody(a: Answer): IssueBody {
  const reason = a.reason.trim();
  return reason === '' ? { decidedBy: a.decidedBy.trim() } : { decidedBy: a.decidedBy.trim(), reason };
}

export interface RecommendationsOptions {
  issue?: IssueRecommendation;
  dismiss?: DismissRecommendation;
}

export interface Recommendations extends Mounted {
  /** Role from /api/me: only `hq` may issue and dismiss. */
  /** null: no actions (signed out, or the past shown). */
  setRole(role: string | null): void;
  /** Draws again, e.g. once district names are known. */
  refresh(): void;
}

const fields = ['decidedBy', 'reason'] as const;

export function mountRecommendations(
  root: HTMLElement,
  situation: Situation,
  names: Pick<PlaceNames, 'district'>,
  options: RecommendationsOptions = {},
): Recommendations {
  const issue = options.issue ?? issueRecommendation;
  const dismiss = options.dismiss ?? dismissRecommendation;
  let canAct = false;
  let disposed = false;
  let answer: Answer | null = null;
  let notice: { text: string; refused: boolean } | null = null;

  const formId = (a: Pick<Answer, 'mode' | 'recommendationId'>) => `recommendation-${a.mode}-${a.recommendationId}`;
  const focusAfterRender = (selector: string) => queueMicrotask(() => root.querySelector<HTMLElement>(selector)?.focus());
  const values = (r: EvacuationRecommendation) => ({ district: names.district(r.districtId), name: recommendedName(r), level: r.level });

  const open = (r: EvacuationRecommendation, mode: Answer['mode']) => {
    notice = null;
    answer = mode === 'issue' ? issueDraft(r) : dismissDraft(r);
    paint();
    focusAfterRender(`#${formId(answer)} [name="${mode === 'issue' ? 'decidedBy' : 'reason'}"]`);
  };

  const close = () => {
    const a = answer;
    answer = null;
    paint();
    if (a) focusAfterRender(`[data-recommendation-id="${a.recommendationId}"] [data-action="${a.mode}"]`);
  };

  const submit = async (event: Event, r: EvacuationRecommendation) => {
    event.preventDefault();
    const a = answer;
    if (!a || a.sending || a.recommendationId !== r.recommendationId) return;
    const errors = checkAnswer(a);
    if (Object.keys(errors).length > 0) {
      Object.assign(a, { errors, failure: null });
      paint();
      const field = fields.find((f) => errors[f]?.length);
      if (field) focusAfterRender(`#${formId(a)} [name="${field}"]`);
      return;
    }
    Object.assign(a, { sending: true, errors: {}, failure: null });
    paint();
    const result = a.mode === 'issue' ? await issue(r.recommendationId, issueBody(a)) : await dismiss(r.recommendationId, { reason: a.reason.trim() });
    if (disposed || answer !== a) return;
    if (result.ok) {
      answer = null;
      notice = { text: t(a.mode === 'issue' ? 'recommendation.issued' : 'recommendation.dismissed', values(r)), refused: false };
      paint();
      focusAfterRender('.recommendation-notice');
      return;
    }
    if (result.kind === 'conflict' || result.kind === 'not_found') {
      answer = null;
      notice = { text: t('recommendation.conflict'), refused: true };
      paint();
      focusAfterRender('.recommendation-notice');
      return;
    }
    Object.assign(a, { sending: false, errors: result.kind === 'invalid' ? result.fields : {}, failure: result });
    paint();
  };

  const form = (r: EvacuationRecommendation, a: Answer): TemplateResult => {
    const id = formId(a);
    const issuing = a.mode === 'issue';
    const reasonLabel = issuing ? t('recommendation.reason') : t('recommendation.dismissReason');
    return html`<form id=${id} class="level-form recommendation-form" data-mode=${a.mode} novalidate aria-labelledby=${`${id}-title`} @submit=${(e: Event) => void submit(e, r)}>
      <p id=${`${id}-title`} class="form-step">
        <strong>${t(issuing ? 'recommendation.issueTitle' : 'recommendation.dismissTitle', values(r))}</strong>
      </p>
      ${issuing
        ? html`<label class="field-label" for=${`${id}-decidedBy`}>${t('recommendation.decidedBy')}</label>
            <input
              id=${`${id}-decidedBy`}
              name="decidedBy"
              type="text"
              autocomplete="off"
              required
              maxlength=${maxNameLength}
              .value=${live(a.decidedBy)}
              aria-invalid=${isInvalid('decidedBy', a.errors)}
              aria-describedby=${describedBy(id, 'decidedBy', a.errors)}
              @input=${(e: Event) => (a.decidedBy = (e.target as HTMLInputElement).value)}
            />
            ${fieldError(id, 'decidedBy', a.errors)}`
        : nothing}
      <label class="field-label" for=${`${id}-reason`}>${reasonLabel}</label>
      <textarea
        id=${`${id}-reason`}
        name="reason"
        rows="3"
        maxlength=${maxReasonLength}
        ?required=${!issuing}
        .value=${live(a.reason)}
        aria-invalid=${isInvalid('reason', a.errors)}
        aria-describedby=${describedBy(id, 'reason', a.errors)}
        @input=${(e: Event) => (a.reason = (e.target as HTMLTextAreaElement).value)}
      ></textarea>
      ${fieldError(id, 'reason', a.errors)} ${formMessage(a.failure, fields)}
      <div class="form-actions">
        <button type="submit" class="primary confirm" ?disabled=${a.sending}>
          ${a.sending ? formText('send.sending') : t(issuing ? 'recommendation.issueButton' : 'recommendation.dismissButton')}
        </button>
        <button type="button" ?disabled=${a.sending} @click=${close}>${t('alertForm.cancel')}</button>
      </div>
    </form>`;
  };

  const row = (r: EvacuationRecommendation): TemplateResult => {
    const mine = answer?.recommendationId === r.recommendationId ? answer : null;
    const v = values(r);
    return html`<li class=${`recommendation-item level-${r.level}`} data-recommendation-id=${String(r.recommendationId)} data-level=${String(r.level)}>
      <span class="recommendation-meta">
        <time datetime=${isoTime(r.madeAt)}>${t('recommendation.made', { time: hhmm(r.madeAt) })}</time>
        ${r.drillId !== undefined ? html`<span class="drill-mark">${t('drillMark')}</span>` : nothing}
      </span>
      <span class="recommendation-what">
        <strong>${v.district}</strong> ${t('evacLevelNumber', { level: r.level })} <strong>${v.name}</strong>
      </span>
      <span class="recommendation-reason">${recommendationReason(r)}</span>
      ${canAct
        ? html`<div class="form-actions recommendation-buttons">
            <button
              type="button"
              class="primary"
              data-action="issue"
              aria-expanded=${mine?.mode === 'issue' ? 'true' : 'false'}
              aria-label=${t('recommendation.issueLabel', v)}
              @click=${() => (mine?.mode === 'issue' ? close() : open(r, 'issue'))}
            >
              ${t('recommendation.issue')}
            </button>
            <button
              type="button"
              data-action="dismiss"
              aria-expanded=${mine?.mode === 'dismiss' ? 'true' : 'false'}
              aria-label=${t('recommendation.dismissLabel', v)}
              @click=${() => (mine?.mode === 'dismiss' ? close() : open(r, 'dismiss'))}
            >
              ${t('recommendation.dismiss')}
            </button>
          </div>`
        : nothing}
      ${canAct && mine ? form(r, mine) : nothing}
    </li>`;
  };

  const paint = () => {
    if (disposed) return;
    const open = [...situation.recommendations.values()]
      .filter((r) => r.status === 'open')
      .sort((a, b) => b.level - a.level || b.madeAt.localeCompare(a.madeAt));
    if (answer && !answer.sending && !open.some((r) => r.recommendationId === answer!.recommendationId)) {
      // Answered or superseded elsewhere while this screen had its form open.
      answer = null;
      notice = { text: t('recommendation.conflict'), refused: true };
    }
    render(
      html`<p class="recommendations-note">${t('recommendations.note')}</p>
        ${notice
          ? html`<p class=${`recommendation-notice ${notice.refused ? 'form-message' : 'form-done'}`} role=${notice.refused ? 'alert' : 'status'} tabindex="-1">
              ${notice.text}
            </p>`
          : nothing}
        <ul class="recommendation-list">
          ${repeat(open, (r) => r.recommendationId, row)}
          ${situation.known && open.length === 0 ? html`<li class="recommendation-none">${t('recommendations.none')}</li>` : nothing}
        </ul>`,
      root,
    );
  };

  const onKeydown = (event: KeyboardEvent) => {
    if (event.key === 'Escape' && answer && !answer.sending) close();
  };
  const subs = subscriptions();
  root.addEventListener('keydown', onKeydown);
  subs.add(() => root.removeEventListener('keydown', onKeydown));
  subs.add(
    situation.onChange((change) => {
      if (concerns(change, ['evacuation_recommended', 'evacuation_recommendation_answered', 'drill_ended'])) paint();
    }),
  );
  subs.add(onLangChange(paint));
  paint();

  return {
    refresh: paint,
    setRole(role) {
      canAct = role === 'hq';
      if (!canAct) answer = null;
      paint();
    },
    dispose() {
      subs.dispose();
      render(nothing, root);
      disposed = true;
    },
  };
}
