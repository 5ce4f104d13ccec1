// Public shelter view for residents: no sign-in, large text, works on a small phone and a weak network.
// Which shelters are open and how crowded, each district's 警戒レベル, the official warnings in force, the river levels
// and rain, and the road closures and flooding the town has verified come live from the public hub.
import 'ol/ol.css';
import '../styles/common.css';
import '../styles/public.css';
import type Feature from 'ol/Feature';
import type Map from 'ol/Map';
import type { Point } from 'ol/geom';
import { fetchConfig, fetchLayer, townBbox, type MapConfig } from '../core/api';
import { byId, h } from '../core/dom';
import { hazards, isDesignatedFor, type CommonProps, type Hazard, type ShelterProps } from '../core/geodata';
import { applyStaticText, localName, mountLanguageSwitch, onLangChange } from '../core/i18n';
import { t } from './messages';
import { boundaryLayer } from '../core/layers/boundary';
import { showDemoBanner } from '../core/demoBanner';
import { mountDrillBanner } from '../core/drillBanner';
import { boundingExtent } from 'ol/extent';
import { clusterMembers, createReportsLayer } from '../core/layers/reports';
import { applyShelterStatuses, sheltersLayer } from '../core/layers/shelters';
import { stationsLayer } from '../core/layers/stations';
import { setEmphasised } from '../core/layers/symbols';
import { createMap, fitTo } from '../core/map/createMap';
import { mountLiveIndicator } from '../core/live/liveIndicator';
import { concerns, shelterKinds, Situation } from '../core/live/situation';
import { followSituation } from '../core/live/situationStream';
import { addToMap, createDataLayer, markReadyWhenRendered } from '../core/map/dataLayer';
import { mountEvacuationBanner } from './evacuationBanner';
import { mountGaugePanel } from './gaugePanel';
import { mountLevelBoard } from './levelBoard';
import { mountOfficialWarnings } from './officialWarnings';
import { mountPublicReports } from './reportCards';
import { hazardIcon } from './hazardIcons';
import { shelterCard } from './shelterCard';
import { mountNearestShelters } from './nearestShelters';
import { toLonLat } from 'ol/proj';

type Filter = Hazard | 'all';

// Used when /api/config cannot be reached, so the list still appears on a failing network.
const fallbackConfig: MapConfig = { basemap: { url: '', attribution: '' }, center: [140.19, 38.0], zoom: 12, simulated: false };

let filter: Filter = 'all';
let shelters: Feature[] = [];
let map: Map | null = null;
let redrawShelters: () => void = () => undefined;
/** The shelter last picked on the map, outlined in the list. */
let pickedId: string | null = null;

const list = byId('shelter-list');

const situation = new Situation();
mountDrillBanner(situation);

applyStaticText(document);
mountLanguageSwitch(byId('language-switch'));
mountHazardFilter(byId('hazard-filter'));
const banner = mountEvacuationBanner(byId('evacuation-banner'), situation);
const levelBoard = mountLevelBoard(byId('level-board'), situation);
mountOfficialWarnings(byId('official-warnings'), situation);
const gauges = mountGaugePanel(situation);
const nearest = mountNearestShelters(byId('nearest'), situation);
const reports = createReportsLayer();
const reportCards = mountPublicReports(byId('report-cards'), byId('reports-count'), situation, showReportOnMap);
situation.onChange((change) => {
  if (concerns(change, ['field_report_submitted', 'field_report_updated', 'field_report_withdrawn'])) {
    reports.sync(situation.reports.values());
  }
});
onLangChange(() => renderList());
situation.onChange((change) => {
  if (!concerns(change, shelterKinds)) return;
  applyShelterStatuses(shelters, situation.shelters);
  renderList();
});
followSituation('/hubs/public', {
  snapshot: (snapshot) => situation.load(snapshot),
  events: (events) => situation.apply(events),
  status: mountLiveIndicator(byId('live-status'), { staleHint: 'with-advice' }).show,
});
void start();

