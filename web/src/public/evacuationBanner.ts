// The banner residents must not miss: which districts are under 警戒レベル 3 or above, highest level first,
// with what to do. Empty (and silent) while no district has a level in force.
import { h } from '../core/dom';
import type { CommonProps } from '../core/geodata';
import { issuedLevels, levelAction, levelText } from '../core/evacuationLevels';
import { localName, onLangChange } from '../core/i18n';
import { t } from './messages';
import { concerns, type Situation } from '../core/live/situation';
import { subscriptions, type Mounted } from '../core/mounted';

export interface EvacuationBanner extends Mounted {
  /** District names, from the districts layer; until they arrive the banner gives the level without them. */
  setDistricts(districts: CommonProps[]): void;
}

export function mountEvacuationBanner(banner: HTMLElement, situation: Situation): EvacuationBanner {
  const names = new Map<string, CommonProps>();
  let shown = '';

  const render = () => {
    const lines = issuedLevels
      .map((level) => ({ level, districts: [...situation.districts.values()].filter((d) => d.level === level) }))
      .filter((group) => group.districts.length > 0)
      .map(({ level, districts }) => {
        const named = districts.map((d) => names.get(d.districtId)).filter((d): d is CommonProps => d !== undefined);
        const headline =
          named.length === districts.length
            ? t('evacBannerLine', { districts: named.map((d) => localName(d)).join(t('listSeparator')), level: levelText(level) })
            : t('evacBannerUnnamed', { level: levelText(level) });
        return h(
          'div',
          { class: `evac-level evac-level-${level}`, 'data-level': String(level) },
          h('strong', {}, headline),
          h('span', { class: 'evac-action' }, levelAction(level)),
        );
      });
    // Rewrite only when the words change, so screen readers announce a change once and not on every event.
    const text = lines.map((l) => l.textContent).join('\n');
    if (text === shown) return;
    shown = text;
    banner.replaceChildren(...lines);
    banner.dataset.highestLevel = String(situation.highestLevel());
  };
  const subs = subscriptions();
  subs.add(
    situation.onChange((change) => {
      if (concerns(change, ['district_evacuation_level_changed'])) render();
    }),
  );
  subs.add(onLangChange(render));
  render();

  return {
    dispose: () => {
      subs.dispose();
      banner.replaceChildren();
    },
    setDistricts: (districts) => {
      districts.forEach((d) => names.set(d.id, d));
      render();
    },
  };
}
