// HQ alerts not yet cleared, newest first, with their count beside the heading and who raised and acknowledged each
// one and when. For an HQ account the panel also raises an alert by hand (alertForm.ts), and each alert can be
// acknowledged, or cleared after a confirmation with an optional note. The list always shows the live situation:
// a step is shown as done only once the server answered 2xx, and a step someone else took first (409) is said in
// words while the list follows what they did. lit-html patches the panel in place, so a live event arriving while
// someone types keeps their text and focus.
import { html, nothing, render, type TemplateResult } from 'lit-html';
import { live } from 'lit-html/directives/live.js';
import { repeat } from 'lit-html/directives/repeat.js';
import { describedBy, fieldError, formMessage, formText, isInvalid, type FieldErrors } from '../core/form';
import { lang, onLangChange } from '../core/i18n';
import { hhmm, isoTime } from '../core/japanTime';
import { alertKinds, concerns, type Situation } from '../core/live/situation';
import type { AlertState, AlertStatus } from '../core/live/situationMessages';
import { subscriptions, type Mounted } from '../core/mounted';
import { send, type SendFailure, type SendResult } from '../core/send';
import type { components } from '../core/http.generated';
import { valueText } from '../core/stations/stationFacts';
import type { PlaceNames } from './activityList';
import { alertLevel, alertText, needsAttention } from './alertCue';
import {
  checkRaise,
  emptyRaiseDraft,
  firstInvalidField,
  maxAlertTextLength,
  raiseAlert,
  raiseBody,
  raiseForm,
  raiseFormId,
  type RaiseAlert,
  type RaiseDraft,
} from './alertForm';
import { t, tOr } from './messages';

/** An alert as the server sends it: with when it was acknowledged and cleared, and the last note. */
type ServerAlert = components['schemas']['AlertState'];

/** An alert as this list shows it. */
type ShownAlert = AlertState;

export type MoveAlert = (alertId: number) => Promise<SendResult<ServerAlert | undefined>>;
export type ClearAlert = (alertId: number, note: string | undefined) => Promise<SendResult<ServerAlert | undefined>>;

export const acknowledgeAlert: MoveAlert = (alertId) => send('post', '/api/alerts/{alertId}/acknowledge', { alertId }, undefined);
export const clearAlert: ClearAlert = (alertId, note) =>
  send('post', '/api/alerts/{alertId}/clear', { alertId }, note === undefined ? {} : { note });

export interface AlertListOptions {
  /** The writes; a test passes its own. */
  raise?: RaiseAlert;
  acknowledge?: MoveAlert;
  clear?: ClearAlert;
}

export interface AlertList extends Mounted {
  /** Draws again, e.g. once district names are known. */
  refresh(): void;
  /** Role from /api/me: only `hq` may raise, acknowledge and clear; everyone else sees the list read-only. */
  /** null: no actions (signed out, or the past shown). */
  setRole(role: string | null): void;
}

interface Clearing {
  alertId: number;
  note: string;
  sending: boolean;
  errors: FieldErrors;
  failure: SendFailure | null;
}

const rank: Record<AlertStatus, number> = { raised: 0, acknowledged: 1, cleared: 2 };

function fromServer(alert: ServerAlert): ShownAlert {
  return {
    alertId: alert.alertId,
    kind: alert.kind,
    level: alert.level ?? undefined,
    districtId: alert.districtId ?? undefined,
    message: alert.message,
    status: alert.status,
    raisedAt: alert.raisedAt,
    raisedBy: alert.raisedBy ?? undefined,
    acknowledgedBy: alert.acknowledgedBy ?? undefined,
    clearedBy: alert.clearedBy ?? undefined,
    acknowledgedAt: alert.acknowledgedAt ?? undefined,
    clearedAt: alert.clearedAt ?? undefined,
    note: alert.note ?? undefined,
    source: alert.source === 'system' ? 'system' : 'hq',
    stationId: alert.stationId ?? undefined,
    ruleKind: alert.ruleKind ?? undefined,
    step: alert.step ?? undefined,
    levelEquivalent: alert.levelEquivalent ?? undefined,
    messageEn: alert.messageEn ?? undefined,
    drillId: alert.drillId ?? undefined,
    updatedAt: alert.updatedAt ?? undefined,
  };
}

