// A shelter's head count against its capacity over the event, as an SVG we draw ourselves (a chart library would be
// most of HQ's download for two lines). The geometry is pure (scales, ticks, paths, opening and closing marks) so
// tests check it without a browser; the view fetches the history, draws it, and says the same in a text summary and
// a table for screen readers. Times on the axis are Japan time whatever the device's zone.
import { html, nothing, render, svg, type TemplateResult } from 'lit-html';
import { fetchShelterHistory, type ShelterHistoryEntry } from '../core/api';
import { onLangChange } from '../core/i18n';
import type { Mounted } from '../core/mounted';
import { crowdingLabel } from '../core/shelterFacts';
import { t } from './messages';

export interface ChartSize {
  width: number;
  height: number;
  left: number;
  right: number;
  top: number;
  bottom: number;
}

export const defaultSize: ChartSize = { width: 320, height: 170, left: 44, right: 10, top: 10, bottom: 26 };

export interface Tick {
  value: number;
  px: number;
  label: string;
}

export interface Marker {
  kind: 'opened' | 'closed';
  at: string;
  x: number;
  y: number;
}

export interface ChartGeometry {
  size: ChartSize;
  start: number;
  end: number;
  yMax: number;
  xTicks: Tick[];
  yTicks: Tick[];
  /** SVG path data: the head count as a step line (a count holds until the next change). */
  headCount: string;
  /** The capacity as a step line; empty when the capacity was never known. */
  capacity: string;
  markers: Marker[];
}

const jstHourMinute = new Intl.DateTimeFormat('ja-JP', { timeZone: 'Asia/Tokyo', hour: '2-digit', minute: '2-digit', hourCycle: 'h23' });

/** "14:05" in Japan time. */
export function jstTime(ms: number): string {
  return jstHourMinute.format(new Date(ms));
}

/** The smallest 1, 2 or 5 × 10ⁿ step that puts at most `most` steps up to `max`. */
export function niceStep(max: number, most = 4): number {
  const rough = Math.max(max, 1) / most;
  const power = 10 ** Math.floor(Math.log10(rough));
  for (const factor of [1, 2, 5, 10]) if (factor * power >= rough) return Math.max(1, factor * power);
  return 10 * power;
}

const minuteSteps = [1, 2, 5, 10, 15, 30, 60, 120, 180, 360, 720, 1440];

/** Time ticks on whole minutes of Japan time (JST has no daylight saving: UTC+9 throughout). */
export function timeTicks(start: number, end: number, most = 5): number[] {
  const span = Math.max(end - start, 60_000);
  const stepMinutes = minuteSteps.find((m) => span / (m * 60_000) <= most) ?? 1440;
  const step = stepMinutes * 60_000;
  const jstOffset = 9 * 3_600_000;
  const first = Math.ceil((start + jstOffset) / step) * step - jstOffset;
  const ticks: number[] = [];
  for (let at = first; at <= end; at += step) ticks.push(at);
  return ticks;
}

/**
 * Where everything goes. `now` ends the last step (the count still holds now); the x axis starts at the first
 * change. Over capacity is drawn as it is: the y axis reaches the highest count or capacity, never clamped.
 */
