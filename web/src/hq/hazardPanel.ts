// HQ's hazard panel in the sidebar: for flood and landslide, whether it is active and what makes it so (gauges at or
// above 避難判断水位, the town's landslide estimate, HQ's own declaration), and for HQ a declare / lift form with a
// reason (PUT /api/hazards/{hazard}). It starts from GET /api/hazards and follows hazards_changed. While a hazard is
// active the server judges every shelter's suitability against it; the shelter list and details show the outcome.
import { html, nothing, render, type TemplateResult } from 'lit-html';
import { live } from 'lit-html/directives/live.js';
import { fetchHazards } from '../core/api';
import { describedBy, fieldError, formMessage, formText, isInvalid, type FieldErrors } from '../core/form';
import { onLangChange } from '../core/i18n';
import { hhmm } from '../core/japanTime';
import { concerns, type Situation } from '../core/live/situation';
import type { ActiveHazardKind, HazardSource, HazardStatus } from '../core/live/situationMessages';
import { subscriptions, type Mounted } from '../core/mounted';
import { send, type SendFailure, type SendResult } from '../core/send';
import { t } from './messages';

export const declarableHazards: readonly ActiveHazardKind[] = ['flood', 'landslide'];
export const maxHazardReasonLength = 500;

export interface HazardDeclaration {
  active: boolean;
  reason: string;
}

export type DeclareHazard = (hazard: ActiveHazardKind, declaration: HazardDeclaration) => Promise<SendResult<unknown>>;

export const declareHazard: DeclareHazard = (hazard, declaration) =>
  send('put', '/api/hazards/{hazard}', { hazard }, declaration);

/** The things that make a hazard active, in words: the gauges together (with their rivers), the estimate, HQ. */
export function sourceTexts(sources: readonly HazardSource[], stationName: (id: string) => string): string[] {
  const texts: string[] = [];
  const gauges = sources.filter((s) => s.kind === 'gauge');
  if (gauges.length > 0) {
    const stations = gauges.map((s) => (s.stationId ? stationName(s.stationId) : '—')).join(t('listSeparator'));
    const rivers = [...new Set(gauges.map((s) => s.river).filter((r): r is string => !!r))].join(t('listSeparator'));
    texts.push(t('hazardPanel.sourceGauges', { stations, rivers: rivers || '—' }));
  }
  if (sources.some((s) => s.kind === 'estimate')) texts.push(t('hazardPanel.sourceEstimate'));
  for (const hq of sources.filter((s) => s.kind === 'hq')) {
    texts.push(
      hq.reason
        ? t('hazardPanel.sourceHqReason', { reason: hq.reason, who: hq.decidedBy ?? '', time: hq.at ? hhmm(hq.at) : '' })
        : t('hazardPanel.sourceHq'),
    );
  }
  return texts;
}

/** Whether HQ's own declaration is among what makes the hazard active. */
function declaredByHq(status: HazardStatus | undefined): boolean {
  return status?.sources.some((s) => s.kind === 'hq') ?? false;
}

export interface HazardPanel extends Mounted {
  setRole(role: string | null): void;
  /** The hazards as they are now (tests; the page loads them itself). */
  readonly loaded: Promise<void>;
}

