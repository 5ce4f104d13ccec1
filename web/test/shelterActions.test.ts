import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { setLang } from '../src/core/i18n';
import type { ShelterState } from '../src/core/live/situationMessages';
import type { SendResult } from '../src/core/send';
import { disposeDetailActions, setDetailActionsRole, useDetailWrites } from '../src/hq/detailActions';
import { describeFeature } from '../src/hq/featureDetails';
import { mountShelterActions, type ShelterActions, type ShelterStatusUpdate } from '../src/hq/shelterActions';
import { snapshotMessage } from './fixtures';

let host: HTMLDivElement;
let view: ShelterActions | null;
let sent: Array<{ shelterId: string; update: ShelterStatusUpdate }>;
let answer: (result: SendResult<unknown>) => void;

const update = (shelterId: string, body: ShelterStatusUpdate) => {
  sent.push({ shelterId, update: body });
  return new Promise<SendResult<unknown>>((resolve) => (answer = resolve));
};

/** From the server's snapshot fixture: shelter 01 is closed (capacity 300), shelter 09 open with 280 people. */
const shelterState = (id: string): ShelterState => snapshotMessage().snapshot.shelters.find((s) => s.shelterId === id)!;

function mount(id: string, role = 'hq') {
  view = mountShelterActions(id, '高畠町立第一小学校', shelterState(id), { update });
  view.setRole(role);
  host.append(view.element);
}

const settle = () => new Promise<void>((resolve) => setTimeout(resolve, 0));
const q = <T extends Element>(selector: string) => host.querySelector<T>(selector)!;

function type(field: HTMLInputElement | HTMLTextAreaElement, text: string) {
  field.focus();
  field.value = text;
  field.setSelectionRange(text.length, text.length);
  field.dispatchEvent(new Event('input', { bubbles: true }));
}

function describedTexts(field: Element): Array<string | undefined> {
  return field
    .getAttribute('aria-describedby')!
    .split(' ')
    .map((id) => host.querySelector(`#${id}`)?.textContent?.trim());
}

