// The gauges as a list of buttons, on both pages: what the map's symbols say (symbol, stage in words, value, time and
// age), reachable by keyboard and screen reader; a button opens the gauge's chart. Browser tests read
// [data-station-id][data-stage] on each item (the stage, or "no_data").
import { h } from '../dom';
import { onLangChange, t } from '../i18n';
import { hhmm, isoTime } from '../japanTime';
import type { StationState } from '../live/situationMessages';
import { subscriptions, type Mounted } from '../mounted';
import {
  ageText,
  conditionText,
  everyHalfMinute,
  isSilent,
  stationCondition,
  stationName,
  stationSymbolSvg,
  type StationRef,
} from './stationFacts';

export interface StationListOptions {
  onPick(station: StationRef): void;
  /** An extra line under a gauge (HQ: its refused messages), or null. */
  note?(station: StationRef): { text: string; className: string } | null;
}

export interface StationList extends Mounted {
  setStations(stations: StationRef[]): void;
  /** Brings each item in line with the live states (and the clock: a gauge goes silent without an event). */
  update(states: Map<string, StationState>, known: boolean): void;
  /** Marks the gauge whose chart is open. */
  setPicked(stationId: string | null): void;
}

interface Row {
  station: StationRef;
  item: HTMLLIElement;
  button: HTMLButtonElement;
}

export function mountStationList(list: HTMLElement, options: StationListOptions): StationList {
  let rows: Row[] = [];
  let states = new Map<string, StationState>();
  let known = false;
  let picked: string | null = null;

  const renderRow = ({ station, item, button }: Row, now: Date) => {
    const state = states.get(station.stationId);
    const condition = stationCondition(state, known, now);
    if (condition) item.dataset.stage = condition;
    else delete item.dataset.stage;
    item.className = `station-item condition-${condition ?? 'pending'}${picked === station.stationId ? ' picked' : ''}`;
    button.setAttribute('aria-current', String(picked === station.stationId));
    const status = h('span', { class: 'station-status' }, condition ? conditionText(station.kind, state, condition) : t('gaugeWaiting'));
    const when = state
      ? h(
          'span',
          { class: isSilent(state, now) ? 'station-age stale' : 'station-age' },
          h('time', { datetime: isoTime(state.observedAt) }, t('gaugeObserved', { time: hhmm(state.observedAt, now), age: ageText(state.observedAt, now) })),
        )
      : null;
    const note = options.note?.(station);
    button.replaceChildren(
      h('span', { class: 'station-name' }, stationName(station)),
      h('span', { class: 'station-line' }, status, when ? ' ' : '', when),
      note ? h('span', { class: `station-note ${note.className}` }, note.text) : '',
    );
    button.insertAdjacentHTML('afterbegin', stationSymbolSvg(station.kind, condition, station.locationApproximate));
  };

  const renderAll = () => {
    const now = new Date();
    rows.forEach((row) => renderRow(row, now));
  };

  const setStations = (stations: StationRef[]) => {
    const focused = (document.activeElement?.closest('[data-station-id]') as HTMLElement | null)?.dataset.stationId;
    rows = stations.map((station) => {
      const button = h('button', { type: 'button', class: 'station-button' });
      button.addEventListener('click', () => options.onPick(station));
      const item = h('li', { 'data-station-id': station.stationId, 'data-kind': station.kind }, button);
      return { station, item, button };
    });
    renderAll();
    list.replaceChildren(...rows.map((r) => r.item));
    if (focused) rows.find((r) => r.station.stationId === focused)?.button.focus();
  };

  const subs = subscriptions();
  subs.add(onLangChange(renderAll));
  subs.add(everyHalfMinute(renderAll));
  return {
    dispose: () => {
      subs.dispose();
      list.replaceChildren();
    },
    setStations,
    update: (next, nextKnown) => {
      states = next;
      known = nextKnown;
      renderAll();
    },
    setPicked: (stationId) => {
      picked = stationId;
      renderAll();
    },
  };
}

/** Water-level gauges first, then rain; in the order given within each. */
export function byKind(stations: StationRef[]): StationRef[] {
  return [...stations.filter((s) => s.kind === 'water_level'), ...stations.filter((s) => s.kind !== 'water_level')];
}

/** A gauge as the stations layer describes it (public: no staff API needed). */
export function stationRefFromProps(props: Record<string, unknown>): StationRef {
  return {
    stationId: String(props.id),
    nameJa: String(props.name_ja ?? props.id),
    nameEn: typeof props.name_en === 'string' ? props.name_en : undefined,
    kind: props.kind === 'rain' ? 'rain' : 'water_level',
    gaugeType: typeof props.gauge_type === 'string' ? props.gauge_type : undefined,
    thresholdsAssumed: props.thresholds_assumed !== false,
    locationApproximate: props.location_approximate === true || props.illustrative === true,
  };
}
