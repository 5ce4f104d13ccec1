import { describe, expect, it } from 'vitest';
import Feature from 'ol/Feature';
import { Point } from 'ol/geom';
import type { Style } from 'ol/style';
import { setLang } from '../src/core/i18n';
import { createReportsLayer, sourceFeatures } from '../src/core/layers/reports';
import { cellStyle, featuresBelow, reportsMode, staffReportTilesUrl, tileCount, tileReport, tilesFrom } from '../src/core/layers/reportTiles';
import { report } from './reports';

const many = (n: number) => Array.from({ length: n }, (_, i) => report(i + 1, { longitude: 140.19 + i * 1e-5 }));

describe('reports as features or as tiles', () => {
  it.each([
    [0, 'features', 'features'],
    [tilesFrom - 1, 'features', 'features'],
    [tilesFrom, 'features', 'tiles'],
    [featuresBelow, 'tiles', 'tiles'],
    [featuresBelow - 1, 'tiles', 'features'],
    [tilesFrom - 1, 'tiles', 'tiles'],
  ] as const)('%i reports drawn as %s go on as %s', (count, current, next) => {
    expect(reportsMode(count, current)).toBe(next);
  });

  it('switches the HQ layer to tiles with many reports and back, keeping every report findable', () => {
    const layer = createReportsLayer({ tilesUrl: staffReportTilesUrl });
    const source = sourceFeatures(layer.layer.getSource())!;
    layer.sync(many(50));
    expect(layer.mode()).toBe('features');
    expect(source.getFeatures()).toHaveLength(50);
    expect(layer.tiles!.getVisible()).toBe(false);

    layer.sync(many(tilesFrom + 100));
    expect(layer.mode()).toBe('tiles');
    expect(source.getFeatures()).toHaveLength(0);
    expect(layer.tiles!.getVisible()).toBe(true);
    expect(layer.feature(tilesFrom + 50)?.get('report').reportId).toBe(tilesFrom + 50);
    expect(layer.layer.get('reportsMode')).toBe('tiles');

    // Hidden in the layer switcher: the tiles hide with it.
    layer.layer.setVisible(false);
    expect(layer.tiles!.getVisible()).toBe(false);
    layer.layer.setVisible(true);

    layer.sync(many(featuresBelow - 10));
    expect(layer.mode()).toBe('features');
    expect(source.getFeatures()).toHaveLength(featuresBelow - 10);
    expect(layer.tiles!.getVisible()).toBe(false);
  });

  it('never uses tiles where none are given (the public map)', () => {
    const layer = createReportsLayer();
    layer.sync(many(tilesFrom + 100));
    expect(layer.mode()).toBe('features');
    expect(layer.tiles).toBeNull();
    expect(sourceFeatures(layer.layer.getSource())!.getFeatures()).toHaveLength(tilesFrom + 100);
  });

  it('reads a cell and a report from what a tile carries, and draws a cell with its count in words', () => {
    setLang('ja');
    const cell = new Feature({ geometry: new Point([0, 0]), count: 1234 });
    expect(tileCount(cell)).toBe(1234);
    expect(tileReport(cell)).toBeNull();
    const single = new Feature({ geometry: new Point([0, 0]), id: '41', category: 'road_blocked', severity: 'critical', status: 'verified' });
    expect(tileCount(single)).toBeNull();
    expect(tileReport(single)).toEqual({ reportId: 41, category: 'road_blocked', severity: 'critical', status: 'verified' });
    expect((cellStyle(1234) as Style).getText()?.getText()).toBe('1234件');
    expect((cellStyle(25_400) as Style).getText()?.getText()).toBe('25k件');
  });

  it('draws a tile report with the live layer’s symbol', () => {
    setLang('ja');
    const layer = createReportsLayer({ tilesUrl: staffReportTilesUrl });
    const style = layer.tiles!.getStyleFunction()!;
    const single = new Feature({ geometry: new Point([0, 0]), id: 7, category: 'flooding', severity: 'serious', status: 'new' });
    const drawn = style(single, 1) as Style | Style[];
    const list = Array.isArray(drawn) ? drawn : [drawn];
    expect(list.map((s) => s.getText()?.getText())).toContain('水');
    const cell = style(new Feature({ geometry: new Point([0, 0]), count: 3 }), 1) as Style;
    expect(cell.getText()?.getText()).toBe('3件');
  });
});
