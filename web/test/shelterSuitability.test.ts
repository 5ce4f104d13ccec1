import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import Feature from 'ol/Feature';
import { setLang } from '../src/core/i18n';
import { applyShelterStatuses } from '../src/core/layers/shelters';
import type { ShelterState } from '../src/core/live/situationMessages';
import { disposeDetailActions, useDetailWrites } from '../src/hq/detailActions';
import { describeFeature } from '../src/hq/featureDetails';
import { mountShelterList } from '../src/hq/shelterList';

const unsuitable: ShelterState = {
  shelterId: 'takahata-shelter-07',
  open: true,
  occupancy: 130,
  capacity: 100,
  declaredFull: false,
  crowding: 'full',
  capacityAssumed: false,
  kind: 'emergency_site',
  accessible: true,
  contact: '館長 内線 123',
  suitability: {
    suitable: false,
    placeToStay: false,
    reasons: [
      { code: 'not_designated', ja: '洪水の指定なし', en: 'Not designated for floods' },
      { code: 'in_flood_zone', ja: '和田川の浸水想定区域内', en: 'Inside the Wada River inundation zone' },
    ],
  },
};
const props = { id: 'takahata-shelter-07', name_ja: '町営第二体育館', name_en: 'Town Gym 2', hazards: ['landslide'], capacity: 500, capacity_assumed: true };

describe('a shelter unsuitable for an active hazard on HQ', () => {
  beforeEach(() => {
    setLang('ja');
    useDetailWrites({ history: async () => [] });
  });
  afterEach(() => disposeDetailActions());

  it('says so in the details with a mark and every reason, and over capacity as such', () => {
    const details = describeFeature('shelters', { ...props, liveStatus: unsuitable });
    const flag = details.body.querySelector<HTMLElement>('.suitability')!;
    expect(flag.dataset.suitable).toBe('false');
    expect(flag.textContent).toBe('✕ 案内しません：洪水の指定なし、和田川の浸水想定区域内 一時的に避難する場所（滞在はできません）');
    expect(details.body.textContent).toContain('130人／100人（定員超過 130%）');
    // The live registry wins over the shipped geodata: HQ confirmed the capacity.
    expect(details.body.textContent).toContain('100人');
    expect(details.body.textContent).toContain('指定緊急避難場所');
    expect(details.body.textContent).toContain('館長 内線 123');
    setLang('en');
    const english = describeFeature('shelters', { ...props, liveStatus: unsuitable });
    expect(english.body.querySelector('.suitability')?.textContent).toContain('Not designated for floods; Inside the Wada River inundation zone');
  });

  it('flags it in the shelter list with the reason, and clears the flag once it is suitable again', () => {
    const feature = new Feature(props);
    const list = document.createElement('ul');
    const view = mountShelterList(list, [feature], () => undefined);
    applyShelterStatuses([feature], new Map([[unsuitable.shelterId, unsuitable]]));
    view.update();
    const item = list.querySelector<HTMLElement>('[data-shelter-id="takahata-shelter-07"]')!;
    expect(item.dataset.suitable).toBe('false');
    expect(item.querySelector('.shelter-suitability')?.textContent).toBe('✕ 案内しません：洪水の指定なし、和田川の浸水想定区域内');
    const suitable = { ...unsuitable, suitability: { suitable: true, placeToStay: false, reasons: [] } };
    applyShelterStatuses([feature], new Map([[unsuitable.shelterId, suitable]]));
    view.update();
    expect(item.dataset.suitable).toBe('true');
    expect(item.querySelector<HTMLElement>('.shelter-suitability')?.hidden).toBe(true);
    view.dispose();
  });
});
