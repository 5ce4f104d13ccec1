import { Fill, Stroke, Style } from 'ol/style';
import { hatch, illustrativeDash, type LayerDefinition } from './symbols';

export const landslideColor = '#a0520f';
const specialColor = '#7a2e0a';

const fills = new Map<string, Fill>();

/** 特別警戒区域 (special warning zone) is darker and has a heavier rim than 警戒区域. */
function fillFor(special: boolean, illustrative: boolean): Fill {
  const key = `${special}-${illustrative}`;
  let fill = fills.get(key);
  if (!fill) {
    const background = special ? 'rgba(170,70,20,0.38)' : 'rgba(214,120,30,0.26)';
    fill = new Fill({ color: illustrative ? hatch('rgba(122,46,10,0.65)', background) : background });
    fills.set(key, fill);
  }
  return fill;
}

export const landslideZonesLayer: LayerDefinition = {
  id: 'landslide-zones',
  zIndex: 6,
  style: (feature) => {
    const illustrative = feature.get('illustrative') === true;
    const special = String(feature.get('zone_type') ?? '').includes('特別');
    return new Style({
      fill: fillFor(special, illustrative),
      stroke: new Stroke({
        color: special ? specialColor : landslideColor,
        width: special ? 2.5 : 1.5,
        lineDash: illustrative ? illustrativeDash : undefined,
      }),
    });
  },
};
