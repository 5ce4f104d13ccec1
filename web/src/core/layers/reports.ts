// Field reports from the live situation (not a geodata layer): squares, filled when HQ has verified them,
// hollow with a dashed rim and a "?" while unverified, grey once resolved.
import Feature from 'ol/Feature';
import { Point } from 'ol/geom';
import VectorLayer from 'ol/layer/Vector';
import { fromLonLat } from 'ol/proj';
import VectorSource from 'ol/source/Vector';
import { Fill, RegularShape, Stroke, Style, Text } from 'ol/style';
import type { DataLayer } from '../map/dataLayer';
import type { FieldReport } from '../live/situationMessages';
import { t } from '../i18n';
import { declutterGroup, isEmphasised, label } from './symbols';

export const reportColor = '#c62828';
export const resolvedReportColor = '#616161';

export function reportMarker(verified: boolean, color = reportColor, size = 9): RegularShape {
  return new RegularShape({
    points: 4,
    radius: size,
    angle: Math.PI / 4,
    fill: new Fill({ color: verified ? color : '#ffffff' }),
    stroke: new Stroke({ color: verified ? '#ffffff' : color, width: verified ? 2 : 2.5, lineDash: verified ? undefined : [3, 2] }),
    // Symbols always show, and labels of every layer give way to them.
    declutterMode: 'obstacle',
  });
}

const question = new Text({
  text: '?',
  font: 'bold 12px system-ui, sans-serif',
  fill: new Fill({ color: reportColor }),
  // Part of the symbol, inside it.
  declutterMode: 'none',
});

export function reportOf(feature: { get(key: string): unknown }): FieldReport | undefined {
  return feature.get('report') as FieldReport | undefined;
}

export function reportTitle(report: FieldReport): string {
  return t('reportTitle', { id: report.reportId, category: t(`reportCategory.${report.category}`) });
}

function style(feature: Feature): Style {
  const report = reportOf(feature);
  if (!report) return new Style();
  const resolved = report.status === 'resolved';
  const emphasised = isEmphasised(feature);
  return new Style({
    image: reportMarker(report.verified, resolved ? resolvedReportColor : reportColor, emphasised ? 12 : 9),
    text: emphasised
      ? label(reportTitle(report), {
          offsetY: -22,
          backgroundFill: new Fill({ color: 'rgba(255,255,255,0.95)' }),
          backgroundStroke: new Stroke({ color: reportColor, width: 1 }),
          padding: [2, 4, 2, 4],
        })
      : report.verified
        ? undefined
        : question,
    zIndex: emphasised ? 2 : resolved ? 0 : 1,
  });
}

export interface ReportsLayer extends DataLayer {
  /** Brings the points in line with the reports the situation holds. */
  sync(reports: Iterable<FieldReport>): void;
}

export function createReportsLayer(): ReportsLayer {
  const source = new VectorSource<Feature>();
  const layer = new VectorLayer({ source, style: (f) => style(f as Feature), zIndex: 45, declutter: declutterGroup });
  layer.set('layerId', 'reports');
  let firstSync: (features: Feature[]) => void = () => undefined;
  const loaded = new Promise<Feature[]>((resolve) => (firstSync = resolve));

  const sync = (reports: Iterable<FieldReport>) => {
    const seen = new Set<number>();
    const added: Feature[] = [];
    for (const report of reports) {
      seen.add(report.reportId);
      const existing = source.getFeatureById(report.reportId);
      if (existing) {
        if (existing.get('report') !== report) {
          existing.set('report', report);
          (existing.getGeometry() as Point).setCoordinates(fromLonLat([report.longitude, report.latitude]));
        }
      } else {
        const feature = new Feature({ geometry: new Point(fromLonLat([report.longitude, report.latitude])), report });
        feature.setId(report.reportId);
        added.push(feature);
      }
    }
    source.getFeatures().filter((f) => !seen.has(Number(f.getId()))).forEach((f) => source.removeFeature(f));
    if (added.length > 0) source.addFeatures(added);
    firstSync(source.getFeatures());
  };

  return { id: 'reports', layer, loaded, sync };
}
