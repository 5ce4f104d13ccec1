// A vector layer filled from /api/layers/{id}, and the "map ready" hook browser tests wait for.
import type Map from 'ol/Map';
import type Feature from 'ol/Feature';
import GeoJSON from 'ol/format/GeoJSON';
import VectorLayer from 'ol/layer/Vector';
import VectorSource from 'ol/source/Vector';
import { fetchLayer } from '../api';
import type { LayerDefinition, MapLayerId } from '../layers/symbols';

export interface DataLayer {
  id: MapLayerId;
  layer: VectorLayer<VectorSource<Feature>>;
  /** Resolves with the features once loaded; rejects when the server cannot give them. */
  loaded: Promise<Feature[]>;
}

const geojson = new GeoJSON({ dataProjection: 'EPSG:4326', featureProjection: 'EPSG:3857' });

export function createDataLayer(definition: LayerDefinition, bbox: [number, number, number, number]): DataLayer {
  const source = new VectorSource<Feature>();
  const layer = new VectorLayer({ source, style: definition.style, zIndex: definition.zIndex, declutter: definition.declutter });
  layer.set('layerId', definition.id);
  const loaded = fetchLayer(definition.id, bbox).then((json) => {
    const features = geojson.readFeatures(json) as Feature[];
    // Data that must be credited (e.g. 出典：国土地理院 on shelters) is credited while its layer shows.
    const credits = [...new Set(features.map((f) => f.get('attribution')).filter((a) => typeof a === 'string'))];
    if (credits.length > 0) source.setAttributions(credits as string[]);
    source.addFeatures(features);
    return features;
  });
  return { id: definition.id, layer, loaded };
}

/**
 * Sets `document.body.dataset.mapReady = "true"` after every layer has settled (loaded or failed)
 * and the map has then rendered completely once.
 */
export function markReadyWhenRendered(map: Map, loads: Promise<unknown>[]): void {
  void Promise.allSettled(loads).then(() => {
    map.once('rendercomplete', () => {
      document.body.dataset.mapReady = 'true';
    });
    map.render();
  });
}
