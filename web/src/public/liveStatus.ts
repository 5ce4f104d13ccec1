// Whether what the resident reads is live, and as of when: #live-status gives the state in words and a symbol (not
// colour alone) with the time of the last update in Japan time; #stale-warning (role="alert") says plainly, with that
// time, when the live link is lost and the page may be out of date, and goes away when the link is back. The
// server's note for readers without JavaScript ("reloads every minute") no longer applies once this runs.
// body[data-live-state] is for browser tests.
import { h } from '../core/dom';
import { hhmm, isoTime } from '../core/japanTime';
import type { Mounted } from '../core/mounted';
import type { LiveState, LiveStatus } from '../core/live/situationStream';
import { t } from './messages';

const symbols: Record<LiveState, string> = {
  connecting: '…',
  live: '●',
  reconnecting: '↻',
  offline: '✕',
};

export interface PublicLiveStatus extends Mounted {
  /** The hub's state (followSituation's status handler). */
  show(status: LiveStatus): void;
  /** The data now shown is as of `at` (a snapshot's time, the latest event's). */
  updated(at: Date | string): void;
  /** Whether the page is asking for /public/situation.json because the hub is unreachable. */
  polling(on: boolean): void;
}

/** Whether the data may be stale: the link failed and is not live again. */
export function isStale(status: LiveStatus): boolean {
  return status.state !== 'live' && status.offlineSince !== null;
}

export function mountPublicLiveStatus(elements: { status: HTMLElement; warning: HTMLElement; note?: HTMLElement | null }): PublicLiveStatus {
  const { status: element, warning, note } = elements;
  let status: LiveStatus = { state: 'connecting', offlineSince: null };
  let at: Date | null = null;
  let polling = false;
  let warned = '';

  const symbol = h('span', { class: 'live-symbol', 'aria-hidden': 'true' });
  const text = h('span', { class: 'live-text' });
  const updatedText = h('span', { class: 'live-updated' });
  element.replaceChildren(symbol, text, ' ', updatedText);
  if (note) {
    note.replaceChildren();
    note.hidden = true;
  }

  const render = () => {
    document.body.dataset.liveState = status.state;
    element.dataset.state = status.state;
    symbol.textContent = symbols[status.state];
    const state =
      status.state === 'offline' && status.offlineSince ? t('live.offline', { time: hhmm(status.offlineSince) }) : t(`live.${status.state}`);
    text.textContent = polling && status.state !== 'live' ? `${state}（${t('live.polling')}）` : state;
    updatedText.replaceChildren(
      ...(at ? [h('time', { datetime: isoTime(at) }, t('live.updated', { time: hhmm(at) }))] : []),
    );

    const stale = isStale(status);
    // Rewritten only when its words change, so a screen reader hears it once, not on every event.
    const words = stale
      ? [at ? t('stale.lost', { time: hhmm(at) }) : t('stale.never'), polling ? t('stale.polling') : ''].filter(Boolean).join(' ')
      : '';
    warning.hidden = !stale;
    if (words !== warned) {
      warned = words;
      warning.replaceChildren(...(words ? [h('span', { class: 'stale-symbol', 'aria-hidden': 'true' }, '⚠ '), words] : []));
    }
  };
  render();

  return {
    show(next) {
      status = next;
      render();
    },
    updated(next) {
      const date = typeof next === 'string' ? new Date(next) : next;
      if (Number.isNaN(date.getTime()) || (at && date <= at)) return;
      at = date;
      render();
    },
    polling(on) {
      if (on === polling) return;
      polling = on;
      render();
    },
    dispose() {
      element.replaceChildren();
      warning.replaceChildren();
      warning.hidden = true;
    },
  };
}
