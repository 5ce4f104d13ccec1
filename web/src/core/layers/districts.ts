import type Feature from 'ol/Feature';
import type { FeatureLike } from 'ol/Feature';
import { Fill, Stroke, Style } from 'ol/style';
import { isIssued, levelShortText, type IssuedLevel } from '../evacuationLevels';
import { localName } from '../i18n';
import type { DistrictEvacuation } from '../live/situationMessages';
import { isEmphasised, label, type LayerDefinition } from './symbols';

// Neighbouring districts share edges drawn in opposite directions; short dashes with long gaps
// stay visibly broken where two of them overlap.
const sharedEdgeDash = [3, 7];

export const districtColor = '#6a3d9a';

/**
 * The colours residents know for 警戒レベル (3 red, 4 purple, 5 black), darkened where white text sits on them.
 * The level is also written on the map, and the rim grows heavier with the level, so colour is never the only cue.
 */
export const levelColors: Record<IssuedLevel, { fill: string; line: string; width: number }> = {
  3: { fill: 'rgba(255,40,0,0.16)', line: '#c41a00', width: 2.5 },
  4: { fill: 'rgba(170,0,170,0.22)', line: '#8e008e', width: 3.5 },
  5: { fill: 'rgba(12,0,12,0.32)', line: '#0c000c', width: 4.5 },
};

// Without a fill a polygon is only hit on its rim; a clear fill lets a pointer anywhere in a district find it.
const clear = new Fill({ color: 'rgba(0,0,0,0)' });

/** Feature property holding the district's DistrictEvacuation, set from the situation hub. */
const levelProperty = 'evacuation';

export function districtEvacuation(feature: FeatureLike): DistrictEvacuation | undefined {
  return feature.get(levelProperty) as DistrictEvacuation | undefined;
}

export function applyEvacuationLevels(features: Feature[], districts: Map<string, DistrictEvacuation>): void {
  for (const feature of features) {
    const evacuation = districts.get(String(feature.get('id')));
    if (feature.get(levelProperty) !== evacuation) feature.set(levelProperty, evacuation);
  }
}

export const districtsLayer: LayerDefinition = {
  id: 'districts',
  zIndex: 20,
  style: (feature) => {
    const props = feature.getProperties();
    const evacuation = districtEvacuation(feature);
    const level = evacuation?.level ?? 0;
    const issued = isIssued(level) ? levelColors[level] : null;
    const emphasised = isEmphasised(feature);
    return new Style({
      fill: issued ? new Fill({ color: issued.fill }) : clear,
      stroke: new Stroke({
        color: issued?.line ?? districtColor,
        width: (issued?.width ?? 1.5) + (emphasised ? 1.5 : 0),
        lineDash: props.illustrative === true ? sharedEdgeDash : undefined,
      }),
      // The lowest labels (the lowest layer that writes any): a district's name gives way to everything else.
      text: label(localName(props), { font: 'bold 15px system-ui, "Noto Sans CJK JP", sans-serif' }),
    });
  },
  // The level written out (so colour is never the only cue) is placed before shelter bands and every name but the
  // gauges': its own layer sits above theirs.
  labels: {
    zIndex: 43,
    style: (feature) => {
      const evacuation = districtEvacuation(feature);
      const level = evacuation?.level ?? 0;
      const issued = isIssued(level) ? levelColors[level] : null;
      // Written under the name when one is in force, and on hover for any district the hub has reported.
      if (!evacuation || !(issued || isEmphasised(feature))) return undefined;
      return new Style({
        text: label(levelShortText(level), {
          // Clear of the name above it, or decluttering would keep only one of the two.
          offsetY: 24,
          font: 'bold 13px system-ui, "Noto Sans CJK JP", sans-serif',
          fill: new Fill({ color: issued ? '#ffffff' : '#1a1a1a' }),
          stroke: undefined,
          backgroundFill: new Fill({ color: issued?.line ?? 'rgba(255,255,255,0.92)' }),
          backgroundStroke: new Stroke({ color: issued ? '#ffffff' : districtColor, width: 1 }),
          padding: [2, 5, 1, 5],
        }),
        // A higher level first.
        zIndex: level,
      });
    },
  },
};