/** Newest first: an escalation counts as new. */
const latest = (alert: AlertState) => alert.updatedAt ?? alert.raisedAt;

export function mountAlertList(
  list: HTMLElement,
  count: HTMLElement,
  situation: Situation,
  names: PlaceNames,
  options: AlertListOptions = {},
): AlertList {
  const raise = options.raise ?? raiseAlert;
  const acknowledge = options.acknowledge ?? acknowledgeAlert;
  const clear = options.clear ?? clearAlert;

  // The raise button, its form and what the last step came to sit above the list, in the same section.
  const panel = document.createElement('div');
  panel.className = 'alert-actions';
  list.before(panel);

  let canAct = false;
  let disposed = false;
  let raising: RaiseDraft | null = null;
  let clearing: Clearing | null = null;
  const acknowledging = new Set<number>();
  /** Alerts escalated to 警戒レベル3相当 or above while this page was open. */
  const escalated = new Set<number>();
  const failures = new Map<number, SendFailure>();
  /** The server's answer to this screen's own steps, shown until the live channel says the same. */
  const answered = new Map<number, ShownAlert>();
  let notice: { text: string; refused: boolean } | null = null;

  const focusAfterRender = (root: HTMLElement, selector: string) =>
    queueMicrotask(() => root.querySelector<HTMLElement>(selector)?.focus());

  const shown = (alert: AlertState): ShownAlert => {
    let s: ShownAlert = { ...alert };
    const ours = answered.get(alert.alertId);
    if (ours && rank[ours.status] >= rank[alert.status]) s = { ...s, ...ours };
    return s;
  };

  const visibleAlerts = (): ShownAlert[] => {
    for (const id of answered.keys()) if (!situation.alerts.has(id)) answered.delete(id);
    return [...situation.alerts.values()]
      .map(shown)
      .filter((a) => a.status !== 'cleared')
      .sort((a, b) => latest(b).localeCompare(latest(a)));
  };

  const districtChoices = () =>
    [...situation.districts.keys()]
      .map((id) => ({ id, name: names.district(id) }))
      .sort((a, b) => a.name.localeCompare(b.name, lang()));

  // Raising by hand.

  const openRaise = () => {
    notice = null;
    raising = emptyRaiseDraft();
    paint();
    focusAfterRender(panel, `#${raiseFormId}-kind`);
  };

  const closeRaise = () => {
    raising = null;
    paint();
    focusAfterRender(panel, '.alert-raise-toggle');
  };

  const editRaise = (next: Partial<RaiseDraft>, repaint = false) => {
    if (!raising) return;
    Object.assign(raising, next);
    if (repaint) paint();
  };

  const submitRaise = async (event: Event) => {
    event.preventDefault();
    const draft = raising;
    if (!draft || draft.sending) return;
    const errors = checkRaise(draft);
    if (Object.keys(errors).length > 0) {
      editRaise({ errors, failure: null }, true);
      focusAfterRender(panel, `#${raiseFormId} [name="${firstInvalidField(errors)}"]`);
      return;
    }
    editRaise({ sending: true, errors: {}, failure: null }, true);
    const result = await raise(raiseBody(draft));
    if (disposed || raising !== draft) return;
    if (result.ok) {
      raising = null;
      notice = { text: t('alertForm.done', { message: result.value?.message ?? draft.message.trim() }), refused: false };
      paint();
      focusAfterRender(panel, '.alert-raise-toggle');
      return;
    }
    editRaise({ sending: false, errors: result.kind === 'invalid' ? result.fields : {}, failure: result }, true);
    const field = firstInvalidField(draft.errors);
    if (field) focusAfterRender(panel, `#${raiseFormId} [name="${field}"]`);
  };

  // Acknowledging and clearing.

  /** A 404 or 409: the alert moved on elsewhere. Say so in words; the list already shows what happened. */
  const movedElsewhere = (result: SendFailure) => {
    notice = { text: t(result.kind === 'conflict' ? 'alertList.conflict' : 'alertList.gone'), refused: true };
    paint();
    focusAfterRender(panel, '.alert-notice');
  };

  const doneText = (key: 'alertList.acknowledgedDone' | 'alertList.clearedDone', alert: ShownAlert, who?: string, at?: string) =>
    t(key, { message: alert.message, who: who ?? '—', time: at ? hhmm(at) : '—' });

  const acknowledgeOne = async (alert: ShownAlert) => {
    if (acknowledging.has(alert.alertId)) return;
    acknowledging.add(alert.alertId);
    failures.delete(alert.alertId);
    notice = null;
    paint();
    const result = await acknowledge(alert.alertId);
    acknowledging.delete(alert.alertId);
    if (disposed) return;
    if (result.ok) {
      const after = result.value ? fromServer(result.value) : { ...alert, status: 'acknowledged' as const };
      answered.set(alert.alertId, after);
      notice = { text: doneText('alertList.acknowledgedDone', after, after.acknowledgedBy, after.acknowledgedAt), refused: false };
      paint();
      focusAfterRender(list, `[data-alert-id="${alert.alertId}"] .alert-clear-open`);
      return;
    }
    if (result.kind === 'conflict' || result.kind === 'not_found') return movedElsewhere(result);
    failures.set(alert.alertId, result);
    paint();
  };

  const openClear = (alertId: number) => {
    notice = null;
    failures.delete(alertId);
    clearing = { alertId, note: '', sending: false, errors: {}, failure: null };
    paint();
    focusAfterRender(list, `#alert-clear-${alertId} [name="note"]`);
  };

  const closeClear = () => {
    const alertId = clearing?.alertId;
    clearing = null;
    paint();
    if (alertId !== undefined) focusAfterRender(list, `[data-alert-id="${alertId}"] .alert-clear-open`);
  };

  const confirmClear = async (alert: ShownAlert) => {
    const draft = clearing;
    if (!draft || draft.sending || draft.alertId !== alert.alertId) return;
    const note = draft.note.trim();
    if (note.length > maxAlertTextLength) {
      Object.assign(draft, { errors: { note: [t('alertForm.tooLong', { max: maxAlertTextLength })] }, failure: null });
      paint();
      focusAfterRender(list, `#alert-clear-${alert.alertId} [name="note"]`);
      return;
    }
    Object.assign(draft, { sending: true, errors: {}, failure: null });
    paint();
    const result = await clear(alert.alertId, note === '' ? undefined : note);
    if (disposed || clearing !== draft) return;
    if (result.ok) {
      const after = result.value ? fromServer(result.value) : { ...alert, status: 'cleared' as const };
      answered.set(alert.alertId, after);
      clearing = null;
      notice = { text: doneText('alertList.clearedDone', after, after.clearedBy, after.clearedAt), refused: false };
      paint();
      focusAfterRender(panel, '.alert-notice');
      return;
    }
    if (result.kind === 'conflict' || result.kind === 'not_found') {
      clearing = null;
      return movedElsewhere(result);
    }
    // Nothing was changed; the note is still here, one click from sending again.
    Object.assign(draft, { sending: false, errors: result.kind === 'invalid' ? result.fields : {}, failure: result });
    paint();
    if (draft.errors.note?.length) focusAfterRender(list, `#alert-clear-${alert.alertId} [name="note"]`);
  };

  // Drawing.

  const clearPanel = (alert: ShownAlert, c: Clearing): TemplateResult => {
    const id = `alert-clear-${alert.alertId}`;
    const hintId = `${id}-note-hint`;
    return html`<div id=${id} class="level-form alert-clear" role="group" aria-labelledby=${`${id}-confirm`}>
      <p id=${`${id}-confirm`} class="confirm-text"><strong>${t('alertList.clearConfirm', { message: alert.message })}</strong></p>
      <label class="field-label" for=${`${id}-note`}>${t('alertList.clearNote')}</label>
      <textarea
        id=${`${id}-note`}
        name="note"
        rows="2"
        maxlength=${maxAlertTextLength}
        .value=${live(c.note)}
        aria-invalid=${isInvalid('note', c.errors)}
        aria-describedby=${describedBy(id, 'note', c.errors, hintId)}
        @input=${(e: Event) => {
          c.note = (e.target as HTMLTextAreaElement).value;
        }}
      ></textarea>
      <p class="field-hint" id=${hintId}>${t('alertList.clearNoteHint', { max: maxAlertTextLength })}</p>
      ${fieldError(id, 'note', c.errors)} ${formMessage(c.failure, ['note'])}
      <div class="form-actions">
        <button type="button" class="primary confirm" ?disabled=${c.sending} @click=${() => void confirmClear(alert)}>
          ${c.sending ? formText('send.sending') : t('alertList.clearButton')}
        </button>
        <button type="button" ?disabled=${c.sending} @click=${closeClear}>${t('alertForm.cancel')}</button>
      </div>
    </div>`;
  };

  const actions = (alert: ShownAlert): TemplateResult => {
    const sending = acknowledging.has(alert.alertId);
    const open = clearing?.alertId === alert.alertId;
    return html`<div class="form-actions alert-buttons">
      ${alert.status === 'raised'
        ? html`<button
            type="button"
            class="primary alert-acknowledge"
            ?disabled=${sending}
            aria-label=${t('alertList.acknowledgeLabel', { message: alert.message })}
            @click=${() => void acknowledgeOne(alert)}
          >
            ${sending ? formText('send.sending') : t('alertList.acknowledge')}
          </button>`
        : nothing}
      <button
        type="button"
        class="alert-clear-open"
        aria-expanded=${open ? 'true' : 'false'}
        aria-controls=${`alert-clear-${alert.alertId}`}
        aria-label=${t('alertList.clearLabel', { message: alert.message })}
        @click=${() => (open ? closeClear() : openClear(alert.alertId))}
      >
        ${t('alertList.clear')}
      </button>
    </div>`;
  };

  /** The gauge, the step it reached and what it reads now. */
  const systemFacts = (alert: ShownAlert): TemplateResult => {
    const state = alert.stationId ? situation.stations.get(alert.stationId) : undefined;
    return html`<span class="alert-record alert-facts">
      ${alert.stationId ? html`<span class="alert-station">${t('alertList.station', { name: names.station(alert.stationId) })}</span>` : nothing}
      ${alert.step ? html`<span class="alert-step">${t(`thresholdStep.${alert.step}`)}</span>` : nothing}
      ${state ? html`<span class="alert-value">${t('alertList.now', { value: valueText(state), time: hhmm(state.observedAt) })}</span>` : nothing}
    </span>`;
  };

  const item = (alert: ShownAlert): TemplateResult => {
    const failure = failures.get(alert.alertId) ?? null;
    const system = alert.source === 'system';
    const level = alertLevel(alert);
    const urgent = needsAttention(alert);
    return html`<li
      class=${`alert-item alert-${alert.status}${urgent ? ' alert-urgent' : ''}${escalated.has(alert.alertId) ? ' alert-escalated-now' : ''}${
        alert.drillId !== undefined ? ' alert-drill' : ''
      }`}
      data-alert-id=${String(alert.alertId)}
      data-status=${alert.status}
      data-source=${alert.source ?? 'hq'}
      data-level=${level !== undefined ? String(level) : nothing}
      data-urgent=${urgent ? 'true' : nothing}
    >
      <span class="alert-meta">
        <time datetime=${isoTime(latest(alert))}>${hhmm(latest(alert))}</time>
        ${alert.drillId !== undefined ? html`<span class="drill-mark">${t('drillMark')}</span>` : nothing}
        <span class="alert-status">${t(`alertStatus.${alert.status}`)}</span>
        <span class="alert-source">${t(system ? 'alertSource.system' : 'alertSource.hq')}</span>
        <span class="alert-kind">${tOr(`alertKind.${alert.kind}`, alert.kind)}</span>
        ${level !== undefined
          ? html`<span class="alert-level">${system ? t('alertLevelEquivalent', { level }) : t('evacLevelNumber', { level })}</span>`
          : nothing}
        ${alert.districtId ? names.district(alert.districtId) : nothing}
      </span>
      <span class="alert-message">${alertText(alert)}</span>
      ${system ? systemFacts(alert) : nothing}
      <span class="alert-record alert-raised-by">
        ${t('alertList.raisedRecord', { time: hhmm(alert.raisedAt), who: system ? t('alertSource.system') : (alert.raisedBy ?? '—') })}
      </span>
      ${alert.updatedAt && alert.updatedAt !== alert.raisedAt
        ? html`<span class="alert-record alert-escalated">${t('alertList.escalatedRecord', { time: hhmm(alert.updatedAt) })}</span>`
        : nothing}
      ${alert.status === 'acknowledged'
        ? html`<span class="alert-record alert-acknowledged-by">
            ${t('alertList.acknowledgedRecord', {
              time: alert.acknowledgedAt ? hhmm(alert.acknowledgedAt) : '—',
              who: alert.acknowledgedBy ?? '—',
            })}
          </span>`
        : nothing}
      ${alert.note ? html`<span class="alert-record">${t('alertList.note', { note: alert.note })}</span>` : nothing}
      ${canAct ? actions(alert) : nothing} ${canAct && clearing?.alertId === alert.alertId ? clearPanel(alert, clearing) : nothing}
      ${formMessage(failure, [])}
    </li>`;
  };

  const paint = () => {
    if (disposed) return;
    const alerts = visibleAlerts();
    if (clearing && !clearing.sending && !alerts.some((a) => a.alertId === clearing!.alertId)) {
      // Cleared on another screen while this one was confirming: the list shows it gone; say why. (While this
      // screen's own clear is on its way, its answer says who was first: the live event may come before it.)
      clearing = null;
      notice = { text: t('alertList.conflict'), refused: true };
    }
    const urgent = alerts.filter(needsAttention).length;
    count.textContent = situation.known
      ? t('alertsCount', { n: alerts.length }) + (urgent > 0 ? ` ${t('alertList.urgentCount', { n: urgent })}` : '')
      : '';
    count.title = urgent > 0 ? t('alertList.urgentTitle', { n: urgent }) : '';
    count.dataset.count = String(alerts.length);
    count.dataset.urgent = String(urgent);
    count.classList.toggle('urgent', urgent > 0);
    count.hidden = !situation.known;

    render(
      html`${canAct
        ? html`<button
            type="button"
            class="alert-raise-toggle"
            aria-expanded=${raising ? 'true' : 'false'}
            aria-controls=${raiseFormId}
            @click=${() => (raising ? closeRaise() : openRaise())}
          >
            ${t('alertForm.open')}
          </button>`
        : nothing}
      ${canAct && raising
        ? raiseForm({ draft: raising, districts: districtChoices(), edit: editRaise, submit: (e) => void submitRaise(e), cancel: closeRaise })
        : nothing}
      ${notice
        ? html`<p
            class=${`alert-notice ${notice.refused ? 'form-message' : 'form-done'}`}
            role=${notice.refused ? 'alert' : 'status'}
            tabindex="-1"
          >
            ${notice.text}
          </p>`
        : nothing}`,
      panel,
    );
    render(
      html`${repeat(alerts, (a) => a.alertId, item)}
      ${situation.known && alerts.length === 0 ? html`<li class="alert-none">${t('alertsNone')}</li>` : nothing}`,
      list,
    );
  };

  const onKeydown = (event: KeyboardEvent) => {
    if (event.key !== 'Escape') return;
    if (clearing && !clearing.sending && list.contains(event.target as Node)) closeClear();
    else if (raising && !raising.sending && panel.contains(event.target as Node)) closeRaise();
  };

  const subs = subscriptions();
  list.addEventListener('keydown', onKeydown);
  panel.addEventListener('keydown', onKeydown);
  subs.add(() => list.removeEventListener('keydown', onKeydown));
  subs.add(() => panel.removeEventListener('keydown', onKeydown));
  subs.add(
    situation.onChange((change) => {
      // An escalation is the server's newer word on the alert: this screen's own earlier answer no longer stands over it.
      if (change.kind === 'events') {
        change.applied.forEach(({ event }) => {
          if (event.kind !== 'alert_escalated') return;
          answered.delete(event.alert.alertId);
          // An escalation keeps the alert's status (it may be acknowledged already): it is pointed out all the same.
          if (needsAttention({ ...event.alert, status: 'raised' })) escalated.add(event.alert.alertId);
        });
      }
      // Gauge states too: a system alert shows what its gauge reads now.
      if (concerns(change, [...alertKinds, 'station_state_changed'])) paint();
    }),
  );
  subs.add(onLangChange(paint));
  paint();

  return {
    refresh: paint,
    setRole(role) {
      canAct = role === 'hq';
      if (!canAct) {
        raising = null;
        clearing = null;
      }
      paint();
    },
    dispose() {
      subs.dispose();
      render(nothing, list);
      render(nothing, panel);
      panel.remove();
      count.textContent = '';
      disposed = true;
    },
  };
}
