import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { setLang } from '../src/core/i18n';
import { Situation } from '../src/core/live/situation';
import { mountOfficialWarnings } from '../src/public/officialWarnings';
import { event, snapshot, warning } from './handWritten';

const landslide = warning({
  warningId: 2,
  warningKey: 'landslide_alert:0638100:土砂災害警戒情報',
  kind: 'landslide_alert',
  name: '土砂災害警戒情報',
  nameEn: 'Landslide alert',
  condition: undefined,
  levelEquivalent: 4,
  issuedAt: '2026-07-28T08:05:00Z',
  headline: '高畠町では、土砂災害の危険度が高まっています。',
});
const flood = warning({
  warningId: 3,
  warningKey: 'river_flood:屋代川:氾濫警戒情報',
  kind: 'river_flood',
  name: '屋代川氾濫警戒情報',
  nameEn: 'Yashiro River flood warning',
  condition: undefined,
  levelEquivalent: 3,
  issuedAt: '2026-07-28T08:30:00Z',
  rivers: ['屋代川'],
});

describe('the official warnings section', () => {
  let host: HTMLElement;
  beforeEach(() => {
    setLang('ja');
    host = document.createElement('section');
    document.body.append(host);
  });
  afterEach(() => host.remove());

  const shown = () => [...host.querySelectorAll<HTMLElement>('[data-warning-id]')];
  const item = (id: number) => host.querySelector<HTMLElement>(`[data-warning-id="${id}"]`)!;

  const mounted = (warnings = [warning(), landslide, flood]) => {
    const situation = new Situation();
    const section = mountOfficialWarnings(host, situation);
    situation.load(snapshot({ officialWarnings: warnings }));
    return { situation, section };
  };

  it('marks the section and each warning 公式, under a heading of its own', () => {
    mounted();

    expect(host.querySelector('h2')?.textContent?.replace(/\s+/g, '')).toBe('公式気象庁などが発表している警報・情報');
    for (const li of shown()) expect(li.querySelector('h3 .official-badge')?.textContent).toBe('公式');
  });

  it('puts the highest 警戒レベル相当 first, then the latest issued', () => {
    const later = warning({ warningId: 4, warningKey: 'weather_warning:0638100:洪水警報', name: '洪水警報', issuedAt: '2026-07-28T08:50:00Z' });
    mounted([warning(), flood, landslide, later]);

    expect(shown().map((li) => li.dataset.warningId)).toEqual(['2', '4', '3', '1']);
  });

  it('says what each one is, who issues it, its level equivalent and where it applies', () => {
    mounted();

    const alert = item(2);
    expect(alert.dataset.kind).toBe('landslide_alert');
    expect(alert.dataset.level).toBe('4');
    expect(alert.querySelector('h3')?.textContent).toContain('土砂災害警戒情報');
    expect(alert.querySelector('.official-kind')?.textContent).toBe('土砂災害警戒情報（山形県・気象庁 共同発表）');
    expect(alert.querySelector('.official-level')?.textContent).toBe('警戒レベル4相当');
    expect(alert.querySelector('.official-headline')?.textContent).toBe('高畠町では、土砂災害の危険度が高まっています。');
    expect(alert.querySelector('.official-facts')?.textContent).toContain('高畠町');
    expect(item(3).querySelector('.official-facts')?.textContent).toContain('屋代川');
    expect(item(1).querySelector('.official-source')?.textContent?.trim()).toBe('気象庁の防災情報XMLから');
  });

  it('says when one was entered by hand from a call or fax rather than read from a telegram', () => {
    mounted([warning({ source: 'hand', enteredByHand: true })]);

    expect(item(1).querySelector('.official-source')?.textContent?.trim()).toBe('県などからの電話・FAXを町が入力');
  });

  it('leaves out the level equivalent when JMA gives none, and gives the validity when there is one', () => {
    mounted([warning({ levelEquivalent: undefined, validUntil: '2026-07-28T12:00:00Z' })]);

    expect(item(1).dataset.level).toBeUndefined();
    expect(item(1).querySelector('.official-level')).toBeNull();
    expect(item(1).querySelector('.official-facts')?.textContent).toContain('有効期限');
    expect(item(1).querySelector('.official-facts time[datetime="2026-07-28T12:00:00.000Z"]')?.textContent).toMatch(/21:00$/);
  });

  it('marks a warning recorded during a drill 訓練', () => {
    mounted([warning(), warning({ warningId: 5, warningKey: 'weather_warning:0638100:暴風警報', name: '暴風警報', drillId: 3 })]);

    expect(item(5).dataset.drill).toBe('true');
    expect(item(5).querySelector('.drill-mark')?.textContent).toBe('訓練');
    expect(item(1).dataset.drill).toBeUndefined();
    expect(item(1).querySelector('.drill-mark')).toBeNull();
  });

  it('follows warnings issued, changed, ended and cancelled live', () => {
    const { situation } = mounted([warning()]);

    situation.apply([event({ kind: 'official_warning_changed', warning: landslide })]);
    expect(shown().map((li) => li.dataset.warningId)).toEqual(['2', '1']);

    situation.apply([event({ kind: 'official_warning_changed', warning: warning({ name: '大雨警報（土砂災害、浸水害）' }) })]);
    expect(item(1).querySelector('h3')?.textContent).toContain('大雨警報（土砂災害、浸水害）');

    situation.apply([event({ kind: 'official_warning_changed', warning: { ...landslide, status: 'ended' } })]);
    situation.apply([event({ kind: 'official_warning_changed', warning: warning({ status: 'cancelled' }) })]);
    expect(shown()).toHaveLength(0);
    expect(host.querySelector('[role="status"]')?.textContent).toBe('現在、高畠町に発表中の警報・土砂災害警戒情報・洪水予報はありません。');
  });

  it('says it is still checking before the first snapshot rather than "nothing in force"', () => {
    mountOfficialWarnings(host, new Situation());

    expect(host.querySelector('[role="status"]')?.textContent).toBe('発表状況を確認しています…');
  });

  it('speaks English after the language switch, keeping JMA’s Japanese headline marked as Japanese', () => {
    mounted();

    setLang('en');

    expect(host.querySelector('h2 .official-badge')?.textContent).toBe('Official');
    expect(item(2).querySelector('h3')?.textContent).toContain('Landslide alert');
    expect(item(2).querySelector('.official-level')?.textContent).toBe('Equivalent to alert level 4');
    expect(item(2).querySelector('.official-headline')?.getAttribute('lang')).toBe('ja');
    expect(item(1).querySelector('h3')?.textContent).toContain('Heavy rain warning (landslides)');
  });

  it('uses the Japanese name when a warning has no English one', () => {
    mounted([warning({ nameEn: '' })]);

    setLang('en');

    expect(item(1).querySelector('h3')?.textContent).toContain('大雨警報（土砂災害）');
  });

  it('never shows who entered a warning, even if a staff copy reached it', () => {
    mounted([warning({ source: 'hand', enteredByHand: true, enteredBy: 'hq-tanaka' })]);

    expect(host.textContent).not.toContain('hq-tanaka');
  });

  it('empties itself when disposed', () => {
    const { situation, section } = mounted();

    section.dispose();
    situation.apply([event({ kind: 'official_warning_changed', warning: flood })]);

    expect(host.childElementCount).toBe(0);
  });
});
