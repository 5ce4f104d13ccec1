// The opt-in form against a device that plays the browser's push (permission, subscribe, position) and a server
// played by fetch: what the resident sees and what is sent, for subscribing, changing, stopping and the refusals.
import { afterEach, beforeEach, describe, expect, it, vi } from 'vitest';
import type { FeatureCollectionJson } from '../src/core/api';
import { setLang } from '../src/core/i18n';
import { mountOptIn, type DeviceSubscription, type PushDevice } from '../src/public/notifications/optIn';
import type { PushSupport } from '../src/public/notifications/platform';

const square = (x0: number, y0: number) => [[[x0, y0], [x0 + 1, y0], [x0 + 1, y0 + 1], [x0, y0 + 1], [x0, y0]]];
const districts: FeatureCollectionJson = {
  type: 'FeatureCollection',
  features: [
    { type: 'Feature', properties: { id: 'district-takahata', name_ja: '高畠地区', name_en: 'Takahata' }, geometry: { type: 'Polygon', coordinates: square(0, 0) } },
    { type: 'Feature', properties: { id: 'district-yashiro', name_ja: '屋代地区', name_en: 'Yashiro' }, geometry: { type: 'Polygon', coordinates: square(1, 0) } },
  ],
};
const shelters: FeatureCollectionJson = {
  type: 'FeatureCollection',
  features: [{ type: 'Feature', properties: { id: 'takahata-shelter-01', name_ja: '高畠町役場', name_en: 'Town office' }, geometry: null }],
};

const endpoint = 'https://fcm.googleapis.com/fcm/send/phone';
const vapidKey = 'BPz-_w';

interface Call {
  method: string;
  url: string;
  body: unknown;
}

/** The server: answers by method and path; each call is kept. */
function server(answers: Record<string, () => Response>): Call[] {
  const calls: Call[] = [];
  vi.stubGlobal(
    'fetch',
    vi.fn(async (url: string, init?: RequestInit) => {
      const method = init?.method ?? 'GET';
      calls.push({ method, url, body: init?.body ? JSON.parse(String(init.body)) : undefined });
      const answer = answers[`${method} ${url}`];
      if (!answer) throw new Error(`unexpected ${method} ${url}`);
      return answer();
    }),
  );
  return calls;
}

const json = (status: number, body: unknown) =>
  new Response(JSON.stringify(body), { status, headers: { 'Content-Type': status >= 400 ? 'application/problem+json' : 'application/json' } });
const stored = (over: Record<string, unknown> = {}) => ({ language: 'ja', districts: ['district-yashiro'], shelters: [], townWarnings: true, drills: false, ...over });

function device(over: Partial<PushDevice> & { position?: { lon: number; lat: number } } = {}) {
  const unsubscribed = vi.fn(async () => true);
  const subscription: DeviceSubscription = {
    endpoint,
    toJSON: () => ({ endpoint, keys: { p256dh: 'BPub', auth: 'secret' } }),
    unsubscribe: unsubscribed,
  };
  const played: PushDevice = {
    support: (): PushSupport => 'supported',
    permission: () => 'default',
    requestPermission: vi.fn(async () => 'granted' as NotificationPermission),
    subscribe: vi.fn(async () => subscription),
    locate: async () => over.position ?? { lon: 1.5, lat: 0.5 },
    ...over,
  };
  return { played, subscription, unsubscribed };
}

const settle = async () => {
  for (let i = 0; i < 10; i++) await new Promise<void>((resolve) => setTimeout(resolve, 0));
};

