// Pictograms beside every hazard name, so the filter and badges do not rely on colour or text alone.
import type { Hazard } from '../core/geodata';

const paths: Record<Hazard, string> = {
  flood:
    '<path d="M2 8c2.5-2 4.5-2 7 0s4.5 2 7 0 4.5-2 6 0M2 14c2.5-2 4.5-2 7 0s4.5 2 7 0 4.5-2 6 0M2 20c2.5-2 4.5-2 7 0s4.5 2 7 0 4.5-2 6 0" fill="none" stroke="currentColor" stroke-width="2" stroke-linecap="round"/>',
  landslide:
    '<path d="M2 21 L9 6 L22 21 Z" fill="none" stroke="currentColor" stroke-width="2" stroke-linejoin="round"/><circle cx="15" cy="11" r="2" fill="currentColor"/><circle cx="19" cy="15" r="1.8" fill="currentColor"/>',
  earthquake:
    '<path d="M1 12h4l2-6 3 12 3-15 3 15 2-6h5" fill="none" stroke="currentColor" stroke-width="2" stroke-linejoin="round" stroke-linecap="round"/>',
};

export function hazardIcon(hazard: Hazard): string {
  return `<svg class="hazard-icon" width="22" height="22" viewBox="0 0 24 24" aria-hidden="true" focusable="false">${paths[hazard]}</svg>`;
}
