import Feature from 'ol/Feature';
import { Point, Polygon } from 'ol/geom';
import type { Style } from 'ol/style';
import { beforeEach, describe, expect, it, vi } from 'vitest';
import { hqLayers } from '../src/core/layers';
import { applyEvacuationLevels } from '../src/core/layers/districts';
import { applyShelterStatuses } from '../src/core/layers/shelters';
import { applyStationStates } from '../src/core/layers/stations';
import { declutterGroup, type LayerDefinition } from '../src/core/layers/symbols';
import { createReportsLayer } from '../src/core/layers/reports';
import { createDataLayer } from '../src/core/map/dataLayer';
import { batchMessage, snapshotMessage } from './fixtures';

const bbox: [number, number, number, number] = [140, 37.9, 140.3, 38.1];
const layer = (id: string) => hqLayers.find((l) => l.id === id)!;
const styles = (style: ReturnType<LayerDefinition['style']>): Style[] => (style ? (Array.isArray(style) ? style : [style]) : []);

/** Where OpenLayers places a label in the one declutter group: higher layer first, then higher style zIndex. */
const placedBefore = (a: [number, number], b: [number, number]) => a[0] > b[0] || (a[0] === b[0] && a[1] > b[1]);

function danger() {
  const feature = new Feature({ geometry: new Point([0, 0]), id: 'station-nakahashi', kind: 'water_level', name_ja: '中橋' });
  const state = snapshotMessage().snapshot.stations.find((s) => s.stationId === 'station-nakahashi')!;
  expect(state.stage).toBe('danger');
  applyStationStates([feature], new Map([[state.stationId, state]]), true, new Date(state.observedAt));
  return feature;
}

function district() {
  const feature = new Feature({ geometry: new Polygon([[[0, 0], [1, 0], [1, 1], [0, 0]]]), id: 'district-yashiro', name_ja: '屋代地区' });
  const [event] = batchMessage().events.filter((e) => e.kind === 'district_evacuation_level_changed');
  if (event.kind !== 'district_evacuation_level_changed') throw new Error('no district event in the fixture');
  applyEvacuationLevels([feature], new Map([[event.district.districtId, event.district]]));
  return feature;
}

/** Where each label of a gauge is placed: [layer zIndex, style zIndex], from the symbol layer and the label layer. */
function gaugeLabelPlacements(feature: Feature): Array<[number, number]> {
  const stations = layer('stations');
  const from = (z: number, style: ReturnType<LayerDefinition['style']>) =>
    styles(style)
      .filter((s) => s.getText() && s.getText()!.getText() !== '!')
      .map((s): [number, number] => [z, s.getZIndex() ?? 0]);
  return [...from(stations.zIndex, stations.style(feature, 1)), ...from(stations.labels!.zIndex, stations.labels!.style(feature, 1))];
}

describe('map decluttering', () => {
  // The layers' data is not what is tested here: it never arrives.
  beforeEach(() => {
    vi.stubGlobal('fetch', () => new Promise(() => undefined));
  });

  it('puts every vector layer, labels and field reports in one group, so no label is drawn over another layer’s', () => {
    const created = hqLayers.map((definition) => createDataLayer(definition, bbox));
    const all = [...created.flatMap((d) => [d.layer, d.labels]), createReportsLayer().layer].filter((l) => l !== undefined);

    all.forEach((l) => expect(l.getDeclutter()).toBe(declutterGroup));
  });

  it('places every symbol before the labels of quieter features: point symbols are obstacles in layers above them', () => {
    const pointLayers = [layer('stations'), layer('shelters')];
    const labelLayers = hqLayers.flatMap((l) => (l.labels ? [l.labels.zIndex] : []));
    const lowestSymbolLayer = Math.min(...pointLayers.map((l) => l.zIndex), 45 /* field reports */);
    const textLayers = [layer('rivers').zIndex, layer('districts').zIndex];

    expect(labelLayers.length).toBeGreaterThan(0);
    [...labelLayers, ...textLayers].forEach((z) => expect(z).toBeLessThan(lowestSymbolLayer));
    const symbol = styles(layer('stations').style(danger(), 1)).find((s) => s.getImage())!;
    expect(symbol.getImage()!.getDeclutterMode()).toBe('obstacle');
    const shelter = new Feature({ geometry: new Point([0, 0]), id: 's', name_ja: 's' });
    expect(styles(layer('shelters').style(shelter, 1))[0].getImage()!.getDeclutterMode()).toBe('obstacle');
  });

  it('places the labels of a gauge in danger before every other symbol and label', () => {
    const placements = gaugeLabelPlacements(danger());

    expect(placements).toHaveLength(2); // its name and its stage
    placements.forEach(([layerZ, styleZ]) => {
      expect(layerZ).toBeGreaterThan(layer('shelters').zIndex);
      // Within its own layer, before the gauges' symbols.
      const symbolZ = Math.max(...styles(layer('stations').style(danger(), 1)).map((s) => s.getZIndex() ?? 0).filter((z) => z < styleZ));
      expect(styleZ).toBeGreaterThan(symbolZ);
    });
  });

  it('places a gauge in danger before a district’s level, and the level before shelter bands and the district’s name', () => {
    const gaugeLabels = gaugeLabelPlacements(danger());
    const districts = layer('districts');
    const area = district();
    const name: [number, number] = [districts.zIndex, styles(districts.style(area, 1))[0].getZIndex() ?? 0];
    expect(styles(districts.style(area, 1))[0].getText()).toBeTruthy();
    const levels = styles(districts.labels!.style(area, 1)).filter((s) => s.getText());
    expect(levels).toHaveLength(1);
    const level: [number, number] = [districts.labels!.zIndex, levels[0].getZIndex() ?? 0];

    gaugeLabels.forEach((g) => [name, level].forEach((a) => expect(placedBefore(g, a)).toBe(true)));
    expect(placedBefore(level, name)).toBe(true);
    expect(districts.labels!.zIndex).toBeGreaterThan(layer('shelters').labels!.zIndex);
  });

  it('places both labels of a gauge in danger before those of a silent gauge, and its stage before its name', () => {
    const gauge = gaugeLabelPlacements(danger());
    const silentGauge = new Feature({ geometry: new Point([0, 0]), id: 'station-silent', kind: 'water_level', name_ja: '欠測中' });
    applyStationStates([silentGauge], new Map(), true);
    const silent = gaugeLabelPlacements(silentGauge);

    expect(silent).toHaveLength(2); // its name and 欠測
    gauge.forEach((g) => silent.forEach((q) => expect(placedBefore(g, q)).toBe(true)));
    const [name, stage] = gauge;
    expect(placedBefore(stage, name)).toBe(true);
  });

  it('places a full shelter’s band before a shelter with room', () => {
    const shelter = (id: string) => new Feature({ geometry: new Point([0, 0]), id, name_ja: id });
    const full = shelter('a');
    const room = shelter('b');
    applyShelterStatuses([full, room], new Map([
      ['a', { shelterId: 'a', open: true, occupancy: 300, capacity: 300, declaredFull: true, crowding: 'full' }],
      ['b', { shelterId: 'b', open: true, occupancy: 3, capacity: 300, declaredFull: false, crowding: 'available' }],
    ]));
    const z = (f: Feature) => styles(layer('shelters').labels!.style(f, 1))[0].getZIndex() ?? 0;

    expect(z(full)).toBeGreaterThan(z(room));
  });
});
