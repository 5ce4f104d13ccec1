// Field reports from the live situation (not a geodata layer), clustered where they lie close together on screen.
// A report's severity shows three ways: its colour, its shape (軽微 a circle, 重大 a diamond, 緊急 a star) and, on a
// cluster, the word; its category is the character inside. A report HQ has not verified yet has a dashed rim; a
// closed one (resolved, rejected, duplicate) is grey and small. A cluster shows its count and its worst severity still
// open: colour alone never tells anything.
import Feature from 'ol/Feature';
import { Point } from 'ol/geom';
import VectorLayer from 'ol/layer/Vector';
import { fromLonLat } from 'ol/proj';
import Cluster from 'ol/source/Cluster';
import VectorSource from 'ol/source/Vector';
import { Circle, Fill, RegularShape, Stroke, Style, Text } from 'ol/style';
import type ImageStyle from 'ol/style/Image';
import type { FeatureLike } from 'ol/Feature';
import type VectorTileLayer from 'ol/layer/VectorTile';
import type { DataLayer } from '../map/dataLayer';
import { createReportTileLayer, reportsMode, type ReportsMode } from './reportTiles';
import type { FieldReport, FieldReportSeverity } from '../live/situationMessages';
import { t } from '../i18n';
import { clusterSummary, isClosed, reportTitle } from '../reportFacts';
import { declutterGroup, isEmphasised, label } from './symbols';

/** Fill and the text drawn on it, by severity (contrast ≥ 4.5:1 for the glyph and the count). */
export const severityColors: Record<FieldReportSeverity, { fill: string; text: string }> = {
  minor: { fill: '#f2b01e', text: '#1a1a1a' },
  serious: { fill: '#d84315', text: '#ffffff' },
  critical: { fill: '#b71c1c', text: '#ffffff' },
};
export const closedReportColor = '#757575';
/** The legend's and the details' accent for reports. */
export const reportColor = severityColors.critical.fill;

/** The shape of a severity, `radius` its outer size. */
export function severityShape(severity: FieldReportSeverity, radius: number, fill: Fill, stroke: Stroke): ImageStyle {
  // Symbols always show, and labels of every layer give way to them.
  const common = { fill, stroke, declutterMode: 'obstacle' as const };
  if (severity === 'minor') return new Circle({ radius: radius * 0.85, ...common });
  if (severity === 'serious') return new RegularShape({ points: 4, radius: radius * 1.1, angle: 0, ...common });
  return new RegularShape({ points: 8, radius: radius * 1.25, radius2: radius * 0.85, angle: 0, ...common });
}

export function reportOf(feature: { get(key: string): unknown }): FieldReport | undefined {
  return feature.get('report') as FieldReport | undefined;
}

/** The reports a cluster on the map stands for; null for a single report (drawn as itself). */
export function clusterMembers(feature: FeatureLike): Feature[] | null {
  const members = feature.get('features') as Feature[] | undefined;
  return members && members.length > 1 ? members : null;
}

// The report's title lives with the other report facts (no OpenLayers), for the pages that show reports without a map.
export { reportTitle } from '../reportFacts';

