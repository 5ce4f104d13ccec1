import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import type { ShelterProps } from '../src/core/geodata';
import { setLang } from '../src/core/i18n';
import type { ShelterState } from '../src/core/live/situationMessages';
import type { SendResult } from '../src/core/send';
import {
  checkRegistry,
  draftFrom,
  mountShelterRegistry,
  registryBody,
  type RegistryDraft,
  type ShelterRegistryUpdate,
} from '../src/hq/shelterRegistry';

const props: ShelterProps = {
  id: 's1',
  name_ja: '第一小学校',
  name_en: 'Daiichi Elementary School',
  capacity: 300,
  capacity_assumed: true,
  hazards: ['flood', 'earthquake'],
  is_evacuation_shelter: true,
  is_emergency_site: true,
};

const draft = (over: Partial<RegistryDraft> = {}): RegistryDraft => ({ ...draftFrom(undefined, props), ...over });

describe('the registry draft and its checks', () => {
  beforeEach(() => setLang('ja'));

  it('starts from the live registry, the shipped geodata otherwise', () => {
    expect(draftFrom(undefined, props)).toEqual({
      capacity: '300',
      capacityAssumed: true,
      hazards: ['flood', 'earthquake'],
      kind: 'both',
      accessible: false,
      contact: '',
    });
    const live: ShelterState = {
      shelterId: 's1',
      open: false,
      occupancy: 0,
      declaredFull: false,
      crowding: 'closed',
      capacity: 250,
      capacityAssumed: false,
      kind: 'welfare',
      accessible: true,
      contact: '0238-00-0000',
      hazards: ['landslide'],
    };
    expect(draftFrom(live, props)).toEqual({
      capacity: '250',
      capacityAssumed: false,
      hazards: ['landslide'],
      kind: 'welfare',
      accessible: true,
      contact: '0238-00-0000',
    });
  });

  it.each([
    ['-1', 'capacity'],
    ['12.5', 'capacity'],
    ['100001', 'capacity'],
    ['abc', 'capacity'],
  ])('refuses the capacity %s', (capacity, field) => {
    expect(Object.keys(checkRegistry(draft({ capacity })))).toEqual([field]);
  });

  it.each([['0'], ['100000'], [''], [' 42 ']])('takes the capacity "%s"', (capacity) => {
    expect(checkRegistry(draft({ capacity }))).toEqual({});
  });

  it('refuses a contact over 200 characters or with control characters', () => {
    expect(checkRegistry(draft({ contact: 'x'.repeat(201) })).contact).toBeDefined();
    expect(checkRegistry(draft({ contact: 'a\u0000b' })).contact).toBeDefined();
    expect(checkRegistry(draft({ contact: 'x'.repeat(200) }))).toEqual({});
  });

  it('sends numbers as numbers and leaves an unknown capacity out', () => {
    expect(registryBody(draft({ capacity: ' 42 ', capacityAssumed: false, contact: ' 内線 12 ' }))).toEqual({
      capacity: 42,
      capacityAssumed: false,
      hazards: ['flood', 'earthquake'],
      kind: 'both',
      accessible: false,
      contact: '内線 12',
    });
    expect('capacity' in registryBody(draft({ capacity: '' }))).toBe(false);
  });
});

describe('the registry form', () => {
  let host: HTMLDivElement;
  let sent: ShelterRegistryUpdate[];
  let answer: (result: SendResult<unknown>) => void;
  const update = (_: string, body: ShelterRegistryUpdate) => {
    sent.push(body);
    return new Promise<SendResult<unknown>>((resolve) => (answer = resolve));
  };
  const settle = () => new Promise<void>((resolve) => setTimeout(resolve, 0));

  beforeEach(() => {
    setLang('ja');
    sent = [];
    host = document.createElement('div');
    document.body.append(host);
  });
  afterEach(() => host.remove());

  const mount = (role = 'hq') => {
    const view = mountShelterRegistry('s1', props, undefined, { update });
    view.setRole(role);
    host.append(view.element);
    return view;
  };

  it('is for HQ and admin only', () => {
    const view = mount('shelter');
    expect(host.querySelector('form')).toBeNull();
    view.setRole('admin');
    expect(host.querySelector('form')).not.toBeNull();
    view.dispose();
  });

  it('confirms the capacity and changes the hazards, and says done after the server answered', async () => {
    const view = mount();
    const capacity = host.querySelector<HTMLInputElement>('[name="capacity"]')!;
    capacity.value = '320';
    capacity.dispatchEvent(new Event('input', { bubbles: true }));
    host.querySelector<HTMLInputElement>('[name="capacityAssumed"][value="false"]')!.dispatchEvent(new Event('change'));
    const landslide = host.querySelector<HTMLInputElement>('[name="hazards"][value="landslide"]')!;
    landslide.checked = true;
    landslide.dispatchEvent(new Event('change'));
    host.querySelector('form')!.dispatchEvent(new Event('submit', { cancelable: true }));
    expect(sent).toEqual([{ capacity: 320, capacityAssumed: false, hazards: ['flood', 'landslide', 'earthquake'], kind: 'both', accessible: false, contact: '' }]);
    expect(host.querySelector('.form-done')).toBeNull();
    answer({ ok: true, status: 200, value: undefined });
    await settle();
    expect(host.querySelector('.form-done')?.textContent).toBe('登録情報を保存しました。');
    view.dispose();
  });

  it('shows its own check on the field without sending', () => {
    const view = mount();
    const capacity = host.querySelector<HTMLInputElement>('[name="capacity"]')!;
    capacity.value = '-5';
    capacity.dispatchEvent(new Event('input', { bubbles: true }));
    host.querySelector('form')!.dispatchEvent(new Event('submit', { cancelable: true }));
    expect(sent).toEqual([]);
    expect(capacity.getAttribute('aria-invalid')).toBe('true');
    expect(host.textContent).toContain('収容人数は0〜100,000の整数で入力してください。');
    view.dispose();
  });

  it("puts the server's field problems on the fields it names", async () => {
    const view = mount();
    host.querySelector('form')!.dispatchEvent(new Event('submit', { cancelable: true }));
    answer({ ok: false, kind: 'invalid', status: 400, title: 'One or more validation errors occurred.', fields: { hazards: ['Unknown hazard: tsunami'] } });
    await settle();
    const fieldset = host.querySelector('fieldset[aria-invalid="true"]')!;
    expect(fieldset.textContent).toContain('Unknown hazard: tsunami');
    expect(host.querySelector('.form-done')).toBeNull();
    view.dispose();
  });

  it('renders what the server wrote as text, never as markup', async () => {
    const view = mount();
    host.querySelector('form')!.dispatchEvent(new Event('submit', { cancelable: true }));
    answer({ ok: false, kind: 'invalid', status: 400, fields: { contact: ['<img src=x onerror=alert(1)>'] } });
    await settle();
    expect(host.querySelector('img')).toBeNull();
    expect(host.textContent).toContain('<img src=x onerror=alert(1)>');
    view.dispose();
  });
});
