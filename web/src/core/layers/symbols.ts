// Drawing pieces shared by the layer styles: hatching and dashes mark illustrative data,
// a halo keeps labels legible on any background.
import type { FeatureLike } from 'ol/Feature';
import { Fill, Stroke, Text } from 'ol/style';
import type { StyleFunction } from 'ol/style/Style';
import type { LayerId } from '../api';

export interface LayerDefinition {
  id: LayerId;
  zIndex: number;
  /** The features themselves: symbols, lines, areas (and, for areas and lines, their names). */
  style: StyleFunction;
  /**
   * Labels of point features, drawn by a layer of their own beneath every symbol layer (`zIndex` under theirs), so that
   * a label gives way to the symbols of every layer, not only its own.
   */
  labels?: { zIndex: number; style: StyleFunction };
}

/**
 * Every vector layer declutters in this one group: nothing written on the map is drawn over a symbol or another label.
 * OpenLayers places the layer highest in the stack first, and within a layer the style with the highest zIndex first:
 * symbols (obstacles that always show) → the picked feature's name → gauge labels (highest stage first) → shelter bands
 * → river names → district levels → district names. What does not fit is left out until the map is zoomed in.
 */
export const declutterGroup = 'map';

/** Every layer of the HQ map: the geodata layers, and field reports from the live situation. */
export type MapLayerId = LayerId | 'reports';

export const illustrativeDash = [8, 6];

/** Diagonal lines over a translucent fill: how illustrative areas differ from published zones. */
export function hatch(lineColor: string, background: string): CanvasPattern | string {
  const size = 10;
  const canvas = document.createElement('canvas');
  canvas.width = size;
  canvas.height = size;
  const ctx = canvas.getContext('2d');
  if (!ctx) return background;
  ctx.fillStyle = background;
  ctx.fillRect(0, 0, size, size);
  ctx.strokeStyle = lineColor;
  ctx.lineWidth = 1.5;
  ctx.beginPath();
  ctx.moveTo(0, size);
  ctx.lineTo(size, 0);
  ctx.moveTo(-size / 2, size / 2);
  ctx.lineTo(size / 2, -size / 2);
  ctx.moveTo(size / 2, size * 1.5);
  ctx.lineTo(size * 1.5, size / 2);
  ctx.stroke();
  return ctx.createPattern(canvas, 'repeat') ?? background;
}

export function label(text: string, options: Partial<ConstructorParameters<typeof Text>[0]> = {}): Text {
  return new Text({
    text,
    font: 'bold 13px system-ui, "Noto Sans CJK JP", sans-serif',
    fill: new Fill({ color: '#1a1a1a' }),
    stroke: new Stroke({ color: 'rgba(255,255,255,0.95)', width: 4 }),
    overflow: true,
    ...options,
  });
}

// The feature the user points at or picked; point layers show its name.
let emphasised: FeatureLike | null = null;

export function isEmphasised(feature: FeatureLike): boolean {
  return feature === emphasised;
}

export function setEmphasised(feature: FeatureLike | null): boolean {
  const changed = feature !== emphasised;
  emphasised = feature;
  return changed;
}
