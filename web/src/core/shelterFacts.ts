// How a shelter's facts read to a person, shared by the HQ details panel and the public list.
import { hazards, type Hazard, type ShelterProps } from './geodata';
import { lang, t } from './i18n';
import type { CrowdingBand, ShelterState } from './live/situationMessages';

export function hazardLabel(hazard: Hazard): string {
  return t(`hazard.${hazard}`);
}

export function designatedHazards(shelter: ShelterProps): Hazard[] {
  return hazards.filter((h) => shelter.hazards?.includes(h));
}

export function undesignatedHazards(shelter: ShelterProps): Hazard[] {
  return hazards.filter((h) => !shelter.hazards?.includes(h));
}

/** "300人（想定）" — capacities are not published, so assumed figures always say so. */
export function capacityText(shelter: ShelterProps): string {
  if (typeof shelter.capacity !== 'number') return t('capacityUnknown');
  const unit = lang() === 'ja' ? t('people') : ` ${t('people')}`;
  const figure = `${shelter.capacity.toLocaleString()}${unit}`;
  return shelter.capacity_assumed === false ? figure : `${figure}${t('assumed')}`;
}

/** 空いています, やや混雑, 混雑, 満, 閉鎖, or 混雑状況 不明 when the capacity is unknown. */
export function crowdingLabel(band: CrowdingBand): string {
  return t(`crowding.${band}`);
}

/** What residents and staff read first: "開設中・空いています", "閉鎖", or "開設状況 不明" before any live status arrived. */
export function openingText(state: ShelterState | undefined): string {
  if (!state) return t('openingStatusUnknown');
  if (!state.open) return crowdingLabel('closed');
  return `${t('shelterOpenNow')}${lang() === 'ja' ? '・' : ', '}${crowdingLabel(state.crowding)}`;
}

/** "42人／350人", or "42人" when the capacity is unknown. */
export function headCountText(state: ShelterState): string {
  return typeof state.capacity === 'number'
    ? t('headCountOfCapacity', { count: state.occupancy.toLocaleString(), capacity: state.capacity.toLocaleString() })
    : t('headCountValue', { count: state.occupancy.toLocaleString() });
}

/** The value of data-crowding: the band, "closed" when not open; absent until live status is known. */
export function crowdingAttribute(state: ShelterState | undefined): CrowdingBand | undefined {
  if (!state) return undefined;
  return state.open ? state.crowding : 'closed';
}
