import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import type { ShelterHistoryEntry } from '../src/core/api';
import { setLang } from '../src/core/i18n';
import { chartGeometry, chartSummary, defaultSize, jstTime, mountShelterChart, niceStep, timeTicks } from '../src/hq/shelterChart';

const entry = (at: string, change: ShelterHistoryEntry['change'], open: boolean, occupancy: number, capacity?: number): ShelterHistoryEntry => ({
  at,
  change,
  open,
  occupancy,
  capacity,
  declaredFull: false,
  crowding: open ? 'available' : 'closed',
  actor: 'hq',
});

// 05:00 UTC is 14:00 in Japan.
const history: ShelterHistoryEntry[] = [
  entry('2026-12-02T05:00:00Z', 'opened', true, 0, 100),
  entry('2026-12-02T05:30:00Z', 'count', true, 60, 100),
  entry('2026-12-02T06:00:00Z', 'count', true, 130, 100),
  entry('2026-12-02T07:00:00Z', 'closed', false, 130, 100),
];
const now = Date.parse('2026-12-02T07:00:00Z');

describe('the head count chart geometry', () => {
  it.each([
    [1, 1],
    [4, 1],
    [7, 2],
    [130, 50],
    [300, 100],
    [1_000, 500],
  ])('puts at most four steps up to %d (step %d)', (max, step) => {
    expect(niceStep(max)).toBe(step);
  });

  it('reaches the highest count even over capacity, never clamping it', () => {
    const g = chartGeometry(history, now);
    expect(g.yMax).toBe(150);
    const plotTop = defaultSize.top;
    const plotBottom = defaultSize.height - defaultSize.bottom;
    // The over-capacity step (130) is drawn above the capacity line (100).
    const y130 = plotBottom - (130 / 150) * (plotBottom - plotTop);
    const y100 = plotBottom - (100 / 150) * (plotBottom - plotTop);
    expect(g.headCount).toContain(`V${Math.round(y130 * 10) / 10}`);
    expect(g.capacity).toContain(`M${defaultSize.left},${Math.round(y100 * 10) / 10}`);
    expect(y130).toBeLessThan(y100);
  });

  it('draws the head count as steps from the first change to now, and drops to 0 while closed', () => {
    const g = chartGeometry(history, now + 30 * 60_000);
    expect(g.headCount.startsWith(`M${defaultSize.left},`)).toBe(true);
    expect(g.headCount.endsWith(`H${defaultSize.width - defaultSize.right}`)).toBe(true);
    // The last point is closed: its step sits on the zero line.
    const zero = defaultSize.height - defaultSize.bottom;
    expect(g.headCount).toContain(`V${zero}`);
  });

  it('marks openings and closings where they happened', () => {
    const g = chartGeometry(history, now);
    expect(g.markers.map((m) => m.kind)).toEqual(['opened', 'closed']);
    expect(g.markers[0].x).toBe(defaultSize.left);
    expect(g.markers[1].x).toBe(defaultSize.width - defaultSize.right);
  });

  it('labels the time axis in Japan time on whole steps', () => {
    const g = chartGeometry(history, now);
    expect(g.xTicks.map((t) => t.label)).toEqual(['14:00', '14:30', '15:00', '15:30', '16:00']);
    expect(jstTime(Date.parse('2026-12-01T15:05:00Z'))).toBe('00:05');
    const ticks = timeTicks(Date.parse('2026-12-02T05:07:00Z'), Date.parse('2026-12-02T05:52:00Z'));
    expect(ticks.map(jstTime)).toEqual(['14:10', '14:20', '14:30', '14:40', '14:50']);
  });

  it('leaves out the capacity line while the capacity is unknown', () => {
    const g = chartGeometry([entry('2026-12-02T05:00:00Z', 'opened', true, 5)], now);
    expect(g.capacity).toBe('');
  });
});

describe('the head count chart view', () => {
  let host: HTMLDivElement;
  beforeEach(() => {
    setLang('ja');
    host = document.createElement('div');
    document.body.append(host);
  });
  afterEach(() => host.remove());

  it('says in words what the chart shows, with a table of every change', async () => {
    const view = mountShelterChart('s1', { load: async () => history, now: () => now });
    host.append(view.element);
    await new Promise((r) => setTimeout(r, 0));
    expect(view.element.querySelector('svg')?.getAttribute('role')).toBe('img');
    expect(view.element.querySelectorAll('[data-marker]').length).toBe(2);
    expect(view.element.querySelector('.chart-summary')?.textContent).toBe(chartSummary(history));
    expect(chartSummary(history)).toBe('最多 130人（15:00）。最新 130人／収容 100人。開設 14:00。閉鎖 16:00');
    expect(view.element.querySelectorAll('tbody tr').length).toBe(4);
    view.dispose();
  });

  it('loads the history again after a live change, once for a burst', async () => {
    let loads = 0;
    const view = mountShelterChart('s1', { load: async () => (loads++, history), now: () => now });
    await new Promise((r) => setTimeout(r, 0));
    view.refresh();
    view.refresh();
    view.refresh();
    await new Promise((r) => setTimeout(r, 1100));
    expect(loads).toBe(2);
    view.dispose();
  });

  it('says the history could not be loaded', async () => {
    const view = mountShelterChart('s1', { load: async () => Promise.reject(new Error('503')) });
    await new Promise((r) => setTimeout(r, 0));
    expect(view.element.textContent).toContain('推移を読み込めませんでした');
    view.dispose();
  });
});
