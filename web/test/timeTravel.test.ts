import { afterEach, beforeEach, describe, expect, it, vi } from 'vitest';
import { BeforeRecordError, type PastEvents, type PastSituation } from '../src/core/api';
import { setLang } from '../src/core/i18n';
import { Situation, type SituationChange } from '../src/core/live/situation';
import type { SituationEvent } from '../src/core/live/situationMessages';
import { showMoment, shownMoment } from '../src/core/live/shownMoment';
import { mountTimeTravel, type TimeTravel, type TimeTravelSources } from '../src/hq/timeTravel';
import { batchMessage, snapshotMessage } from './fixtures';

const now = new Date('2026-12-03T05:00:00Z'); // 14:00 JST
const hoursAgo = (h: number) => new Date(now.getTime() - h * 3_600_000);

let bar: HTMLElement;
let banner: HTMLElement;
let situation: Situation;
let travel: TimeTravel;
let address: string;
let asked: Date[];
let eventsAsked: Array<{ after: number; until: Date }>;
let eventPages: PastEvents[];
let changes: SituationChange[];

const past = (moment: Date): PastSituation => ({ moment: moment.toISOString(), snapshot: snapshotMessage().snapshot, hazards: [] });

function mount(overrides: Partial<TimeTravelSources> = {}): void {
  const sources: TimeTravelSources = {
    record: async () => ({ startsAt: hoursAgo(100).toISOString(), lastEventAt: now.toISOString() }),
    at: async (moment) => {
      asked.push(moment);
      return past(moment);
    },
    events: async (after, until) => {
      eventsAsked.push({ after, until });
      return eventPages.shift() ?? { after, through: after, events: [], more: false };
    },
    now: () => new Date(now),
    address: { read: () => address, write: (search) => (address = search) },
    ...overrides,
  };
  travel = mountTimeTravel(bar, banner, situation, sources);
}

const slider = () => bar.querySelector<HTMLInputElement>('#time-slider')!;
const button = (cls: string) => bar.querySelector<HTMLButtonElement>(`button.${cls}`);
const settle = () => new Promise((resolve) => setTimeout(resolve, 0));

beforeEach(() => {
  setLang('ja');
  bar = document.createElement('section');
  banner = document.createElement('p');
  document.body.append(bar, banner);
  situation = new Situation();
  changes = [];
  situation.onChange((change) => changes.push(change));
  address = '';
  asked = [];
  eventsAsked = [];
  eventPages = [];
  showMoment(null);
});

afterEach(() => {
  travel.dispose();
  bar.remove();
  banner.remove();
  vi.useRealTimers();
});

describe('the time bar', () => {
  it('starts live: the slider at its end, no banner, nothing asked', async () => {
    mount();
    await settle();
    expect(Number(slider().value)).toBe(Number(slider().max));
    expect(slider().getAttribute('aria-valuetext')).toBe('ライブ');
    expect(banner.hidden).toBe(true);
    expect(button('time-live')).toBeNull();
    expect(asked).toEqual([]);
  });

  it('moving the slider back shows the situation then: loaded, marked as the past, without actions, in the address', async () => {
    mount();
    await settle();
    const moments: Array<Date | null> = [];
    travel.onChange((m) => moments.push(m));
    slider().value = String(Number(slider().max) - 180); // three hours back
    slider().dispatchEvent(new Event('change'));
    await settle();

    expect(asked).toEqual([hoursAgo(3)]);
    expect(shownMoment()).toEqual(hoursAgo(3));
    expect(situation.known).toBe(true);
    expect(changes.at(-1)?.kind).toBe('snapshot');
    expect(situation.hazards).toEqual([]);
    expect(banner.hidden).toBe(false);
    expect(banner.textContent).toContain('過去の状況を表示中：11:00（日本時間）');
    expect(banner.textContent).toContain('ライブに戻ると操作できます');
    expect(document.body.classList.contains('showing-past')).toBe(true);
    expect(address).toBe(`?at=${encodeURIComponent(hoursAgo(3).toISOString())}`);
    expect(moments).toEqual([hoursAgo(3)]);
    expect(bar.querySelector<HTMLInputElement>('input[name="moment"]')!.value).toBe('2026-12-03T11:00');
  });

  it('returns to live with one click, from the bar or the banner', async () => {
    mount();
    await travel.show(hoursAgo(2));
    const moments: Array<Date | null> = [];
    travel.onChange((m) => moments.push(m));
    banner.querySelector<HTMLButtonElement>('button.past-live')!.click();

    expect(shownMoment()).toBeNull();
    expect(banner.hidden).toBe(true);
    expect(document.body.classList.contains('showing-past')).toBe(false);
    expect(address).toBe('');
    expect(moments).toEqual([null]);

    await travel.show(hoursAgo(1));
    button('time-live')!.click();
    expect(shownMoment()).toBeNull();
  });

  it('takes a moment typed in Japan time, and says why one cannot be shown', async () => {
    mount();
    await settle();
    const field = bar.querySelector<HTMLInputElement>('input[name="moment"]')!;
    const form = bar.querySelector('form')!;
    field.value = '2026-12-03T09:30';
    field.dispatchEvent(new Event('input'));
    form.dispatchEvent(new Event('submit', { cancelable: true }));
    await settle();
    expect(asked).toEqual([new Date('2026-12-03T00:30:00Z')]);

    field.value = '2026-12-05T09:30';
    field.dispatchEvent(new Event('input'));
    form.dispatchEvent(new Event('submit', { cancelable: true }));
    expect(bar.querySelector('.time-notice')!.textContent).toContain('未来の時点は表示できません');
    expect(asked).toHaveLength(1);
  });

  it('says where the record begins when the moment is older', async () => {
    mount({
      at: async () => {
        throw new BeforeRecordError(hoursAgo(1).toISOString());
      },
    });
    await travel.show(hoursAgo(30));
    expect(bar.querySelector('.time-notice')!.textContent).toContain('記録は 13:00 からです');
    expect(shownMoment()).toBeNull();
    expect(banner.hidden).toBe(true);
  });

  it('opens at the moment named in the address', async () => {
    address = `?at=${encodeURIComponent(hoursAgo(5).toISOString())}`;
    mount();
    await settle();
    expect(asked).toEqual([hoursAgo(5)]);
    expect(shownMoment()).toEqual(hoursAgo(5));
  });
});

