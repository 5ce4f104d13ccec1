// Gauges on the map, moved on by the live situation. Water-level gauges are diamonds that grow with the stage, filled in
// its colour, with "!" from 避難判断 up; rain gauges are circles. Under each, a label says the stage and the value
// ("注意 2.34 m ↑", "12 mm/h"). A silent gauge is grey, hollow and dashed, labelled "欠測", never drawn as a zero.
// An approximately placed or illustrative gauge keeps its fill and gets a dashed rim.
import type Feature from 'ol/Feature';
import type { FeatureLike } from 'ol/Feature';
import { Circle, Fill, RegularShape, Stroke, Style, Text } from 'ol/style';
import { localName } from '../i18n';
import type { StationState } from '../live/situationMessages';
import {
  conditionColors,
  conditionText,
  isUrgent,
  rainGaugeColor,
  rainLabelColors,
  stageRank,
  stationCondition,
  symbolRadius,
  type StationCondition,
  type StationKind,
} from '../stations/stationFacts';
import { isEmphasised, label, type LayerDefinition } from './symbols';

/** Feature properties set from the situation hub: the gauge's state and the condition judged from it. */
const stateProperty = 'liveState';
const conditionProperty = 'condition';

function stationState(feature: FeatureLike): StationState | undefined {
  return feature.get(stateProperty) as StationState | undefined;
}

function stationConditionOf(feature: FeatureLike): StationCondition | undefined {
  return feature.get(conditionProperty) as StationCondition | undefined;
}

/**
 * Puts each gauge's state and condition on its feature; only the ones that changed redraw. Called on every state change
 * and on a clock, since a gauge goes silent without any event.
 */
export function applyStationStates(features: Feature[], states: Map<string, StationState>, known: boolean, now = new Date()): void {
  for (const feature of features) {
    const state = states.get(String(feature.get('id')));
    const condition = stationCondition(state, known, now);
    if (feature.get(stateProperty) !== state || feature.get(conditionProperty) !== condition) {
      feature.setProperties({ [stateProperty]: state, [conditionProperty]: condition });
    }
  }
}

const markers = new Map<string, RegularShape | Circle>();

function marker(kind: StationKind, condition: StationCondition | undefined, dashedRim: boolean, emphasised: boolean) {
  const key = `${kind}-${condition}-${dashedRim}-${emphasised}`;
  let shape = markers.get(key);
  if (shape) return shape;
  const grow = emphasised ? 3 : 0;
  if (condition === 'no_data') {
    const fill = new Fill({ color: '#ffffff' });
    const stroke = new Stroke({ color: conditionColors.no_data.line, width: 2.5, lineDash: [3, 2] });
    shape =
      kind === 'rain'
        ? new Circle({ radius: 7 + grow, fill, stroke, declutterMode: 'obstacle' })
        : new RegularShape({ points: 4, radius: 9 + grow, angle: 0, fill, stroke, declutterMode: 'obstacle' });
  } else if (kind === 'rain') {
    shape = new Circle({
      radius: 7 + grow,
      fill: new Fill({ color: rainGaugeColor }),
      stroke: new Stroke({ color: dashedRim ? '#1a1a1a' : '#ffffff', width: 2, lineDash: dashedRim ? [3, 2] : undefined }),
      declutterMode: 'obstacle',
    });
  } else {
    // Before the situation is known the gauge is drawn as normal without a label.
    const stage = condition ?? 'normal';
    const urgent = isUrgent(stage);
    const dark = stage !== 'normal' || dashedRim;
    shape = new RegularShape({
      points: 4,
      radius: symbolRadius(stage) + grow,
      angle: 0,
      fill: new Fill({ color: conditionColors[stage].fill }),
      stroke: new Stroke({ color: dark ? '#1a1a1a' : '#ffffff', width: urgent ? 2.5 : 2, lineDash: dashedRim ? [3, 2] : undefined }),
      declutterMode: 'obstacle',
    });
  }
  markers.set(key, shape);
  return shape;
}

// Part of the symbol, inside it: never decluttered against it.
const exclamation = (color: string) =>
  new Text({ text: '!', font: 'bold 13px system-ui, sans-serif', fill: new Fill({ color }), offsetY: 1, declutterMode: 'none' });