function matches(feature: Feature): boolean {
  return filter === 'all' || isDesignatedFor(feature.getProperties() as ShelterProps, filter);
}

async function start(): Promise<void> {
  const config = await fetchConfig().catch((error: unknown) => {
    console.warn('map configuration unavailable, using defaults', error);
    return fallbackConfig;
  });
  showDemoBanner(byId('demo-banner'), config.simulated);
  const bbox = townBbox(config.center);
  const olMap = createMap({ target: byId('map'), config, onBasemapUnavailable: () => undefined });
  map = olMap;
  const boundary = createDataLayer(boundaryLayer, bbox);
  // Sites not designated for the chosen hazard disappear from the map as from the list.
  const shelterLayer = createDataLayer(sheltersLayer, bbox, { only: matches });
  // Districts are not drawn for residents (their boundaries are illustrative); the banner needs their names.
  fetchLayer('districts', bbox).then(
    (json) => {
      const districts = (json.features as Array<{ properties: CommonProps }>).map((f) => f.properties);
      banner.setDistricts(districts);
      levelBoard.setDistricts(districts);
      nearest.setDistricts(districts);
      reportCards.setDistricts(districts);
    },
    () => undefined, // the banner then gives the level without district names, the board by district id
  );
  const stationLayer = createDataLayer(stationsLayer, bbox);
  [boundary, stationLayer, shelterLayer, reports].forEach((dataLayer) => addToMap(olMap, dataLayer));
  reports.sync(situation.reports.values());
  stationLayer.loaded.then(
    (features) => gauges.setStations(features),
    () => undefined, // the shelters matter more: the page goes on without gauges
  );
  boundary.loaded.then(
    (features) => fitTo(olMap, features, [8, 8, 8, 8]),
    () => undefined, // keep the configured view
  );
  markReadyWhenRendered(olMap, [boundary.loaded, shelterLayer.loaded, stationLayer.loaded]);

  const redraw = () => {
    shelterLayer.layer.changed();
    stationLayer.layer.changed();
    reports.layer.changed();
  };
  redrawShelters = redraw;
  onLangChange(redraw);

  byId('list-status').textContent = t('loading');
  try {
    shelters = await shelterLayer.loaded;
    const byShelterId = new globalThis.Map(shelters.map((f) => [String(f.get('id')), f]));
    nearest.setNames((id) => {
      const feature = byShelterId.get(id);
      return feature ? localName(feature.getProperties()) : undefined;
    });
    applyShelterStatuses(shelters, situation.shelters);
    list.dataset.featureCount = String(shelters.length);
    byId('list-status').textContent = '';
    renderList();
  } catch (error) {
    byId('list-status').textContent = t('loadFailed');
    list.dataset.loadError = 'true';
    throw error;
  }

  olMap.on('singleclick', (event) => {
    const report = olMap.forEachFeatureAtPixel(event.pixel, (f) => f, {
      hitTolerance: 8,
      layerFilter: (layer) => layer === reports.layer,
    });
    if (report) {
      showReport(olMap, report as Feature);
      return;
    }
    const station = olMap.forEachFeatureAtPixel(event.pixel, (f) => f, {
      hitTolerance: 8,
      layerFilter: (layer) => layer === stationLayer.layer,
    }) as Feature | undefined;
    if (station) {
      gauges.open(String(station.get('id')));
      return;
    }
    const feature = olMap.forEachFeatureAtPixel(event.pixel, (f) => f, {
      hitTolerance: 8,
      layerFilter: (layer) => layer === shelterLayer.layer,
    }) as Feature | undefined;
    setEmphasised(feature ?? null);
    redraw();
    if (!feature) {
      // An empty spot: search the nearest open shelters from there.
      const [lon, lat] = toLonLat(event.coordinate);
      nearest.setPoint(lon, lat);
      byId('nearest').scrollIntoView({ behavior: 'smooth', block: 'nearest' });
      return;
    }
    const card = list.querySelector<HTMLElement>(`[data-shelter-id="${CSS.escape(String(feature.get('id')))}"]`);
    list.querySelectorAll('.picked').forEach((el) => el.classList.remove('picked'));
    card?.classList.add('picked');
    pickedId = String(feature.get('id'));
    card?.scrollIntoView({ behavior: 'smooth', block: 'nearest' });
  });
}

