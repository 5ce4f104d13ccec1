import { Stroke, Style } from 'ol/style';
import { localName } from '../i18n';
import { label, type LayerDefinition } from './symbols';

// Neighbouring districts share edges drawn in opposite directions; short dashes with long gaps
// stay visibly broken where two of them overlap.
const sharedEdgeDash = [3, 7];

export const districtColor = '#6a3d9a';

export const districtsLayer: LayerDefinition = {
  id: 'districts',
  zIndex: 20,
  style: (feature) => {
    const props = feature.getProperties();
    return new Style({
      stroke: new Stroke({
        color: districtColor,
        width: 1.5,
        lineDash: props.illustrative === true ? sharedEdgeDash : undefined,
      }),
      text: label(localName(props), { font: 'bold 15px system-ui, "Noto Sans CJK JP", sans-serif' }),
    });
  },
};