function singleStyle(feature: FeatureLike): Style | Style[] {
  const report = reportOf(feature);
  if (!report) return new Style();
  const closed = isClosed(report.status);
  const emphasised = isEmphasised(feature);
  const colors = closed ? { fill: closedReportColor, text: '#ffffff' } : severityColors[report.severity];
  const radius = (closed ? 8 : 10) + (emphasised ? 3 : 0);
  // Not yet verified by HQ: a dashed dark rim; verified: a solid white one that stands out on the map.
  const stroke =
    report.status === 'new'
      ? new Stroke({ color: '#1a1a1a', width: 2, lineDash: [3, 2] })
      : new Stroke({ color: '#ffffff', width: emphasised ? 3 : 2 });
  const symbol = new Style({
    image: severityShape(report.severity, radius, new Fill({ color: colors.fill }), stroke),
    text: new Text({
      text: t(`reportGlyph.${report.category}`),
      font: `bold ${closed ? 10 : emphasised ? 14 : 12}px system-ui, "Noto Sans CJK JP", sans-serif`,
      fill: new Fill({ color: colors.text }),
      // Part of the symbol, inside it.
      declutterMode: 'none',
    }),
    zIndex: emphasised ? 3 : closed ? 0 : 1 + reportSeverityZ(report.severity),
  });
  if (!emphasised) return symbol;
  return [
    symbol,
    new Style({
      text: label(`${reportTitle(report)}・${t(`reportSeverity.${report.severity}`)}`, {
        offsetY: -(radius + 16),
        backgroundFill: new Fill({ color: 'rgba(255,255,255,0.95)' }),
        backgroundStroke: new Stroke({ color: colors.fill, width: 1 }),
        padding: [2, 4, 2, 4],
      }),
      zIndex: 3,
    }),
  ];
}

function reportSeverityZ(severity: FieldReportSeverity): number {
  return severity === 'critical' ? 0.2 : severity === 'serious' ? 0.1 : 0;
}

function clusterStyle(cluster: FeatureLike, members: Feature[]): Style[] {
  const reports = members.map(reportOf).filter((r): r is FieldReport => r !== undefined);
  const summary = clusterSummary(reports);
  const emphasised = isEmphasised(cluster) || members.some(isEmphasised);
  const colors = summary.closed ? { fill: closedReportColor, text: '#ffffff' } : severityColors[summary.worst];
  const radius = Math.min(13 + Math.log2(summary.count) * 2, 20) + (emphasised ? 2 : 0);
  return [
    // A dark outer ring under a white one: a cluster reads as a group, not as one large report.
    new Style({
      image: severityShape(summary.worst, radius + 3, new Fill({ color: '#1a1a1a' }), new Stroke({ color: '#1a1a1a', width: 1 })),
      zIndex: 4,
    }),
    new Style({
      image: severityShape(summary.worst, radius, new Fill({ color: colors.fill }), new Stroke({ color: '#ffffff', width: emphasised ? 3 : 2 })),
      text: new Text({
        text: String(summary.count),
        font: 'bold 14px system-ui, "Noto Sans CJK JP", sans-serif',
        fill: new Fill({ color: colors.text }),
        declutterMode: 'none',
      }),
      zIndex: 4,
    }),
    // The worst severity in words under the count, part of the symbol.
    new Style({
      text: new Text({
        text: summary.closed ? t('reportClusterClosed') : t(`reportSeverity.${summary.worst}`),
        font: 'bold 11px system-ui, "Noto Sans CJK JP", sans-serif',
        offsetY: radius + 12,
        fill: new Fill({ color: colors.text }),
        backgroundFill: new Fill({ color: colors.fill }),
        backgroundStroke: new Stroke({ color: '#ffffff', width: 1 }),
        padding: [1, 4, 0, 4],
        declutterMode: 'none',
      }),
      zIndex: 4,
    }),
  ];
}

function style(feature: FeatureLike): Style | Style[] {
  const members = clusterMembers(feature);
  if (members) return clusterStyle(feature, members);
  const single = (feature.get('features') as Feature[] | undefined)?.[0] ?? feature;
  return singleStyle(single);
}

export interface ReportsLayer extends DataLayer {
  /** Brings the points in line with the reports the situation holds (or, with many, reloads the tiles soon). */
  sync(reports: Iterable<FieldReport>): void;
  /** The feature of one report (never a cluster), when the situation holds it. */
  feature(reportId: number): Feature | undefined;
  /** The same reports as vector tiles, shown instead of `layer`'s features when there are many (reportTiles.ts); null without. */
  readonly tiles: VectorTileLayer | null;
  mode(): ReportsMode;
}

/** With tiles, a change of the reports reloads them no more often than this. */
const tileRefreshMs = 5_000;

