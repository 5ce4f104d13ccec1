// Whether what the page shows is live: in words and a symbol (not colour alone), announced politely to screen
// readers, and on <body data-live-state> for browser tests.
import { h } from '../dom';
import { lang, onLangChange, t } from '../i18n';
import type { Mounted } from '../mounted';
import { hhmm } from '../japanTime';
import type { LiveState, LiveStatus } from './situationStream';

const symbols: Record<LiveState, string> = {
  connecting: '…',
  live: '●',
  reconnecting: '↻',
  offline: '✕',
};

export interface LiveIndicatorOptions {
  /** Add "what is shown may be out of date" (and, for residents, where else to look) while not live. */
  staleHint?: 'short' | 'with-advice';
}

export interface LiveIndicator extends Mounted {
  /** The handler to give followSituation. */
  show(status: LiveStatus): void;
}

/** Fills `element` (which carries role="status") with the live state. */
export function mountLiveIndicator(element: HTMLElement, options: LiveIndicatorOptions = {}): LiveIndicator {
  let status: LiveStatus = { state: 'connecting', offlineSince: null };
  const symbol = h('span', { class: 'live-symbol', 'aria-hidden': 'true' });
  const text = h('span', { class: 'live-text' });
  const hint = h('span', { class: 'live-hint' });
  element.replaceChildren(symbol, text, hint);

  const render = () => {
    document.body.dataset.liveState = status.state;
    element.dataset.state = status.state;
    symbol.textContent = symbols[status.state];
    text.textContent =
      status.state === 'offline' && status.offlineSince
        ? t('live.offline', { time: hhmm(status.offlineSince) })
        : t(`live.${status.state}`);
    const stale = status.state === 'offline' || status.state === 'reconnecting';
    const gap = lang() === 'ja' ? '' : ' ';
    hint.textContent =
      stale && options.staleHint
        ? `${t('liveStale')}${options.staleHint === 'with-advice' ? gap + t('openingStatusAdvice') : ''}`
        : '';
  };
  const stopLang = onLangChange(render);
  render();

  return {
    show: (next) => {
      status = next;
      render();
    },
    dispose: () => {
      stopLang();
      element.replaceChildren();
    },
  };
}
