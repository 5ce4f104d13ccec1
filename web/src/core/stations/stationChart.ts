// One gauge in detail, on both pages: its condition, latest value, observation time (JST) and age, trend; the last
// 24 hours as a chart; for rain the 10/60-minute, 24-hour and continuous totals and the local landslide estimate,
// always under its full label. The page puts `element` (#station-chart) in its own panel and names the gauge there.
import { fetchStationSeries, type StationSeries } from '../api';
import { h } from '../dom';
import { lang, onLangChange, t } from '../i18n';
import type { Mounted } from '../mounted';
import { hhmm, isoTime } from '../japanTime';
import type { StationState } from '../live/situationMessages';
import { hydrograph, rainChart, windowText } from './chartSvg';
import {
  ageText,
  conditionLabel,
  everyHalfMinute,
  isSilent,
  isUrgent,
  mmText,
  stationCondition,
  trendText,
  valueText,
  type StationRef,
} from './stationFacts';

export interface StationChart extends Mounted {
  /** The chart container, #station-chart[data-station-id]. */
  readonly element: HTMLElement;
  /** The gauge shown, or null. */
  shown(): string | null;
  /** Shows a gauge: what is known of it now at once, its last 24 hours once loaded. */
  show(station: StationRef, state: StationState | undefined, known: boolean): void;
  /** The shown gauge's state changed: the head follows at once, the chart reloads (at most every few seconds). */
  update(state: StationState | undefined, known: boolean): void;
  clear(): void;
}

/** A storm brings a reading every 10 minutes per gauge, and the hub up to one batch a second: reload no faster than this. */
const minReloadMs = 5_000;

