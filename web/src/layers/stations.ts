import { Circle, Fill, RegularShape, Stroke, Style } from 'ol/style';
import { localName } from '../i18n';
import { isEmphasised, label, type LayerDefinition } from './symbols';

export const waterGaugeColor = '#0d47a1';
export const rainGaugeColor = '#00695c';

/**
 * Water-level gauges are diamonds, rain gauges circles, so the kind reads without colour.
 * Illustrative or approximately placed gauges are hollow with a dashed rim.
 */
function marker(kind: unknown, hollow: boolean) {
  const color = kind === 'water_level' ? waterGaugeColor : rainGaugeColor;
  const fill = new Fill({ color: hollow ? '#ffffff' : color });
  const stroke = new Stroke({ color: hollow ? color : '#ffffff', width: 2, lineDash: hollow ? [3, 2] : undefined });
  return kind === 'water_level'
    ? new RegularShape({ points: 4, radius: 10, angle: 0, fill, stroke })
    : new Circle({ radius: 7, fill, stroke });
}

export const stationsLayer: LayerDefinition = {
  id: 'stations',
  zIndex: 40,
  style: (feature) => {
    const props = feature.getProperties();
    const hollow = props.illustrative === true || props.location_approximate === true;
    return new Style({
      image: marker(props.kind, hollow),
      text: isEmphasised(feature) ? label(localName(props), { offsetY: -18 }) : undefined,
    });
  },
};
