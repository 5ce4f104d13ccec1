// The public page's client around the server's rendering: parts taken over only once they have their data, the
// snapshot polled over HTTP (If-None-Match) while the hub cannot be reached, the stale warning with the time of the
// last update, the language links and the page's language from <html lang>.
import { afterEach, beforeEach, describe, expect, it, vi } from 'vitest';
import { mountDrillBanner } from '../src/core/drillBanner';
import { setLang } from '../src/core/i18n';
import { Situation } from '../src/core/live/situation';
import type { SituationSnapshot } from '../src/core/live/situationMessages';
import { languageHref, mountLanguageLinks, textVersionHref } from '../src/public/languageLinks';
import { snapshotPoller, type PollResult } from '../src/public/liveFallback';
import { isStale, mountPublicLiveStatus } from '../src/public/liveStatus';
import { shelterCard } from '../src/public/shelterCard';
import { settled, takeOver } from '../src/public/takeOver';
import { drill, snapshot } from './handWritten';

describe('taking over a part the server rendered', () => {
  it('leaves the server rendering until the data is there, then replaces it', async () => {
    const container = document.createElement('section');
    container.innerHTML = '<h2>地区ごとの警戒レベル</h2><ul><li data-district-id="d1" data-level="4">屋代</li></ul>';
    let ready: () => void = () => undefined;
    const data = new Promise<void>((resolve) => (ready = resolve));
    const mount = vi.fn(() => container.append('client'));

    const done = takeOver([container], data, mount);
    await Promise.resolve();
    expect(container.querySelector('[data-district-id="d1"]')).not.toBeNull();
    expect(mount).not.toHaveBeenCalled();

    ready();
    await done;
    expect(mount).toHaveBeenCalledOnce();
    expect(container.textContent).toBe('client');
  });

  it('keeps the server rendering when the data cannot be had', async () => {
    const container = document.createElement('ul');
    container.innerHTML = '<li data-shelter-id="s1" data-crowding="available">高畠小学校</li>';
    const mount = vi.fn();
    await expect(takeOver([container], Promise.reject(new Error('offline')), mount)).rejects.toThrow('offline');
    expect(mount).not.toHaveBeenCalled();
    expect(container.querySelector('[data-shelter-id="s1"]')).not.toBeNull();
  });

  it('removes the marker comment along with the rest', async () => {
    const container = document.createElement('div');
    container.innerHTML = '<!--ssr:evacuation-banner-->';
    await takeOver([container], Promise.resolve(), () => undefined);
    expect(container.childNodes).toHaveLength(0);
  });

  it('waits for every layer to settle, loaded or failed', async () => {
    const order: string[] = [];
    const failing = Promise.reject(new Error('no districts'));
    await settled(failing, Promise.resolve(1)).then(() => order.push('settled'));
    expect(order).toEqual(['settled']);
  });
});

/** A response as fetch gives it. */
function response(status: number, body?: unknown, etag?: string): Response {
  return new Response(status === 304 ? null : JSON.stringify(body), { status, headers: etag ? { ETag: etag } : {} });
}

describe('the snapshot over HTTP while the hub cannot be reached', () => {
  beforeEach(() => vi.useFakeTimers());
  afterEach(() => vi.useRealTimers());

  it('loads the snapshot, then asks every 30 s with If-None-Match and loads nothing on 304', async () => {
    const sent: Array<Record<string, string>> = [];
    const answers = [
      response(200, { type: 'snapshot', snapshot: snapshot({ seq: 7 }) }, 'W/"pv-7"'),
      response(304),
      response(200, { type: 'snapshot', snapshot: snapshot({ seq: 9 }) }, 'W/"pv-9"'),
    ];
    const loaded: number[] = [];
    const results: PollResult[] = [];
    const poller = snapshotPoller({
      fetch: async (url, init) => {
        expect(url).toBe('/public/situation.json');
        sent.push({ ...(init.headers as Record<string, string>) });
        return answers.shift()!;
      },
      snapshot: (s) => loaded.push(s.seq),
      result: (r) => results.push(r),
    });

    poller.start();
    await vi.advanceTimersByTimeAsync(0);
    expect(loaded).toEqual([7]);
    expect(sent[0]['If-None-Match']).toBeUndefined();

    await vi.advanceTimersByTimeAsync(29_000);
    expect(sent).toHaveLength(1);
    await vi.advanceTimersByTimeAsync(1_000);
    expect(sent[1]['If-None-Match']).toBe('W/"pv-7"');
    expect(loaded).toEqual([7]);

    await vi.advanceTimersByTimeAsync(30_000);
    expect(loaded).toEqual([7, 9]);
    expect(results).toEqual(['updated', 'unchanged', 'updated']);
    poller.stop();
  });

  it('keeps asking after a failure, and stops when told (the hub is live again)', async () => {
    const fetch = vi.fn(async () => response(503));
    const results: PollResult[] = [];
    const poller = snapshotPoller({ fetch, snapshot: () => undefined, result: (r) => results.push(r) });
    vi.spyOn(console, 'warn').mockImplementation(() => undefined);

    poller.start();
    poller.start(); // already running: no second loop
    await vi.advanceTimersByTimeAsync(30_000);
    expect(fetch).toHaveBeenCalledTimes(2);
    expect(results).toEqual(['failed', 'failed']);
    expect(poller.running).toBe(true);

    poller.stop();
    await vi.advanceTimersByTimeAsync(120_000);
    expect(fetch).toHaveBeenCalledTimes(2);
    expect(poller.running).toBe(false);
  });

  it('refuses a body that is not a snapshot message', async () => {
    const loaded = vi.fn();
    const results: PollResult[] = [];
    vi.spyOn(console, 'warn').mockImplementation(() => undefined);
    const poller = snapshotPoller({ fetch: async () => response(200, { type: 'resync', reason: 'expired' }), snapshot: loaded, result: (r) => results.push(r) });
    poller.start();
    await vi.advanceTimersByTimeAsync(0);
    expect(loaded).not.toHaveBeenCalled();
    expect(results).toEqual(['failed']);
    poller.stop();
  });
});

