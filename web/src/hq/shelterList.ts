// Shelters as a list of buttons, so keyboard and screen-reader users reach what the map shows, each with its
// live status in words. Browser tests read [data-shelter-id][data-crowding] on each item.
import type Feature from 'ol/Feature';
import { h } from '../core/dom';
import { localName, onLangChange } from '../core/i18n';
import { shelterStatus } from '../core/layers/shelters';
import { crowdingAttribute, headCountText, openingText } from '../core/shelterFacts';
import type { Mounted } from '../core/mounted';

export interface ShelterList extends Mounted {
  /** Brings each item's status in line with its feature's live status. */
  update(): void;
}

export function mountShelterList(list: HTMLElement, shelters: Feature[], onPick: (shelter: Feature) => void): ShelterList {
  let rows: Array<{ shelter: Feature; item: HTMLLIElement; status: HTMLElement }> = [];

  const updateRow = ({ shelter, item, status }: (typeof rows)[number]) => {
    const state = shelterStatus(shelter);
    const crowding = crowdingAttribute(state);
    if (crowding) item.dataset.crowding = crowding;
    else delete item.dataset.crowding;
    status.className = `shelter-status crowding-${crowding ?? 'pending'}`;
    status.textContent = state ? (state.open ? `${openingText(state)} ${headCountText(state)}` : openingText(state)) : '';
  };

  const render = () => {
    rows = shelters.map((shelter) => {
      const status = h('span', { class: 'shelter-status' });
      const button = h('button', { type: 'button' }, h('span', { class: 'shelter-name' }, localName(shelter.getProperties())), status);
      button.addEventListener('click', () => onPick(shelter));
      const item = h('li', { 'data-shelter-id': String(shelter.get('id') ?? '') }, button);
      return { shelter, item, status };
    });
    rows.forEach(updateRow);
    list.replaceChildren(...rows.map((r) => r.item));
  };
  const stopLang = onLangChange(render);
  render();
  return {
    update: () => rows.forEach(updateRow),
    dispose: () => {
      stopLang();
      list.replaceChildren();
    },
  };
}
