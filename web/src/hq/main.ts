// HQ map page: every layer of the town, a layer switcher, legend, details of what is clicked, and the live
// situation from the staff hub: shelter status, district 警戒レベル, field reports, alerts and the activity list.
import 'ol/ol.css';
import '../styles/common.css';
import '../styles/hq.css';
import type Feature from 'ol/Feature';
import type { FeatureLike } from 'ol/Feature';
import type Map from 'ol/Map';
import type { Point } from 'ol/geom';
import { fetchConfig, fetchMe, townBbox, UnauthorizedError } from '../api';
import { byId } from '../dom';
import { applyStaticText, localName, mountLanguageSwitch, onLangChange } from '../i18n';
import { hqLayers } from '../layers';
import { applyEvacuationLevels } from '../layers/districts';
import { createReportsLayer } from '../layers/reports';
import { applyShelterStatuses } from '../layers/shelters';
import { setEmphasised, type MapLayerId } from '../layers/symbols';
import { mountLiveIndicator } from '../live/liveIndicator';
import { concerns, Situation, situationKinds } from '../live/situation';
import { followSituation } from '../live/situationStream';
import { createMap, fitTo } from '../map/createMap';
import { createDataLayer, markReadyWhenRendered, type DataLayer } from '../map/dataLayer';
import { showSignedInUser } from './account';
import { mountActivityList, type PlaceNames } from './activityList';
import { mountAlertList } from './alertList';
import { mountDistrictLevels } from './districtLevels';
import { describeFeature } from './featureDetails';
import { mountLayerSwitcher } from './layerSwitcher';
import { mountLegend } from './legend';
import { mountShelterList, type ShelterList } from './shelterList';

applyStaticText(document);
mountLanguageSwitch(byId('language-switch'));
mountLegend(byId('legend-list'));
collapsePanelsOnSmallScreens();

// The live situation starts at once, beside the map: the activity list fills in while the layers load.
const situation = new Situation();
const names = placeNames();
const activity = mountActivityList(byId('activity-list'), byId('activity-status'), situation, names);
const alertList = mountAlertList(byId('alert-list'), byId('alerts-count'), situation, names);
followSituation('/hubs/situation', {
  snapshot: (snapshot) => situation.load(snapshot),
  events: (events) => situation.apply(events),
  status: mountLiveIndicator(byId('live-status')),
  signedIn: () => fetchMe().then(
    () => true,
    (error: unknown) => !(error instanceof UnauthorizedError), // unreachable is not signed out
  ),
  unauthorized: () => location.assign('/login?returnUrl=/'),
});

void showSignedInUser();
void start();

async function start(): Promise<void> {
  const config = await fetchConfig();
  const map = createMap({
    target: byId('map'),
    config,
    onBasemapUnavailable: () => (byId('basemap-notice').hidden = false),
  });
  const bbox = townBbox(config.center);
  const geodata = hqLayers.map((definition) => createDataLayer(definition, bbox));
  const reports = createReportsLayer();
  // The layer switcher lists them top of the map first: field reports just under the shelters.
  const layers: DataLayer[] = [geodata[0], reports, ...geodata.slice(1)];
  layers.forEach(({ layer }) => map.addLayer(layer));
  layers
    .find((l) => l.id === 'boundary')
    ?.loaded.then(
      (town) => fitTo(map, town, [16, panelWidth('live-panel'), 16, panelWidth('sidebar')]),
      () => undefined, // keep the configured view; the layer switcher reports the failure
    );
  mountLayerSwitcher(byId('layer-list'), layers);
  markReadyWhenRendered(map, geodata.map((l) => l.loaded));

  const details = mountDetailsPanel(map, layers);
  let shelterList: ShelterList | null = null;
  let districtList: (() => void) | null = null;
  let shelterFeatures: Feature[] = [];
  let districtFeatures: Feature[] = [];

  const showSituation = () => {
    applyShelterStatuses(shelterFeatures, situation.shelters);
    applyEvacuationLevels(districtFeatures, situation.districts);
    reports.sync(situation.reports.values());
    shelterList?.update();
    districtList?.();
    details.refresh();
  };
  situation.onChange((change) => {
    if (concerns(change, situationKinds)) showSituation();
  });

  const loaded = (id: MapLayerId) => layers.find((l) => l.id === id)?.loaded ?? Promise.reject(new Error(id));
  loaded('shelters').then(
    (features) => {
      shelterFeatures = features;
      names.add(features);
      shelterList = mountShelterList(byId('shelter-list'), features, (f) => details.show(f, 'shelters', true));
      showSituation();
      activity.refresh();
    },
    () => undefined, // the layer switcher already reports the failure
  );
  loaded('districts').then(
    (features) => {
      districtFeatures = features;
      names.add(features);
      districtList = mountDistrictLevels(byId('district-list'), features, (f) => details.show(f, 'districts', true));
      showSituation();
      activity.refresh();
      alertList();
    },
    () => undefined,
  );
  if (situation.known) showSituation();
  onLangChange(() => layers.forEach(({ layer }) => layer.changed()));
}

