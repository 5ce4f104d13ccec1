// HQ map page: every layer of the town, a layer switcher, legend, details of what is clicked, and the live
// situation from the staff hub: shelter status, district 警戒レベル, field reports (on the map and in the triage queue),
// alerts and the activity list.
import 'ol/ol.css';
import '../styles/common.css';
import '../styles/hq.css';
import '../styles/timeTravel.css';
import type Feature from 'ol/Feature';
import { fetchConfig, fetchMe, townBbox, UnauthorizedError, type SignedInUser } from '../core/api';
import { showDemoBanner } from '../core/demoBanner';
import { mountDrillBanner } from '../core/drillBanner';
import { byId } from '../core/dom';
import { applyStaticText, localName, mountLanguageSwitch, onLangChange } from '../core/i18n';
import { hqLayers } from '../core/layers';
import { applyEvacuationLevels } from '../core/layers/districts';
import { createReportsLayer } from '../core/layers/reports';
import { staffReportTilesUrl } from '../core/layers/reportTiles';
import { applyShelterStatuses } from '../core/layers/shelters';
import { applyStationStates } from '../core/layers/stations';
import type { MapLayerId } from '../core/layers/symbols';
import { mountLiveIndicator } from '../core/live/liveIndicator';
import { concerns, Situation, situationKinds, stationKinds } from '../core/live/situation';
import { shownMoment } from '../core/live/shownMoment';
import { followSituation } from '../core/live/situationStream';
import { createMap, fitTo } from '../core/map/createMap';
import { addToMap, createDataLayer, markReadyWhenRendered, type DataLayer } from '../core/map/dataLayer';
import { everyHalfMinute, stationName, type StationRef } from '../core/stations/stationFacts';
import { stationRefFromProps } from '../core/stations/stationList';
import { showSignedInUser } from './account';
import { mountActivityList, type PlaceNames } from './activityList';
import { mountAlertSound } from './alertCue';
import { mountAlertList } from './alertList';
import { mountDrillControl } from './drillControl';
import { outlineTownWhileOfficial } from './officialOutline';
import { mountOfficialWarnings } from './officialWarnings';
import { mountRecommendations } from './recommendations';
import { mountDetailsPanel, type DetailsPanel } from './detailsPanel';
import { mountDistrictLevels, type DistrictLevels } from './districtLevels';
import { mountGaugeOverview, toStationRef } from './gaugeOverview';
import { mountHazardPanel } from './hazardPanel';
import { mountLayerSwitcher } from './layerSwitcher';
import { mountLegend } from './legend';
import { setDetailActionsRole, setReportDirectory } from './detailActions';
import { mountTriageQueue } from './triageQueue';
import { mountShelterList, type ShelterList } from './shelterList';
import { mountSituationReport } from './situationReport';
import { mountTimeTravel } from './timeTravel';

applyStaticText(document);
mountLanguageSwitch(byId('language-switch'));
mountLegend(byId('legend-list'));
collapsePanelsOnSmallScreens();

// The live situation starts at once, beside the map: the activity list and the gauges fill in while the layers load.
const situation = new Situation();
mountDrillBanner(situation);
const names = placeNames();
const activity = mountActivityList(byId('activity-list'), byId('activity-status'), situation, names);
const alertList = mountAlertList(byId('alert-list'), byId('alerts-count'), situation, names);
mountAlertSound(byId<HTMLButtonElement>('alert-sound'), situation);
const drillControl = mountDrillControl(byId('drill-control'), situation);
const recommendations = mountRecommendations(byId('recommendations'), situation, names);
const officialWarnings = mountOfficialWarnings(byId('official-warnings'), situation);
// The situation report (PDF) of the moment shown: now, or the past HQ is looking at.
mountSituationReport(byId('situation-report'), () => shownMoment()?.toISOString() ?? null);
let details: DetailsPanel | null = null;
const gauges = mountGaugeOverview(
  byId('station-list'),
  byId('station-list-status'),
  byId<HTMLButtonElement>('dead-letters-all'),
  situation,
  (station) => details?.showStation(station, true),
  () => details?.showDeadLetters(),
);
gauges.loaded.then(
  (stations) => {
    names.addStations(stations.map(toStationRef));
    activity.refresh();
  },
  () => undefined, // the panel says it could not load
);
const hazardPanel = mountHazardPanel(byId('hazard-panel'), situation, { stationName: (id) => names.station(id) });
// The time bar: while it shows the past the live stream is ignored, and back at live it starts from a fresh snapshot.
const timeTravel = mountTimeTravel(byId('time-bar'), byId('past-banner'), situation);
const live = followSituation('/hubs/situation', {
  snapshot: (snapshot) => {
    if (!shownMoment()) situation.load(snapshot);
  },
  events: (events) => {
    if (!shownMoment()) situation.apply(events);
  },
  status: mountLiveIndicator(byId('live-status')).show,
  signedIn: () => fetchMe().then(
    () => true,
    (error: unknown) => !(error instanceof UnauthorizedError), // unreachable is not signed out
  ),
  unauthorized: () => location.assign('/login?returnUrl=/'),
});

