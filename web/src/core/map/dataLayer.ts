// A vector layer filled from /api/layers/{id}, and the "map ready" hook browser tests wait for.
import type Map from 'ol/Map';
import type Feature from 'ol/Feature';
import GeoJSON from 'ol/format/GeoJSON';
import VectorLayer from 'ol/layer/Vector';
import VectorSource from 'ol/source/Vector';
import { fetchLayer, type FeatureCollectionJson } from '../api';
import type { StyleFunction } from 'ol/style/Style';
import { declutterGroup, type LayerDefinition, type MapLayerId } from '../layers/symbols';

export interface DataLayer {
  id: MapLayerId;
  /** The features: what is clicked, shown and hidden. */
  layer: VectorLayer<VectorSource<Feature>>;
  /** Their labels, beneath every symbol (LayerDefinition.labels); shown, hidden and redrawn with `layer`. */
  labels?: VectorLayer<VectorSource<Feature>>;
  /** Resolves with the features once loaded; rejects when the server cannot give them. */
  loaded: Promise<Feature[]>;
}

export interface DataLayerOptions {
  /** Draws only the features for which this holds (the public page's hazard filter). */
  only?: (feature: Feature) => boolean;
  /** The layer's GeoJSON when the page has fetched it already (the public view's lists), instead of fetching it again. */
  json?: Promise<FeatureCollectionJson>;
}

/** Puts the layer and its labels on the map. */
export function addToMap(map: Map, dataLayer: DataLayer): void {
  map.addLayer(dataLayer.layer);
  if (dataLayer.labels) map.addLayer(dataLayer.labels);
}

function filtered(style: StyleFunction, only: DataLayerOptions['only']): StyleFunction {
  return only ? (feature, resolution) => (only(feature as Feature) ? style(feature, resolution) : undefined) : style;
}

/** The layer that draws `labels` for `layer`'s features, following its visibility and redraws. */
export function labelLayer(
  layer: VectorLayer<VectorSource<Feature>>,
  labels: NonNullable<LayerDefinition['labels']>,
  only?: DataLayerOptions['only'],
): VectorLayer<VectorSource<Feature>> {
  const labelsLayer = new VectorLayer({
    source: layer.getSource()!,
    style: filtered(labels.style, only),
    zIndex: labels.zIndex,
    declutter: declutterGroup,
    visible: layer.getVisible(),
  });
  labelsLayer.set('labelsOf', layer.get('layerId'));
  layer.on('change:visible', () => labelsLayer.setVisible(layer.getVisible()));
  // A style change (the language, the picked feature) redraws the labels too.
  layer.on('change', () => labelsLayer.changed());
  return labelsLayer;
}

const geojson = new GeoJSON({ dataProjection: 'EPSG:4326', featureProjection: 'EPSG:3857' });

export function createDataLayer(definition: LayerDefinition, bbox: [number, number, number, number], options: DataLayerOptions = {}): DataLayer {
  const source = new VectorSource<Feature>();
  const layer = new VectorLayer({
    source,
    style: filtered(definition.style, options.only),
    zIndex: definition.zIndex,
    declutter: declutterGroup,
  });
  layer.set('layerId', definition.id);
  const labels = definition.labels ? labelLayer(layer, definition.labels, options.only) : undefined;
  const loaded = (options.json ?? fetchLayer(definition.id, bbox)).then((json) => {
    const features = geojson.readFeatures(json) as Feature[];
    // Data that must be credited (e.g. 出典：国土地理院 on shelters) is credited while its layer shows.
    const credits = [...new Set(features.map((f) => f.get('attribution')).filter((a) => typeof a === 'string'))];
    if (credits.length > 0) source.setAttributions(credits as string[]);
    source.addFeatures(features);
    return features;
  });
  return { id: definition.id, layer, labels, loaded };
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
