// Shelters as a list of buttons, so keyboard and screen-reader users reach what the map shows, each with its
// live status in words. Browser tests read [data-shelter-id][data-crowding] on each item.
import type Feature from 'ol/Feature';
import { h } from '../core/dom';
import { localName, onLangChange } from '../core/i18n';
import { shelterStatus } from '../core/layers/shelters';
import { crowdingAttribute, headCountText, openingText } from '../core/shelterFacts';
import type { Mounted } from '../core/mounted';
import { isUnsuitable, joinedReasons } from '../core/suitability';
import { t } from './messages';

export interface ShelterList extends Mounted {
  /** Brings each item's status in line with its feature's live status. */
  update(): void;
}

export function mountShelterList(list: HTMLElement, shelters: Feature[], onPick: (shelter: Feature) => void): ShelterList {
  let rows: Array<{ shelter: Feature; item: HTMLLIElement; status: HTMLElement; flag: HTMLElement }> = [];

  const updateRow = ({ shelter, item, status, flag }: (typeof rows)[number]) => {
    const state = shelterStatus(shelter);
    const crowding = crowdingAttribute(state);
    if (crowding) item.dataset.crowding = crowding;
    else delete item.dataset.crowding;
    status.className = `shelter-status crowding-${crowding ?? 'pending'}`;
    status.textContent = state ? (state.open ? `${openingText(state)} ${headCountText(state)}` : openingText(state)) : '';
    // Unsuitable for an active hazard: a mark and the reason in words (never colour alone).
    const unsuitable = isUnsuitable(state);
    item.dataset.suitable = String(!unsuitable);
    flag.hidden = !unsuitable;
    flag.textContent = unsuitable ? `✕ ${t('suitability.unsuitable')}：${joinedReasons(state)}` : '';
  };

  const render = () => {
    rows = shelters.map((shelter) => {
      const status = h('span', { class: 'shelter-status' });
      const flag = h('span', { class: 'shelter-suitability unsuitable' });
      const button = h('button', { type: 'button' }, h('span', { class: 'shelter-name' }, localName(shelter.getProperties())), status, flag);
      button.addEventListener('click', () => onPick(shelter));
      const item = h('li', { 'data-shelter-id': String(shelter.get('id') ?? '') }, button);
      return { shelter, item, status, flag };
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
