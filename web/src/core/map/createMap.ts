// The OpenLayers map both pages share: web-mercator view on the town, optional raster basemap
// that gives way to a plain background when its tiles cannot be had.
import Map from 'ol/Map';
import View from 'ol/View';
import { defaults as defaultControls } from 'ol/control/defaults';
import TileLayer from 'ol/layer/Tile';
import { fromLonLat } from 'ol/proj';
import XYZ from 'ol/source/XYZ';
import type Feature from 'ol/Feature';
import { createEmpty, extend, isEmpty } from 'ol/extent';
import type { MapConfig } from '../api';

export interface MapOptions {
  target: HTMLElement;
  config: MapConfig;
  /** Called once when the basemap is configured but its tiles do not load. */
  onBasemapUnavailable: () => void;
}

export function createMap({ target, config, onBasemapUnavailable }: MapOptions): Map {
  const map = new Map({
    target,
    controls: defaultControls({ attributionOptions: { collapsible: false } }),
    view: new View({ center: fromLonLat(config.center), zoom: config.zoom, maxZoom: 18, minZoom: 8 }),
  });
  const basemap = createBasemap(config, onBasemapUnavailable);
  if (basemap) map.addLayer(basemap);
  return map;
}

function createBasemap(config: MapConfig, onUnavailable: () => void): TileLayer<XYZ> | null {
  if (!config.basemap.url) return null;
  const source = new XYZ({ url: config.basemap.url, attributions: config.basemap.attribution, maxZoom: 18 });
  const layer = new TileLayer({ source, zIndex: 0 });
  let loaded = 0;
  let failed = 0;
  source.on('tileloadend', () => loaded++);
  source.on('tileloaderror', () => {
    failed++;
    // A few failures with nothing loaded means no tile server reachable (offline, blocked):
    // drop the layer so the vector data shows on the plain background without broken tiles.
    if (loaded === 0 && failed === 4) {
      layer.setVisible(false);
      onUnavailable();
    }
  });
  return layer;
}

/** Shows the whole of the given features (the town boundary), leaving `padding` pixels clear for panels. */
export function fitTo(map: Map, features: Feature[], padding: [number, number, number, number]): void {
  const extent = createEmpty();
  features.forEach((f) => {
    const geometry = f.getGeometry();
    if (geometry) extend(extent, geometry.getExtent());
  });
  if (!isEmpty(extent)) map.getView().fit(extent, { padding });
}