describe('the live status and the stale warning', () => {
  let status: HTMLElement;
  let warning: HTMLElement;
  let note: HTMLElement;
  beforeEach(() => {
    setLang('ja');
    document.body.innerHTML =
      '<div id="stale-warning" role="alert" hidden></div><p id="live-status" data-state="static">最終更新 10:00（日本時間）</p><p id="stale-note">このページは自動では更新されません。</p>';
    status = document.getElementById('live-status')!;
    warning = document.getElementById('stale-warning')!;
    note = document.getElementById('stale-note')!;
    // Today in Japan, so times show without the date.
    vi.useFakeTimers({ toFake: ['Date'] });
    vi.setSystemTime(new Date('2026-12-02T10:10:00Z'));
  });
  afterEach(() => vi.useRealTimers());

  it('says since when the data is, in Japan time, and warns with that time when the link is lost, until it is back', () => {
    const live = mountPublicLiveStatus({ status, warning, note });
    expect(note.hidden).toBe(true);
    expect(warning.hidden).toBe(true);
    expect(document.body.dataset.liveState).toBe('connecting');

    live.updated('2026-12-02T10:05:00Z'); // 19:05 in Japan
    live.show({ state: 'live', offlineSince: null });
    expect(status.dataset.state).toBe('live');
    expect(status.textContent).toContain('ライブ更新中');
    expect(status.textContent).toContain('最終更新 19:05（日本時間）');
    expect(status.querySelector('time')?.getAttribute('datetime')).toBe('2026-12-02T10:05:00.000Z');

    live.show({ state: 'reconnecting', offlineSince: new Date('2026-12-02T10:06:00Z') });
    expect(warning.hidden).toBe(false);
    expect(warning.textContent).toContain('接続が切れています');
    expect(warning.textContent).toContain('19:05');

    live.polling(true);
    expect(warning.textContent).toContain('30秒ごと');

    live.show({ state: 'live', offlineSince: null });
    expect(warning.hidden).toBe(true);
    expect(document.body.dataset.liveState).toBe('live');
  });

  it('says the link cannot connect when no data has come yet, and in English on an English page', () => {
    setLang('en');
    const live = mountPublicLiveStatus({ status, warning });
    live.show({ state: 'offline', offlineSince: new Date('2026-12-02T10:06:00Z') });
    expect(warning.hidden).toBe(false);
    expect(warning.textContent).toContain('cannot connect');
    live.updated(new Date('2026-12-02T10:07:00Z'));
    expect(warning.textContent).toContain('as of 19:07 JST');
    expect(status.textContent).toContain('Updated 19:07 JST');
    setLang('ja');
  });

  it('keeps the latest time: an older update does not turn the clock back', () => {
    const live = mountPublicLiveStatus({ status, warning });
    live.updated('2026-12-02T10:07:00Z');
    live.updated('2026-12-02T10:01:00Z');
    expect(status.textContent).toContain('19:07');
  });

  it('is stale only after a failure and until live', () => {
    expect(isStale({ state: 'connecting', offlineSince: null })).toBe(false);
    expect(isStale({ state: 'connecting', offlineSince: new Date() })).toBe(true);
    expect(isStale({ state: 'offline', offlineSince: new Date() })).toBe(true);
    expect(isStale({ state: 'live', offlineSince: null })).toBe(false);
  });
});

