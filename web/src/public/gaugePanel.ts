// River levels and rain for residents: the gauges as a list of buttons, a key to their symbols on the map, and a
// gauge's 24-hour chart in a dialog that fits a small phone (its code loaded when a resident first opens one). Live
// from the public hub; silent gauges say 欠測. No OpenLayers here: the stations come as plain GeoJSON properties, and
// the map (when loaded) draws its own features.
import { byId, h } from '../core/dom';
import { onLangChange } from '../core/i18n';
import { subscriptions, type Mounted } from '../core/mounted';
import { t } from './messages';
import { concerns, stationKinds, type Situation } from '../core/live/situation';
import type { StationChart } from '../core/stations/stationChart';
import { everyHalfMinute, stageRank, stationCondition, stationName, stationSymbolSvg, type StationRef } from '../core/stations/stationFacts';
import { byKind, mountStationList, stationRefFromProps } from '../core/stations/stationList';

export interface GaugePanel extends Mounted {
  /** The gauges of the stations layer (their GeoJSON properties). */
  setStations(stations: Array<Record<string, unknown>>): void;
  open(stationId: string): void;
}

/** The chart's code, loaded once, the first time a resident opens a gauge. */
let chartModule: Promise<StationChart> | null = null;
function loadChart(): Promise<StationChart> {
  chartModule ??= import('../core/stations/stationChart').then(({ createStationChart }) => {
    const chart = createStationChart();
    byId('station-dialog-body').append(chart.element);
    return chart;
  });
  return chartModule;
}

export function mountGaugePanel(situation: Situation): GaugePanel {
  const dialog = byId<HTMLDialogElement>('station-dialog');
  const title = byId('station-dialog-title');
  const kind = byId('station-dialog-kind');
  let chart: StationChart | null = null;
  let stations: StationRef[] = [];
  let shown: StationRef | null = null;
  let opener: HTMLElement | null = null;

  const open = (station: StationRef) => {
    shown = station;
    renderTitle();
    list.setPicked(station.stationId);
    if (!dialog.open) {
      opener = document.activeElement instanceof HTMLElement ? document.activeElement : null;
      dialog.showModal();
      byId('station-dialog-close').focus();
    }
    void loadChart().then(
      (loaded) => {
        chart = loaded;
        if (shown === station) loaded.show(station, situation.stations.get(station.stationId), situation.known);
      },
      (error: unknown) => {
        console.warn('the chart could not be loaded', error);
        byId('station-dialog-body').textContent = t('loadFailed');
      },
    );
  };
  const list = mountStationList(byId('station-list'), { onPick: open });

  const renderTitle = () => {
    if (!shown) return;
    title.textContent = stationName(shown);
    kind.textContent = t(shown.kind === 'rain' ? 'stationKind.rain' : 'stationKind.water_level');
  };

  byId('station-dialog-close').addEventListener('click', () => dialog.close());
  // A tap on the backdrop (outside the dialog's box) closes it too.
  dialog.addEventListener('click', (event) => {
    if (event.target === dialog) dialog.close();
  });
  dialog.addEventListener('close', () => {
    shown = null;
    chart?.clear();
    list.setPicked(null);
    opener?.focus();
    opener = null;
  });

  const summary = byId('gauges-summary');
  const renderSummary = () => {
    const now = new Date();
    const high = stations.filter((s) => {
      const condition = stationCondition(situation.stations.get(s.stationId), situation.known, now);
      return condition !== undefined && condition !== 'no_data' && stageRank(condition) >= stageRank('caution');
    }).length;
    summary.textContent = high > 0 ? t('gaugesAbove', { n: high }) : '';
  };

  const showStates = () => {
    list.update(situation.stations, situation.known);
    renderSummary();
    if (shown) chart?.update(situation.stations.get(shown.stationId), situation.known);
  };
  const subs = subscriptions();
  subs.add(
    situation.onChange((change) => {
      if (concerns(change, stationKinds)) showStates();
    }),
  );
  subs.add(everyHalfMinute(showStates));

  const key = byId('gauge-key');
  const renderKey = () => {
    key.replaceChildren();
    const entries: Array<[string, string]> = [
      [stationSymbolSvg('water_level', 'caution'), t('mapKeyWater')],
      [stationSymbolSvg('rain', 'normal'), t('mapKeyRain')],
      [stationSymbolSvg('water_level', 'no_data'), t('mapKeyNoData')],
    ];
    for (const [symbol, text] of entries) {
      const entry = h('span', { class: 'gauge-key-entry' }, text);
      entry.insertAdjacentHTML('afterbegin', symbol);
      key.append(entry, ' ');
    }
  };
  subs.add(
    onLangChange(() => {
      renderKey();
      renderTitle();
      renderSummary();
    }),
  );
  renderKey();
  subs.add(() => {
    chart?.dispose();
    list.dispose();
    key.replaceChildren();
  });

  return {
    dispose: subs.dispose,
    setStations: (loaded) => {
      stations = byKind(loaded.map(stationRefFromProps));
      list.setStations(stations);
      showStates();
    },
    open: (stationId) => {
      const station = stations.find((s) => s.stationId === stationId);
      if (station) open(station);
    },
  };
}