describe('playing the past forward', () => {
  it('applies the events that followed, at the chosen speed, and goes live when it catches up', async () => {
    vi.useFakeTimers({ now: now.getTime(), toFake: ['setInterval', 'clearInterval', 'setTimeout', 'clearTimeout', 'Date'] });
    mount({ now: () => new Date() });
    await travel.show(new Date(Date.now() - 150_000));
    const events = batchMessage().events.slice(0, 3) as SituationEvent[];
    eventPages = [
      { after: 120, through: 122, events: events.slice(0, 2), more: true },
      { after: 122, through: 123, events: events.slice(2), more: false },
    ];
    const speed = bar.querySelector<HTMLSelectElement>('.time-speed select')!;
    speed.value = '60';
    speed.dispatchEvent(new Event('change'));
    button('time-play')!.click();
    expect(button('time-play')!.getAttribute('aria-pressed')).toBe('true');

    await vi.advanceTimersByTimeAsync(1_000);
    // One tick at ×60: a minute on, fetched in two pages from where the snapshot ended.
    expect(eventsAsked.map((e) => e.after)).toEqual([120, 122]);
    expect(eventsAsked[0].until).toEqual(new Date(now.getTime() - 90_000));
    const last = changes.at(-1)!;
    expect(last.kind === 'events' && last.applied.map((a) => a.event.seq)).toEqual(events.map((e) => e.seq));
    expect(shownMoment()).toEqual(new Date(now.getTime() - 90_000));

    await vi.advanceTimersByTimeAsync(1_000);
    expect(eventsAsked.at(-1)).toEqual({ after: 123, until: new Date(now.getTime() - 30_000) });
    expect(shownMoment()).toEqual(new Date(now.getTime() - 30_000));
    await vi.advanceTimersByTimeAsync(1_000);
    expect(shownMoment()).toBeNull();
    expect(banner.hidden).toBe(true);
  });

  it('takes the situation afresh when a drill ended among the events', async () => {
    vi.useFakeTimers({ now: now.getTime(), toFake: ['setInterval', 'clearInterval', 'setTimeout', 'clearTimeout', 'Date'] });
    mount({ now: () => new Date() });
    await travel.show(hoursAgo(1));
    eventPages = [
      { after: 120, through: 121, events: [{ kind: 'drill_ended', seq: 121, at: hoursAgo(1).toISOString() } as unknown as SituationEvent], more: false },
    ];
    button('time-play')!.click();
    await vi.advanceTimersByTimeAsync(1_000);
    expect(asked).toHaveLength(2);
    expect(asked[1].getTime()).toBe(hoursAgo(1).getTime() + 60_000);
    expect(button('time-play')!.getAttribute('aria-pressed')).toBe('true');
  });
});
