// How a gauge's state reads to a person, shared by the map symbols, the station lists and the chart on both pages:
// its condition (the stage, or "no data" when it was never heard or has gone silent), the words and colours of that
// condition, and its latest value.
import { localName, t } from '../i18n';
import type { StationState, TrendDirection, WaterLevelStage } from '../live/situationMessages';

/** What a station list or symbol shows: the water-level stage, "normal" for a rain gauge that reports, or "no_data". */
export type StationCondition = WaterLevelStage | 'no_data';

export type StationKind = 'water_level' | 'rain';

/** What a page knows of a gauge apart from its live state: from the stations layer (anyone) or /api/stations (staff). */
export interface StationRef {
  stationId: string;
  nameJa: string;
  nameEn?: string;
  kind: StationKind;
  gaugeType?: string;
  thresholdsAssumed?: boolean;
  locationApproximate?: boolean;
}

export function stationName(station: StationRef): string {
  return localName({ name_ja: station.nameJa, name_en: station.nameEn });
}

/** Silent: never heard from, or past the time by which its next report was due. Silence is not a zero. */
export function isSilent(state: StationState | undefined, now: Date): boolean {
  if (!state) return true;
  return state.staleAfter !== undefined && now.getTime() >= Date.parse(state.staleAfter);
}

/** The value of data-stage: the stage, "no_data" when silent; undefined until the page knows the situation. */
export function stationCondition(state: StationState | undefined, known: boolean, now: Date): StationCondition | undefined {
  if (!known && !state) return undefined;
  if (isSilent(state, now)) return 'no_data';
  return state?.stage ?? 'normal';
}

/** Stages from low to high, for "reached" versus "fell to" and for drawing heavier symbols higher up. */
const stageOrder: readonly WaterLevelStage[] = ['normal', 'observing', 'standby', 'caution', 'evacuation', 'danger'];

export function stageRank(stage: WaterLevelStage | undefined): number {
  return stage ? stageOrder.indexOf(stage) : -1;
}

/**
 * Colours in the spirit of JMA's river information: standby light blue, caution yellow, evacuation red, danger purple
 * (the 警戒レベル colours 2–4 the town's district fills use too). `text` is legible on `fill`; `line` is a darker tone
 * for lines and rims on a white background. Colour never carries the meaning alone: the stage is written beside every
 * symbol and the symbol grows (and gains a "!") with the stage.
 */
export const conditionColors: Record<StationCondition, { fill: string; text: string; line: string }> = {
  normal: { fill: '#1565c0', text: '#ffffff', line: '#1565c0' },
  observing: { fill: '#9fd8f6', text: '#1a1a1a', line: '#1f78b4' },
  standby: { fill: '#9fd8f6', text: '#1a1a1a', line: '#1f78b4' },
  caution: { fill: '#ffe600', text: '#1a1a1a', line: '#8a7300' },
  evacuation: { fill: '#c41a00', text: '#ffffff', line: '#c41a00' },
  danger: { fill: '#8e008e', text: '#ffffff', line: '#8e008e' },
  no_data: { fill: '#ffffff', text: '#4a4a4a', line: '#6b6b6b' },
};

export const rainGaugeColor = '#00695c';

/** Rain gauges keep their own colour; an hour's rain at the town's advisory (30 mm) or warning (50 mm) line shows on the label. */
export function rainLabelColors(sixtyMinuteMm: number): { fill: string; text: string } {
  if (sixtyMinuteMm >= 50) return { fill: '#c41a00', text: '#ffffff' };
  if (sixtyMinuteMm >= 30) return { fill: '#ffe600', text: '#1a1a1a' };
  return { fill: '#ffffff', text: '#0b3d36' };
}

/** 平常 / 観測中 / 待機 / 注意 / 避難判断 / 氾濫危険 / 欠測. */
export function conditionLabel(condition: StationCondition): string {
  return t(`stage.${condition}`);
}

/** Whether the stage calls for a "!" on the symbol (避難判断 and above: 警戒レベル3相当 and 4相当). */
export function isUrgent(condition: StationCondition | undefined): boolean {
  return condition === 'evacuation' || condition === 'danger';
}

/** The 基準水位 a stage begins at, by name (a crisis gauge's top line is 危険水位, not 氾濫危険水位). */
export function thresholdName(key: string, crisis: boolean): string {
  if (key === 'danger' && crisis) return t('threshold.crisis_danger');
  switch (key) {
    case 'observation_start':
    case 'standby':
    case 'caution':
    case 'evacuation':
    case 'danger':
      return t(`threshold.${key}`);
    default:
      return key;
  }
}

/** The threshold a stage is named after: observing starts at observation_start. */
export function stageThresholdKey(stage: WaterLevelStage): string {
  return stage === 'observing' ? 'observation_start' : stage;
}

function trendArrow(trend: TrendDirection | undefined): string {
  switch (trend) {
    case 'rising':
      return '↑';
    case 'falling':
      return '↓';
    case 'steady':
      return '→';
    default:
      return '';
  }
}