export function mountHazardPanel(
  container: HTMLElement,
  situation: Situation,
  options: { load?: () => Promise<HazardStatus[]>; declare?: DeclareHazard; stationName?: (id: string) => string } = {},
): HazardPanel {
  const load = options.load ?? fetchHazards;
  const declare = options.declare ?? declareHazard;
  const stationName = options.stationName ?? ((id: string) => id);
  const subs = subscriptions();
  let statuses: HazardStatus[] | null = null;
  let failed = false;
  let role: string | null = null;
  const reasons: Partial<Record<ActiveHazardKind, string>> = {};
  const errors: Partial<Record<ActiveHazardKind, FieldErrors>> = {};
  const failures: Partial<Record<ActiveHazardKind, SendFailure | null>> = {};
  const done: Partial<Record<ActiveHazardKind, string>> = {};
  const sending = new Set<ActiveHazardKind>();
  let disposed = false;

  const statusOf = (hazard: ActiveHazardKind) => statuses?.find((s) => s.hazard === hazard);

  const submit = async (event: Event, hazard: ActiveHazardKind) => {
    event.preventDefault();
    if (sending.has(hazard)) return;
    const reason = (reasons[hazard] ?? '').trim();
    const active = !declaredByHq(statusOf(hazard));
    failures[hazard] = null;
    done[hazard] = '';
    if (reason === '') errors[hazard] = { reason: [t('hazardPanel.reasonRequired')] };
    else if (reason.length > maxHazardReasonLength) errors[hazard] = { reason: [t('hazardPanel.reasonTooLong', { max: maxHazardReasonLength })] };
    else errors[hazard] = {};
    if (Object.keys(errors[hazard] ?? {}).length > 0) {
      paint();
      container.querySelector<HTMLElement>(`#hazard-${hazard}-reason`)?.focus();
      return;
    }
    sending.add(hazard);
    paint();
    const result = await declare(hazard, { active, reason });
    if (disposed) return;
    sending.delete(hazard);
    if (result.ok) {
      reasons[hazard] = '';
      done[hazard] = t(active ? 'hazardPanel.declaredDone' : 'hazardPanel.liftedDone', { hazard: t(`hazard.${hazard}`) });
      const answer = result.value as HazardStatus[] | undefined;
      if (Array.isArray(answer)) statuses = answer;
      else void reload();
    } else {
      failures[hazard] = result;
      if (result.kind === 'invalid') errors[hazard] = result.fields;
    }
    paint();
  };

  const hazardItem = (hazard: ActiveHazardKind): TemplateResult => {
    const status = statusOf(hazard);
    const active = status?.active ?? false;
    const hq = declaredByHq(status);
    const formId = `hazard-${hazard}`;
    const fieldErrors = errors[hazard] ?? {};
    const hint = `${formId}-reason-hint`;
    return html`<li class="hazard-item" data-hazard=${hazard} data-active=${String(active)}>
      <p class="hazard-state">
        <span class="hazard-mark" aria-hidden="true">${active ? '⚠' : '○'}</span>
        <strong>${t(`hazard.${hazard}`)}</strong>
        <span class="hazard-word">${t(active ? 'hazardPanel.active' : 'hazardPanel.inactive')}</span>
      </p>
      ${status && status.sources.length > 0
        ? html`<ul class="hazard-sources">
            ${sourceTexts(status.sources, stationName).map((text) => html`<li>${text}</li>`)}
          </ul>`
        : nothing}
      ${role === 'hq'
        ? html`<form id=${formId} class="action-form hazard-form" novalidate @submit=${(e: Event) => void submit(e, hazard)}>
            <label class="field-label" for=${`${formId}-reason`}>${t(hq ? 'hazardPanel.liftReason' : 'hazardPanel.declareReason')}</label>
            <textarea
              id=${`${formId}-reason`}
              name="reason"
              rows="2"
              maxlength=${maxHazardReasonLength}
              .value=${live(reasons[hazard] ?? '')}
              aria-invalid=${isInvalid('reason', fieldErrors)}
              aria-describedby=${describedBy(formId, 'reason', fieldErrors, hint)}
              @input=${(e: Event) => {
                reasons[hazard] = (e.target as HTMLTextAreaElement).value;
                done[hazard] = '';
              }}
            ></textarea>
            <p class="field-hint" id=${hint}>${t('hazardPanel.reasonHint', { max: maxHazardReasonLength })}</p>
            ${fieldError(formId, 'reason', fieldErrors)} ${formMessage(failures[hazard] ?? null, ['reason', 'active'])}
            <div class="form-actions">
              <button type="submit" class=${hq ? '' : 'primary'} ?disabled=${sending.has(hazard)}>
                ${sending.has(hazard)
                  ? formText('send.sending')
                  : t(hq ? 'hazardPanel.lift' : 'hazardPanel.declare', { hazard: t(`hazard.${hazard}`) })}
              </button>
            </div>
            ${done[hazard] ? html`<p class="form-done" role="status">${done[hazard]}</p>` : nothing}
          </form>`
        : nothing}
    </li>`;
  };

  const paint = () => {
    if (disposed) return;
    render(
      statuses === null
        ? html`<p class="hazard-status" role="status">${failed ? t('hazardPanel.failed') : t('loading')}</p>`
        : html`<p class="field-hint">${t('hazardPanel.note')}</p>
            <ul class="hazard-list">${declarableHazards.map(hazardItem)}</ul>`,
      container,
    );
  };

  const reload = async () => {
    try {
      const loaded = await load();
      // A hazards_changed that arrived while loading is newer than the answer.
      if (situation.hazards === null) statuses = loaded;
      else statuses = situation.hazards;
      failed = false;
    } catch (error) {
      console.warn('hazards could not be loaded', error);
      failed = statuses === null;
    }
    paint();
  };

  subs.add(
    situation.onChange((change) => {
      if (change.kind === 'snapshot') {
        // A past situation carries its hazards; the live one is read again.
        if (situation.hazards) {
          statuses = situation.hazards;
          failed = false;
          paint();
        } else void reload();
        return;
      }
      if (!concerns(change, ['hazards_changed'])) return;
      if (situation.hazards) statuses = situation.hazards;
      paint();
    }),
  );
  subs.add(onLangChange(paint));
  paint();
  const loaded = reload();

  return {
    loaded,
    setRole(next) {
      role = next;
      paint();
    },
    dispose() {
      disposed = true;
      subs.dispose();
      render(nothing, container);
    },
  };
}
