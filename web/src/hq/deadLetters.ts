// Gauge messages ingestion refused (dead letters), newest first: when, why in words, the detail, and what was sent,
// truncated. For one gauge under its chart, or for every gauge including stations the town does not know.
import { fetchDeadLetters, type DeadLetter } from '../core/api';
import { h } from '../core/dom';
import { t, tOr } from './messages';
import { hhmm, hhmmss, isoTime } from '../core/japanTime';
import type { Mounted } from '../core/mounted';

/** Enough of a payload to see what is wrong with it without a wall of text. */
const payloadShown = 400;
/** Refusals come in bursts (a misconfigured gauge every 10 minutes): reload no faster than this. */
const minReloadMs = 5_000;

export interface DeadLetterView extends Mounted {
  readonly element: HTMLElement;
  /** Reloads (at most every few seconds), e.g. after a sensor_messages_refused event. */
  reloadSoon(): void;
  /** Re-renders in the current language. */
  render(): void;
}

export function deadLetterReason(reason: string): string {
  return tOr(`deadLetterReason.${reason}`, reason);
}

export function mountDeadLetters(stationId: string | null, stationName: (id: string) => string, limit = 50): DeadLetterView {
  const element = h('section', { class: 'dead-letters', 'data-dead-letters': stationId ?? 'all' });
  let letters: DeadLetter[] | null = null;
  let failed = false;
  let lastLoad = 0;
  let timer: ReturnType<typeof setTimeout> | undefined;
  let loading = false;

  const render = () => {
    // The list of every gauge fills the panel, whose title names it; under a gauge's chart it needs a heading.
    const children: Array<HTMLElement> = stationId
      ? [h('h3', {}, t('deadLettersRecent'))]
      : [h('p', { class: 'dead-letters-note' }, t('deadLettersAllNote', { n: limit }))];
    if (letters === null) children.push(h('p', { class: 'dead-letters-status' }, failed ? t('loadFailed') : t('loading')));
    else if (letters.length === 0) children.push(h('p', { class: 'dead-letters-status' }, t('deadLettersNone')));
    else children.push(h('ol', { class: 'dead-letter-list' }, ...letters.map((letter) => item(letter, !stationId, stationName))));
    element.replaceChildren(...children);
  };

  const load = () => {
    if (loading) {
      reloadSoon();
      return;
    }
    loading = true;
    lastLoad = Date.now();
    fetchDeadLetters(stationId, limit).then(
      (loaded) => {
        loading = false;
        letters = loaded;
        failed = false;
        render();
      },
      (error: unknown) => {
        loading = false;
        console.warn('dead letters unavailable', error);
        failed = true;
        render();
      },
    );
  };

  const reloadSoon = () => {
    clearTimeout(timer);
    timer = setTimeout(load, Math.max(0, lastLoad + minReloadMs - Date.now()));
  };

  render();
  load();
  return {
    element,
    reloadSoon,
    render,
    dispose: () => {
      clearTimeout(timer);
      element.remove();
    },
  };
}

function item(letter: DeadLetter, withStation: boolean, stationName: (id: string) => string): HTMLLIElement {
  const payload = letter.payload.length > payloadShown ? `${letter.payload.slice(0, payloadShown)}${t('payloadTruncated')}` : letter.payload;
  const station = letter.stationId ? stationName(letter.stationId) : t('unknownStation');
  return h(
    'li',
    { class: 'dead-letter', 'data-dead-letter-id': String(letter.id), 'data-reason': letter.reason },
    h(
      'p',
      { class: 'dead-letter-head' },
      h('time', { datetime: isoTime(letter.receivedAt), title: hhmmss(letter.receivedAt) }, hhmm(letter.receivedAt)),
      ' ',
      h('strong', {}, deadLetterReason(letter.reason)),
      withStation ? h('span', { class: 'dead-letter-station' }, ` ${station}`) : null,
    ),
    letter.detail ? h('p', { class: 'dead-letter-detail' }, letter.detail) : null,
    h('p', { class: 'dead-letter-topic' }, `${t('deadLetterTopic')}: `, h('code', {}, letter.topic)),
    h('p', { class: 'dead-letter-payload-label' }, t('deadLetterPayload', { bytes: letter.payloadBytes.toLocaleString() })),
    h('pre', { class: 'dead-letter-payload' }, payload),
  );
}
