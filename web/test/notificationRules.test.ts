// The pure parts of residents' notifications: the district at a position (worked out on the phone), the request the
// opt-in sends, whether this browser can take Web Push (iPhones only from the home screen), and the notification the
// service worker shows for the server's payload.
import { readFileSync } from 'node:fs';
import { dirname, resolve } from 'node:path';
import { fileURLToPath } from 'node:url';
import { describe, expect, it } from 'vitest';
import { applicationServerKey, choiceFrom, choosesNothing, firstChoice, sameKey, subscriptionRequest, type Choice } from '../src/public/notifications/choice';
import { districtAt } from '../src/public/notifications/districtAt';
import { pushSupport, type BrowserFacts } from '../src/public/notifications/platform';
import { notificationOf, pageToOpen, publicPath, publicWindow } from '../src/public/notifications/pushMessage';

const square = (x0: number, y0: number, size: number) => [
  [x0, y0],
  [x0 + size, y0],
  [x0 + size, y0 + size],
  [x0, y0 + size],
  [x0, y0],
];
const feature = (id: string, geometry: unknown) => ({ type: 'Feature', properties: { id, name_ja: id }, geometry });

describe('the district at a position', () => {
  // A: a square with a hole; B: the hole's island (a district inside A's hole); C: two squares (a MultiPolygon).
  const layer = [
    feature('A', { type: 'Polygon', coordinates: [square(140, 38, 1), square(140.4, 38.4, 0.2)] }),
    feature('B', { type: 'Polygon', coordinates: [square(140.45, 38.45, 0.1)] }),
    feature('C', { type: 'MultiPolygon', coordinates: [[square(142, 38, 0.5)], [square(143, 38, 0.5)]] }),
  ];

  it.each([
    ['inside a polygon', 140.1, 38.1, 'A'],
    ['in a hole of one polygon, outside all', 140.42, 38.42, null],
    ['on an island inside the hole', 140.5, 38.5, 'B'],
    ['in the first part of a multipolygon', 142.2, 38.2, 'C'],
    ['in the second part of a multipolygon', 143.2, 38.3, 'C'],
    ['between the parts of a multipolygon', 142.75, 38.2, null],
    ['outside every district', 139, 37, null],
  ])('%s', (_, lon, lat, expected) => {
    expect(districtAt(lon, lat, layer)).toBe(expected);
  });

  it('ignores features without an id or a polygon', () => {
    const odd = [{ properties: {}, geometry: { type: 'Polygon', coordinates: [square(0, 0, 1)] } }, feature('P', { type: 'Point', coordinates: [0.5, 0.5] }), null];
    expect(districtAt(0.5, 0.5, odd)).toBeNull();
  });

  it('finds the town office in 高畠地区 on the shipped districts layer', () => {
    const here = dirname(fileURLToPath(import.meta.url));
    const districts = JSON.parse(readFileSync(resolve(here, '../../geodata/districts.geojson'), 'utf8')) as { features: unknown[] };
    // 大字高畠436 (domain guide), and a point far outside the town.
    expect(districtAt(140.18908, 38.00275, districts.features)).toBe('district-takahata');
    expect(districtAt(139.7, 35.7, districts.features)).toBeNull();
  });
});

