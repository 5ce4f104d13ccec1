// The two charts of a gauge, drawn as plain SVG: a hydrograph with the station's threshold lines (each labelled, and
// marked data-threshold="…" for tests), or hourly rain bars with the running total over the window.
import type { ThresholdLevels } from '../api';
import { lang, t } from '../i18n';
import { hhmm } from '../japanTime';
import { conditionColors, formatMm, metresText, mmText } from './stationFacts';

const ns = 'http://www.w3.org/2000/svg';
const hour = 3_600_000;
const day = 24 * hour;
const jstOffset = 9 * hour; // Japan has no daylight saving time

// viewBox units; the SVG scales to the width of its container (a 360 px phone or the HQ details panel).
const width = 340;
const height = 200;

type Point = { at: number; value: number };

function el<K extends keyof SVGElementTagNameMap>(tag: K, attrs: Record<string, string | number>, text?: string): SVGElementTagNameMap[K] {
  const element = document.createElementNS(ns, tag);
  for (const [name, value] of Object.entries(attrs)) element.setAttribute(name, String(value));
  if (text !== undefined) element.textContent = text;
  return element;
}

/** Round steps (0.1, 0.2, 0.5, 1, 2, 5 …) that cut [lo, hi] into about `count` parts. */
function niceTicks(lo: number, hi: number, count: number): { lo: number; hi: number; step: number } {
  const raw = (hi - lo) / count || 1;
  const power = 10 ** Math.floor(Math.log10(raw));
  const step = [1, 2, 5, 10].map((m) => m * power).find((s) => s >= raw) ?? 10 * power;
  return { lo: Math.floor(lo / step + 1e-9) * step, hi: Math.ceil(hi / step - 1e-9) * step, step };
}

function decimalsOf(step: number): number {
  return step >= 1 ? 0 : Math.min(3, Math.ceil(-Math.log10(step) - 1e-9));
}

/** Hours of Japan time that are multiples of 6 (00, 06, 12, 18) within [from, to]; midnight shows the date. */
function timeTicks(from: number, to: number): Array<{ at: number; text: string }> {
  const ticks = [];
  for (let at = Math.ceil((from + jstOffset) / (6 * hour)) * 6 * hour - jstOffset; at <= to; at += 6 * hour) {
    const midnight = (at + jstOffset) % day === 0;
    const date = new Date(at);
    ticks.push({
      at,
      text: midnight
        ? new Intl.DateTimeFormat('ja-JP', { timeZone: 'Asia/Tokyo', month: 'numeric', day: 'numeric' }).format(date)
        : hhmm(date, date),
    });
  }
  return ticks;
}

interface Frame {
  svg: SVGSVGElement;
  x(at: number): number;
  left: number;
  right: number;
  top: number;
  bottom: number;
}

function frame(from: number, to: number, marginRight: number, summary: string): Frame {
  const left = 44;
  const right = width - marginRight;
  const top = 14;
  const bottom = height - 22;
  const svg = el('svg', {
    viewBox: `0 0 ${width} ${height}`,
    role: 'img',
    class: 'chart-svg',
    'aria-label': summary,
    preserveAspectRatio: 'xMidYMid meet',
  });
  svg.append(el('title', {}, summary));
  const x = (at: number) => left + ((at - from) / (to - from)) * (right - left);
  const axis = el('g', { class: 'chart-time-axis' });
  for (const tick of timeTicks(from, to)) {
    const px = x(tick.at);
    axis.append(el('line', { x1: px, x2: px, y1: top, y2: bottom, class: 'chart-grid' }));
    axis.append(el('text', { x: px, y: bottom + 15, 'text-anchor': 'middle', class: 'chart-tick' }, tick.text));
  }
  svg.append(axis, el('rect', { x: left, y: top, width: right - left, height: bottom - top, class: 'chart-plot' }));
  return { svg, x, left, right, top, bottom };
}

function valueAxis(f: Frame, ticks: { lo: number; hi: number; step: number }, y: (v: number) => number, side: 'left' | 'right', unit: string) {
  const axis = el('g', { class: `chart-value-axis chart-axis-${side}` });
  const decimals = decimalsOf(ticks.step);
  for (let v = ticks.lo; v <= ticks.hi + ticks.step / 2; v += ticks.step) {
    const py = y(v);
    if (side === 'left') axis.append(el('line', { x1: f.left, x2: f.right, y1: py, y2: py, class: 'chart-grid' }));
    axis.append(
      el(
        'text',
        { x: side === 'left' ? f.left - 4 : f.right + 4, y: py + 3.5, 'text-anchor': side === 'left' ? 'end' : 'start', class: 'chart-tick' },
        v.toFixed(decimals),
      ),
    );
  }
  axis.append(el('text', { x: side === 'left' ? 2 : width - 2, y: 9, 'text-anchor': side === 'left' ? 'start' : 'end', class: 'chart-unit' }, unit));
  return axis;
}

