import { Stroke, Style } from 'ol/style';
import type { LayerDefinition } from './symbols';

export const boundaryColor = '#2b2b2b';

const styles = [
  new Style({ stroke: new Stroke({ color: 'rgba(255,255,255,0.9)', width: 6 }) }),
  new Style({ stroke: new Stroke({ color: boundaryColor, width: 2.5 }) }),
];

export const boundaryLayer: LayerDefinition = {
  id: 'boundary',
  zIndex: 10,
  style: () => styles,
};
