// HQ's time travel: a time bar (a slider over the last 48 hours, a date-time field in Japan time, play at ×1 to ×600,
// pause, back to live) that puts the whole HQ view at a moment of the past. The situation store is loaded with the
// situation as it was (GET /api/situation/at) and played on with the events that followed (GET /api/situation/events);
// while the past is shown the page ignores the live stream, says so in a banner (words and a frame, not colour alone)
// and offers no actions; "back to live" starts the live stream again from a fresh snapshot. The moment is kept in the
// address (?at=) so a past view can be shared or reloaded.
import { html, nothing, render } from 'lit-html';
import {
  BeforeRecordError,
  fetchPastEvents,
  fetchPastSituation,
  fetchSituationRecord,
  type PastEvents,
  type PastSituation,
  type SituationRecord,
} from '../core/api';
import { onLangChange } from '../core/i18n';
import { hhmm, hhmmss } from '../core/japanTime';
import type { Situation } from '../core/live/situation';
import { showMoment, shownMoment } from '../core/live/shownMoment';
import { subscriptions, type Mounted } from '../core/mounted';
import { t } from './messages';
import {
  addressFor,
  chooseMoment,
  isLivePosition,
  momentAt,
  momentFromAddress,
  playOn,
  playSpeeds,
  playTickMs,
  sliderPosition,
  sliderRange,
  toJstField,
  type PlaySpeed,
} from './timeline';

export interface TimeTravelSources {
  record(): Promise<SituationRecord>;
  at(moment: Date): Promise<PastSituation>;
  events(after: number, until: Date): Promise<PastEvents>;
  now(): Date;
  /** The page's query string, and where a new one goes (history.replaceState). */
  address: { read(): string; write(search: string): void };
}

const pageSources: TimeTravelSources = {
  record: fetchSituationRecord,
  at: fetchPastSituation,
  events: fetchPastEvents,
  now: () => new Date(),
  address: {
    read: () => location.search,
    write: (search) => history.replaceState(history.state, '', `${location.pathname}${search}${location.hash}`),
  },
};

export interface TimeTravel extends Mounted {
  /** Shows a moment of the past, or live (null). Resolves once it is shown (or refused, with the reason in the bar). */
  show(moment: Date | null): Promise<void>;
  /** After each change between live and the past, and each new past moment. */
  onChange(listener: (moment: Date | null) => void): () => void;
}

type Notice = { kind: 'loading' } | { kind: 'refused'; text: string } | null;

