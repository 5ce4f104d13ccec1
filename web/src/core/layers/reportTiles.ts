// Field reports as vector tiles (/tiles/all-reports/{z}/{x}/{y}.mvt, built by PostGIS) for when the situation holds
// more than a map should draw one by one: the HQ map then loads a screen's worth at a time. Below zoom 14 a tile
// holds one point per cell (16 × 16 cells a tile) with the number of reports in it (drawn as a grey disc with the count and 件, never colour
// alone); from 14 each report, drawn as on the live layer (severity by colour and shape, category by character).
import type { FeatureLike } from 'ol/Feature';
import MVT from 'ol/format/MVT';
import VectorTileLayer from 'ol/layer/VectorTile';
import VectorTileSource from 'ol/source/VectorTile';
import { Circle, Fill, Stroke, Style, Text } from 'ol/style';
import type { FieldReport } from '../live/situationMessages';
import { t } from '../i18n';

/** From this many reports in the situation the map draws them from tiles … */
export const tilesFrom = 500;
/** … and back from features below this many (a margin, so the map does not flip at the edge). */
export const featuresBelow = 400;

export type ReportsMode = 'features' | 'tiles';

/** Whether the map draws reports as features or from tiles, given how many the situation holds and the mode now. */
export function reportsMode(count: number, current: ReportsMode): ReportsMode {
  if (current === 'features') return count >= tilesFrom ? 'tiles' : 'features';
  return count < featuresBelow ? 'features' : 'tiles';
}

/** The HQ map's tiles: every report, as HQ triages them (staff only). */
export const staffReportTilesUrl = '/tiles/all-reports/{z}/{x}/{y}.mvt';

/** What a tile says of one report: enough to draw it as the live layer does. */
export function tileReport(feature: FeatureLike): Pick<FieldReport, 'reportId' | 'category' | 'severity' | 'status'> | null {
  const id = Number(feature.get('id'));
  const category = feature.get('category') as FieldReport['category'] | undefined;
  if (!Number.isFinite(id) || !category) return null;
  return {
    reportId: id,
    category,
    severity: (feature.get('severity') as FieldReport['severity'] | undefined) ?? 'minor',
    status: (feature.get('status') as FieldReport['status'] | undefined) ?? 'new',
  };
}

/** The number of reports a cell of a low-zoom tile stands for; null for a single report. */
export function tileCount(feature: FeatureLike): number | null {
  const count = feature.get('count');
  return typeof count === 'number' ? count : null;
}

export function cellStyle(count: number): Style {
  // Cells are 32 px apart on screen (16 to a 512-px tile): the disc stays within its cell.
  const radius = Math.min(10 + Math.log2(count) * 1.2, 15);
  return new Style({
    image: new Circle({ radius, fill: new Fill({ color: '#37474f' }), stroke: new Stroke({ color: '#ffffff', width: 2 }) }),
    text: new Text({
      text: t('reportCellCount', { count: count >= 10_000 ? `${Math.round(count / 1000)}k` : String(count) }),
      font: 'bold 12px system-ui, "Noto Sans CJK JP", sans-serif',
      fill: new Fill({ color: '#ffffff' }),
      declutterMode: 'none',
    }),
    zIndex: 4,
  });
}

/**
 * The tile layer, drawing single reports with `single` (the live layer's own style, given an object whose
 * `get('report')` is the report) and cells as counts.
 */
export function createReportTileLayer(url: string, single: (feature: { get(key: string): unknown }) => Style | Style[]): VectorTileLayer {
  const source = new VectorTileSource({ format: new MVT(), url, maxZoom: 20 });
  const layer = new VectorTileLayer({
    source,
    zIndex: 45,
    visible: false,
    // Render as vectors while the view moves, so a pan never waits for a raster of a thousand symbols.
    renderMode: 'hybrid',
    style: (feature) => {
      const count = tileCount(feature);
      if (count !== null) return cellStyle(count);
      const report = tileReport(feature);
      return report ? single({ get: (key: string) => (key === 'report' ? report : feature.get(key)) }) : undefined;
    },
  });
  layer.set('layerId', 'reports');
  return layer;
}
