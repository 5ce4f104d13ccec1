// Drill (訓練) control: while a drill is on the panel says so plainly (訓練中 / EXERCISE) and the page is marked
// (body.drill-on), since everything recorded meanwhile is an exercise. An HQ account starts one with a name and ends
// it after a confirmation; the live channel (drill_started / drill_ended) then tells every screen.
import { html, nothing, render, type TemplateResult } from 'lit-html';
import { live } from 'lit-html/directives/live.js';
import { describedBy, fieldError, formMessage, formText, isInvalid, type FieldErrors } from '../core/form';
import { onLangChange } from '../core/i18n';
import { hhmm } from '../core/japanTime';
import { concerns, type Situation } from '../core/live/situation';
import { subscriptions, type Mounted } from '../core/mounted';
import { send, type SendFailure, type SendResult } from '../core/send';
import { t } from './messages';

export type StartDrill = (name: string) => Promise<SendResult<unknown>>;
export type EndDrill = () => Promise<SendResult<unknown>>;

export const startDrill: StartDrill = (name) => send('post', '/api/drills', {}, { name });
export const endDrill: EndDrill = () => send('post', '/api/drills/current/end', {}, undefined);

export const maxDrillNameLength = 100;

export interface DrillControlOptions {
  start?: StartDrill;
  end?: EndDrill;
}

export interface DrillControl extends Mounted {
  /** Role from /api/me: only `hq` may start and end a drill. */
  /** null: no actions (signed out, or the past shown). */
  setRole(role: string | null): void;
}

interface Step {
  mode: 'start' | 'end';
  name: string;
  sending: boolean;
  errors: FieldErrors;
  failure: SendFailure | null;
}

const formId = 'drill-form';

export function mountDrillControl(root: HTMLElement, situation: Situation, options: DrillControlOptions = {}): DrillControl {
  const start = options.start ?? startDrill;
  const end = options.end ?? endDrill;
  let canAct = false;
  let disposed = false;
  let step: Step | null = null;
  let notice: { text: string; refused: boolean } | null = null;

  const focusAfterRender = (selector: string) => queueMicrotask(() => root.querySelector<HTMLElement>(selector)?.focus());

  const open = (mode: Step['mode']) => {
    notice = null;
    step = { mode, name: '', sending: false, errors: {}, failure: null };
    paint();
    focusAfterRender(mode === 'start' ? `#${formId} [name="name"]` : `#${formId} .confirm`);
  };
  const close = () => {
    step = null;
    paint();
    focusAfterRender('.drill-toggle');
  };

  const submit = async (event: Event) => {
    event.preventDefault();
    const s = step;
    if (!s || s.sending) return;
    const name = s.name.trim();
    if (s.mode === 'start') {
      const error = name === '' ? t('drill.needName') : name.length > maxDrillNameLength ? t('alertForm.tooLong', { max: maxDrillNameLength }) : null;
      if (error) {
        Object.assign(s, { errors: { name: [error] }, failure: null });
        paint();
        focusAfterRender(`#${formId} [name="name"]`);
        return;
      }
    }
    const drillName = s.mode === 'end' ? (situation.drill?.name ?? '') : name;
    Object.assign(s, { sending: true, errors: {}, failure: null });
    paint();
    const result = s.mode === 'start' ? await start(name) : await end();
    if (disposed || step !== s) return;
    if (result.ok) {
      step = null;
      notice = { text: t(s.mode === 'start' ? 'drill.started' : 'drill.ended', { name: drillName }), refused: false };
    } else if (result.kind === 'conflict' || result.kind === 'not_found') {
      step = null;
      notice = { text: t(result.kind === 'conflict' ? 'drill.conflict' : 'drill.gone'), refused: true };
    } else {
      Object.assign(s, { sending: false, errors: result.kind === 'invalid' ? result.fields : {}, failure: result });
    }
    paint();
    if (!step) focusAfterRender('.drill-notice');
  };

  const form = (s: Step): TemplateResult => {
    if (s.mode === 'end') {
      return html`<form id=${formId} class="level-form drill-form" novalidate @submit=${(e: Event) => void submit(e)}>
        <p class="confirm-text"><strong>${t('drill.endConfirm', { name: situation.drill?.name ?? '' })}</strong></p>
        ${formMessage(s.failure, [])}
        <div class="form-actions">
          <button type="submit" class="primary confirm" ?disabled=${s.sending}>${s.sending ? formText('send.sending') : t('drill.endButton')}</button>
          <button type="button" ?disabled=${s.sending} @click=${close}>${t('alertForm.cancel')}</button>
        </div>
      </form>`;
    }
    return html`<form id=${formId} class="level-form drill-form" novalidate @submit=${(e: Event) => void submit(e)}>
      <label class="field-label" for=${`${formId}-name`}>${t('drill.name')}</label>
      <input
        id=${`${formId}-name`}
        name="name"
        type="text"
        autocomplete="off"
        required
        maxlength=${maxDrillNameLength}
        .value=${live(s.name)}
        aria-invalid=${isInvalid('name', s.errors)}
        aria-describedby=${describedBy(formId, 'name', s.errors)}
        @input=${(e: Event) => (s.name = (e.target as HTMLInputElement).value)}
      />
      ${fieldError(formId, 'name', s.errors)} ${formMessage(s.failure, ['name'])}
      <div class="form-actions">
        <button type="submit" class="primary" ?disabled=${s.sending}>${s.sending ? formText('send.sending') : t('drill.startButton')}</button>
        <button type="button" ?disabled=${s.sending} @click=${close}>${t('alertForm.cancel')}</button>
      </div>
    </form>`;
  };

  const paint = () => {
    if (disposed) return;
    const drill = situation.drill;
    document.body.classList.toggle('drill-on', drill !== null);
    // A step that no longer fits (the drill started or ended on another screen) closes.
    if (step && !step.sending && (step.mode === 'end') !== (drill !== null)) step = null;
    root.dataset.drill = drill ? 'on' : 'off';
    render(
      html`${drill
          ? html`<div class="drill-status drill-active" role="status">
              <strong>${t('drill.on', { name: drill.name })}</strong>
              <span>${t('drill.onDetail', { time: hhmm(drill.startedAt), who: drill.startedBy ?? '—' })}</span>
            </div>`
          : html`<p class="drill-status">${situation.known ? t('drill.none') : nothing}</p>`}
        ${notice
          ? html`<p class=${`drill-notice ${notice.refused ? 'form-message' : 'form-done'}`} role=${notice.refused ? 'alert' : 'status'} tabindex="-1">
              ${notice.text}
            </p>`
          : nothing}
        ${canAct && situation.known
          ? html`<button
              type="button"
              class="drill-toggle"
              aria-expanded=${step ? 'true' : 'false'}
              aria-controls=${formId}
              @click=${() => (step ? close() : open(drill ? 'end' : 'start'))}
            >
              ${t(drill ? 'drill.end' : 'drill.start')}
            </button>`
          : nothing}
        ${canAct && step ? form(step) : nothing}`,
      root,
    );
  };

  const subs = subscriptions();
  subs.add(
    situation.onChange((change) => {
      if (concerns(change, ['drill_started', 'drill_ended'])) paint();
    }),
  );
  subs.add(onLangChange(paint));
  paint();

  return {
    setRole(role) {
      canAct = role === 'hq';
      if (!canAct) step = null;
      paint();
    },
    dispose() {
      subs.dispose();
      render(nothing, root);
      document.body.classList.remove('drill-on');
      disposed = true;
    },
  };
}
