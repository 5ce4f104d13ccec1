// HQ's 観測所 panel: every gauge with its last reading, age and stage (live from the hub) and the messages it sent
// that ingestion refused in the last 24 hours (from /api/stations, reloaded after gauge events but no faster than every
// few seconds). A button opens the refused messages of every gauge, including stations the town does not know.
import { fetchStations, type StationOverview } from '../core/api';
import { onLangChange } from '../core/i18n';
import { subscriptions, type Mounted } from '../core/mounted';
import { t } from './messages';
import { concerns, stationKinds, type Situation } from '../core/live/situation';
import type { StationState } from '../core/live/situationMessages';
import type { StationRef } from '../core/stations/stationFacts';
import { byKind, mountStationList } from '../core/stations/stationList';

const minReloadMs = 5_000;

export interface GaugeOverview extends Mounted {
  /** Resolves with the gauges once /api/stations has answered. */
  loaded: Promise<StationOverview[]>;
  station(stationId: string): StationOverview | undefined;
  setPicked(stationId: string | null): void;
}

export function toStationRef(overview: StationOverview): StationRef {
  return {
    stationId: overview.stationId,
    nameJa: overview.nameJa,
    nameEn: overview.nameEn,
    kind: overview.kind,
    gaugeType: overview.gaugeType,
  };
}

export function mountGaugeOverview(
  list: HTMLElement,
  status: HTMLElement,
  showAll: HTMLButtonElement,
  situation: Situation,
  onPick: (station: StationRef) => void,
  onShowAll: () => void,
): GaugeOverview {
  const byId = new Map<string, StationOverview>();
  const stationList = mountStationList(list, {
    onPick,
    note: (station) => {
      const count = byId.get(station.stationId)?.deadLetters24h ?? 0;
      return count > 0 ? { text: t('gaugeDeadLetters24h', { n: count }), className: 'has-dead-letters' } : null;
    },
  });

  // The hub's states are the freshest; before its snapshot, the ones /api/stations returned.
  const states = (): Map<string, StationState> => {
    if (situation.known) return situation.stations;
    const fromApi = new Map<string, StationState>();
    byId.forEach((s) => s.state && fromApi.set(s.stationId, s.state));
    return fromApi;
  };
  const update = () => stationList.update(states(), situation.known || byId.size > 0);

  let lastLoad = 0;
  let timer: ReturnType<typeof setTimeout> | undefined;
  let failed = false;
  let listed = false;
  const load = (): Promise<StationOverview[]> => {
    lastLoad = Date.now();
    return fetchStations().then(
      (stations) => {
        failed = false;
        status.textContent = '';
        // The list is rebuilt only when the register changed (first load, a gauge added), not on every reload.
        const sameGauges = listed && byId.size === stations.length && stations.every((s) => byId.has(s.stationId));
        byId.clear();
        stations.forEach((s) => byId.set(s.stationId, s));
        listed = true;
        if (!sameGauges) stationList.setStations(byKind(stations.map(toStationRef)));
        update();
        return stations;
      },
      (error: unknown) => {
        failed = true;
        status.textContent = t('gaugesLoadFailed');
        throw error;
      },
    );
  };
  const reloadSoon = () => {
    if (timer !== undefined) return; // one reload is already coming
    timer = setTimeout(() => {
      timer = undefined;
      load().catch(() => undefined);
    }, Math.max(0, lastLoad + minReloadMs - Date.now()));
  };

  const loaded = load();
  loaded.catch(() => undefined);
  showAll.addEventListener('click', onShowAll);
  const subs = subscriptions();
  subs.add(() => showAll.removeEventListener('click', onShowAll));
  subs.add(
    situation.onChange((change) => {
      if (!concerns(change, [...stationKinds, 'sensor_messages_refused'])) return;
      update();
      if (change.kind === 'events') reloadSoon();
    }),
  );
  subs.add(
    onLangChange(() => {
      if (failed) status.textContent = t('gaugesLoadFailed');
    }),
  );
  subs.add(() => clearTimeout(timer));
  subs.add(() => stationList.dispose());

  return {
    dispose: subs.dispose,
    loaded,
    station: (stationId) => byId.get(stationId),
    setPicked: stationList.setPicked,
  };
}