export function chartGeometry(points: readonly ShelterHistoryEntry[], now: number, size: ChartSize = defaultSize): ChartGeometry {
  const times = points.map((p) => Date.parse(p.at));
  const start = times.length > 0 ? times[0] : now - 3_600_000;
  const end = Math.max(now, times.length > 0 ? times[times.length - 1] : now, start + 60_000);
  const highest = Math.max(1, ...points.map((p) => p.occupancy), ...points.map((p) => p.capacity ?? 0));
  const step = niceStep(highest);
  const yMax = Math.ceil(highest / step) * step;
  const plotWidth = size.width - size.left - size.right;
  const plotHeight = size.height - size.top - size.bottom;
  const x = (ms: number) => round(size.left + ((ms - start) / (end - start)) * plotWidth);
  const y = (value: number) => round(size.top + plotHeight - (value / yMax) * plotHeight);

  const steps = (valueOf: (p: ShelterHistoryEntry) => number | null | undefined): string => {
    const parts: string[] = [];
    let last: number | null = null;
    points.forEach((p, i) => {
      const value = valueOf(p);
      const px = x(times[i]);
      if (value === null || value === undefined) {
        last = null;
        return;
      }
      if (last === null) parts.push(`M${px},${y(value)}`);
      else parts.push(`H${px}`, `V${y(value)}`);
      last = value;
    });
    if (last !== null) parts.push(`H${x(end)}`);
    return parts.join(' ');
  };

  const yTicks: Tick[] = [];
  for (let value = 0; value <= yMax; value += step) yTicks.push({ value, px: y(value), label: value.toLocaleString() });
  const xTicks = timeTicks(start, end).map((at) => ({ value: at, px: x(at), label: jstTime(at) }));
  const markers: Marker[] = [];
  points.forEach((p, i) => {
    if (p.change === 'opened' || p.change === 'closed') markers.push({ kind: p.change, at: p.at, x: x(times[i]), y: y(p.occupancy) });
  });
  return {
    size,
    start,
    end,
    yMax,
    xTicks,
    yTicks,
    headCount: steps((p) => (p.open ? p.occupancy : 0)),
    capacity: steps((p) => p.capacity),
    markers,
  };
}

function round(value: number): number {
  return Math.round(value * 10) / 10;
}

/** What the chart shows, in one sentence or two for screen readers. */
export function chartSummary(points: readonly ShelterHistoryEntry[]): string {
  if (points.length === 0) return t('shelterChart.empty');
  const peak = points.reduce((best, p) => (p.occupancy > best.occupancy ? p : best), points[0]);
  const last = points[points.length - 1];
  const openings = points.filter((p) => p.change === 'opened').map((p) => jstTime(Date.parse(p.at)));
  const closings = points.filter((p) => p.change === 'closed').map((p) => jstTime(Date.parse(p.at)));
  const parts = [
    t('shelterChart.summaryPeak', { count: peak.occupancy.toLocaleString(), time: jstTime(Date.parse(peak.at)) }),
    typeof last.capacity === 'number'
      ? t('shelterChart.summaryNowCapacity', { count: last.occupancy.toLocaleString(), capacity: last.capacity.toLocaleString() })
      : t('shelterChart.summaryNow', { count: last.occupancy.toLocaleString() }),
  ];
  if (openings.length > 0) parts.push(t('shelterChart.summaryOpened', { times: openings.join(t('listSeparator')) }));
  if (closings.length > 0) parts.push(t('shelterChart.summaryClosed', { times: closings.join(t('listSeparator')) }));
  return parts.join(t('sentenceSeparator'));
}

function chartSvg(g: ChartGeometry, summaryId: string): TemplateResult {
  const { size } = g;
  const bottom = size.height - size.bottom;
  return html`<svg
    class="shelter-chart-svg"
    viewBox="0 0 ${size.width} ${size.height}"
    role="img"
    aria-labelledby=${summaryId}
    data-point-count=${g.markers.length}
  >
    ${g.yTicks.map(
      (tick) => svg`<line class="grid" x1=${size.left} x2=${size.width - size.right} y1=${tick.px} y2=${tick.px}></line>
        <text class="axis-label" x=${size.left - 4} y=${tick.px + 3} text-anchor="end">${tick.label}</text>`,
    )}
    ${g.xTicks.map(
      (tick) => svg`<line class="tick" x1=${tick.px} x2=${tick.px} y1=${bottom} y2=${bottom + 4}></line>
        <text class="axis-label" x=${tick.px} y=${bottom + 15} text-anchor="middle">${tick.label}</text>`,
    )}
    <line class="axis" x1=${size.left} x2=${size.width - size.right} y1=${bottom} y2=${bottom}></line>
    ${g.capacity ? svg`<path class="capacity-line" d=${g.capacity}></path>` : nothing}
    <path class="head-count-line" d=${g.headCount}></path>
    ${g.markers.map((m) =>
      m.kind === 'opened'
        ? svg`<path class="marker marker-opened" data-marker="opened" d="M${m.x},${bottom - 10} l5,9 h-10 z"><title>${t('shelterChart.opened')} ${jstTime(Date.parse(m.at))}</title></path>`
        : svg`<path class="marker marker-closed" data-marker="closed" d="M${m.x - 4},${bottom - 9} l8,8 m0,-8 l-8,8"><title>${t('shelterChart.closed')} ${jstTime(Date.parse(m.at))}</title></path>`,
    )}
  </svg>`;
}