/** A report tapped on the map: a cluster zooms in to its reports, one report brings its card into view. */
function showReport(olMap: Map, feature: Feature): void {
  const members = clusterMembers(feature);
  if (members) {
    const extent = boundingExtent(members.map((f) => (f.getGeometry() as Point).getCoordinates()));
    olMap.getView().fit(extent, { duration: 300, padding: [60, 60, 60, 60], maxZoom: 17 });
    return;
  }
  const card = byId('report-cards').querySelector<HTMLElement>(`[data-report-id="${CSS.escape(String(feature.getId()))}"]`);
  byId('report-cards').querySelectorAll('.picked').forEach((el) => el.classList.remove('picked'));
  card?.classList.add('picked');
  card?.scrollIntoView({ behavior: 'smooth', block: 'nearest' });
}

/** A report's point, from its card. */
function showReportOnMap(reportId: number): void {
  const feature = reports.feature(reportId);
  if (feature) showOnMap(feature, 16);
}

function showOnMap(feature: Feature, zoom = 15): void {
  if (!map) return;
  setEmphasised(feature);
  map.getAllLayers().forEach((layer) => layer.changed());
  const point = feature.getGeometry() as Point | undefined;
  if (point) map.getView().animate({ center: point.getCoordinates(), zoom, duration: 300 });
  map.getTargetElement().scrollIntoView({ behavior: 'smooth', block: 'start' });
}

/** Open shelters first (least crowded first), then the rest in their usual order. */
const bandOrder = ['available', 'somewhat_crowded', 'unknown', 'crowded', 'full'];
function rank(feature: Feature): number {
  const state = situation.shelters.get(String(feature.get('id')));
  return state?.open ? bandOrder.indexOf(state.crowding) : bandOrder.length;
}

function renderList(): void {
  // A resident may be on a card's button when an update arrives: keep their place.
  const focusedCard = document.activeElement?.closest<HTMLElement>('[data-shelter-id]')?.dataset.shelterId;
  const shown = shelters.filter(matches).sort((a, b) => rank(a) - rank(b));
  list.dataset.visibleCount = String(shown.length);
  list.replaceChildren(
    ...shown.map((f) => shelterCard(f, situation.shelters.get(String(f.get('id'))), () => showOnMap(f))),
  );
  if (shelters.length > 0 && shown.length === 0) list.append(h('li', { class: 'empty' }, t('noSitesForHazard')));
  const open = shown.filter((f) => situation.shelters.get(String(f.get('id')))?.open).length;
  byId('shown-count').textContent =
    shelters.length > 0 ? t('sitesShown', { n: shown.length }) + (situation.known ? t('openCount', { n: open }) : '') : '';
  if (pickedId) list.querySelector(`[data-shelter-id="${CSS.escape(pickedId)}"]`)?.classList.add('picked');
  if (focusedCard) list.querySelector<HTMLElement>(`[data-shelter-id="${CSS.escape(focusedCard)}"] button`)?.focus();
}

function mountHazardFilter(fieldset: HTMLElement): void {
  const options: Filter[] = ['all', ...hazards];
  for (const option of options) {
    const input = h('input', { type: 'radio', name: 'hazard', value: option, id: `filter-${option}` });
    input.checked = option === filter;
    input.addEventListener('change', () => {
      filter = option;
      renderList();
      redrawShelters();
    });
    const text = h('span', { 'data-i18n': option === 'all' ? 'filter.all' : `hazard.${option}` });
    const label = h('label', { for: input.id }, text);
    if (option !== 'all') label.insertAdjacentHTML('afterbegin', hazardIcon(option));
    fieldset.append(h('div', { class: 'filter-option' }, input, label));
  }
  applyStaticText(fieldset);
}
