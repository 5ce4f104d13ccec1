// One shelter's desk: the head count (the server's confirmed figure plus what this phone has not sent yet), big
// +1 / −1 / +5 / −5 buttons that queue increments, and the writes that need the network: open or close, declare full
// or lift it, the explicit correction of the total, and the note for HQ.
import { html, nothing, render } from 'lit-html';
import type { ShelterProps } from '../core/geodata';
import { localName, onLangChange } from '../core/i18n';
import type { ShelterState } from '../core/live/situationMessages';
import type { Mounted } from '../core/mounted';
import { send, type SendFailure } from '../core/send';
import { capacityText, crowdingAttribute, openingText } from '../core/shelterFacts';
import { t, tOr } from './messages';
import type { CountQueue } from './queue';
import { isPending, shownHeadCount, type CountBatch } from './queueRules';

const noteMax = 500;

export interface CountPanelOptions {
  shelter: ShelterProps;
  queue: CountQueue;
}

type Busy = 'status' | 'correction' | 'note' | null;

export function mountCountPanel(container: HTMLElement, { shelter, queue }: CountPanelOptions): Mounted {
  const shelterId = shelter.id;
  let state: ShelterState | undefined;
  let batches: CountBatch[] = [];
  let busy: Busy = null;
  // Made at paint time, so a change of language reads it in the new one.
  let message: { text: () => string; error: boolean; where: Exclude<Busy, null> } | null = null;
  let disposed = false;

  const load = async () => {
    const [stored, all] = await Promise.all([queue.confirmed(shelterId), queue.list()]);
    if (disposed) return;
    state = stored;
    batches = all.filter((b) => b.shelterId === shelterId);
    paint();
  };

  const tap = (delta: number) => {
    // A "saved" or an error from an earlier write is not about the counting that follows.
    if (message) {
      message = null;
      paint();
    }
    void queue.tap(shelterId, delta);
  };

  const failureText = (failure: SendFailure) => {
    const head =
      failure.kind === 'forbidden'
        ? t('result.forbidden')
        : failure.kind === 'signed_out'
          ? t('result.signed_out')
          : failure.kind === 'network'
            ? t('result.network')
            : failure.kind === 'conflict'
              ? t('result.conflict')
              : t('result.other');
    const reason = failure.detail ?? Object.values(failure.fields).flat().join(' ');
    return reason && failure.status > 0 ? `${head} ${t('serverSaid', { reason })}` : head;
  };

  /**
   * PUT status: open, full and the note as they stand, with the one change asked for. The head count goes only with
   * a correction: without it the server keeps its count, so opening or a note never undoes taps from another door.
   */
  const putStatus = async (where: Exclude<Busy, null>, change: { open?: boolean; declaredFull?: boolean; occupancy?: number; note?: string }) => {
    if (!state) return false;
    busy = where;
    message = null;
    paint();
    const result = await send('put', '/api/shelters/{shelterId}/status', { shelterId }, {
      open: change.open ?? state.open,
      occupancy: change.occupancy,
      declaredFull: change.declaredFull ?? state.declaredFull,
      note: change.note ?? state.note ?? null,
    });
    busy = null;
    if (result.ok && result.value) {
      await queue.confirm(result.value as ShelterState);
      message = { text: () => t('saved'), error: false, where };
    } else if (!result.ok) {
      message = { text: () => failureText(result), error: true, where };
    }
    paint();
    return result.ok;
  };

  const toggleOpen = () => {
    if (!state) return;
    if (state.open && !confirm(t('confirmClose'))) return;
    void putStatus('status', { open: !state.open, declaredFull: false });
  };

  const toggleFull = () => state && void putStatus('status', { declaredFull: !state.declaredFull });

  const correct = (event: Event) => {
    event.preventDefault();
    const form = event.currentTarget as HTMLFormElement;
    const input = form.elements.namedItem('total') as HTMLInputElement;
    const total = Number(input.value);
    if (input.value === '' || !Number.isInteger(total) || total < 0) {
      input.reportValidity();
      return;
    }
    // A correction sets the total; counts still queued would then be added on top of it.
    if (batches.some(isPending)) {
      message = { text: () => t('correctionPending'), error: true, where: 'correction' };
      paint();
      return;
    }
    if (!confirm(t('correctionConfirm', { count: total.toLocaleString() }))) return;
    void putStatus('correction', { occupancy: total }).then((ok) => ok && (input.value = ''));
  };

  const saveNote = (event: Event) => {
    event.preventDefault();
    const area = (event.currentTarget as HTMLFormElement).elements.namedItem('note') as HTMLTextAreaElement;
    void putStatus('note', { note: area.value.trim() });
  };

  const notice = (where: Exclude<Busy, null>) =>
    message?.where === where
      ? html`<p class=${message.error ? 'form-error' : 'form-ok'} role=${message.error ? 'alert' : 'status'}>${message.text()}</p>`
      : nothing;

  const refusal = (batch: CountBatch) => {
    const status = batch.problem?.status ?? 0;
    const reason = batch.problem?.detail ?? batch.problem?.title;
    return html`<li class="failed-batch" data-client-id=${batch.clientId} data-status=${status}>
      <p><strong>${t('failedItem', { delta: signed(batch.delta) })}</strong></p>
      <p class="problem">${tOr(`refused.${status}`, t('refused.other'))}</p>
      ${reason ? html`<p class="problem-reason">${t('serverReason', { status, reason })}</p>` : nothing}
      <button type="button" class="secondary" @click=${() => void queue.discard(batch.clientId)}>${t('discard')}</button>
    </li>`;
  };

  const paint = () => {
    if (disposed) return;
    const pending = batches.filter(isPending);
    const failed = batches.filter((b) => b.state === 'failed');
    const confirmed = state?.occupancy ?? 0;
    const shown = shownHeadCount(confirmed, batches, shelterId);
    const open = state?.open ?? false;
    const head = pending[0];
    const capacity = state?.capacity ?? shelter.capacity ?? undefined;
    const percent = typeof capacity === 'number' && capacity > 0 ? Math.round((shown / capacity) * 100) : undefined;
    const countButton = (delta: number, key: 'plus1' | 'minus1' | 'plus5' | 'minus5') =>
      html`<button type="button" class="count-button ${delta > 0 ? 'in' : 'out'} ${Math.abs(delta) === 1 ? 'one' : 'five'}"
        data-delta=${delta} aria-label=${t(`${key}.label`)} ?disabled=${!open} @click=${() => tap(delta)}>
        <span aria-hidden="true">${t(key)}</span>
      </button>`;

    render(
      html`<section class="count-panel" id="count-panel" data-shelter-id=${shelterId} data-open=${String(open)}
          data-crowding=${crowdingAttribute(state) ?? nothing}>
          <h2 class="shelter-name">${localName(shelter)}</h2>
          <p class="opening" id="opening-status">${openingText(state)}${state?.declaredFull ? html` <span class="declared-full">（${t('declaredFull')}）</span>` : nothing}</p>
          <div class="head-count-box" aria-live="polite">
            <span class="head-count-label">${t('headCount')}</span>
            <span id="head-count" class="head-count" data-count=${shown} data-confirmed=${confirmed}>${shown.toLocaleString()}<small>${t('headCountUnit')}</small></span>
            <span class="capacity">${t('capacityOf', { capacity: capacityText({ ...shelter, capacity }) })}</span>
            ${percent !== undefined && percent > 100 ? html`<span class="over-capacity">${t('overCapacity', { percent })}</span>` : nothing}
          </div>
          <p id="pending-count" class="pending" data-pending=${pending.length} data-state=${head?.state ?? 'none'}>
            ${pending.length === 0
              ? html`<span class="all-sent">✓ ${t('allSent')}</span>`
              : html`<strong>${t('pendingCount', { count: pending.length })}</strong>
                  <span class="pending-why">${head?.state === 'sending' ? t('sending') : t(`waiting.${head?.waitingReason ?? 'queued'}`)}</span>`}
            <span class="confirmed">${t('confirmedCount', { count: confirmed.toLocaleString() })}</span>
          </p>
          <div class="count-buttons" id="count-buttons">
            ${countButton(-1, 'minus1')} ${countButton(1, 'plus1')} ${countButton(-5, 'minus5')} ${countButton(5, 'plus5')}
          </div>
          <p class="hint">${open ? t('countHint') : t('countClosedHint')}</p>
          ${failed.length > 0
            ? html`<section class="failed" aria-labelledby="failed-title">
                <h3 id="failed-title">${t('failedTitle')}</h3>
                <ul id="failed-list">${failed.map(refusal)}</ul>
              </section>`
            : nothing}
          <div class="status-actions">
            <button type="button" id="toggle-open" class=${open ? 'secondary' : 'primary'} ?disabled=${!state || busy !== null}
              @click=${toggleOpen}>${open ? t('close') : t('open')}</button>
            <button type="button" id="toggle-full" class="secondary" ?disabled=${!state || !open || busy !== null}
              @click=${toggleFull}>${state?.declaredFull ? t('liftFull') : t('declareFull')}</button>
            ${notice('status')}
          </div>
          <details class="desk-form" id="correction">
            <summary>${t('correctionTitle')}</summary>
            <form @submit=${correct} novalidate>
              <label for="correction-total">${t('correctionLabel')}</label>
              <input id="correction-total" name="total" type="number" inputmode="numeric" min="0" max="100000" step="1" required />
              <button type="submit" ?disabled=${!state || busy !== null}>${t('correctionSubmit')}</button>
              ${notice('correction')}
            </form>
          </details>
          <details class="desk-form" id="note">
            <summary>${t('noteTitle')}</summary>
            <form @submit=${saveNote}>
              <label for="note-text">${t('noteLabel')}</label>
              <textarea id="note-text" name="note" rows="3" maxlength=${noteMax} .value=${state?.note ?? ''}></textarea>
              <p class="hint">${t('noteHint')}</p>
              <button type="submit" ?disabled=${!state || busy !== null}>${t('noteSubmit')}</button>
              ${notice('note')}
            </form>
          </details>
        </section>`,
      container,
    );
  };

  const stopQueue = queue.onChange(() => void load());
  const stopLang = onLangChange(paint);
  void load();

  return {
    dispose() {
      disposed = true;
      stopQueue();
      stopLang();
      render(nothing, container);
    },
  };
}

function signed(delta: number): string {
  return delta > 0 ? `+${delta}` : `−${Math.abs(delta)}`;
}