/** Shelter and district names from the geodata layers; ids until they have loaded. */
function placeNames(): PlaceNames & { add(features: Feature[]): void } {
  const byFeatureId = new globalThis.Map<string, Feature>();
  const name = (id: string) => {
    const feature = byFeatureId.get(id);
    return feature ? localName(feature.getProperties()) : id;
  };
  return {
    shelter: name,
    district: name,
    add: (features) => features.forEach((f) => byFeatureId.set(String(f.get('id')), f)),
  };
}

function panelWidth(id: string): number {
  const panel = byId(id);
  // On a phone the panels sit under the map, not over it.
  return getComputedStyle(panel).position === 'absolute' ? panel.offsetWidth + 24 : 16;
}

/** On a phone the panels follow the map down the page; start them folded so the activity list is in reach. */
function collapsePanelsOnSmallScreens(): void {
  if (window.matchMedia('(max-width: 700px)').matches) {
    byId('sidebar').querySelectorAll('details').forEach((d) => (d.open = false));
  }
}

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

function mountDetailsPanel(map: Map, layers: DataLayer[]) {
  const panel = byId('details');
  const title = byId('details-title');
  const body = byId('details-body');
  let shown: { feature: Feature; layerId: MapLayerId } | null = null;

  const layerOf = (feature: FeatureLike): MapLayerId | undefined =>
    layers.find(({ layer }) => layer.getSource()?.hasFeature(feature as Feature))?.id;

  const redrawEmphasisable = () =>
    layers
      .filter((l) => l.id === 'shelters' || l.id === 'stations' || l.id === 'reports' || l.id === 'districts')
      .forEach(({ layer }) => layer.changed());

  const render = () => {
    if (!shown) return;
    const described = describeFeature(shown.layerId, shown.feature.getProperties());
    title.textContent = described.title;
    byId('details-kind').textContent = described.kind;
    body.replaceChildren(described.body);
  };

  const show = (feature: Feature, layerId: MapLayerId, fromList: boolean) => {
    shown = { feature, layerId };
    render();
    panel.hidden = false;
    setEmphasised(feature);
    redrawEmphasisable();
    if (fromList) {
      const geometry = feature.getGeometry();
      if (geometry?.getType() === 'Point') {
        const center = (geometry as Point).getCoordinates();
        map.getView().animate({ center, zoom: Math.max(map.getView().getZoom() ?? 14, 14), duration: 300 });
      } else if (geometry) {
        map.getView().fit(geometry.getExtent(), { duration: 300, padding: [48, 48, 48, 48] });
      }
      title.focus();
    }
  };

  const hide = () => {
    if (panel.contains(document.activeElement)) map.getTargetElement().focus();
    shown = null;
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

  map.on('singleclick', (event) => {
    const picked = featureAt(event.pixel);
    if (picked) show(picked.feature, picked.layerId, false);
    else hide();
  });

  // Hovering a point shows its name, hovering a district its 警戒レベル; the cursor tells what is clickable.
  map.on('pointermove', (event) => {
    if (event.dragging) return;
    const picked = featureAt(event.pixel);
    map.getTargetElement().style.cursor = picked && picked.layerId !== 'districts' ? 'pointer' : '';
    if (shown) return; // keep the picked feature emphasised
    const hoverable = picked && ['shelters', 'stations', 'reports', 'districts'].includes(picked.layerId) ? picked.feature : null;
    if (setEmphasised(hoverable)) redrawEmphasisable();
  });

  byId('details-close').addEventListener('click', hide);
  panel.addEventListener('keydown', (event) => {
    if (event.key === 'Escape') hide();
  });
  onLangChange(render);
  return {
    show,
    /** The live situation changed: the shown feature may have too (a field report can leave the map). */
    refresh: () => {
      if (shown && shown.layerId === 'reports' && !layers.find((l) => l.id === 'reports')?.layer.getSource()?.hasFeature(shown.feature)) {
        hide();
        return;
      }
      render();
    },
  };
}
