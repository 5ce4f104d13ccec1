import { boundaryLayer } from './boundary';
import { districtsLayer } from './districts';
import { floodZonesLayer } from './floodZones';
import { landslideZonesLayer } from './landslideZones';
import { riversLayer } from './rivers';
import { sheltersLayer } from './shelters';
import { stationsLayer } from './stations';
import type { LayerDefinition } from './symbols';

/** Every HQ layer, in the order the layer switcher lists them (top of the map first). */
export const hqLayers: LayerDefinition[] = [
  sheltersLayer,
  stationsLayer,
  riversLayer,
  floodZonesLayer,
  landslideZonesLayer,
  districtsLayer,
  boundaryLayer,
];
