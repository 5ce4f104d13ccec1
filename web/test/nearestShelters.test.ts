import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import type { NearestFrom, NearestShelter } from '../src/core/api';
import { setLang } from '../src/core/i18n';
import { Situation } from '../src/core/live/situation';
import type { ShelterState } from '../src/core/live/situationMessages';
import { countText, distanceText, mountNearestShelters } from '../src/public/nearestShelters';

const state = (shelterId: string, over: Partial<ShelterState> = {}): ShelterState => ({
  shelterId,
  open: true,
  occupancy: 20,
  capacity: 100,
  declaredFull: false,
  crowding: 'available',
  suitability: { suitable: true, placeToStay: true, reasons: [] },
  ...over,
});

const nearby: NearestShelter[] = [
  { distanceMetres: 846, shelter: state('a') },
  {
    distanceMetres: 1234,
    shelter: state('b', { suitability: { suitable: true, placeToStay: false, reasons: [] } }),
  },
  { distanceMetres: 2960, shelter: state('c', { occupancy: 130, crowding: 'full' }) },
];

const settle = () => new Promise<void>((resolve) => setTimeout(resolve, 0));

describe('the nearest shelters', () => {
  let host: HTMLElement;
  let asked: NearestFrom[];
  let answer: NearestShelter[];
  beforeEach(() => {
    setLang('ja');
    asked = [];
    answer = nearby;
    host = document.createElement('section');
    document.body.append(host);
  });
  afterEach(() => host.remove());

  const mount = (situation = new Situation(), geolocation: Geolocation | null = null) =>
    mountNearestShelters(host, situation, {
      load: async (from) => (asked.push(from), structuredClone(answer)),
      geolocation,
      settleMs: 10,
    });

  it.each([
    [846, '直線で 850 m'],
    [4, '直線で 10 m'],
    [1000, '直線で 1.0 km'],
    [1234, '直線で 1.2 km'],
  ])('says %d m as "%s"', (metres, text) => {
    expect(distanceText(metres)).toBe(text);
  });

  it('says over capacity as such', () => {
    expect(countText(state('c', { occupancy: 130 }))).toBe('130人／100人（定員超過）');
  });

  it('lists the nearest from a tapped point with distances, band in words, and a place to flee said as such', async () => {
    const view = mount();
    view.setNames((id) => ({ a: '第一小学校', b: '中央公園', c: '体育館' })[id]);
    view.setPoint(140.19, 38.01);
    await settle();
    expect(asked).toEqual([{ lon: 140.19, lat: 38.01 }]);
    const cards = [...host.querySelectorAll<HTMLElement>('.nearest-card')];
    expect(cards.map((c) => c.dataset.shelterId)).toEqual(['a', 'b', 'c']);
    expect(cards[0].textContent).toContain('第一小学校');
    expect(cards[0].textContent).toContain('直線で 850 m');
    expect(cards[0].textContent).toContain('開設中・空いています');
    expect(cards[1].dataset.placeToStay).toBe('false');
    expect(cards[1].textContent).toContain('一時的に避難する場所（滞在はできません）');
    expect(cards[0].textContent).not.toContain('滞在はできません');
    expect(cards[2].textContent).toContain('定員超過');
    expect(host.querySelector('[role="status"]')?.textContent).toBe('地図の地点から近い順に3か所');
    view.dispose();
  });

  it('never shows a shelter judged unsuitable, even if the answer held one', async () => {
    answer = [
      { distanceMetres: 100, shelter: state('x', { suitability: { suitable: false, placeToStay: true, reasons: [{ code: 'not_designated', ja: '洪水の指定なし', en: 'Not designated for floods' }] } }) },
      nearby[0],
    ];
    const view = mount();
    view.setPoint(140.19, 38.01);
    await settle();
    expect([...host.querySelectorAll<HTMLElement>('.nearest-card')].map((c) => c.dataset.shelterId)).toEqual(['a']);
    view.dispose();
  });

  it('asks by district', async () => {
    const view = mount();
    view.setDistricts([{ id: 'd1', name_ja: '高畠地区', name_en: 'Takahata' }]);
    const select = host.querySelector<HTMLSelectElement>('select[name="district"]')!;
    select.value = 'd1';
    select.dispatchEvent(new Event('change'));
    await settle();
    expect(asked).toEqual([{ district: 'd1' }]);
    expect(host.querySelector('[role="status"]')?.textContent).toBe('高畠地区から近い順に3か所');
    view.dispose();
  });

  it("asks from the browser's location, and says so when it is refused", async () => {
    let allow = true;
    const geolocation = {
      getCurrentPosition: (ok: PositionCallback, fail: PositionErrorCallback) =>
        allow ? ok({ coords: { longitude: 140.2, latitude: 38.02 } } as GeolocationPosition) : fail({ code: 1 } as GeolocationPositionError),
    } as unknown as Geolocation;
    const view = mount(new Situation(), geolocation);
    host.querySelector<HTMLButtonElement>('.nearest-locate')!.click();
    await settle();
    expect(asked).toEqual([{ lon: 140.2, lat: 38.02 }]);
    allow = false;
    host.querySelector<HTMLButtonElement>('.nearest-locate')!.click();
    await settle();
    expect(host.querySelector('[role="status"]')?.textContent).toContain('現在地を取得できませんでした');
    view.dispose();
  });

  it('asks again once after a burst of live shelter or hazard changes', async () => {
    const situation = new Situation();
    const view = mount(situation);
    view.setPoint(140.19, 38.01);
    await settle();
    answer = [nearby[1]];
    situation.apply([{ seq: 1, at: '2026-12-02T05:00:00Z', kind: 'shelter_status_changed', shelter: state('a', { open: false, crowding: 'closed' }) }]);
    situation.apply([{ seq: 2, at: '2026-12-02T05:00:01Z', kind: 'hazards_changed', hazards: [], shelters: [] }]);
    await new Promise((r) => setTimeout(r, 40));
    expect(asked.length).toBe(2);
    expect([...host.querySelectorAll<HTMLElement>('.nearest-card')].map((c) => c.dataset.shelterId)).toEqual(['b']);
    view.dispose();
  });

  it('renders names as text, never as markup', async () => {
    answer = [{ distanceMetres: 50, shelter: state('a') }];
    const view = mount();
    view.setNames(() => '<img src=x onerror=alert(1)>');
    view.setPoint(140.19, 38.01);
    await settle();
    expect(host.querySelector('img')).toBeNull();
    expect(host.querySelector('.nearest-card h3')?.textContent).toBe('<img src=x onerror=alert(1)>');
    view.dispose();
  });
});