/** A report as a map feature (EPSG:3857), its id the report's. */
export function reportFeature(report: FieldReport): Feature {
  const feature = new Feature({ geometry: new Point(fromLonLat([report.longitude, report.latitude])), report });
  feature.setId(report.reportId);
  return feature;
}

/** Pixels within which reports are drawn as one cluster. */
const clusterDistance = 36;

/** `tilesUrl`: the reports as vector tiles, for when there are many (the HQ map); without, always one feature each. */
export function createReportsLayer(options: { tilesUrl?: string } = {}): ReportsLayer {
  const reports = new VectorSource<Feature>();
  const source = new Cluster<Feature>({
    source: reports,
    distance: clusterDistance,
    // A report alone is drawn, clicked and emphasised as itself, not as a cluster of one.
    createCluster: (point, features) => (features.length === 1 ? features[0] : new Feature({ geometry: point, features })),
  });
  const layer = new VectorLayer({ source, style, zIndex: 45, declutter: declutterGroup });
  layer.set('layerId', 'reports');
  const tiles = options.tilesUrl ? createReportTileLayer(options.tilesUrl, (feature) => singleStyle(feature as unknown as FeatureLike)) : null;
  // The layer switcher shows and hides `layer`; the tiles follow it while they are the ones drawn.
  let mode: ReportsMode = 'features';
  const showMode = () => tiles?.setVisible(mode === 'tiles' && layer.getVisible());
  layer.on('change:visible', showMode);
  let lastRefresh = 0;
  let refreshTimer: ReturnType<typeof setTimeout> | undefined;
  const refreshTiles = () => {
    clearTimeout(refreshTimer);
    refreshTimer = setTimeout(() => {
      lastRefresh = Date.now();
      tiles?.getSource()?.refresh();
    }, Math.max(0, lastRefresh + tileRefreshMs - Date.now()));
  };
  let firstSync: (features: Feature[]) => void = () => undefined;
  const loaded = new Promise<Feature[]>((resolve) => (firstSync = resolve));

  // Every report's feature, whether the map draws it (features) or the tiles do: the triage queue and the details
  // find a report here either way.
  const byId = new globalThis.Map<number, Feature>();

  const sync = (next: Iterable<FieldReport>) => {
    const seen = new Set<number>();
    const added: Feature[] = [];
    for (const report of next) {
      seen.add(report.reportId);
      const existing = byId.get(report.reportId);
      if (existing) {
        if (existing.get('report') !== report) {
          existing.set('report', report);
          (existing.getGeometry() as Point).setCoordinates(fromLonLat([report.longitude, report.latitude]));
        }
      } else {
        const feature = reportFeature(report);
        byId.set(report.reportId, feature);
        added.push(feature);
      }
    }
    [...byId.keys()].filter((id) => !seen.has(id)).forEach((id) => byId.delete(id));

    const before = mode;
    mode = tiles ? reportsMode(byId.size, mode) : 'features';
    if (mode !== before) {
      layer.set('reportsMode', mode);
      showMode();
    }
    if (mode === 'tiles') {
      if (reports.getFeatures().length > 0) reports.clear();
      if (before === 'tiles') refreshTiles();
    } else if (before === 'tiles') {
      reports.addFeatures([...byId.values()]);
    } else {
      reports.getFeatures().filter((f) => !byId.has(Number(f.getId()))).forEach((f) => reports.removeFeature(f));
      if (added.length > 0) reports.addFeatures(added);
    }
    firstSync(reports.getFeatures());
  };

  return {
    id: 'reports',
    layer,
    loaded,
    sync,
    feature: (reportId) => byId.get(reportId),
    tiles,
    mode: () => mode,
  };
}

/** The features of a layer's source, looking through a cluster to the reports it draws. */
export function sourceFeatures(source: VectorSource<Feature> | null): VectorSource<Feature> | null {
  return source instanceof Cluster ? (source.getSource() as VectorSource<Feature> | null) : source;
}