describe('the shelter status form', () => {
  beforeEach(() => {
    setLang('ja');
    sent = [];
    view = null;
    host = document.createElement('div');
    document.body.append(host);
  });
  afterEach(() => {
    view?.dispose();
    disposeDetailActions();
    host.remove();
  });

  it('opens a shelter with a head count and a note, and says done only after the server answered', async () => {
    mount('takahata-shelter-01');
    q<HTMLInputElement>('[name="open"][value="true"]').click();
    type(q<HTMLInputElement>('[name="occupancy"]'), '42');
    type(q<HTMLTextAreaElement>('[name="note"]'), ' 毛布 残り20枚 ');
    q<HTMLButtonElement>('button[type="submit"]').click();
    await settle();

    expect(sent).toEqual([
      { shelterId: 'takahata-shelter-01', update: { open: true, occupancy: 42, declaredFull: false, note: '毛布 残り20枚' } },
    ]);
    expect(host.querySelector('.form-done')).toBeNull();
    expect(q<HTMLButtonElement>('button[type="submit"]').disabled).toBe(true);

    answer({ ok: true, status: 200, value: { ...shelterState('takahata-shelter-01'), open: true, occupancy: 42, crowding: 'available' } });
    await settle();

    expect(q('.form-done').textContent).toContain('高畠町立第一小学校：開設中・42人として登録しました。');
  });

  it('declares an open shelter full, keeping the live head count', async () => {
    mount('takahata-shelter-09');
    q<HTMLInputElement>('[name="declaredFull"]').click();
    q<HTMLButtonElement>('button[type="submit"]').click();
    await settle();

    expect(sent).toEqual([{ shelterId: 'takahata-shelter-09', update: { open: true, occupancy: 280, declaredFull: true, note: '毛布が不足' } }]);
  });

  it('asks before closing, naming the shelter, and sends only when confirmed', async () => {
    mount('takahata-shelter-09');
    q<HTMLInputElement>('[name="open"][value="false"]').click();
    expect(q<HTMLInputElement>('[name="declaredFull"]').disabled).toBe(true);
    q<HTMLButtonElement>('button[type="submit"]').click();
    await settle();

    expect(sent).toEqual([]);
    expect(q('.confirm-text').textContent?.trim()).toBe('避難所「高畠町立第一小学校」を閉鎖します');
    expect(document.activeElement).toBe(q('.confirm-text'));

    q<HTMLButtonElement>('button.confirm').click();
    await settle();
    expect(sent).toEqual([{ shelterId: 'takahata-shelter-09', update: { open: false, occupancy: 280, declaredFull: false, note: '毛布が不足' } }]);
    expect(host.querySelector('.form-done')).toBeNull();
    answer({ ok: true, status: 200, value: { ...shelterState('takahata-shelter-09'), open: false, crowding: 'closed' } });
    await settle();
    expect(q('.form-done').textContent).toContain('高畠町立第一小学校を閉鎖として登録しました。');
  });

  it('checks the head count beside its input without sending', async () => {
    mount('takahata-shelter-01');
    q<HTMLInputElement>('[name="open"][value="true"]').click();
    type(q<HTMLInputElement>('[name="occupancy"]'), '12.5');
    q<HTMLButtonElement>('button[type="submit"]').click();
    await settle();

    const count = q<HTMLInputElement>('[name="occupancy"]');
    expect(sent).toEqual([]);
    expect(count.getAttribute('aria-invalid')).toBe('true');
    expect(describedTexts(count)).toContain('避難者数は0〜100,000の整数で入力してください。');
    expect(document.activeElement).toBe(count);
  });

  it('shows a 400’s field error beside its field and keeps what was typed, in English too', async () => {
    setLang('en');
    mount('takahata-shelter-01');
    q<HTMLInputElement>('[name="open"][value="true"]').click();
    type(q<HTMLInputElement>('[name="occupancy"]'), '100000');
    q<HTMLButtonElement>('button[type="submit"]').click();
    await settle();
    answer({ ok: false, kind: 'invalid', status: 400, fields: { occupancy: ['The head count must be a whole number from 0 to 100000.'] } });
    await settle();

    const count = q<HTMLInputElement>('[name="occupancy"]');
    expect(count.value).toBe('100000');
    expect(describedTexts(count)).toContain('The head count must be a whole number from 0 to 100000.');
    expect(q('[role="alert"]').textContent).toContain('Please check what you entered.');
    expect(q(`label[for="${count.id}"]`).textContent).toBe('People in shelter');
    expect(host.querySelector('.form-done')).toBeNull();
  });

  it('says someone else changed it first on a 409, keeping the form', async () => {
    mount('takahata-shelter-09');
    type(q<HTMLInputElement>('[name="occupancy"]'), '290');
    q<HTMLButtonElement>('button[type="submit"]').click();
    await settle();
    answer({ ok: false, kind: 'conflict', status: 409, fields: {} });
    await settle();

    expect(q('[role="alert"]').textContent).toContain('他の人が先に変更しました。');
    expect(q<HTMLInputElement>('[name="occupancy"]').value).toBe('290');
    expect(q<HTMLButtonElement>('button[type="submit"]').disabled).toBe(false);
  });

  it('is not there for a role other than hq', () => {
    mount('takahata-shelter-09', 'shelter');
    expect(host.querySelector('form')).toBeNull();
  });

  it('keeps the typed head count, its focus and selection when a live event rebuilds the details panel', async () => {
    setDetailActionsRole('hq');
    useDetailWrites({ update });
    const show = (liveStatus: ShelterState) =>
      host.replaceChildren(describeFeature('shelters', { id: 'takahata-shelter-09', name_ja: '高畠中学校', liveStatus }).body);
    show(shelterState('takahata-shelter-09'));
    const count = q<HTMLInputElement>('[name="occupancy"]');
    type(count, '2950');
    count.setSelectionRange(1, 3);

    // Shelter staff report 285 people from their phone while HQ types.
    show({ ...shelterState('takahata-shelter-09'), occupancy: 285, note: '毛布が届いた' });
    await settle();

    expect(q<HTMLInputElement>('[name="occupancy"]')).toBe(count);
    expect(count.value).toBe('2950');
    expect(document.activeElement).toBe(count);
    expect([count.selectionStart, count.selectionEnd]).toEqual([1, 3]);
    expect(q<HTMLTextAreaElement>('[name="note"]').value).toBe('毛布が届いた'); // untouched: follows the live status
    expect(host.querySelector('dl')?.textContent).toContain('285');
  });
});
