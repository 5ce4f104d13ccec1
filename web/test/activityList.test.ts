import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { setLang } from '../src/core/i18n';
import { Situation } from '../src/core/live/situation';
import { mountActivityList, type ActivityList } from '../src/hq/activityList';
import { batchMessage, snapshotMessage } from './fixtures';

const names = {
  shelter: (id: string) => id,
  district: (id: string) => (id === 'district-yashiro' ? '屋代地区' : id),
  station: (id: string) => (id === 'station-kubo' ? '久保' : id),
  gaugeType: () => 'standard',
};

let list: HTMLUListElement;
let status: HTMLElement;
let view: ActivityList;

describe('the activity list', () => {
  beforeEach(() => {
    setLang('ja');
    list = document.createElement('ul');
    status = document.createElement('p');
  });
  afterEach(() => view.dispose());

  it('says a gauge was added and its thresholds changed, from the snapshot and from a batch', () => {
    const situation = new Situation();
    view = mountActivityList(list, status, situation, names);

    situation.load(snapshotMessage().snapshot);
    situation.apply(batchMessage().events);

    const added = [...list.querySelectorAll('li[data-kind="station_added"]')].map((li) => li.textContent);
    const changed = [...list.querySelectorAll('li[data-kind="station_thresholds_changed"]')].map((li) => li.textContent);
    expect(added).toHaveLength(2);
    added.forEach((text) => expect(text).toContain('観測所 久保 を追加'));
    changed.forEach((text) => expect(text).toContain('観測所 久保 の基準水位を変更'));
    expect(changed).toHaveLength(2);
  });

  it('shows why a district level was issued', () => {
    const situation = new Situation();
    view = mountActivityList(list, status, situation, names);
    situation.load(snapshotMessage().snapshot);
    const [event] = batchMessage().events.filter((e) => e.kind === 'district_evacuation_level_changed');
    if (event.kind !== 'district_evacuation_level_changed') throw new Error('fixture has no district event');

    situation.apply([event]);

    const item = list.querySelector(`li[data-seq="${event.seq}"]`);
    expect(item?.querySelector('.activity-detail')?.textContent).toContain(event.district.reason);
  });
});