/** "上昇（+0.12 m/時）", "横ばい", "不明". */
export function trendText(state: StationState): string {
  const direction = t(`trend.${state.trend ?? 'unknown'}`);
  if (state.metresPerHour === undefined || state.trend === 'unknown' || state.trend === undefined) return direction;
  const rate = `${state.metresPerHour > 0 ? '+' : state.metresPerHour < 0 ? '−' : '±'}${Math.abs(state.metresPerHour).toFixed(2)}`;
  return t('trendWithRate', { direction, rate });
}

export function metresText(value: number): string {
  return `${value.toFixed(2)} m`;
}

/** Rain to 0.1 mm without a trailing ".0": "12 mm", "0.5 mm". */
export function mmText(value: number): string {
  return `${formatMm(value)} mm`;
}

export function formatMm(value: number): string {
  const rounded = Math.round(value * 10) / 10;
  return Number.isInteger(rounded) ? String(rounded) : rounded.toFixed(1);
}

/** The latest value as the map and the lists write it: "2.34 m ↑" or "12 mm/h" (60-minute rain). */
export function valueText(state: StationState): string {
  if (state.quantity === 'rainfall') return t('rainPerHour', { mm: formatMm(state.rain?.sixtyMinutes ?? state.value) });
  const arrow = trendArrow(state.trend);
  return arrow ? `${metresText(state.value)} ${arrow}` : metresText(state.value);
}

/** What a symbol's label says: "注意 2.34 m ↑", "12 mm/h", or "欠測". */
export function conditionText(kind: StationKind, state: StationState | undefined, condition: StationCondition): string {
  if (condition === 'no_data' || !state) return conditionLabel('no_data');
  if (kind === 'rain') return valueText(state);
  return `${conditionLabel(condition)} ${valueText(state)}`;
}

/** "たった今", "3分前", "2時間前", "1日前". */
export function ageText(at: string, now: Date): string {
  const minutes = Math.max(0, Math.floor((now.getTime() - Date.parse(at)) / 60_000));
  if (minutes < 1) return t('age.now');
  if (minutes < 60) return t('age.minutes', { n: minutes });
  const hours = Math.floor(minutes / 60);
  if (hours < 48) return t('age.hours', { n: hours });
  return t('age.days', { n: Math.floor(hours / 24) });
}

/**
 * The symbol of a gauge as a small inline SVG, for the lists and the legend: the same shape, fill and rim as on the
 * map (water: a diamond that grows with the stage, "!" from 避難判断 up; rain: a circle; no data: grey, hollow, dashed).
 */
export function stationSymbolSvg(kind: StationKind, condition: StationCondition | undefined, approximate = false): string {
  const svg = (inner: string) =>
    `<svg class="station-symbol" width="28" height="22" viewBox="0 0 28 22" aria-hidden="true" focusable="false">${inner}</svg>`;
  const rim = approximate ? ' stroke-dasharray="3 2"' : '';
  if (condition === 'no_data') {
    return kind === 'rain'
      ? svg(`<circle cx="14" cy="11" r="7" fill="#fff" stroke="${conditionColors.no_data.line}" stroke-width="2" stroke-dasharray="3 2"/>`)
      : svg(`<polygon points="14,3 22,11 14,19 6,11" fill="#fff" stroke="${conditionColors.no_data.line}" stroke-width="2" stroke-dasharray="3 2"/>`);
  }
  if (kind === 'rain') {
    return svg(`<circle cx="14" cy="11" r="7" fill="${rainGaugeColor}" stroke="${approximate ? '#1a1a1a' : '#fff'}" stroke-width="1.5"${rim}/>`);
  }
  const stage = condition ?? 'normal';
  const r = symbolRadius(stage) * 0.9;
  const colors = conditionColors[stage];
  const rimColor = stage === 'normal' && !approximate ? '#fff' : '#1a1a1a';
  const mark = isUrgent(stage)
    ? `<text x="14" y="15" font-size="11" font-weight="bold" text-anchor="middle" fill="${colors.text}" font-family="system-ui, sans-serif">!</text>`
    : '';
  return svg(
    `<polygon points="14,${11 - r} ${14 + r},11 14,${11 + r} ${14 - r},11" fill="${colors.fill}" stroke="${rimColor}" stroke-width="${isUrgent(stage) ? 2 : 1.5}"${rim}/>${mark}`,
  );
}

/** Radius of a water gauge's diamond on the map: larger the higher the stage. */
export function symbolRadius(condition: StationCondition): number {
  switch (condition) {
    case 'observing':
    case 'standby':
      return 10;
    case 'caution':
      return 11;
    case 'evacuation':
      return 12;
    case 'danger':
      return 13;
    default:
      return 9;
  }
}

// Silence happens without any event: the views look again on this clock.
const clockListeners = new Set<() => void>();
let clock: ReturnType<typeof setInterval> | undefined;

/** Calls `listener` every 30 seconds, to re-judge staleness and ages ("3分前"); returns what stops that. */
export function everyHalfMinute(listener: () => void): () => void {
  clockListeners.add(listener);
  clock ??= setInterval(() => [...clockListeners].forEach((l) => l()), 30_000);
  return () => {
    clockListeners.delete(listener);
    if (clockListeners.size === 0 && clock !== undefined) {
      clearInterval(clock);
      clock = undefined;
    }
  };
}
