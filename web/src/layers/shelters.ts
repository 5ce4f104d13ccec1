import { Fill, RegularShape, Stroke, Style } from 'ol/style';
import { localName } from '../i18n';
import { isEmphasised, label, type LayerDefinition } from './symbols';

export const shelterColor = '#1b7a36';

/** Shelters are upward triangles; illustrative ones are hollow with a dashed rim. */
export function shelterMarker(illustrative: boolean, size = 11): RegularShape {
  return new RegularShape({
    points: 3,
    radius: size,
    angle: 0,
    fill: new Fill({ color: illustrative ? '#ffffff' : shelterColor }),
    stroke: new Stroke({
      color: illustrative ? shelterColor : '#ffffff',
      width: 2,
      lineDash: illustrative ? [3, 2] : undefined,
    }),
  });
}

const real = shelterMarker(false);
const illustrative = shelterMarker(true);
const realLarge = shelterMarker(false, 15);

export const sheltersLayer: LayerDefinition = {
  id: 'shelters',
  zIndex: 50,
  style: (feature) => {
    const props = feature.getProperties();
    const emphasised = isEmphasised(feature);
    return new Style({
      image: props.illustrative === true ? illustrative : emphasised ? realLarge : real,
      text: emphasised
        ? label(localName(props), {
            offsetY: -24,
            backgroundFill: new Fill({ color: 'rgba(255,255,255,0.92)' }),
            backgroundStroke: new Stroke({ color: shelterColor, width: 1 }),
            padding: [2, 4, 2, 4],
          })
        : undefined,
      zIndex: emphasised ? 1 : 0,
    });
  },
};