/** Lines between readings, broken where the gauge was silent (a gap is not a straight line). */
function seriesPath(points: Point[], x: (at: number) => number, y: (v: number) => number, gap: number): { path: string; lone: Point[] } {
  let path = '';
  const lone: Point[] = [];
  points.forEach((p, i) => {
    const joinsPrevious = i > 0 && p.at - points[i - 1].at <= gap;
    const joinsNext = i < points.length - 1 && points[i + 1].at - p.at <= gap;
    path += `${joinsPrevious ? 'L' : 'M'}${x(p.at).toFixed(1)},${y(p.value).toFixed(1)}`;
    if (!joinsPrevious && !joinsNext) lone.push(p);
  });
  return { path, lone };
}

function medianSpacing(points: Point[]): number {
  const spacings = points.slice(1).map((p, i) => p.at - points[i].at).sort((a, b) => a - b);
  return spacings.length > 0 ? spacings[Math.floor(spacings.length / 2)] : 10 * 60_000;
}

const thresholdStyle: Record<string, { color: string; dash: string; width: number }> = {
  observation_start: { color: conditionColors.observing.line, dash: '2 3', width: 1.5 },
  standby: { color: conditionColors.standby.line, dash: '2 3', width: 1.5 },
  caution: { color: conditionColors.caution.line, dash: '6 3', width: 1.5 },
  evacuation: { color: conditionColors.evacuation.line, dash: '10 3', width: 1.75 },
  danger: { color: conditionColors.danger.line, dash: '', width: 2 },
};

/** Water levels of the last 24 hours up to `end`, with the station's threshold lines. */
export function hydrograph(rawPoints: Point[], thresholds: ThresholdLevels, end: number, crisis: boolean): SVGSVGElement {
  const from = end - day;
  const points = rawPoints.filter((p) => p.at > from && p.at <= end).sort((a, b) => a.at - b.at);
  const lines = Object.entries(thresholds)
    .filter((entry): entry is [string, number] => typeof entry[1] === 'number')
    .sort((a, b) => a[1] - b[1]);
  const values = [...points.map((p) => p.value), ...lines.map(([, v]) => v)];
  const rawLo = values.length > 0 ? Math.min(...values) : 0;
  const rawHi = values.length > 0 ? Math.max(...values) : 1;
  const pad = Math.max((rawHi - rawLo) * 0.08, 0.05);
  const ticks = niceTicks(rawLo - pad, rawHi + pad, 4);

  const highest = points.reduce<Point | null>((best, p) => (!best || p.value > best.value ? p : best), null);
  const latest = points.at(-1);
  const summary =
    highest && latest
      ? t('chartSummaryWater', { max: metresText(highest.value), maxAt: hhmm(new Date(highest.at)), latest: metresText(latest.value) })
      : t('chartEmpty');
  const f = frame(from, end, 10, summary);
  const y = (v: number) => f.bottom - ((v - ticks.lo) / (ticks.hi - ticks.lo)) * (f.bottom - f.top);
  f.svg.append(valueAxis(f, ticks, y, 'left', 'm'));

  // Threshold lines, low to high; labels pushed apart where levels are centimetres apart.
  const group = el('g', { class: 'chart-thresholds' });
  let labelFloor = -Infinity;
  const labelled = [...lines].reverse().map(([key, value]) => {
    const py = y(value);
    const labelY = Math.max(py - 3, labelFloor + 12);
    labelFloor = labelY;
    return { key, value, py, labelY };
  });
  for (const { key, value, py, labelY } of labelled) {
    const style = thresholdStyle[key] ?? thresholdStyle.standby;
    group.append(
      el('line', {
        x1: f.left,
        x2: f.right,
        y1: py,
        y2: py,
        stroke: style.color,
        'stroke-width': style.width,
        'stroke-dasharray': style.dash,
        class: 'chart-threshold',
        'data-threshold': key,
        'data-level': value,
      }),
    );
    const name = t(key === 'danger' && crisis ? 'thresholdShort.crisis_danger' : (`thresholdShort.${key}` as 'thresholdShort.danger'));
    group.append(
      el('text', { x: f.left + 4, y: labelY, fill: style.color, class: 'chart-threshold-label', 'data-threshold-label': key }, `${name} ${metresText(value)}`),
    );
  }
  f.svg.append(group);

  const gap = Math.max(35 * 60_000, 3 * medianSpacing(points));
  const { path, lone } = seriesPath(points, f.x, y, gap);
  if (path) f.svg.append(el('path', { d: path, class: 'chart-series' }));
  for (const p of lone) f.svg.append(el('circle', { cx: f.x(p.at), cy: y(p.value), r: 2.5, class: 'chart-dot' }));
  if (latest) f.svg.append(el('circle', { cx: f.x(latest.at), cy: y(latest.value), r: 4, class: 'chart-latest' }));
  return f.svg;
}

