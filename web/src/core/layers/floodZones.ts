import { Fill, Stroke, Style } from 'ol/style';
import { hatch, illustrativeDash, type LayerDefinition } from './symbols';

export const floodColor = '#1e73d2';

/** Deeper expected inundation is drawn darker: depth_rank reads like "0.5m未満", "0.5〜3.0m", "3.0〜5.0m". */
function depthBand(depthRank: unknown): 0 | 1 | 2 {
  if (typeof depthRank !== 'string') return 1;
  const lower = Number.parseFloat(depthRank);
  if (Number.isNaN(lower) || depthRank.includes('未満')) return 0;
  return lower < 3 ? 1 : 2;
}

const opacity = [0.14, 0.26, 0.4];
const fills = new Map<string, Fill>();

function fillFor(band: 0 | 1 | 2, illustrative: boolean): Fill {
  const key = `${band}-${illustrative}`;
  let fill = fills.get(key);
  if (!fill) {
    const background = `rgba(30,115,210,${opacity[band]})`;
    fill = new Fill({ color: illustrative ? hatch('rgba(21,101,192,0.6)', background) : background });
    fills.set(key, fill);
  }
  return fill;
}

export const floodZonesLayer: LayerDefinition = {
  id: 'flood-zones',
  zIndex: 5,
  style: (feature) => {
    const illustrative = feature.get('illustrative') === true;
    return new Style({
      fill: fillFor(depthBand(feature.get('depth_rank')), illustrative),
      stroke: new Stroke({ color: floodColor, width: 1.5, lineDash: illustrative ? illustrativeDash : undefined }),
    });
  },
};
