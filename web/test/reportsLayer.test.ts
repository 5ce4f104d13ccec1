import { describe, expect, it } from 'vitest';
import Feature from 'ol/Feature';
import { get as getProjection } from 'ol/proj';
import type Cluster from 'ol/source/Cluster';
import { Circle, RegularShape, type Style } from 'ol/style';
import { setLang } from '../src/core/i18n';
import { createReportsLayer } from '../src/core/layers/reports';
import { report } from './reports';

const styles = (layer: ReturnType<typeof createReportsLayer>['layer'], feature: Feature): Style[] => {
  const result = layer.getStyleFunction()!(feature, 1);
  return (Array.isArray(result) ? result : [result]) as Style[];
};
const texts = (list: Style[]) => list.map((s) => s.getText()?.getText()).filter((t) => t !== undefined);

describe('the reports layer', () => {
  it('clusters reports close on screen and draws each alone report as itself', () => {
    setLang('ja');
    const reports = createReportsLayer();
    reports.sync([
      report(1, { severity: 'minor', longitude: 140.2012, latitude: 38.0105 }),
      report(2, { severity: 'critical', longitude: 140.2013, latitude: 38.0106 }),
      report(3, { severity: 'serious', category: 'road_blocked', longitude: 140.3, latitude: 38.1 }),
    ]);
    const source = reports.layer.getSource() as Cluster<Feature>;
    // What the map asks for at a town-wide view: 20 m a pixel.
    source.loadFeatures([-1e8, -1e8, 1e8, 1e8], 20, getProjection('EPSG:3857')!);
    const drawn = source.getFeatures();

    expect(drawn).toHaveLength(2);
    const alone = drawn.find((f) => f.get('features') === undefined)!;
    expect(alone).toBe(reports.feature(3));
    const cluster = drawn.find((f) => f !== alone)!;
    expect((cluster.get('features') as Feature[]).map((f) => f.getId()).sort()).toEqual([1, 2]);

    // The cluster: its count, and its worst severity in words and in shape (a star), not only in colour.
    const clusterStyles = styles(reports.layer, cluster);
    expect(texts(clusterStyles)).toEqual(['2', '緊急']);
    const star = clusterStyles[1].getImage() as RegularShape;
    expect(star).toBeInstanceOf(RegularShape);
    expect(star.getPoints()).toBe(8);

    // A report alone: its severity's shape with its category's character inside.
    const aloneStyles = styles(reports.layer, alone);
    expect(texts(aloneStyles)).toEqual(['道']);
    expect((aloneStyles[0].getImage() as RegularShape).getPoints()).toBe(4);
  });

  it('draws a minor report as a circle, and a cluster of closed reports grey with the word for it', () => {
    setLang('ja');
    const reports = createReportsLayer();
    reports.sync([
      report(1, { severity: 'minor', status: 'resolved' }),
      report(2, { severity: 'serious', status: 'rejected', longitude: 140.20121 }),
      report(3, { severity: 'minor', longitude: 140.4 }),
    ]);
    const source = reports.layer.getSource() as Cluster<Feature>;
    source.loadFeatures([-1e8, -1e8, 1e8, 1e8], 20, getProjection('EPSG:3857')!);
    const cluster = source.getFeatures().find((f) => f.get('features'))!;
    const clusterStyles = styles(reports.layer, cluster);
    expect(texts(clusterStyles)).toEqual(['2', '対応済み']);
    expect((clusterStyles[1].getImage() as RegularShape).getFill()!.getColor()).toBe('#757575');
    expect(styles(reports.layer, reports.feature(3)!)[0].getImage()).toBeInstanceOf(Circle);
  });
});