// Only HQ gets the forms: the alerts' actions and the report and shelter forms in the details panel; nobody acts on
// the past, so while it is shown every view is read-only.
let user: SignedInUser | null = null;
const roleViews: Array<{ setRole(role: string | null): void }> = [alertList, drillControl, recommendations, officialWarnings, hazardPanel];
const applyRole = () => {
  const role = shownMoment() ? null : (user?.role ?? null);
  setDetailActionsRole(role, user?.userName ?? null);
  roleViews.forEach((view) => view.setRole(role));
};
let showingPast = false;
timeTravel.onChange((moment) => {
  if (!moment) live.resync();
  // Play moves the moment every second: the forms change only between live and the past.
  if ((moment !== null) !== showingPast) {
    showingPast = moment !== null;
    applyRole();
  }
});

const signedIn = showSignedInUser();
signedIn.then(
  (signedInUser) => {
    user = signedInUser ?? null;
    applyRole();
  },
  () => undefined, // without a profile everything stays read-only
);
void start();

async function start(): Promise<void> {
  const config = await fetchConfig();
  showDemoBanner(byId('demo-banner'), config.simulated);
  const map = createMap({
    target: byId('map'),
    config,
    onBasemapUnavailable: () => (byId('basemap-notice').hidden = false),
  });
  const bbox = townBbox(config.center);
  const geodata = hqLayers.map((definition) => createDataLayer(definition, bbox));
  const reports = createReportsLayer({ tilesUrl: staffReportTilesUrl });
  // The layer switcher lists them top of the map first: field reports just under the shelters.
  const layers: DataLayer[] = [geodata[0], reports, ...geodata.slice(1)];
  layers.forEach((dataLayer) => addToMap(map, dataLayer));
  // Many reports are drawn from vector tiles instead of one feature each (core/layers/reportTiles.ts).
  if (reports.tiles) map.addLayer(reports.tiles);
  reports.layer.on('change:reportsMode' as 'change', () => (map.getTargetElement().dataset.reportsMode = reports.mode()));
  layers
    .find((l) => l.id === 'boundary')
    ?.loaded.then(
      (town) => fitTo(map, town, [16, panelWidth('live-panel'), 16, panelWidth('sidebar')]),
      () => undefined, // keep the configured view; the layer switcher reports the failure
    );
  const boundary = layers.find((l) => l.id === 'boundary');
  if (boundary) outlineTownWhileOfficial(boundary, situation);
  mountLayerSwitcher(byId('layer-list'), layers);
  markReadyWhenRendered(map, geodata.map((l) => l.loaded));

  let districtList: DistrictLevels | null = null;
  const panel = mountDetailsPanel(
    map,
    layers,
    situation,
    {
      ref: (id) => names.stationRef(id),
      name: (id) => names.station(id),
    },
    () => ({
      districtName: names.district,
      ...(districtList?.canIssue() ? { changeDistrictLevel: (id: string) => districtList?.openForm(id) } : {}),
    }),
  );
  details = panel;
  setReportDirectory({ report: (reportId) => situation.reports.get(reportId), districtName: names.district });
  const triage = mountTriageQueue(
    byId('triage-queue'),
    situation,
    (reportId) => {
      const feature = reports.feature(reportId);
      if (feature) panel.show(feature, 'reports', true);
    },
    byId('triage-badge'),
  );
  panel.onStationShown((id) => gauges.setPicked(id));
  let shelterList: ShelterList | null = null;
  let shelterFeatures: Feature[] = [];
  let districtFeatures: Feature[] = [];
  let stationFeatures: Feature[] = [];

  const showSituation = () => {
    applyShelterStatuses(shelterFeatures, situation.shelters);
    applyEvacuationLevels(districtFeatures, situation.districts);
    reports.sync(situation.reports.values());
    shelterList?.update();
    panel.refresh();
  };
  const showStations = () => {
    applyStationStates(stationFeatures, situation.stations, situation.known);
    panel.stationsChanged();
  };
  situation.onChange((change) => {
    if (concerns(change, situationKinds)) showSituation();
    if (concerns(change, stationKinds)) showStations();
    if (change.kind === 'events') {
      const refused = change.applied.flatMap(({ event }) =>
        event.kind === 'sensor_messages_refused' ? event.refusals.map((r) => r.stationId) : [],
      );
      if (refused.length > 0) panel.messagesRefused(refused);
    }
  });
  // A gauge goes silent without any event: look again every half minute.
  everyHalfMinute(showStations);

  const loaded = (id: MapLayerId) => layers.find((l) => l.id === id)?.loaded ?? Promise.reject(new Error(id));
  loaded('shelters').then(
    (features) => {
      shelterFeatures = features;
      names.add(features);
      shelterList = mountShelterList(byId('shelter-list'), features, (f) => panel.show(f, 'shelters', true));
      showSituation();
      activity.refresh();
    },
    () => undefined, // the layer switcher already reports the failure
  );
  loaded('districts').then(
    (features) => {
      districtFeatures = features;
      names.add(features);
      triage.setDistricts(features.map((f) => ({ id: String(f.get('id')), name_ja: f.get('name_ja'), name_en: f.get('name_en') })));
      districtList = mountDistrictLevels(byId('district-list'), {
        districts: features.map((f) => ({ id: String(f.get('id')), name_ja: f.get('name_ja'), name_en: f.get('name_en') })),
        situation,
        onPick: (id) => {
          const feature = features.find((f) => String(f.get('id')) === id);
          if (feature) panel.show(feature, 'districts', true);
        },
      });
      roleViews.push(districtList);
      signedIn.then(
        () => {
          applyRole();
          panel.refresh(); // a district's details may be open without its button
        },
        () => undefined, // without a profile the list stays read-only
      );
      showSituation();
      activity.refresh();
      alertList.refresh();
      recommendations.refresh();
    },
    () => undefined,
  );
  loaded('stations').then(
    (features) => {
      stationFeatures = features;
      names.addStations(features.map((f) => stationRefFromProps(f.getProperties())), true);
      showStations();
      activity.refresh();
    },
    () => undefined,
  );
  if (situation.known) {
    showSituation();
    showStations();
  }
  onLangChange(() => layers.forEach(({ layer }) => layer.changed()));
}

/** Shelter and district names from the geodata layers, gauges from /api/stations and the stations layer; ids until loaded. */
function placeNames(): PlaceNames & {
  add(features: Feature[]): void;
  /** `fillIn`: keep what is known already (the staff API's own entries win over the layer's). */
  addStations(stations: StationRef[], fillIn?: boolean): void;
  stationRef(id: string): StationRef | undefined;
} {
  const byFeatureId = new globalThis.Map<string, Feature>();
  const stations = new globalThis.Map<string, StationRef>();
  const name = (id: string) => {
    const feature = byFeatureId.get(id);
    return feature ? localName(feature.getProperties()) : id;
  };
  return {
    shelter: name,
    district: name,
    station: (id) => {
      const station = stations.get(id);
      return station ? stationName(station) : id;
    },
    gaugeType: (id) => stations.get(id)?.gaugeType,
    stationRef: (id) => stations.get(id),
    add: (features) => features.forEach((f) => byFeatureId.set(String(f.get('id')), f)),
    addStations: (list, fillIn = false) =>
      list.forEach((s) => {
        if (!fillIn || !stations.has(s.stationId)) stations.set(s.stationId, s);
      }),
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
