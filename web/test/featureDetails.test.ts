import { beforeEach, describe, expect, it } from 'vitest';
import { setLang } from '../src/core/i18n';
import { describeFeature } from '../src/hq/featureDetails';
import { snapshotMessage } from './fixtures';

const yashiro = () => ({
  id: 'district-yashiro',
  name_ja: '屋代地区',
  name_en: 'Yashiro district',
  evacuation: snapshotMessage().snapshot.districts.find((d) => d.districtId === 'district-yashiro'),
});

describe('a district’s details', () => {
  beforeEach(() => setLang('ja'));

  it('shows the level in force with why, and a button that opens the district’s form', () => {
    const opened: string[] = [];
    const details = describeFeature('districts', yashiro(), { changeDistrictLevel: (id) => opened.push(id) });

    expect(details.body.textContent).toContain(yashiro().evacuation!.reason);
    const button = details.body.querySelector<HTMLButtonElement>('button.district-change-from-map');
    expect(button?.textContent).toBe('警戒レベルを発令・解除');
    button!.click();
    expect(opened).toEqual(['district-yashiro']);
  });

  it('has no button for an account that may not issue levels', () => {
    const details = describeFeature('districts', yashiro());

    expect(details.body.querySelector('button')).toBeNull();
  });
});
