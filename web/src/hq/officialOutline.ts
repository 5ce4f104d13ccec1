// On the HQ map, the town's boundary drawn with a broad dashed blue band while an official warning is in force: the
// warnings name the town (高畠町, 0638100) as their area, so the town's outline is the area they cover. Blue like the
// 公式 mark, apart from the red and purple of the town's own estimates and levels.
import { Stroke, Style } from 'ol/style';
import type { StyleFunction } from 'ol/style/Style';
import { concerns, type Situation } from '../core/live/situation';
import type { DataLayer } from '../core/map/dataLayer';
import { subscriptions, type Mounted } from '../core/mounted';

export const officialColor = '#0b3d91';

const band = new Style({ stroke: new Stroke({ color: officialColor, width: 9, lineDash: [14, 8] }), zIndex: -1 });

/** The boundary's own styles, under them the band while any official warning is in force. */
export function withOfficialBand(style: StyleFunction, inForce: () => boolean): StyleFunction {
  return (feature, resolution) => {
    const own = style(feature, resolution);
    if (!inForce()) return own;
    const list = own === undefined ? [] : Array.isArray(own) ? own : [own];
    return [band, ...list];
  };
}

export function outlineTownWhileOfficial(boundary: DataLayer, situation: Situation): Mounted {
  const layer = boundary.layer;
  const own = layer.getStyleFunction();
  if (!own) return { dispose: () => undefined };
  const inForce = () => [...situation.officialWarnings.values()].some((w) => w.status === 'in_force');
  layer.setStyle(withOfficialBand(own, inForce));
  const subs = subscriptions();
  subs.add(
    situation.onChange((change) => {
      if (concerns(change, ['official_warning_changed', 'drill_ended'])) layer.changed();
    }),
  );
  return {
    dispose() {
      subs.dispose();
      layer.setStyle(own);
    },
  };
}

