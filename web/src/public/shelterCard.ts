// One shelter as residents read it: open now and how crowded (from the public hub), name, address, hazards
// (icon and text), shelter or site only, capacity. Browser tests read [data-shelter-id][data-crowding].
import { h } from '../core/dom';
import type { ShelterProps } from '../core/geodata';
import { localName } from '../core/i18n';
import { t } from './messages';
import type { ShelterState } from '../core/live/situationMessages';
import { capacityText, crowdingAttribute, designatedHazards, hazardLabel, openingText, undesignatedHazards } from '../core/shelterFacts';
import { hazardIcon } from './hazardIcons';
import { isUnsuitable, joinedReasons } from '../core/suitability';

/** `shipped`: the shelter's properties in the shelters layer (plain GeoJSON properties, no map needed). */
export function shelterCard(shipped: ShelterProps, state: ShelterState | undefined, onShowOnMap: () => void): HTMLLIElement {
  // The designated hazards follow HQ's registry edits live; the shipped geodata's until the first state arrives.
  const shelter: ShelterProps = state?.hazards ? { ...shipped, hazards: state.hazards } : shipped;
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

  const crowding = crowdingAttribute(state);
  const unsuitable = isUnsuitable(state);
  return h(
    'li',
    {
      class: `shelter-card crowding-${crowding ?? 'pending'}`,
      'data-shelter-id': shelter.id,
      'data-crowding': crowding,
      'data-hazards': (shelter.hazards ?? []).join(' '),
      'data-suitable': state?.suitability ? String(!unsuitable) : undefined,
    },
    h('h3', { id: headingId }, localName(shelter)),
    h('p', { class: 'opening' }, h('span', { class: 'opening-mark', 'aria-hidden': 'true' }), openingText(state)),
    unsuitable
      ? h('p', { class: 'not-suggested' }, h('span', { 'aria-hidden': 'true' }, '✕ '), t('notSuggestedLine', { reasons: joinedReasons(state) }))
      : null,
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
