// Shelters as a list of buttons, so keyboard and screen-reader users reach what the map shows.
import type Feature from 'ol/Feature';
import { h } from '../dom';
import { localName, onLangChange } from '../i18n';

export function mountShelterList(list: HTMLElement, shelters: Feature[], onPick: (shelter: Feature) => void): void {
  const render = () => {
    list.replaceChildren(
      ...shelters.map((shelter) => {
        const button = h('button', { type: 'button', 'data-shelter-id': String(shelter.get('id') ?? '') }, localName(shelter.getProperties()));
        button.addEventListener('click', () => onPick(shelter));
        return h('li', {}, button);
      }),
    );
  };
  onLangChange(render);
  render();
}
