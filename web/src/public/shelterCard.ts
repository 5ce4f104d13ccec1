// One shelter as residents read it: name, address, hazards (icon and text), shelter or site only, capacity.
import type Feature from 'ol/Feature';
import { h } from '../dom';
import type { ShelterProps } from '../geodata';
import { localName, t } from '../i18n';
import { capacityText, designatedHazards, hazardLabel, undesignatedHazards } from '../shelterFacts';
import { hazardIcon } from './hazardIcons';

export function shelterCard(feature: Feature, onShowOnMap: () => void): HTMLLIElement {
  const shelter = feature.getProperties() as ShelterProps;
  const headingId = `shelter-${shelter.id}`;

  const badges = h('ul', { class: 'hazard-badges' });
  for (const hazard of designatedHazards(shelter)) {
    const badge = h('li', { class: `badge badge-${hazard}` }, hazardLabel(hazard));
    badge.insertAdjacentHTML('afterbegin', hazardIcon(hazard));
    badges.append(badge);
  }
  const excluded = undesignatedHazards(shelter);

  const button = h('button', { type: 'button', class: 'show-on-map', 'aria-describedby': headingId }, t('showOnMap'));
  button.addEventListener('click', onShowOnMap);

  return h(
    'li',
    {
      class: 'shelter-card',
      'data-shelter-id': shelter.id,
      'data-hazards': (shelter.hazards ?? []).join(' '),
    },
    h('h3', { id: headingId }, localName(shelter)),
    shelter.address ? h('p', { class: 'address' }, shelter.address) : null,
    badges,
    excluded.length > 0
      ? h('p', { class: 'not-for' }, t('notDesignatedLine', { list: excluded.map(hazardLabel).join('・') }))
      : null,
    h(
      'p',
      { class: shelter.is_evacuation_shelter ? 'designation designated' : 'designation' },
      shelter.is_evacuation_shelter ? `✓ ${t('evacuationShelter')}` : t('notForStaying'),
    ),
    h('p', { class: 'capacity' }, t('capacityLine', { value: capacityText(shelter) })),
    button,
  );
}