export function createStationChart(): StationChart {
  const element = h('section', { id: 'station-chart', class: 'station-chart', 'aria-live': 'off' });
  const head = h('div', { class: 'chart-now' });
  const figure = h('figure', { class: 'chart-figure' });
  const extra = h('div', { class: 'chart-extra' });
  element.append(head, figure, extra);

  let station: StationRef | null = null;
  let state: StationState | undefined;
  let known = false;
  let series: StationSeries | null = null;
  let status: 'loading' | 'failed' | 'ready' = 'loading';
  let loadedFor: string | null = null; // the observation the series was asked for
  let generation = 0;
  let lastLoad = 0;
  let reloadTimer: ReturnType<typeof setTimeout> | undefined;

  const load = () => {
    if (!station) return;
    const mine = ++generation;
    lastLoad = Date.now();
    loadedFor = state?.observedAt ?? null;
    fetchStationSeries(station.stationId).then(
      (loaded) => {
        if (mine !== generation) return;
        series = loaded;
        status = 'ready';
        renderFigure();
      },
      (error: unknown) => {
        if (mine !== generation) return;
        console.warn('station readings unavailable', error);
        status = series ? 'ready' : 'failed';
        renderFigure();
      },
    );
  };

  const reloadSoon = () => {
    clearTimeout(reloadTimer);
    reloadTimer = setTimeout(load, Math.max(0, lastLoad + minReloadMs - Date.now()));
  };

  const renderHead = () => {
    if (!station) return;
    const now = new Date();
    const condition = stationCondition(state, known, now);
    // data-stage stays on the lists only, so [data-station-id][data-stage] finds one element per gauge.
    element.dataset.stationId = station.stationId;
    const rain = station.kind === 'rain';
    const parts: Array<HTMLElement | null> = [];

    if (condition && (!rain || condition === 'no_data')) {
      const badge = h(
        'p',
        { class: `chart-condition condition-${condition}` },
        h('strong', {}, conditionLabel(condition)),
        state?.alertLevelEquivalent && condition !== 'no_data' ? h('span', { class: 'chart-level' }, t('alertLevelEquivalent', { level: state.alertLevelEquivalent })) : null,
      );
      // A CSS shape, not an SVG: the chart is the one <svg> in #station-chart.
      badge.prepend(h('span', { class: `chart-symbol chart-symbol-${station.kind}`, 'aria-hidden': 'true' }, isUrgent(condition) ? h('span', {}, '!') : null));
      parts.push(badge);
    }
    if (!state) {
      parts.push(h('p', { class: 'chart-silent' }, known ? t('chartNeverHeard') : t('loading')));
    } else {
      const silent = isSilent(state, now);
      const time = h('time', { datetime: isoTime(state.observedAt) }, hhmm(state.observedAt, now));
      if (silent) {
        parts.push(h('p', { class: 'chart-silent' }, t('chartSilent', { time: hhmm(state.observedAt, now), age: ageText(state.observedAt, now) })));
      }
      parts.push(
        h(
          'p',
          { class: silent ? 'chart-value chart-value-old' : 'chart-value' },
          h('span', { class: 'chart-value-label' }, t(rain ? 'rain.sixtyMinutes' : silent ? 'chartLastValue' : 'chartLatest')),
          ' ',
          h('strong', {}, rain ? mmText(state.rain?.sixtyMinutes ?? state.value) : valueText(state)),
        ),
      );
      if (!silent) {
        const observed = h('p', { class: 'chart-time' });
        const [before, after] = t('chartObserved', { time: '\u0000', age: ageText(state.observedAt, now) }).split('\u0000');
        observed.append(before, time, after);
        parts.push(observed);
      }
      if (!rain && !silent) parts.push(h('p', { class: 'chart-trend' }, `${t('chartTrend')}: ${trendText(state)}`));
    }
    head.replaceChildren(...parts.filter((p): p is HTMLElement => p !== null));
  };

  const renderFigure = () => {
    if (!station) return;
    const rain = station.kind === 'rain';
    const caption = h('figcaption', {}, t(rain ? 'chartTitleRain' : 'chartTitleWater'));
    if (status !== 'ready' || !series) {
      figure.replaceChildren(caption, h('p', { class: 'chart-status' }, t(status === 'failed' ? 'chartFailed' : 'chartLoading')));
      return;
    }
    const points = series.points.map((p) => ({ at: Date.parse(p.at), value: p.value }));
    const observed = state ? Date.parse(state.observedAt) : 0;
    const end = Math.max(observed, ...points.map((p) => p.at));
    if (points.length === 0 || !Number.isFinite(end) || end <= 0) {
      figure.replaceChildren(caption, h('p', { class: 'chart-status' }, t('chartEmpty')));
      return;
    }
    const svg = rain ? rainChart(points, end) : hydrograph(points, series.thresholds, end, station.gaugeType === 'crisis');
    const notes = [h('p', { class: 'chart-window' }, windowText(end))];
    if (!rain && station.thresholdsAssumed !== false && Object.keys(series.thresholds).length > 0) {
      notes.push(h('p', { class: 'chart-note' }, t('chartThresholdsAssumed')));
    }
    figure.replaceChildren(caption, svg, ...notes);
  };

  const renderExtra = () => {
    if (!station || station.kind !== 'rain' || !state) {
      extra.replaceChildren();
      return;
    }
    const children: HTMLElement[] = [];
    const rain = state.rain;
    if (rain) {
      const since = rain.continuousSince ? ` ${t('rainContinuousSince', { time: hhmm(rain.continuousSince) })}` : '';
      const rows: Array<[string, string]> = [
        [t('rain.tenMinutes'), mmText(rain.tenMinutes)],
        [t('rain.sixtyMinutes'), mmText(rain.sixtyMinutes)],
        [t('rain.twentyFourHours'), mmText(rain.twentyFourHours)],
        [t('rain.continuous'), `${mmText(rain.continuous)}${since}`],
      ];
      children.push(
        h('h3', {}, t('rainTotals')),
        h('dl', { class: 'rain-totals' }, ...rows.flatMap(([term, value]) => [h('dt', {}, term), h('dd', {}, value)])),
      );
    }
    const estimate = state.landslide;
    if (estimate) {
      // The label goes with the estimate wherever it shows: it is the town's own proxy, not the official alert.
      const label = lang() === 'ja' ? estimate.label || t('landslideLabel') : t('landslideLabel');
      children.push(
        h(
          'section',
          { class: `landslide-estimate concern-${estimate.concern}`, 'data-concern': estimate.concern },
          h('h3', { class: 'landslide-label' }, label),
          h(
            'p',
            { class: 'landslide-result' },
            h('strong', { class: 'landslide-concern' }, t(`landslide.${estimate.concern}`)),
            ' ',
            lang() === 'ja' ? estimate.reason : estimate.reasonEn || estimate.reason,
          ),
          h(
            'p',
            { class: 'landslide-figures' },
            t('landslideFigures', { index: estimate.soilWaterIndex.toFixed(1), mm: mmText(estimate.sixtyMinuteMm) }),
          ),
        ),
      );
    }
    extra.replaceChildren(...children);
  };

  const renderAll = () => {
    renderHead();
    renderFigure();
    renderExtra();
  };
  const stopLang = onLangChange(renderAll);
  const stopClock = everyHalfMinute(() => {
    if (station) renderHead();
  });

  const clear = () => {
    station = null;
    series = null;
    generation++;
    clearTimeout(reloadTimer);
    delete element.dataset.stationId;
    head.replaceChildren();
    figure.replaceChildren();
    extra.replaceChildren();
  };

  return {
    element,
    shown: () => station?.stationId ?? null,
    show: (next, nextState, nextKnown) => {
      const same = station?.stationId === next.stationId;
      station = next;
      state = nextState;
      known = nextKnown;
      if (!same) {
        series = null;
        status = 'loading';
        clearTimeout(reloadTimer);
        load();
      } else if (state?.observedAt !== loadedFor) {
        reloadSoon();
      }
      renderAll();
    },
    update: (nextState, nextKnown) => {
      if (!station) return;
      const newReading = nextState?.observedAt !== state?.observedAt;
      state = nextState;
      known = nextKnown;
      renderHead();
      renderExtra();
      if (newReading && nextState?.observedAt !== loadedFor) reloadSoon();
    },
    clear,
    dispose: () => {
      stopLang();
      stopClock();
      clear();
    },
  };
}
