import type Feature from 'ol/Feature';
import type { FeatureLike } from 'ol/Feature';
import { Fill, RegularShape, Stroke, Style } from 'ol/style';
import { localName, t } from '../i18n';
import type { CrowdingBand, ShelterState } from '../live/situationMessages';
import { crowdingLabel } from '../shelterFacts';
import { isEmphasised, label, type LayerDefinition } from './symbols';

export const shelterColor = '#1b7a36';
export const closedShelterColor = '#6b6b6b';

/** Band colours, each dark enough for white text (≥ 4.5:1); the band is always written out beside the symbol too. */
export const crowdingColors: Record<Exclude<CrowdingBand, 'closed'>, string> = {
  available: shelterColor,
  somewhat_crowded: '#8a5a00',
  crowded: '#b34700',
  full: '#b00020',
  unknown: '#3f5563',
};

/** Feature property holding the shelter's live status (ShelterState), set from the situation hub. */
const statusProperty = 'liveStatus';

export function shelterStatus(feature: FeatureLike): ShelterState | undefined {
  return feature.get(statusProperty) as ShelterState | undefined;
}

/** Puts each shelter's live status on its feature; the layer redraws the ones that changed. */
export function applyShelterStatuses(features: Feature[], statuses: Map<string, ShelterState>): void {
  for (const feature of features) {
    const status = statuses.get(String(feature.get('id')));
    if (feature.get(statusProperty) !== status) feature.set(statusProperty, status);
  }
}

/**
 * Shelters are upward triangles. Before live status is known they are green; then open shelters are filled in
 * their crowding colour with the band written beside them, closed ones grey and hollow. Illustrative ones keep a
 * dashed rim.
 */
export function shelterMarker(illustrative: boolean, size = 11, color = shelterColor, hollow = illustrative): RegularShape {
  return new RegularShape({
    points: 3,
    radius: size,
    angle: 0,
    fill: new Fill({ color: hollow ? '#ffffff' : color }),
    stroke: new Stroke({
      color: hollow ? color : '#ffffff',
      width: hollow ? 2.5 : 2,
      lineDash: illustrative ? [3, 2] : undefined,
    }),
    // Symbols always show, and labels of every layer give way to them.
    declutterMode: 'obstacle',
  });
}

const markers = new Map<string, RegularShape>();

function markerFor(status: ShelterState | undefined, illustrative: boolean, emphasised: boolean): RegularShape {
  const open = status?.open ?? true;
  const color = !status ? shelterColor : open ? crowdingColors[status.crowding as keyof typeof crowdingColors] ?? shelterColor : closedShelterColor;
  const key = `${color}-${open}-${illustrative}-${emphasised}`;
  let marker = markers.get(key);
  if (!marker) {
    marker = shelterMarker(illustrative, emphasised ? 15 : 11, color, illustrative || !open);
    markers.set(key, marker);
  }
  return marker;
}

function bandLabel(status: ShelterState, emphasised: boolean) {
  const color = crowdingColors[status.crowding as keyof typeof crowdingColors] ?? shelterColor;
  // Unsuitable for an active hazard: a cross before the band, so it does not rest on colour (the list says why).
  const text = status.suitability?.suitable === false ? `✕ ${crowdingLabel(status.crowding)}` : crowdingLabel(status.crowding);
  return label(text, {
    font: 'bold 12px system-ui, "Noto Sans CJK JP", sans-serif',
    // Clear of the triangle's own box (radius 11, or 15 when picked), which the band must not overlap either.
    offsetY: emphasised ? 28 : 24,
    fill: new Fill({ color: '#ffffff' }),
    stroke: undefined,
    backgroundFill: new Fill({ color }),
    backgroundStroke: new Stroke({ color: '#ffffff', width: 1.5 }),
    padding: [1, 4, 0, 4],
  });
}

export const sheltersLayer: LayerDefinition = {
  id: 'shelters',
  zIndex: 50,
  style: (feature) => {
    const props = feature.getProperties();
    const status = shelterStatus(feature);
    const emphasised = isEmphasised(feature);
    return new Style({
      image: markerFor(status, props.illustrative === true, emphasised),
      // The picked or pointed-at shelter's name, placed before every other label (its layer is above theirs).
      text: emphasised
        ? label(status && !status.open ? `${localName(props)}${t('closedSuffix')}` : localName(props), {
            offsetY: -24,
            backgroundFill: new Fill({ color: 'rgba(255,255,255,0.92)' }),
            backgroundStroke: new Stroke({ color: shelterColor, width: 1 }),
            padding: [2, 4, 2, 4],
          })
        : undefined,
      zIndex: emphasised ? 2 : status?.open ? 1 : 0,
    });
  },
  // Under the gauges' labels and the districts' levels.
  labels: {
    zIndex: 42,
    style: (feature) => {
      const status = shelterStatus(feature);
      if (!status?.open) return undefined;
      // Fuller shelters' bands first.
      const emphasised = isEmphasised(feature);
      return new Style({ text: bandLabel(status, emphasised), zIndex: (emphasised ? 10 : 0) + crowdingRank(status.crowding) });
    },
  },
};

function crowdingRank(band: CrowdingBand): number {
  return ['unknown', 'available', 'somewhat_crowded', 'crowded', 'full'].indexOf(band) + 1;
}
