import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { mountDrillBanner } from '../src/core/drillBanner';
import { setLang } from '../src/core/i18n';
import { Situation } from '../src/core/live/situation';
import { drill, event, snapshot } from './handWritten';

describe('the drill banner', () => {
  let page: HTMLElement;
  beforeEach(() => {
    setLang('ja');
    page = document.createElement('div');
    page.innerHTML = '<header><h1>避難所マップ</h1></header><main></main>';
    document.body.append(page);
  });
  afterEach(() => page.remove());

  const banner = () => page.querySelector<HTMLElement>('.drill-banner')!;

  it('sits right under the page header and stays hidden while no drill is on', () => {
    const situation = new Situation();
    mountDrillBanner(situation, page);
    situation.load(snapshot());

    expect(page.firstElementChild?.nextElementSibling).toBe(banner());
    expect(banner().hidden).toBe(true);
    expect(banner().textContent).toBe('');
    expect(page.dataset.drill).toBeUndefined();
  });

  it('says 訓練 / EXERCISE and the drill name when the snapshot has a drill on', () => {
    const situation = new Situation();
    mountDrillBanner(situation, page);
    situation.load(snapshot({ drill: drill() }));

    expect(banner().hidden).toBe(false);
    expect(banner().querySelector('.drill-badge')?.textContent).toBe('訓練 / EXERCISE');
    expect(banner().textContent).toContain('総合防災訓練');
    expect(page.dataset.drill).toBe('3');
  });

  it('appears when a drill starts and goes when it ends, live', () => {
    const situation = new Situation();
    mountDrillBanner(situation, page);
    situation.load(snapshot());

    situation.apply([event({ kind: 'drill_started', drill: drill() })]);
    expect(banner().hidden).toBe(false);

    situation.apply([event({ kind: 'drill_ended', drill: drill({ endedAt: '2026-09-01T02:00:00Z' }) })]);
    expect(banner().hidden).toBe(true);
    expect(page.dataset.drill).toBeUndefined();
  });

  it('does not rewrite itself on events that leave the drill as it was', () => {
    const situation = new Situation();
    mountDrillBanner(situation, page);
    situation.load(snapshot({ drill: drill() }));
    const text = banner().querySelector('span')!;

    situation.apply([event({ kind: 'field_report_withdrawn', reportId: 4 })]);

    expect(banner().querySelector('span')).toBe(text);
  });

  it('follows the language switch, the badge keeping both words', () => {
    const situation = new Situation();
    mountDrillBanner(situation, page);
    situation.load(snapshot({ drill: drill() }));

    setLang('en');

    expect(banner().textContent).toContain('A drill is in progress (総合防災訓練)');
    expect(banner().querySelector('.drill-badge')?.textContent).toBe('訓練 / EXERCISE');
  });

  it('goes first on a page without a header, and leaves nothing behind when disposed', () => {
    page.replaceChildren(document.createElement('main'));
    const situation = new Situation();
    const mounted = mountDrillBanner(situation, page);
    situation.load(snapshot({ drill: drill() }));
    expect(page.firstElementChild).toBe(banner());

    mounted.dispose();
    situation.apply([event({ kind: 'drill_started', drill: drill({ drillId: 4 }) })]);

    expect(page.querySelector('.drill-banner')).toBeNull();
    expect(page.dataset.drill).toBeUndefined();
  });
});