/** Rain of the last 24 hours up to `end`: a bar per hour (Japan time) and the running total on its own axis. */
export function rainChart(rawPoints: Point[], end: number): SVGSVGElement {
  const to = Math.ceil((end + jstOffset) / hour) * hour - jstOffset;
  const from = to - day;
  const points = rawPoints.filter((p) => p.at > end - day && p.at <= end).sort((a, b) => a.at - b.at);
  // An amount reported at 14:10 fell in the interval ending then: it counts in the hour 14:00–15:00.
  const hourly = new Map<number, number>();
  for (const p of points) {
    const hourEnd = Math.ceil(p.at / hour) * hour;
    hourly.set(hourEnd, (hourly.get(hourEnd) ?? 0) + p.value);
  }
  let running = 0;
  const cumulative = points.map((p) => ({ at: p.at, value: (running += p.value) }));
  const total = running;
  const wettest = [...hourly.entries()].reduce<[number, number] | null>((best, e) => (!best || e[1] > best[1] ? e : best), null);

  const summary = t('chartSummaryRain', {
    total: mmText(total),
    max: mmText(wettest?.[1] ?? 0),
    maxAt: wettest ? hhmm(new Date(wettest[0])) : '—',
  });
  const f = frame(from, to, 36, summary);
  const barTicks = niceTicks(0, Math.max(10, wettest?.[1] ?? 0), 4);
  const sumTicks = niceTicks(0, Math.max(10, total), 4);
  const yBar = (v: number) => f.bottom - (v / barTicks.hi) * (f.bottom - f.top);
  const ySum = (v: number) => f.bottom - (v / sumTicks.hi) * (f.bottom - f.top);
  f.svg.append(valueAxis(f, barTicks, yBar, 'left', t('chartAxisRain')), valueAxis(f, sumTicks, ySum, 'right', t('chartAxisCumulative')));

  const bars = el('g', { class: 'chart-bars' });
  for (const [hourEnd, mm] of hourly) {
    const x0 = Math.max(f.left, f.x(hourEnd - hour));
    const x1 = Math.min(f.right, f.x(hourEnd));
    if (x1 <= x0 || mm <= 0) continue;
    const bar = el('rect', { x: x0 + 0.5, y: yBar(mm), width: Math.max(1, x1 - x0 - 1), height: f.bottom - yBar(mm), class: 'chart-bar' });
    bar.append(el('title', {}, `${hhmm(new Date(hourEnd - hour))}–${hhmm(new Date(hourEnd))} ${mmText(mm)}`));
    bars.append(bar);
  }
  f.svg.append(bars);

  if (cumulative.length > 0) {
    let d = `M${f.x(Math.max(from, cumulative[0].at - 10 * 60_000)).toFixed(1)},${ySum(0).toFixed(1)}`;
    let previous = 0;
    for (const p of cumulative) {
      d += `L${f.x(p.at).toFixed(1)},${ySum(previous).toFixed(1)}L${f.x(p.at).toFixed(1)},${ySum(p.value).toFixed(1)}`;
      previous = p.value;
    }
    f.svg.append(el('path', { d, class: 'chart-cumulative' }));
    const last = cumulative[cumulative.length - 1];
    f.svg.append(
      el(
        'text',
        { x: Math.min(f.x(last.at), f.right) - 3, y: Math.max(ySum(last.value) - 5, f.top + 9), 'text-anchor': 'end', class: 'chart-cumulative-label' },
        `${t('chartCumulative')} ${formatMm(total)} mm`,
      ),
    );
  }
  return f.svg;
}

/** "8/3 20:00 – 8/4 20:00" in the current language's wording. */
export function windowText(end: number): string {
  const options: Intl.DateTimeFormatOptions = { timeZone: 'Asia/Tokyo', month: 'numeric', day: 'numeric', hour: '2-digit', minute: '2-digit', hourCycle: 'h23' };
  const format = new Intl.DateTimeFormat(lang() === 'ja' ? 'ja-JP' : 'en-GB', options);
  return t('chartWindow', { from: format.format(new Date(end - day)), to: format.format(new Date(end)) });
}
