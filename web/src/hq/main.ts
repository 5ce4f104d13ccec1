// HQ map page: every layer of the town, a layer switcher, legend, details of what is clicked.
import 'ol/ol.css';
import '../styles/common.css';
import '../styles/hq.css';
import type Feature from 'ol/Feature';
import type { FeatureLike } from 'ol/Feature';
import type Map from 'ol/Map';
import type { Point } from 'ol/geom';
import { fetchConfig, townBbox, type LayerId } from '../api';
import { byId } from '../dom';
import { applyStaticText, mountLanguageSwitch, onLangChange } from '../i18n';
import { hqLayers } from '../layers';
import { setEmphasised } from '../layers/symbols';
import { createMap, fitTo } from '../map/createMap';
import { createDataLayer, markReadyWhenRendered, type DataLayer } from '../map/dataLayer';
import { showSignedInUser } from './account';
import { describeFeature } from './featureDetails';
import { mountLayerSwitcher } from './layerSwitcher';
import { mountLegend } from './legend';
import { mountShelterList } from './shelterList';

applyStaticText(document);
mountLanguageSwitch(byId('language-switch'));
mountLegend(byId('legend-list'));

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
  const layers = hqLayers.map((definition) => createDataLayer(definition, bbox));
  layers.forEach(({ layer }) => map.addLayer(layer));
  layers
    .find((l) => l.id === 'boundary')
    ?.loaded.then(
      (town) => fitTo(map, town, [16, 16, 16, byId('sidebar').offsetWidth + 24]),
      () => undefined, // keep the configured view; the layer switcher reports the failure
    );
  mountLayerSwitcher(byId('layer-list'), layers);
  markReadyWhenRendered(map, layers.map((l) => l.loaded));

  const details = mountDetailsPanel(map, layers);
  const shelters = layers.find((l) => l.id === 'shelters');
  shelters?.loaded.then(
    (features) => mountShelterList(byId('shelter-list'), features, (f) => details.show(f, 'shelters', true)),
    () => undefined, // the layer switcher already reports the failure
  );
  onLangChange(() => layers.forEach(({ layer }) => layer.changed()));
}

function mountDetailsPanel(map: Map, layers: DataLayer[]) {
  const panel = byId('details');
  const title = byId('details-title');
  const body = byId('details-body');
  let shown: { feature: Feature; layerId: LayerId } | null = null;

  const layerOf = (feature: FeatureLike): LayerId | undefined =>
    layers.find(({ layer }) => layer.getSource()?.hasFeature(feature as Feature))?.id;

  const redrawPoints = () =>
    layers.filter((l) => l.id === 'shelters' || l.id === 'stations').forEach(({ layer }) => layer.changed());

  const render = () => {
    if (!shown) return;
    const described = describeFeature(shown.layerId, shown.feature.getProperties());
    title.textContent = described.title;
    byId('details-kind').textContent = described.kind;
    body.replaceChildren(described.body);
  };

  const show = (feature: Feature, layerId: LayerId, fromList: boolean) => {
    shown = { feature, layerId };
    render();
    panel.hidden = false;
    setEmphasised(feature);
    redrawPoints();
    if (fromList) {
      const point = feature.getGeometry() as Point | undefined;
      if (point) map.getView().animate({ center: point.getCoordinates(), zoom: Math.max(map.getView().getZoom() ?? 14, 14), duration: 300 });
      title.focus();
    }
  };

  const hide = () => {
    if (panel.contains(document.activeElement)) map.getTargetElement().focus();
    shown = null;
    panel.hidden = true;
    setEmphasised(null);
    redrawPoints();
  };

  const featureAt = (pixel: number[]) =>
    map.forEachFeatureAtPixel(pixel, (feature) => feature, { hitTolerance: 6 });

  map.on('singleclick', (event) => {
    const feature = featureAt(event.pixel);
    const layerId = feature && layerOf(feature);
    if (feature && layerId) show(feature as Feature, layerId, false);
    else hide();
  });

  // Hovering a point shows its name; the map cursor tells what is clickable.
  map.on('pointermove', (event) => {
    if (event.dragging) return;
    const feature = featureAt(event.pixel);
    map.getTargetElement().style.cursor = feature ? 'pointer' : '';
    if (shown) return; // keep the picked feature emphasised
    const layerId = feature && layerOf(feature);
    const point = layerId === 'shelters' || layerId === 'stations' ? feature : null;
    if (setEmphasised(point ?? null)) redrawPoints();
  });

  byId('details-close').addEventListener('click', hide);
  panel.addEventListener('keydown', (event) => {
    if (event.key === 'Escape') hide();
  });
  onLangChange(render);
  return { show };
}
