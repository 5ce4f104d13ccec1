import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import type { CommonProps } from '../src/core/geodata';
import { setLang } from '../src/core/i18n';
import { Situation } from '../src/core/live/situation';
import { mountLevelBoard } from '../src/public/levelBoard';
import { event, level, snapshot } from './handWritten';

const districts: CommonProps[] = [
  { id: 'district-takahata', name_ja: '高畠地区', name_en: 'Takahata' },
  { id: 'district-yashiro', name_ja: '屋代地区', name_en: 'Yashiro' },
  { id: 'district-wada', name_ja: '和田地区', name_en: 'Wada' },
];

describe('the 警戒レベル board', () => {
  let host: HTMLElement;
  beforeEach(() => {
    setLang('ja');
    host = document.createElement('section');
    document.body.append(host);
  });
  afterEach(() => host.remove());

  const card = (districtId: string) => host.querySelector<HTMLElement>(`[data-district-id="${districtId}"]`)!;

  const mounted = (levels = [level('district-yashiro', 4)]) => {
    const situation = new Situation();
    const board = mountLevelBoard(host, situation);
    board.setDistricts(districts);
    situation.load(snapshot({ districts: levels }));
    return { situation, board };
  };

  it('lists every district in the layer order under one heading, each district a heading of its own', () => {
    mounted();

    expect(host.querySelector('h2')?.textContent).toBe('地区ごとの警戒レベル');
    expect([...host.querySelectorAll('h3')].map((h) => h.textContent)).toEqual(['高畠地区', '屋代地区', '和田地区']);
  });

  it.each([
    [3, '警戒レベル3 高齢者等避難', '危険な場所から高齢者等は避難', 'triangle'],
    [4, '警戒レベル4 避難指示', '危険な場所から全員避難', 'diamond'],
    [5, '警戒レベル5 緊急安全確保', '命の危険 直ちに安全確保！', 'square'],
  ])('shows level %i as "%s" with what to do, a shape and the level colour', (value, words, action, shape) => {
    mounted([level('district-yashiro', value)]);

    const yashiro = card('district-yashiro');
    expect(yashiro.dataset.level).toBe(String(value));
    expect(yashiro.querySelector('.level-text')?.textContent).toBe(words);
    expect(yashiro.querySelector('.level-action')?.textContent).toBe(action);
    expect(yashiro.classList).toContain(`level-card-${value}`);
    const mark = yashiro.querySelector('svg.level-mark')!;
    expect(mark.getAttribute('aria-hidden')).toBe('true');
    expect(mark.getAttribute('data-shape')).toBe(shape);
    expect(mark.querySelector('text')?.textContent).toBe(String(value));
  });

  it('says 発令なし, with no action, where nothing is issued or a level was lifted', () => {
    mounted([level('district-yashiro', 4), level('district-wada', 0)]);

    for (const id of ['district-takahata', 'district-wada']) {
      expect(card(id).dataset.level).toBe('0');
      expect(card(id).querySelector('.level-text')?.textContent).toBe('発令なし');
      expect(card(id).querySelector('.level-action')).toBeNull();
      expect(card(id).querySelector('svg.level-mark')?.getAttribute('data-shape')).toBe('circle');
    }
  });

  it('says it is still checking before the first snapshot rather than "none issued"', () => {
    const situation = new Situation();
    mountLevelBoard(host, situation).setDistricts(districts);

    expect(card('district-yashiro').dataset.level).toBe('unknown');
    expect(host.textContent).not.toContain('発令なし');
    expect(host.querySelector('[role="status"]')?.textContent).toBe('発令状況を確認しています…');
  });

  it('follows a level issued, raised and lifted live', () => {
    const { situation } = mounted([]);
    expect(card('district-yashiro').dataset.level).toBe('0');

    situation.apply([event({ kind: 'district_evacuation_level_changed', district: level('district-yashiro', 4), previousLevel: 0 })]);
    expect(card('district-yashiro').dataset.level).toBe('4');

    situation.apply([event({ kind: 'district_evacuation_level_changed', district: level('district-yashiro', 5), previousLevel: 4 })]);
    expect(card('district-yashiro').querySelector('.level-text')?.textContent).toBe('警戒レベル5 緊急安全確保');

    situation.apply([event({ kind: 'district_evacuation_level_changed', district: level('district-yashiro', 0), previousLevel: 5 })]);
    expect(card('district-yashiro').querySelector('.level-text')?.textContent).toBe('発令なし');
  });

  it('speaks English after the language switch, keeping the Japanese term residents hear on the radio', () => {
    mounted([level('district-yashiro', 4)]);

    setLang('en');

    expect(host.querySelector('h2')?.textContent).toBe('Alert level by district');
    expect(card('district-yashiro').querySelector('h3')?.textContent).toBe('Yashiro');
    expect(card('district-yashiro').querySelector('.level-text')?.textContent).toBe('Alert level 4 Evacuation instruction (避難指示)');
    expect(card('district-yashiro').querySelector('.level-action')?.textContent).toBe('Everyone: leave dangerous places now.');
    expect(card('district-takahata').querySelector('.level-text')?.textContent).toBe('None issued');
  });

  it('still shows a level for a district the layer does not name, by its id', () => {
    const situation = new Situation();
    mountLevelBoard(host, situation);
    situation.load(snapshot({ districts: [level('district-yashiro', 4), level('district-wada', 0)] }));

    expect(card('district-yashiro').querySelector('h3')?.textContent).toBe('district-yashiro');
    expect(card('district-yashiro').dataset.level).toBe('4');
    expect(card('district-wada')).toBeNull();
  });

  it('gives the time a level was issued, in Japan time', () => {
    mounted([level('district-yashiro', 4, { issuedAt: '2026-07-28T08:40:00Z' })]);

    const time = card('district-yashiro').querySelector('.level-issued time')!;
    expect(time.getAttribute('datetime')).toBe('2026-07-28T08:40:00.000Z');
    expect(time.textContent).toMatch(/17:40$/);
  });

  it('empties itself when disposed and no longer follows the situation', () => {
    const { situation, board } = mounted();

    board.dispose();
    situation.apply([event({ kind: 'district_evacuation_level_changed', district: level('district-wada', 3), previousLevel: 0 })]);

    expect(host.childElementCount).toBe(0);
  });
});
