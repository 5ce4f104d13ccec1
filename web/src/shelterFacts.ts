// How a shelter's facts read to a person, shared by the HQ details panel and the public list.
import { hazards, type Hazard, type ShelterProps } from './geodata';
import { lang, t } from './i18n';

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
