// The HQ details panel: what was clicked on the map or picked from a list. A gauge shows its chart (#station-chart)
// above its facts and its recently refused messages; the refused messages of every gauge have a view of their own.
import type Feature from 'ol/Feature';
import type { FeatureLike } from 'ol/Feature';
import type Map from 'ol/Map';
import type { Point } from 'ol/geom';
import { byId } from '../core/dom';
import { onLangChange } from '../core/i18n';
import { t } from './messages';
import { setEmphasised, type MapLayerId } from '../core/layers/symbols';
import type { Situation } from '../core/live/situation';
import type { DataLayer } from '../core/map/dataLayer';
import { createStationChart } from '../core/stations/stationChart';
import { stationName, type StationRef } from '../core/stations/stationFacts';
import { stationRefFromProps } from '../core/stations/stationList';
import { mountDeadLetters, type DeadLetterView } from './deadLetters';
import { describeFeature, type FeatureActions } from './featureDetails';
import { subscriptions, type Mounted } from '../core/mounted';
import { unByKey } from 'ol/Observable';
import { boundingExtent, getHeight, getWidth } from 'ol/extent';
import { clusterMembers, reportOf, sourceFeatures, reportFeature, type ReportsLayer } from '../core/layers/reports';
import { tileCount, tileReport } from '../core/layers/reportTiles';
import { fetchReport } from '../core/api';
import { severityRank } from '../core/reportFacts';

// What a click or hover picks when several features overlap: points first, then zones and lines, the district
// (which covers the whole town) last.
const pickOrder: MapLayerId[] = [
  'shelters',
  'reports',
  'stations',
  'rivers',
  'flood-zones',
  'landslide-zones',
  'boundary',
  'districts',
];

type Shown =
  | { type: 'feature'; feature: Feature; layerId: MapLayerId }
  | { type: 'station'; station: StationRef; feature?: Feature; deadLetters: DeadLetterView }
  | { type: 'deadLetters'; deadLetters: DeadLetterView };

export interface DetailsPanel extends Mounted {
  show(feature: Feature, layerId: MapLayerId, fromList: boolean): void;
  showStation(station: StationRef, fromList: boolean): void;
  showDeadLetters(): void;
  /** The live situation changed: the shown feature may have too (a field report can leave the map). */
  refresh(): void;
  /** Gauge states changed: the open chart follows its gauge. */
  stationsChanged(): void;
  /** Gauge messages were refused: open dead-letter lists reload. */
  messagesRefused(stationIds: Array<string | undefined>): void;
  /** Called with the gauge whose chart opens, or null when it closes. */
  onStationShown(listener: (stationId: string | null) => void): void;
}

export interface StationDirectory {
  /** The gauge by id, from /api/stations or the stations layer. */
  ref(stationId: string): StationRef | undefined;
  name(stationId: string): string;
}