describe('the language links', () => {
  it('lead to /public and /public/en, keeping the district and nothing else', () => {
    expect(languageHref('ja', '?district=district-yashiro&x=1')).toBe('/public?district=district-yashiro');
    expect(languageHref('en', '')).toBe('/public/en');
    expect(textVersionHref('en', '?district=district-wada')).toBe('/public/text/en?district=district-wada');
    expect(textVersionHref('ja', '')).toBe('/public/text');
  });

  it('are rendered when the server did not, and the current one is marked', () => {
    const nav = document.createElement('nav');
    nav.innerHTML = '<!--ssr:language-switch-->';
    mountLanguageLinks(nav, 'en', '?district=district-yashiro');
    const links = [...nav.querySelectorAll('a')];
    expect(links.map((a) => a.getAttribute('href'))).toEqual(['/public?district=district-yashiro', '/public/en?district=district-yashiro']);
    expect(links.map((a) => a.getAttribute('lang'))).toEqual(['ja', 'en']);
    expect(links.map((a) => a.getAttribute('aria-current'))).toEqual([null, 'true']);
  });

  it('keep what the server rendered', () => {
    const nav = document.createElement('nav');
    nav.innerHTML = '<a href="/public?district=d" lang="ja" hreflang="ja" aria-current="true">日本語</a><a href="/public/en?district=d" lang="en" hreflang="en">English</a>';
    mountLanguageLinks(nav, 'ja', '');
    expect(nav.querySelector('a')?.getAttribute('href')).toBe('/public?district=d');
    expect(nav.querySelector('[aria-current]')?.textContent).toBe('日本語');
  });
});

describe('the page language from <html lang>', () => {
  afterEach(() => {
    history.replaceState(null, '', '/');
    document.documentElement.lang = 'ja';
  });

  async function load(htmlLang: string, search = '', cookie = 'ja') {
    vi.resetModules();
    document.cookie = `bousai.lang=${cookie}; path=/`;
    history.replaceState(null, '', `/public${search}`);
    document.documentElement.lang = htmlLang;
    const i18n = await import('../src/core/i18n');
    i18n.adoptPageLang();
    return i18n;
  }

  it('is the language the server rendered the page in, whatever was remembered, and is remembered', async () => {
    expect((await load('en', '', 'ja')).lang()).toBe('en');
    expect(document.cookie).toContain('bousai.lang=en');
    expect((await load('ja', '', 'en')).lang()).toBe('ja');
    expect(document.cookie).toContain('bousai.lang=ja');
  });

  it('gives way to ?lang= in the address', async () => {
    expect((await load('ja', '?lang=en')).lang()).toBe('en');
  });
});

describe('the drill banner on a page that has one', () => {
  it('uses the page’s #drill-banner, replacing what the server rendered in it', () => {
    setLang('ja');
    const page = document.createElement('div');
    page.innerHTML = '<header></header><p id="drill-banner" class="drill-banner" role="status"><strong>訓練 / EXERCISE</strong> 古い訓練</p><main></main>';
    const situation = new Situation();
    situation.load(snapshot({ drill: drill() }));
    const mounted = mountDrillBanner(situation, page);
    expect(page.querySelectorAll('.drill-banner')).toHaveLength(1);
    const banner = page.querySelector<HTMLElement>('#drill-banner')!;
    expect(banner.textContent).not.toContain('古い訓練');
    expect(banner.textContent).toContain('総合防災訓練');
    expect(banner.hidden).toBe(false);

    situation.load(snapshot() as SituationSnapshot);
    expect(banner.hidden).toBe(true);
    mounted.dispose();
    expect(page.querySelector('#drill-banner')).not.toBeNull();
  });
});

describe('a shelter card from the layer’s plain properties', () => {
  it('needs no map feature', () => {
    setLang('ja');
    const onMap = vi.fn();
    const card = shelterCard(
      { id: 'takahata-shelter-01', name_ja: '高畠小学校', name_en: 'Takahata Elementary School', hazards: ['flood', 'earthquake'], capacity: 300, is_evacuation_shelter: true },
      undefined,
      onMap,
    );
    expect(card.dataset.shelterId).toBe('takahata-shelter-01');
    expect(card.dataset.hazards).toBe('flood earthquake');
    expect(card.querySelector('h3')?.textContent).toBe('高畠小学校');
    card.querySelector('button')!.click();
    expect(onMap).toHaveBeenCalledOnce();
  });
});
