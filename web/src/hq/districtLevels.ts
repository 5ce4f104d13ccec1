// Each district's 警戒レベル as a list of buttons: what the map's fills say, reachable by keyboard and screen reader.
import type Feature from 'ol/Feature';
import { h } from '../core/dom';
import { levelText } from '../core/evacuationLevels';
import { localName, onLangChange } from '../core/i18n';
import { districtEvacuation } from '../core/layers/districts';

export function mountDistrictLevels(list: HTMLElement, districts: Feature[], onPick: (district: Feature) => void): () => void {
  const render = () => {
    list.replaceChildren(
      ...districts.map((district) => {
        const level = districtEvacuation(district)?.level;
        const button = h(
          'button',
          { type: 'button' },
          h('span', { class: 'district-name' }, localName(district.getProperties())),
          h('span', { class: `district-level level-${level ?? 'pending'}` }, level === undefined ? '' : levelText(level)),
        );
        button.addEventListener('click', () => onPick(district));
        return h('li', { 'data-district-id': String(district.get('id') ?? ''), 'data-level': level === undefined ? undefined : String(level) }, button);
      }),
    );
  };
  onLangChange(render);
  render();
  return render;
}