export function mountDetailsPanel(
  map: Map,
  layers: DataLayer[],
  situation: Situation,
  stations: StationDirectory,
  /** Asked at each render: what the signed-in account may do from a feature's details. */
  actions: () => FeatureActions = () => ({}),
): DetailsPanel {
  const panel = byId('details');
  const title = byId('details-title');
  const kind = byId('details-kind');
  const body = byId('details-body');
  const chart = createStationChart();
  const stationListeners: Array<(stationId: string | null) => void> = [];
  let shown: Shown | null = null;

  const layerOf = (feature: FeatureLike): MapLayerId | undefined =>
    layers.find(({ layer }) => layer.getSource()?.hasFeature(feature as Feature))?.id;
  const stationFeature = (stationId: string) =>
    layers.find((l) => l.id === 'stations')?.layer.getSource()?.getFeatureById(stationId) ?? undefined;

  const redrawEmphasisable = () =>
    layers
      .filter((l) => l.id === 'shelters' || l.id === 'stations' || l.id === 'reports' || l.id === 'districts')
      .forEach(({ layer }) => layer.changed());

  const render = () => {
    if (!shown) return;
    if (shown.type === 'feature') {
      const described = describeFeature(shown.layerId, shown.feature.getProperties(), actions());
      title.textContent = described.title;
      kind.textContent = described.kind;
      body.replaceChildren(described.body);
    } else if (shown.type === 'station') {
      title.textContent = stationName(shown.station);
      kind.textContent = t(shown.station.kind === 'rain' ? 'stationKind.rain' : 'stationKind.water_level');
      const facts = shown.feature ? describeFeature('stations', shown.feature.getProperties()).body : null;
      shown.deadLetters.render();
      // The same chart element each time: re-rendering the panel does not reload the chart.
      body.replaceChildren(...[chart.element, facts, shown.deadLetters.element].filter((e): e is HTMLElement => e !== null));
    } else {
      title.textContent = t('deadLettersTitle');
      kind.textContent = t('deadLettersKind');
      shown.deadLetters.render();
      body.replaceChildren(shown.deadLetters.element);
    }
  };

  const setShown = (next: Shown | null) => {
    const wasStation = shown?.type === 'station' ? shown.station.stationId : null;
    shown = next;
    const isStation = next?.type === 'station' ? next.station.stationId : null;
    if (isStation === null && wasStation !== null) chart.clear();
    if (isStation !== wasStation) stationListeners.forEach((l) => l(isStation));
  };

  const centerOn = (feature: Feature, layerId: MapLayerId | undefined) => {
    const geometry = feature.getGeometry();
    if (geometry?.getType() === 'Point') {
      const center = (geometry as Point).getCoordinates();
      // Reports are clustered: close enough that a report picked from the queue usually stands alone.
      const least = layerId === 'reports' ? 16 : 14;
      map.getView().animate({ center, zoom: Math.max(map.getView().getZoom() ?? least, least), duration: 300 });
    } else if (geometry) {
      map.getView().fit(geometry.getExtent(), { duration: 300, padding: [48, 48, 48, 48] });
    }
  };

  const open = (emphasis: Feature | null, fromList: boolean) => {
    render();
    panel.hidden = false;
    setEmphasised(emphasis);
    redrawEmphasisable();
    if (fromList) {
      if (emphasis) centerOn(emphasis, shown?.type === 'feature' ? shown.layerId : undefined);
      title.focus();
    }
  };

  const show = (feature: Feature, layerId: MapLayerId, fromList: boolean) => {
    if (layerId === 'stations') {
      const id = String(feature.get('id'));
      showStation(stations.ref(id) ?? stationRefFromProps(feature.getProperties()), fromList);
      return;
    }
    setShown({ type: 'feature', feature, layerId });
    open(feature, fromList);
  };

  const showStation = (station: StationRef, fromList: boolean) => {
    const feature = stationFeature(station.stationId);
    const same = shown?.type === 'station' && shown.station.stationId === station.stationId;
    const deadLetters = same && shown?.type === 'station' ? shown.deadLetters : mountDeadLetters(station.stationId, stations.name, 20);
    const ref = feature ? { ...station, ...locationOf(feature) } : station;
    setShown({ type: 'station', station: ref, feature, deadLetters });
    chart.show(ref, situation.stations.get(station.stationId), situation.known);
    open(feature ?? null, fromList);
  };

  const showDeadLetters = () => {
    setShown({ type: 'deadLetters', deadLetters: mountDeadLetters(null, stations.name, 50) });
    open(null, true);
  };

  const hide = () => {
    if (panel.contains(document.activeElement)) map.getTargetElement().focus();
    setShown(null);
    panel.hidden = true;
    setEmphasised(null);
    redrawEmphasisable();
  };

  const featureAt = (pixel: number[]): { feature: Feature; layerId: MapLayerId } | null => {
    let best: { feature: Feature; layerId: MapLayerId } | null = null;
    map.forEachFeatureAtPixel(
      pixel,
      (feature) => {
        const layerId = layerOf(feature);
        if (layerId && (!best || pickOrder.indexOf(layerId) < pickOrder.indexOf(best.layerId))) {
          best = { feature: feature as Feature, layerId };
        }
      },
      { hitTolerance: 6 },
    );
    return best;
  };

  const subs = subscriptions();
  /** A cluster of reports zooms in to them; reports on one spot (which no zoom separates) open the most severe. */
  const openCluster = (members: Feature[]) => {
    const points = members.map((f) => (f.getGeometry() as Point).getCoordinates());
    const extent = boundingExtent(points);
    const view = map.getView();
    const resolution = view.getResolution() ?? 0;
    const canZoom = (view.getZoom() ?? 0) < view.getMaxZoom() - 0.5;
    if (canZoom && (getWidth(extent) > resolution || getHeight(extent) > resolution)) {
      view.fit(extent, { duration: 300, padding: [80, 80, 80, 80], maxZoom: view.getMaxZoom() });
      return;
    }
    const worst = [...members].sort(
      (a, b) => severityRank(reportOf(b)?.severity ?? 'minor') - severityRank(reportOf(a)?.severity ?? 'minor'),
    )[0];
    show(worst, 'reports', false);
  };

  // Many reports are drawn from tiles: a cell zooms in towards its reports, a report opens (from the situation, or
  // read from the server when it is older than what the situation holds).
  const reportsLayer = layers.find((l) => l.id === 'reports') as ReportsLayer | undefined;
  const tileAt = (pixel: number[]): FeatureLike | null => {
    if (!reportsLayer?.tiles || reportsLayer.mode() !== 'tiles') return null;
    let hit: FeatureLike | null = null;
    map.forEachFeatureAtPixel(pixel, (feature) => ((hit = feature), true), { layerFilter: (l) => l === reportsLayer.tiles, hitTolerance: 6 });
    return hit;
  };
  const openTile = (hit: FeatureLike, coordinate: number[]) => {
    if (tileCount(hit) !== null) {
      const view = map.getView();
      view.animate({ center: coordinate, zoom: Math.min((view.getZoom() ?? 12) + 2, 16), duration: 300 });
      return;
    }
    const report = tileReport(hit);
    if (!report || !reportsLayer) return;
    const known = reportsLayer.feature(report.reportId);
    if (known) show(known, 'reports', false);
    else
      fetchReport(report.reportId).then(
        (full) => show(reportFeature(full), 'reports', false),
        (error: unknown) => console.warn('the report could not be read', error),
      );
  };

  const clickKey = map.on('singleclick', (event) => {
    const picked = featureAt(event.pixel);
    const tile = picked?.layerId === 'shelters' ? null : tileAt(event.pixel);
    if (tile) {
      openTile(tile, event.coordinate);
      return;
    }
    const members = picked?.layerId === 'reports' ? clusterMembers(picked.feature) : null;
    if (members) openCluster(members);
    else if (picked) show(picked.feature, picked.layerId, false);
    else hide();
  });

  // Hovering a point shows its name, hovering a district its 警戒レベル; the cursor tells what is clickable.
  const moveKey = map.on('pointermove', (event) => {
    if (event.dragging) return;
    const picked = featureAt(event.pixel);
    map.getTargetElement().style.cursor = picked && picked.layerId !== 'districts' ? 'pointer' : '';
    if (shown) return; // keep the picked feature emphasised
    const hoverable = picked && ['shelters', 'stations', 'reports', 'districts'].includes(picked.layerId) ? picked.feature : null;
    if (setEmphasised(hoverable)) redrawEmphasisable();
  });

  subs.add(() => unByKey([clickKey, moveKey]));
  const close = byId('details-close');
  close.addEventListener('click', hide);
  const onKeydown = (event: KeyboardEvent) => {
    if (event.key === 'Escape') hide();
  };
  panel.addEventListener('keydown', onKeydown);
  subs.add(() => {
    close.removeEventListener('click', hide);
    panel.removeEventListener('keydown', onKeydown);
  });
  subs.add(onLangChange(render));

  return {
    dispose: () => {
      hide();
      subs.dispose();
      chart.dispose();
    },
    show,
    showStation,
    showDeadLetters,
    refresh: () => {
      if (!shown || shown.type !== 'feature') return;
      const { feature, layerId } = shown;
      const reports = sourceFeatures(layers.find((l) => l.id === 'reports')?.layer.getSource() ?? null);
      if (layerId === 'reports' && !reports?.hasFeature(feature)) {
        hide();
        return;
      }
      render();
    },
    stationsChanged: () => {
      if (shown?.type === 'station') chart.update(situation.stations.get(shown.station.stationId), situation.known);
    },
    messagesRefused: (stationIds) => {
      if (shown?.type === 'deadLetters') shown.deadLetters.reloadSoon();
      else if (shown?.type === 'station' && stationIds.includes(shown.station.stationId)) shown.deadLetters.reloadSoon();
    },
    onStationShown: (listener) => stationListeners.push(listener),
  };
}

function locationOf(feature: Feature): Pick<StationRef, 'thresholdsAssumed' | 'locationApproximate'> {
  return {
    thresholdsAssumed: feature.get('thresholds_assumed') !== false,
    locationApproximate: feature.get('location_approximate') === true || feature.get('illustrative') === true,
  };
}
