// The public view's map, loaded only when a resident asks for it (or after the page has loaded, on a wide screen):
// OpenLayers and the layer styles are this chunk's alone, so the list never waits for them. It draws the town, the
// gauges, the shelters (in their crowding colours, filtered like the list) and the verified reports, follows the
// live situation, and answers taps: a shelter picks its card, a gauge opens its chart, a report brings its card into
// view, an empty spot searches the nearest open shelters from there.
import 'ol/ol.css';
import type Feature from 'ol/Feature';
import type Map from 'ol/Map';
import type { Point } from 'ol/geom';
import { boundingExtent } from 'ol/extent';
import { toLonLat } from 'ol/proj';
import { fetchLayer, townBbox, type FeatureCollectionJson, type MapConfig } from '../core/api';
import type { ShelterProps } from '../core/geodata';
import { onLangChange } from '../core/i18n';
import { boundaryLayer } from '../core/layers/boundary';
import { clusterMembers, createReportsLayer } from '../core/layers/reports';
import { applyShelterStatuses, sheltersLayer } from '../core/layers/shelters';
import { applyStationStates, stationsLayer } from '../core/layers/stations';
import { setEmphasised } from '../core/layers/symbols';
import { concerns, shelterKinds, stationKinds, type Situation } from '../core/live/situation';
import { createMap, fitTo } from '../core/map/createMap';
import { addToMap, createDataLayer, markReadyWhenRendered } from '../core/map/dataLayer';
import { everyHalfMinute } from '../core/stations/stationFacts';

export interface PublicMapOptions {
  target: HTMLElement;
  config: MapConfig;
  situation: Situation;
  /** The layers the lists already fetched. */
  shelters: Promise<FeatureCollectionJson>;
  stations: Promise<FeatureCollectionJson>;
  /** Whether a shelter is shown (the hazard filter of the list). */
  shows(shelter: ShelterProps): boolean;
  pickShelter(shelterId: string | null): void;
  pickReport(reportId: number): void;
  openStation(stationId: string): void;
  searchFrom(lon: number, lat: number): void;
}

export interface PublicMap {
  /** Centres the map on a shelter and marks it. */
  showShelter(shelterId: string): void;
  showReport(reportId: number): void;
  /** Redraws after the filter changed. */
  redraw(): void;
}

export function mountPublicMap(options: PublicMapOptions): PublicMap {
  const { target, config, situation } = options;
  const bbox = townBbox(config.center);
  const map = createMap({ target, config, onBasemapUnavailable: () => undefined });
  const boundary = createDataLayer(boundaryLayer, bbox, { json: fetchLayer('boundary', bbox) });
  // Sites not designated for the chosen hazard disappear from the map as from the list.
  const shelterLayer = createDataLayer(sheltersLayer, bbox, {
    json: options.shelters,
    only: (feature) => options.shows(feature.getProperties() as ShelterProps),
  });
  const stationLayer = createDataLayer(stationsLayer, bbox, { json: options.stations });
  const reports = createReportsLayer();
  [boundary, stationLayer, shelterLayer, reports].forEach((dataLayer) => addToMap(map, dataLayer));
  reports.sync(situation.reports.values());

  let shelters: Feature[] = [];
  let stations: Feature[] = [];
  const redraw = () => {
    shelterLayer.layer.changed();
    stationLayer.layer.changed();
    reports.layer.changed();
  };

  shelterLayer.loaded.then(
    (features) => {
      shelters = features;
      applyShelterStatuses(shelters, situation.shelters);
    },
    () => undefined, // the list says the shelters could not be loaded
  );
  stationLayer.loaded.then(
    (features) => {
      stations = features;
      applyStationStates(stations, situation.stations, situation.known);
    },
    () => undefined,
  );
  boundary.loaded.then(
    (features) => fitTo(map, features, [8, 8, 8, 8]),
    () => undefined, // keep the configured view
  );
  markReadyWhenRendered(map, [boundary.loaded, shelterLayer.loaded, stationLayer.loaded]);

  situation.onChange((change) => {
    if (concerns(change, shelterKinds)) applyShelterStatuses(shelters, situation.shelters);
    if (concerns(change, stationKinds)) applyStationStates(stations, situation.stations, situation.known);
    if (concerns(change, ['field_report_submitted', 'field_report_updated', 'field_report_withdrawn'])) {
      reports.sync(situation.reports.values());
    }
  });
  // A gauge goes silent without any event.
  everyHalfMinute(() => applyStationStates(stations, situation.stations, situation.known));
  onLangChange(redraw);

  const centreOn = (feature: Feature, zoom: number) => {
    setEmphasised(feature);
    map.getAllLayers().forEach((layer) => layer.changed());
    const point = feature.getGeometry() as Point | undefined;
    if (point) map.getView().animate({ center: point.getCoordinates(), zoom, duration: 300 });
    target.scrollIntoView({ behavior: 'smooth', block: 'start' });
  };

  map.on('singleclick', (event) => {
    const at = (layer: unknown) =>
      map.forEachFeatureAtPixel(event.pixel, (f) => f as Feature, { hitTolerance: 8, layerFilter: (l) => l === layer });
    const report = at(reports.layer);
    if (report) {
      showReport(map, report);
      return;
    }
    const station = at(stationLayer.layer);
    if (station) {
      options.openStation(String(station.get('id')));
      return;
    }
    const shelter = at(shelterLayer.layer);
    setEmphasised(shelter ?? null);
    redraw();
    if (!shelter) {
      // An empty spot: search the nearest open shelters from there.
      const [lon, lat] = toLonLat(event.coordinate);
      options.searchFrom(lon, lat);
      options.pickShelter(null);
      return;
    }
    options.pickShelter(String(shelter.get('id')));
  });

  /** A report tapped on the map: a cluster zooms in to its reports, one report brings its card into view. */
  const showReport = (olMap: Map, feature: Feature) => {
    const members = clusterMembers(feature);
    if (members) {
      const extent = boundingExtent(members.map((f) => (f.getGeometry() as Point).getCoordinates()));
      olMap.getView().fit(extent, { duration: 300, padding: [60, 60, 60, 60], maxZoom: 17 });
      return;
    }
    options.pickReport(Number(feature.getId()));
  };

  return {
    showShelter(shelterId) {
      void shelterLayer.loaded.then((features) => {
        const feature = features.find((f) => String(f.get('id')) === shelterId);
        if (feature) centreOn(feature, 15);
      });
    },
    showReport(reportId) {
      const feature = reports.feature(reportId);
      if (feature) centreOn(feature, 16);
    },
    redraw,
  };
}