export interface ShelterChart extends Mounted {
  readonly element: HTMLElement;
  /** Loads the history again (after a live change of this shelter), at most once a second. */
  refresh(): void;
}

export function mountShelterChart(
  shelterId: string,
  options: { load?: (shelterId: string) => Promise<ShelterHistoryEntry[]>; now?: () => number } = {},
): ShelterChart {
  const load = options.load ?? fetchShelterHistory;
  const now = options.now ?? Date.now;
  const element = document.createElement('section');
  element.className = 'shelter-chart';
  const id = `shelter-chart-${shelterId.replace(/[^\w-]/g, '_')}`;
  let points: ShelterHistoryEntry[] | null = null;
  let failed = false;
  let disposed = false;
  let timer: ReturnType<typeof setTimeout> | null = null;
  let loading = false;
  let again = false;

  const paint = () => {
    if (disposed) return;
    const summaryId = `${id}-summary`;
    const body =
      points === null
        ? html`<p class="chart-status" role="status">${failed ? t('shelterChart.failed') : t('loading')}</p>`
        : points.length === 0
          ? html`<p class="chart-status">${t('shelterChart.empty')}</p>`
          : html`${chartSvg(chartGeometry(points, now()), summaryId)}
              <p class="chart-key">
                <span class="key-head-count" aria-hidden="true">━</span> ${t('shelterChart.headCount')}
                <span class="key-capacity" aria-hidden="true">┅</span> ${t('shelterChart.capacity')}
                <span class="key-opened" aria-hidden="true">▲</span> ${t('shelterChart.opened')}
                <span class="key-closed" aria-hidden="true">✕</span> ${t('shelterChart.closed')}
              </p>
              <p id=${summaryId} class="chart-summary">${chartSummary(points)}</p>
              <details class="chart-table">
                <summary>${t('shelterChart.table')}</summary>
                <table>
                  <thead>
                    <tr>
                      <th scope="col">${t('shelterChart.time')}</th>
                      <th scope="col">${t('shelterChart.change')}</th>
                      <th scope="col">${t('shelterChart.headCount')}</th>
                      <th scope="col">${t('shelterChart.capacity')}</th>
                    </tr>
                  </thead>
                  <tbody>
                    ${points.map(
                      (p) => html`<tr>
                        <td>${jstTime(Date.parse(p.at))}</td>
                        <td>${t(`shelterChange.${p.change}`)}</td>
                        <td>${p.open ? `${p.occupancy.toLocaleString()}（${crowdingLabel(p.crowding)}）` : crowdingLabel('closed')}</td>
                        <td>${typeof p.capacity === 'number' ? p.capacity.toLocaleString() : '—'}</td>
                      </tr>`,
                    )}
                  </tbody>
                </table>
              </details>`;
    render(html`<h3 class="action-title">${t('shelterChart.title')}</h3>${body}`, element);
  };

  const fetchNow = async () => {
    if (loading) {
      again = true;
      return;
    }
    loading = true;
    try {
      points = await load(shelterId);
      failed = false;
    } catch (error) {
      console.warn(`history of shelter ${shelterId} could not be loaded`, error);
      failed = true;
    }
    loading = false;
    paint();
    if (again && !disposed) {
      again = false;
      void fetchNow();
    }
  };

  const stopLang = onLangChange(paint);
  paint();
  void fetchNow();
  return {
    element,
    refresh() {
      if (disposed || timer) return;
      timer = setTimeout(() => {
        timer = null;
        void fetchNow();
      }, 1000);
    },
    dispose() {
      disposed = true;
      if (timer) clearTimeout(timer);
      stopLang();
      render(nothing, element);
    },
  };
}