describe('the opt-in to notifications', () => {
  let host: HTMLElement;
  beforeEach(() => {
    setLang('ja');
    host = document.createElement('div');
    document.body.append(host);
  });
  afterEach(() => host.remove());

  const open = async (played: PushDevice) => {
    const form = mountOptIn(host, { districts: Promise.resolve(districts), shelters: Promise.resolve(shelters) }, played);
    form.start();
    await settle();
    return form;
  };
  const check = (name: string, value: string) => {
    const box = host.querySelector<HTMLInputElement>(`input[name="${name}"][value="${value}"]`)!;
    box.checked = !box.checked;
    box.dispatchEvent(new Event('change'));
  };
  const submit = async () => {
    host.querySelector('form')!.dispatchEvent(new Event('submit', { cancelable: true }));
    await settle();
  };
  const text = () => host.textContent?.replace(/\s+/g, ' ') ?? '';

  it('lists the districts and shelters in fieldsets with legends and labels, town warnings on and drills off', async () => {
    server({});
    await open(device().played);

    const legends = [...host.querySelectorAll('fieldset > legend')].map((l) => l.textContent);
    expect(legends).toEqual(['地区', '避難所（任意）', 'そのほかの通知']);
    const labels = [...host.querySelectorAll('input[name="district"]')].map((i) => host.querySelector(`label[for="${i.id}"]`)?.textContent);
    expect(labels).toEqual(['高畠地区', '屋代地区']);
    expect(host.querySelector<HTMLInputElement>('input[name="town"]')!.checked).toBe(true);
    expect(host.querySelector<HTMLInputElement>('input[name="drills"]')!.checked).toBe(false);
    expect(document.activeElement?.classList.contains('notify-lead')).toBe(true);
  });

  it('subscribes: permission, the push subscription with the server key, then PUT of the choice, and shows what it gets', async () => {
    const calls = server({
      'GET /public/notifications/key': () => json(200, { publicKey: vapidKey }),
      'PUT /public/notifications/subscription': () => json(200, stored({ districts: ['district-yashiro'], shelters: ['takahata-shelter-01'], drills: true })),
    });
    const { played } = device();
    await open(played);

    check('district', 'district-yashiro');
    check('shelter', 'takahata-shelter-01');
    check('drills', 'on');
    await submit();

    expect(played.requestPermission).toHaveBeenCalledOnce();
    expect([...vi.mocked(played.subscribe).mock.calls[0][0]]).toEqual([0x04, 0xfc, 0xfe, 0xff]);
    expect(calls.at(-1)).toEqual({
      method: 'PUT',
      url: '/public/notifications/subscription',
      body: {
        endpoint,
        keys: { p256dh: 'BPub', auth: 'secret' },
        language: 'ja',
        districts: ['district-yashiro'],
        shelters: ['takahata-shelter-01'],
        townWarnings: true,
        drills: true,
      },
    });
    expect(text()).toContain('この端末で通知を受け取っています。');
    expect(host.querySelector('.notify-summary')?.textContent).toContain('屋代地区');
    expect(host.querySelector('.notify-summary')?.textContent).toContain('高畠町役場');
    expect(document.activeElement?.classList.contains('notify-done')).toBe(true);
  });

  it('picks the district where the phone is, and sends only its id', async () => {
    const calls = server({
      'GET /public/notifications/key': () => json(200, { publicKey: vapidKey }),
      'PUT /public/notifications/subscription': () => json(200, stored()),
    });
    await open(device({ position: { lon: 1.25, lat: 0.75 } }).played);

    host.querySelector<HTMLButtonElement>('.notify-where')!.click();
    await settle();

    expect(host.querySelector<HTMLInputElement>('input[value="district-yashiro"]')!.checked).toBe(true);
    expect(host.querySelector('.notify-located')?.textContent).toContain('現在地は屋代地区です。');
    await submit();
    const sent = JSON.stringify(calls.at(-1)?.body);
    expect(sent).toContain('"districts":["district-yashiro"]');
    expect(sent).not.toContain('1.25');
    expect(sent).not.toContain('0.75');
  });

  it('says so when the position is outside every district or cannot be had', async () => {
    server({});
    await open(device({ position: { lon: 50, lat: 50 } }).played);
    host.querySelector<HTMLButtonElement>('.notify-where')!.click();
    await settle();
    expect(host.querySelector('.notify-located')?.textContent).toBe('現在地は高畠町の地区の外です。地区を選んでください。');

    host.remove();
    host = document.createElement('div');
    document.body.append(host);
    await open(device({ locate: async () => Promise.reject(new Error('denied')) }).played);
    host.querySelector<HTMLButtonElement>('.notify-where')!.click();
    await settle();
    expect(host.querySelector('.notify-located')?.textContent).toBe('現在地を取得できませんでした。一覧から地区を選んでください。');
  });

  it('asks for something to be chosen before asking the browser anything', async () => {
    const calls = server({});
    const { played } = device();
    await open(played);

    check('town', 'warnings');
    await submit();

    expect(played.requestPermission).not.toHaveBeenCalled();
    expect(calls).toEqual([]);
    const fieldset = host.querySelector('fieldset')!;
    expect(fieldset.getAttribute('aria-invalid')).toBe('true');
    const error = host.querySelector('.field-error')!;
    expect(error.textContent).toBe('地区、避難所、町の公式の警報のうち、少なくとも1つを選んでください。');
    expect(fieldset.getAttribute('aria-describedby')).toContain(error.id);
  });

  it.each([
    ['denied', 'ブラウザの設定で、このサイトからの通知を「許可」にしてから'],
    ['default', 'もう一度「通知を受け取る」を押して、「許可」を選んでください。'],
  ] as const)('says what to do when the permission is %s, and subscribes nothing', async (answer, words) => {
    const calls = server({});
    const { played } = device({ requestPermission: async () => answer });
    await open(played);

    check('district', 'district-takahata');
    await submit();

    expect(host.querySelector('[role="alert"]')?.textContent).toContain(words);
    expect(played.subscribe).not.toHaveBeenCalled();
    expect(calls).toEqual([]);
  });

  it('says so when the push service cannot be reached', async () => {
    server({ 'GET /public/notifications/key': () => json(200, { publicKey: vapidKey }) });
    await open(device({ subscribe: async () => Promise.reject(new DOMException('push service error', 'AbortError')) }).played);

    check('district', 'district-takahata');
    await submit();

    expect(host.querySelector('[role="alert"]')?.textContent).toContain('この端末を通知に登録できませんでした。');
    expect(host.querySelector('form')).not.toBeNull();
  });

  it('shows the server’s refusal in the form, by field', async () => {
    server({
      'GET /public/notifications/key': () => json(200, { publicKey: vapidKey }),
      'PUT /public/notifications/subscription': () =>
        json(400, { title: 'One or more validation errors occurred.', status: 400, errors: { shelters: ['No such shelter: takahata-shelter-01.'], 'keys.auth': ['The browser’s auth secret must be 16 bytes, base64url.'] } }),
    });
    await open(device().played);

    check('shelter', 'takahata-shelter-01');
    await submit();

    expect(host.querySelectorAll('fieldset')[1].querySelector('.field-error')?.textContent).toBe('No such shelter: takahata-shelter-01.');
    const message = host.querySelector('.form-message')!.textContent!;
    expect(message).toContain('入力内容を確認してください。');
    expect(message).toContain('auth secret');
  });

  it('shows an existing subscription from the server, changes it with the same endpoint, and stops it', async () => {
    const calls = server({
      'POST /public/notifications/subscription/lookup': () => json(200, stored()),
      'PUT /public/notifications/subscription': () => json(200, stored({ districts: ['district-takahata', 'district-yashiro'] })),
      'DELETE /public/notifications/subscription': () => new Response(null, { status: 204 }),
    });
    const { played, subscription, unsubscribed } = device();
    const form = mountOptIn(host, { districts: Promise.resolve(districts), shelters: Promise.resolve(shelters) }, played);
    form.show(subscription);
    await settle();

    expect(calls[0]).toEqual({ method: 'POST', url: '/public/notifications/subscription/lookup', body: { endpoint } });
    expect(host.querySelector('.notify-summary')?.textContent).toContain('屋代地区');

    [...host.querySelectorAll('button')].find((b) => b.textContent === '変更')!.click();
    await settle();
    expect(host.querySelector<HTMLInputElement>('input[value="district-yashiro"]')!.checked).toBe(true);
    check('district', 'district-takahata');
    await submit();
    expect(played.requestPermission).not.toHaveBeenCalled();
    expect(calls.at(-1)).toMatchObject({ method: 'PUT', body: { endpoint, districts: ['district-takahata', 'district-yashiro'] } });
    expect(text()).toContain('通知の設定を変更しました。');

    [...host.querySelectorAll('button')].find((b) => b.textContent === '通知をやめる')!.click();
    await settle();
    expect(calls.at(-1)).toEqual({ method: 'DELETE', url: '/public/notifications/subscription', body: { endpoint } });
    expect(unsubscribed).toHaveBeenCalledOnce();
    expect(text()).toContain('通知をやめました。');
  });

  it('asks to choose again when the server no longer knows this browser’s subscription', async () => {
    server({ 'POST /public/notifications/subscription/lookup': () => json(404, { title: 'No such subscription', status: 404 }) });
    const { played, subscription } = device();
    const form = mountOptIn(host, { districts: Promise.resolve(districts), shelters: Promise.resolve(shelters) }, played);
    form.show(subscription);
    await settle();

    expect(host.querySelector('form')).not.toBeNull();
    expect(host.querySelector('[role="alert"]')?.textContent).toContain('この端末の登録は見つかりませんでした');
  });

  it.each([
    ['home-screen', 'iPhoneでは、共有ボタン →「ホーム画面に追加」で追加したアプリから開くと通知を受け取れます。'],
    ['unsupported', 'このブラウザは通知（Web Push）に対応していません。'],
  ] as const)('tells a browser that cannot (%s) what to do instead of showing the form', async (support, words) => {
    server({});
    await open(device({ support: () => support }).played);

    expect(host.querySelector('form')).toBeNull();
    expect(host.querySelector('.notify-cannot')?.textContent).toContain(words);
  });

  it('speaks English on the English page, and subscribes in English', async () => {
    setLang('en');
    const calls = server({
      'GET /public/notifications/key': () => json(200, { publicKey: vapidKey }),
      'PUT /public/notifications/subscription': () => json(200, stored({ language: 'en' })),
    });
    await open(device({ support: () => 'home-screen' }).played);
    expect(host.querySelector('.notify-cannot')?.textContent).toContain('Add to Home Screen');

    host.remove();
    host = document.createElement('div');
    document.body.append(host);
    await open(device().played);
    expect(host.querySelector('legend')?.textContent).toBe('Districts');
    check('district', 'district-takahata');
    await submit();
    expect(calls.at(-1)?.body).toMatchObject({ language: 'en' });
    expect(host.querySelector('.notify-summary')?.textContent).toContain('Yashiro');
    setLang('ja');
  });
});
