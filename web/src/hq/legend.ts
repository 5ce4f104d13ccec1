// Symbols of the map, drawn with the same colours and shapes as the layers.
import { h } from '../core/dom';
import { issuedLevels } from '../core/evacuationLevels';
import { onLangChange } from '../core/i18n';
import type { Mounted } from '../core/mounted';
import { t, type MessageKey } from './messages';
import { boundaryColor } from '../core/layers/boundary';
import { officialColor } from './officialOutline';
import { districtColor, levelColors } from '../core/layers/districts';
import { floodColor } from '../core/layers/floodZones';
import { landslideColor } from '../core/layers/landslideZones';
import { riverColor } from '../core/layers/rivers';
import { closedReportColor, severityColors } from '../core/layers/reports';
import { closedShelterColor, crowdingColors, shelterColor } from '../core/layers/shelters';
import { stationSymbolSvg } from '../core/stations/stationFacts';

const svg = (inner: string) =>
  `<svg width="28" height="20" viewBox="0 0 28 20" aria-hidden="true" focusable="false">${inner}</svg>`;

/** An eight-pointed star, as the map draws a critical report. */
function starPoints(cx: number, cy: number, outer: number, inner: number): string {
  return Array.from({ length: 16 }, (_, i) => {
    const r = i % 2 === 0 ? outer : inner;
    const a = (Math.PI / 8) * i - Math.PI / 2;
    return `${(cx + r * Math.cos(a)).toFixed(1)},${(cy + r * Math.sin(a)).toFixed(1)}`;
  }).join(' ');
}

const entries: Array<[MessageKey | (() => string), string]> = [
  ['layer.shelters', svg(`<polygon points="14,2 25,18 3,18" fill="${shelterColor}" stroke="#fff" stroke-width="1.5"/>`)],
  [
    'legendShelterOpen',
    svg(`<polygon points="8,3 15,17 1,17" fill="${crowdingColors.available}"/><polygon points="20,3 27,17 13,17" fill="${crowdingColors.full}" stroke="#fff" stroke-width="1"/>`),
  ],
  [
    'legendShelterUnsuitable',
    svg(`<rect x="1" y="4" width="26" height="13" rx="2" fill="${crowdingColors.available}"/><text x="14" y="14.5" font-size="10" font-weight="bold" text-anchor="middle" fill="#fff">✕</text>`),
  ],
  ['legendShelterClosed', svg(`<polygon points="14,3 24,18 4,18" fill="#fff" stroke="${closedShelterColor}" stroke-width="2.5"/>`)],
  ['legendReportMinor', svg(`<circle cx="14" cy="10" r="7" fill="${severityColors.minor.fill}" stroke="#fff" stroke-width="1.5"/>`)],
  ['legendReportSerious', svg(`<polygon points="14,1 23,10 14,19 5,10" fill="${severityColors.serious.fill}" stroke="#fff" stroke-width="1.5"/>`)],
  ['legendReportCritical', svg(`<polygon points="${starPoints(14, 10, 9.5, 6.5)}" fill="${severityColors.critical.fill}" stroke="#fff" stroke-width="1.5"/>`)],
  ['legendReportNew', svg(`<circle cx="14" cy="10" r="7" fill="${severityColors.minor.fill}" stroke="#1a1a1a" stroke-width="2" stroke-dasharray="3 2"/>`)],
  ['legendReportClosed', svg(`<circle cx="14" cy="10" r="6" fill="${closedReportColor}" stroke="#fff" stroke-width="1.5"/>`)],
  [
    'legendReportCluster',
    svg(
      `<polygon points="${starPoints(14, 10, 10, 7)}" fill="${severityColors.critical.fill}" stroke="#1a1a1a" stroke-width="1.5"/>` +
        `<text x="14" y="13.5" font-size="9" font-weight="bold" text-anchor="middle" fill="#fff">5</text>`,
    ),
  ],
  ...issuedLevels.map((level): [() => string, string] => [
    () => t('legendLevel', { level, name: t(`evacLevelShort.${level}`) }),
    svg(`<rect x="2" y="3" width="24" height="14" fill="${levelColors[level].fill}" stroke="${levelColors[level].line}" stroke-width="${Math.min(levelColors[level].width, 3)}"/>`),
  ]),
  ['legendStageNormal', stationSymbolSvg('water_level', 'normal')],
  ['legendStageStandby', stationSymbolSvg('water_level', 'standby')],
  ['legendStageCaution', stationSymbolSvg('water_level', 'caution')],
  ['legendStageEvacuation', stationSymbolSvg('water_level', 'evacuation')],
  ['legendStageDanger', stationSymbolSvg('water_level', 'danger')],
  ['legendRainGauge', stationSymbolSvg('rain', 'normal')],
  ['legendNoData', stationSymbolSvg('water_level', 'no_data')],
  ['layer.rivers', svg(`<path d="M1 14 C8 4, 18 18, 27 6" fill="none" stroke="${riverColor}" stroke-width="3"/>`)],
  ['layer.flood-zones', svg(`<rect x="2" y="3" width="24" height="14" fill="rgba(30,115,210,0.25)" stroke="${floodColor}" stroke-width="1.5"/>`)],
  ['layer.landslide-zones', svg(`<rect x="2" y="3" width="24" height="14" fill="rgba(214,120,30,0.3)" stroke="${landslideColor}" stroke-width="1.5"/>`)],
  ['layer.districts', svg(`<path d="M1 10 H27" stroke="${districtColor}" stroke-width="1.5" stroke-dasharray="3 5"/>`)],
  ['layer.boundary', svg(`<path d="M1 10 H27" stroke="${boundaryColor}" stroke-width="2.5"/>`)],
  [
    'legendOfficial',
    svg(`<path d="M1 10 H27" stroke="${officialColor}" stroke-width="7" stroke-dasharray="7 4"/><path d="M1 10 H27" stroke="${boundaryColor}" stroke-width="2"/>`),
  ],
  ['legendHollow', stationSymbolSvg('water_level', 'normal', true)],
  [
    'legendIllustrative',
    svg(
      `<defs><pattern id="legend-hatch" width="5" height="5" patternUnits="userSpaceOnUse" patternTransform="rotate(-45)">` +
        `<line x1="0" y1="0" x2="0" y2="5" stroke="#555" stroke-width="1.5"/></pattern></defs>` +
        `<rect x="2" y="3" width="24" height="14" fill="url(#legend-hatch)" stroke="#333" stroke-width="1.5" stroke-dasharray="4 3"/>`,
    ),
  ],
];

export function mountLegend(list: HTMLElement): Mounted {
  const labels = entries.map(([key, symbol]) => {
    const text = h('span', {});
    const item = h('li', {}, text);
    item.insertAdjacentHTML('afterbegin', symbol);
    list.append(item);
    return () => (text.textContent = typeof key === 'function' ? key() : t(key));
  });
  const render = () => labels.forEach((render) => render());
  const stopLang = onLangChange(render);
  render();
  return {
    dispose: () => {
      stopLang();
      list.replaceChildren();
    },
  };
}