function stateLabel(kind: StationKind, state: StationState | undefined, condition: StationCondition, offsetY: number): Text {
  const colors =
    condition === 'no_data'
      ? { fill: '#ffffff', text: conditionColors.no_data.text, rim: conditionColors.no_data.line }
      : kind === 'rain'
        ? { ...rainLabelColors(state?.rain?.sixtyMinutes ?? 0), rim: rainGaugeColor }
        : { fill: conditionColors[condition].fill, text: conditionColors[condition].text, rim: '#1a1a1a' };
  return label(conditionText(kind, state, condition), {
    offsetY,
    font: `bold 12px system-ui, "Noto Sans CJK JP", sans-serif`,
    fill: new Fill({ color: colors.text }),
    stroke: undefined,
    backgroundFill: new Fill({ color: colors.fill }),
    backgroundStroke: new Stroke({ color: colors.rim, width: 1, lineDash: condition === 'no_data' ? [3, 2] : undefined }),
    padding: [1, 4, 0, 4],
  });
}

/** 0–5: how much a gauge's label matters, by stage (water) or by the hour's rain against the town's 30 / 50 mm lines. */
function priority(kind: StationKind, state: StationState | undefined, condition: StationCondition | undefined): number {
  if (!condition || condition === 'no_data') return 0;
  if (kind === 'rain') {
    const hour = state?.rain?.sixtyMinutes ?? 0;
    return hour >= 50 ? 4 : hour >= 30 ? 3 : 1;
  }
  return Math.max(1, stageRank(condition));
}

function nameLabel(feature: FeatureLike, radius: number, emphasised: boolean): Text {
  return label(localName(feature.getProperties()), {
    // Clear of the symbol's own box (radius plus its rim), which labels of this gauge must not overlap either.
    offsetY: -(radius + 13),
    font: `bold ${emphasised ? 14 : 12}px system-ui, "Noto Sans CJK JP", sans-serif`,
  });
}

function looks(feature: FeatureLike) {
  const props = feature.getProperties();
  const kind: StationKind = props.kind === 'rain' ? 'rain' : 'water_level';
  const condition = stationConditionOf(feature);
  const state = stationState(feature);
  const emphasised = isEmphasised(feature);
  const dashedRim = props.illustrative === true || props.location_approximate === true;
  const image = marker(kind, condition, dashedRim, emphasised);
  const radius = image instanceof Circle ? image.getRadius() : (image as RegularShape).getRadius();
  // The gauge picked first, then higher stages (or heavier rain).
  const rank = priority(kind, state, condition) + (emphasised ? 20 : 0);
  return { kind, condition, state, emphasised, image, radius, rank };
}

/**
 * A gauge at 避難判断 or above, or under heavy rain (50 mm/h): its labels are placed with the symbols, before every
 * other symbol and label of the map, and drawn over them. Everywhere else symbols win over labels.
 */
function labelsFirst(kind: StationKind, state: StationState | undefined, condition: StationCondition | undefined): boolean {
  return priority(kind, state, condition) >= 4;
}

function gaugeLabels(feature: FeatureLike, zIndexBase: number, withName: boolean): Style[] {
  const { kind, condition, state, radius, rank } = looks(feature);
  const styles: Style[] = [];
  // Both labels of a gauge in danger before either of a quieter gauge's; its stage before its name.
  if (withName) styles.push(new Style({ text: nameLabel(feature, radius, false), zIndex: zIndexBase + rank * 2 }));
  if (condition) styles.push(new Style({ text: stateLabel(kind, state, condition, radius + 11), zIndex: zIndexBase + rank * 2 + 1 }));
  return styles;
}

/** Above every symbol's zIndex within the layer: placed before them. */
const firstLabels = 100;

export const stationsLayer: LayerDefinition = {
  id: 'stations',
  // Over the shelters: only a handful of gauges, and their labels must stay readable where shelters crowd.
  zIndex: 55,
  style: (feature) => {
    const { kind, condition, state, emphasised, image, radius, rank } = looks(feature);
    // The picked gauge's name is placed with its symbol, before the labels of the layers below.
    const styles = [new Style({ image, text: emphasised ? nameLabel(feature, radius, true) : undefined, zIndex: rank })];
    if (kind === 'water_level' && isUrgent(condition)) {
      styles.push(new Style({ text: exclamation(conditionColors[condition!].text), zIndex: rank }));
    }
    if (labelsFirst(kind, state, condition)) styles.push(...gaugeLabels(feature, firstLabels, !emphasised));
    return styles;
  },
  // The first labels placed after every symbol: a gauge's stage before its name, any gauge before shelter bands,
  // river and district names (their layers are lower).
  labels: {
    zIndex: 44,
    style: (feature) => {
      const { kind, condition, state, emphasised } = looks(feature);
      return labelsFirst(kind, state, condition) ? [] : gaugeLabels(feature, 0, !emphasised);
    },
  },
};