export function mountTimeTravel(
  bar: HTMLElement,
  banner: HTMLElement,
  situation: Situation,
  sources: TimeTravelSources = pageSources,
): TimeTravel {
  const subs = subscriptions();
  const listeners = new Set<(moment: Date | null) => void>();
  let recordStartsAt: Date | null = null;
  /** The position in the log of what is shown: the past snapshot's seq, then the last event played. */
  let seq = 0;
  let speed: PlaySpeed = 60;
  let playing = false;
  let playTimer: ReturnType<typeof setInterval> | undefined;
  let lastTick = 0;
  let ticking = false;
  let notice: Notice = null;
  let generation = 0;
  /** The field's text while it is being typed (null: it follows the moment shown). */
  let typed: string | null = null;

  const emit = (moment: Date | null) => listeners.forEach((listener) => listener(moment));

  const setMoment = (moment: Date | null) => {
    showMoment(moment);
    sources.address.write(addressFor(sources.address.read(), moment));
  };

  const stopPlay = () => {
    playing = false;
    clearInterval(playTimer);
    playTimer = undefined;
  };

  const goLive = () => {
    generation++;
    stopPlay();
    notice = null;
    typed = null;
    const wasPast = shownMoment() !== null;
    setMoment(null);
    paint();
    if (wasPast) emit(null);
  };

  const load = async (moment: Date, keepPlaying = false): Promise<void> => {
    const mine = ++generation;
    if (!keepPlaying) stopPlay();
    notice = { kind: 'loading' };
    paint();
    try {
      const past = await sources.at(moment);
      if (mine !== generation) return;
      // The moment first: views that read the time (charts, histories) ask for it when the snapshot redraws them.
      setMoment(moment);
      seq = past.snapshot.seq;
      notice = null;
      typed = null;
      situation.load(past.snapshot, past.hazards);
      paint();
      emit(moment);
    } catch (error) {
      if (mine !== generation) return;
      stopPlay();
      if (error instanceof BeforeRecordError && error.recordStartsAt) recordStartsAt = new Date(error.recordStartsAt);
      notice = {
        kind: 'refused',
        text:
          error instanceof BeforeRecordError
            ? error.recordStartsAt
              ? t('past.beforeRecord', { time: hhmm(error.recordStartsAt, sources.now()) })
              : t('past.noRecord')
            : t('past.failed'),
      };
      if (!(error instanceof BeforeRecordError)) console.warn('the past situation could not be loaded', error);
      paint();
    }
  };

  /** One tick of play: the events up to the next moment, or a fresh past situation when a drill ended among them. */
  const tick = async () => {
    const moment = shownMoment();
    if (!playing || ticking || !moment) return;
    ticking = true;
    const mine = generation;
    const now = Date.now();
    const elapsed = now - lastTick;
    lastTick = now;
    try {
      const next = playOn(moment, speed, elapsed, sources.now());
      if (next === 'live') {
        goLive();
        return;
      }
      let drillEnded = false;
      let after = seq;
      const events = [];
      for (;;) {
        const page = await sources.events(after, next);
        if (mine !== generation) return;
        events.push(...page.events);
        after = page.through;
        if (page.events.some((e) => e.kind === 'drill_ended')) drillEnded = true;
        if (!page.more) break;
      }
      if (drillEnded) {
        // What the drill made leaves the picture when it ends: take the situation as it was after it.
        await load(next, true);
        return;
      }
      seq = after;
      setMoment(next);
      if (events.length > 0) situation.apply(events);
      paint();
      emit(next);
    } catch (error) {
      if (mine !== generation) return;
      console.warn('playing the past stopped', error);
      stopPlay();
      notice = { kind: 'refused', text: t('past.failed') };
      paint();
    } finally {
      ticking = false;
    }
  };

  const play = () => {
    if (!shownMoment()) return;
    playing = true;
    lastTick = Date.now();
    clearInterval(playTimer);
    playTimer = setInterval(() => void tick(), playTickMs);
    paint();
  };

  const slide = (event: Event) => {
    const position = Number((event.currentTarget as HTMLInputElement).value);
    const range = sliderRange(sources.now(), recordStartsAt);
    if (isLivePosition(range, position)) goLive();
    else void load(momentAt(range, position));
  };

  // While dragging, the slider says the moment it points at; the view follows on release (change).
  const sliding = (event: Event) => {
    const input = event.currentTarget as HTMLInputElement;
    const range = sliderRange(sources.now(), recordStartsAt);
    const position = Number(input.value);
    input.setAttribute('aria-valuetext', positionText(range, position));
  };

  const positionText = (range: ReturnType<typeof sliderRange>, position: number) =>
    isLivePosition(range, position) ? t('past.live') : momentText(momentAt(range, position), range.stepMs);

  const submit = (event: Event) => {
    event.preventDefault();
    const form = event.currentTarget as HTMLFormElement;
    const value = (form.elements.namedItem('moment') as HTMLInputElement).value;
    const choice = chooseMoment(value, sources.now(), recordStartsAt);
    if (choice.kind === 'live') goLive();
    else if (choice.kind === 'past') void load(choice.moment);
    else {
      notice = {
        kind: 'refused',
        text:
          choice.reason === 'beforeRecord' && recordStartsAt
            ? t('past.beforeRecord', { time: hhmm(recordStartsAt, sources.now()) })
            : t(`past.${choice.reason}`),
      };
      paint();
    }
  };

  /** A moment as the bar says it: to the second where the slider moves by seconds. */
  const momentText = (moment: Date, stepMs: number) => (stepMs < 60_000 ? `${hhmm(moment, sources.now())}:${hhmmss(moment).slice(-2)}` : hhmm(moment, sources.now()));

  const paint = () => {
    const now = sources.now();
    const moment = shownMoment();
    const range = sliderRange(now, recordStartsAt);
    const position = moment ? sliderPosition(range, moment) : range.steps;
    const field = typed ?? toJstField(moment ?? now);
    render(
      html`<form class="time-form" @submit=${submit} novalidate>
          <label class="time-slider-label" for="time-slider">${t('past.slider')}</label>
          <input
            id="time-slider"
            class="time-slider"
            type="range"
            min="0"
            max=${range.steps}
            step="1"
            .value=${String(position)}
            aria-valuetext=${positionText(range, position)}
            @input=${sliding}
            @change=${slide}
          />
          <span class="time-ends" aria-hidden="true"
            ><span>${hhmm(range.start, now)}</span><span>${t('past.live')}</span></span
          >
          <label class="time-field">
            <span>${t('past.field')}</span>
            <input
              name="moment"
              type="datetime-local"
              .value=${field}
              min=${toJstField(range.start)}
              max=${toJstField(now)}
              @input=${(e: Event) => (typed = (e.currentTarget as HTMLInputElement).value)}
            />
          </label>
          <button type="submit" class="time-go">${t('past.go')}</button>
          ${moment
            ? html`<button type="button" class="time-play" aria-pressed=${playing ? 'true' : 'false'} @click=${() => (playing ? (stopPlay(), paint()) : play())}>
                  ${playing ? t('past.pause') : t('past.play')}
                </button>
                <label class="time-speed"
                  ><span>${t('past.speed')}</span>
                  <select
                    @change=${(e: Event) => {
                      speed = Number((e.currentTarget as HTMLSelectElement).value) as PlaySpeed;
                      paint();
                    }}
                  >
                    ${playSpeeds.map((s) => html`<option value=${s} ?selected=${s === speed}>×${s}</option>`)}
                  </select></label
                >
                <button type="button" class="time-live" @click=${goLive}>${t('past.backToLive')}</button>`
            : nothing}
          <p class="time-notice" role="status">
            ${notice?.kind === 'loading' ? t('loading') : notice?.kind === 'refused' ? notice.text : ''}
          </p>
        </form>`,
      bar,
    );
    banner.hidden = moment === null;
    document.body.classList.toggle('showing-past', moment !== null);
    if (moment) {
      render(
        html`<span class="past-badge">${t('past.badge')}</span><strong class="past-title">${t('past.banner', { time: momentText(moment, range.stepMs) })}</strong>
          <span class="past-note">${t('past.noActions')}</span>
          <button type="button" class="past-live" @click=${goLive}>${t('past.backToLive')}</button>`,
        banner,
      );
    } else render(nothing, banner);
  };

  subs.add(onLangChange(paint));
  // The slider's reach moves with the clock.
  const clock = setInterval(() => {
    if (typed === null) paint();
  }, 30_000);
  subs.add(() => clearInterval(clock));
  subs.add(stopPlay);

  sources.record().then(
    (record) => {
      recordStartsAt = record.startsAt ? new Date(record.startsAt) : null;
      paint();
    },
    (error: unknown) => console.warn('the record of the situation could not be read', error),
  );
  paint();

  const travel: TimeTravel = {
    show: (moment) => (moment ? load(moment) : (goLive(), Promise.resolve())),
    onChange: (listener) => {
      listeners.add(listener);
      return () => listeners.delete(listener);
    },
    dispose: () => {
      generation++;
      subs.dispose();
      render(nothing, bar);
      render(nothing, banner);
    },
  };
  // A moment named in the address opens at once.
  const named = momentFromAddress(sources.address.read());
  if (named && named < sources.now()) void travel.show(named);
  return travel;
}