describe('the subscription request', () => {
  const browser = { endpoint: 'https://fcm.googleapis.com/fcm/send/abc', expirationTime: null, keys: { p256dh: 'BPub', auth: 'secret' } };
  const order = { districts: ['district-takahata', 'district-yashiro', 'district-wada'], shelters: ['s1', 's2', 's3'] };
  const choice = (over: Partial<Choice>): Choice => ({ ...firstChoice, ...over });

  it('sends the endpoint, the keys, the page language and the choice in the order the page lists them', () => {
    const body = subscriptionRequest(
      browser,
      choice({ districts: new Set(['district-wada', 'district-takahata']), shelters: new Set(['s3', 's1']), drills: true }),
      'en',
      order,
    );
    expect(body).toEqual({
      endpoint: browser.endpoint,
      keys: { p256dh: 'BPub', auth: 'secret' },
      language: 'en',
      districts: ['district-takahata', 'district-wada'],
      shelters: ['s1', 's3'],
      townWarnings: true,
      drills: true,
    });
  });

  it('keeps an id the page does not list, last, so the server can name it', () => {
    const body = subscriptionRequest(browser, choice({ districts: new Set(['gone', 'district-yashiro']) }), 'ja', order);
    expect(body?.districts).toEqual(['district-yashiro', 'gone']);
  });

  it('starts with the town warnings on and drills off', () => {
    expect(firstChoice.townWarnings).toBe(true);
    expect(firstChoice.drills).toBe(false);
    expect(firstChoice.districts.size + firstChoice.shelters.size).toBe(0);
  });

  it.each([
    ['nothing at all', choice({ townWarnings: false }), true],
    ['only the town warnings', choice({}), false],
    ['a district', choice({ townWarnings: false, districts: new Set(['district-wada']) }), false],
    ['a shelter', choice({ townWarnings: false, shelters: new Set(['s1']) }), false],
    ['only drills', choice({ townWarnings: false, drills: true }), true],
  ])('with %s chooses nothing: %s', (_, picked, nothing) => {
    expect(choosesNothing(picked)).toBe(nothing);
  });

  it.each([
    ['no endpoint', { keys: browser.keys }],
    ['no keys', { endpoint: browser.endpoint }],
    ['no auth secret', { endpoint: browser.endpoint, keys: { p256dh: 'BPub' } }],
  ])('is not made with %s', (_, subscription) => {
    expect(subscriptionRequest(subscription, choice({}), 'ja', order)).toBeNull();
  });

  it('reads the stored choice back for 「変更」', () => {
    const back = choiceFrom({ language: 'ja', districts: ['district-wada'], shelters: ['s2'], townWarnings: false, drills: true });
    expect([...back.districts]).toEqual(['district-wada']);
    expect([...back.shelters]).toEqual(['s2']);
    expect(back.townWarnings).toBe(false);
    expect(back.drills).toBe(true);
  });

  it('turns the base64url VAPID key into its bytes and compares a held subscription by them', () => {
    const key = applicationServerKey('BPz-_w');
    expect([...key]).toEqual([0x04, 0xfc, 0xfe, 0xff]);
    expect(sameKey(new Uint8Array([4, 252, 254, 255]).buffer, key)).toBe(true);
    expect(sameKey(new Uint8Array([4, 252, 254, 0]).buffer, key)).toBe(false);
    expect(sameKey(null, key)).toBe(true);
  });
});

describe('whether this browser can take notifications', () => {
  const android: BrowserFacts = {
    userAgent: 'Mozilla/5.0 (Linux; Android 14; Pixel 8) AppleWebKit/537.36 (KHTML, like Gecko) Chrome/130.0 Mobile Safari/537.36',
    platform: 'Linux armv81',
    maxTouchPoints: 5,
    standalone: undefined,
    displayModeStandalone: false,
    serviceWorker: true,
    pushManager: true,
    notification: true,
  };
  const iPhoneSafari: BrowserFacts = {
    ...android,
    userAgent: 'Mozilla/5.0 (iPhone; CPU iPhone OS 17_5 like Mac OS X) AppleWebKit/605.1.15 (KHTML, like Gecko) Version/17.5 Mobile/15E148 Safari/604.1',
    platform: 'iPhone',
    standalone: false,
    pushManager: false,
    notification: false,
  };
  const iPadAsMac: BrowserFacts = {
    ...iPhoneSafari,
    userAgent: 'Mozilla/5.0 (Macintosh; Intel Mac OS X 10_15_7) AppleWebKit/605.1.15 (KHTML, like Gecko) Version/17.5 Safari/605.1.15',
    platform: 'MacIntel',
  };
  const mac: BrowserFacts = { ...iPadAsMac, maxTouchPoints: 0, pushManager: true, notification: true };

  it.each([
    ['Chrome on Android', android, 'supported'],
    ['Safari on an iPhone, in a tab', iPhoneSafari, 'home-screen'],
    ['the home-screen app on an iPhone (navigator.standalone)', { ...iPhoneSafari, standalone: true, pushManager: true, notification: true }, 'supported'],
    ['the home-screen app on an iPhone (display-mode standalone)', { ...iPhoneSafari, displayModeStandalone: true, pushManager: true, notification: true }, 'supported'],
    ['an old iPhone home-screen app without Web Push', { ...iPhoneSafari, standalone: true }, 'unsupported'],
    ['an iPad that calls itself a Mac, in a tab', iPadAsMac, 'home-screen'],
    ['Safari on a Mac', mac, 'supported'],
    ['a browser without the Push API', { ...android, pushManager: false }, 'unsupported'],
    ['a browser without service workers', { ...android, serviceWorker: false }, 'unsupported'],
  ])('%s: %s', (_, facts, expected) => {
    expect(pushSupport(facts)).toBe(expected);
  });
});

describe('the notification for a push message', () => {
  const payload = {
    noticeId: 12,
    title: '【訓練】警戒レベル4 避難指示：高畠地区',
    body: '危険な場所から全員避難',
    tag: 'district:district-takahata',
    url: '/public?district=district-takahata',
    language: 'ja',
    urgent: true,
    icon: '/notifications/level-4.png',
    drill: true,
  };

  it('shows the payload: title, body, tag, icon, language, the page to open, kept on screen when urgent', () => {
    expect(notificationOf(payload)).toEqual({
      title: payload.title,
      options: {
        body: payload.body,
        tag: payload.tag,
        icon: payload.icon,
        badge: '/notifications/badge.png',
        lang: 'ja',
        requireInteraction: true,
        renotify: true,
        data: { url: payload.url },
      },
    });
  });

  it('lets a notice that is not urgent go by itself, in English when the payload is', () => {
    const { options } = notificationOf({ ...payload, urgent: false, language: 'en', url: '/public/en#official-title' });
    expect(options.requireInteraction).toBe(false);
    expect(options.lang).toBe('en');
    expect(options.data.url).toBe('/public/en#official-title');
  });

  it.each([
    ['another site', 'https://example.com/public'],
    ['a protocol-relative address', '//example.com/public'],
    ['a page that is not the public view', '/api/me'],
    ['a path that only starts like it', '/publicity'],
    ['no address', undefined],
  ])('never opens %s: the public page instead', (_, url) => {
    expect(notificationOf({ ...payload, url }).options.data.url).toBe('/public');
  });

  it.each([
    ['/public#shelter-takahata-shelter-01', '/public#shelter-takahata-shelter-01'],
    ['/public/en', '/public/en'],
    ['/public?district=x', '/public?district=x'],
    ['javascript:alert(1)', '/public'],
  ])('keeps %s as %s', (url, expected) => {
    expect(publicPath(url)).toBe(expected);
  });

  it('uses the app icon for an icon that is not one of the notification icons', () => {
    expect(notificationOf({ ...payload, icon: 'https://example.com/x.png' }).options.icon).toBe('/icons/public-192.png');
  });

  it.each([
    ['nothing', null],
    ['text that is not a notice', 'hello'],
    ['a notice without a title', { body: 'x' }],
  ])('still shows something for %s (a push is always visible)', (_, data) => {
    const { title, options } = notificationOf(data);
    expect(title).toContain('高畠町 防災情報');
    expect(options.body).not.toBe('');
    expect(options.data.url).toBe('/public');
  });

  it('opens the notification page on this site, and reuses an open public page, the focused one first', () => {
    const origin = 'https://bousai.example.jp';
    expect(pageToOpen({ url: '/public#shelter-s1' }, origin)).toBe(`${origin}/public#shelter-s1`);
    expect(pageToOpen(undefined, origin)).toBe(`${origin}/public`);
    const windows = [
      { url: `${origin}/field`, focused: true },
      { url: `${origin}/public/text`, focused: false },
      { url: `${origin}/public/en`, focused: true },
      { url: `https://other.example/public`, focused: true },
    ];
    expect(publicWindow(windows, origin)).toBe(windows[2]);
    expect(publicWindow(windows.slice(0, 2), origin)).toBe(windows[1]);
    expect(publicWindow([{ url: `${origin}/publicity` }, windows[0]], origin)).toBeUndefined();
  });
});
