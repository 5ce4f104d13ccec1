import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { setLang } from '../src/core/i18n';
import { Situation } from '../src/core/live/situation';
import type { SendResult } from '../src/core/send';
import type { NewAlertBody, RaiseAlert } from '../src/hq/alertForm';
import { mountAlertList, type AlertList, type ClearAlert, type MoveAlert } from '../src/hq/alertList';
import { snapshotMessage } from './fixtures';

const districtNames: Record<string, string> = { 'district-niijuku': '二井宿地区', 'district-yashiro': '屋代地区' };
const names = {
  shelter: (id: string) => id,
  district: (id: string) => districtNames[id] ?? id,
  station: (id: string) => id,
  gaugeType: () => undefined,
};

let section: HTMLElement;
let list: HTMLUListElement;
let count: HTMLSpanElement;
let view: AlertList;
let situation: Situation;
let raised: NewAlertBody[];
let moved: Array<{ step: 'acknowledge' | 'clear'; alertId: number; note?: string }>;
let answer: (result: SendResult<never>) => void;

const pending = <T>() => new Promise<SendResult<T>>((resolve) => (answer = resolve as typeof answer));

function mount(role = 'hq') {
  situation = new Situation();
  situation.load(snapshotMessage().snapshot);
  raised = [];
  moved = [];
  const raise: RaiseAlert = (body) => {
    raised.push(body);
    return pending();
  };
  const acknowledge: MoveAlert = (alertId) => {
    moved.push({ step: 'acknowledge', alertId });
    return pending();
  };
  const clear: ClearAlert = (alertId, note) => {
    moved.push({ step: 'clear', alertId, note });
    return pending();
  };
  view = mountAlertList(list, count, situation, names, { raise, acknowledge, clear });
  view.setRole(role);
}

const settle = () => new Promise<void>((resolve) => setTimeout(resolve, 0));
const q = <T extends Element>(selector: string) => section.querySelector<T>(selector)!;
const item = (id: number) => list.querySelector<HTMLElement>(`[data-alert-id="${id}"]`);

function type(field: HTMLInputElement | HTMLTextAreaElement, text: string) {
  field.focus();
  field.value = text;
  field.setSelectionRange(text.length, text.length);
  field.dispatchEvent(new Event('input', { bubbles: true }));
}

function choose(select: HTMLSelectElement, value: string) {
  select.value = value;
  select.dispatchEvent(new Event('change', { bubbles: true }));
}

async function openRaise() {
  q<HTMLButtonElement>('.alert-raise-toggle').click();
  await settle();
}

const raiseAt = '2026-07-08T05:30:00+00:00';
const newAlert = (alertId: number, message: string) => ({
  kind: 'alert_raised' as const,
  seq: 40 + alertId,
  at: raiseAt,
  alert: { alertId, kind: 'manual', message, status: 'raised' as const, raisedAt: raiseAt, raisedBy: 'hq2' },
});

describe('the HQ alert list', () => {
  beforeEach(() => {
    setLang('ja');
    section = document.createElement('section');
    list = document.createElement('ul');
    count = document.createElement('span');
    section.append(count, list);
    document.body.append(section);
  });
  afterEach(() => {
    view.dispose();
    section.remove();
  });

  it('shows who raised and acknowledged each alert, and when', () => {
    mount();

    const eight = item(8)!;
    expect(eight.dataset.status).toBe('acknowledged');
    expect(eight.querySelector('.alert-raised-by')?.textContent?.trim()).toMatch(/^発報：(7\/8 )?13:55 hq$/);
    expect(eight.querySelector('.alert-acknowledged-by')?.textContent?.trim()).toMatch(/^確認：(7\/8 )?13:58 hq$/);
    expect(count.textContent).toBe('1件');
  });

  it('sends kind, level, district and the trimmed message, and says raised only after the server’s answer', async () => {
    mount();
    await openRaise();
    expect(document.activeElement).toBe(q('#alert-raise-form-kind'));
    choose(q<HTMLSelectElement>('#alert-raise-form-kind'), 'landslide');
    choose(q<HTMLSelectElement>('#alert-raise-form-level'), '4');
    choose(q<HTMLSelectElement>('#alert-raise-form-districtId'), 'district-yashiro');
    type(q<HTMLTextAreaElement>('#alert-raise-form-message'), '  屋代の裏山で土砂崩れ  ');
    q<HTMLButtonElement>('#alert-raise-form button[type="submit"]').click();
    await settle();

    expect(raised).toEqual([{ kind: 'landslide', level: 4, districtId: 'district-yashiro', message: '屋代の裏山で土砂崩れ' }]);
    expect(section.querySelector('.alert-notice')).toBeNull();
    expect(q<HTMLButtonElement>('#alert-raise-form button[type="submit"]').disabled).toBe(true);

    answer({ ok: true, status: 201, value: undefined as never });
    await settle();

    expect(q('.alert-notice').textContent?.trim()).toBe('アラートを発報しました：屋代の裏山で土砂崩れ');
    expect(section.querySelector('#alert-raise-form')).toBeNull();
    expect(document.activeElement).toBe(q('.alert-raise-toggle'));
  });

  it('leaves level and district out when none is chosen', async () => {
    mount();
    await openRaise();
    type(q<HTMLTextAreaElement>('#alert-raise-form-message'), '本部の停電');
    q<HTMLButtonElement>('#alert-raise-form button[type="submit"]').click();
    await settle();

    expect(raised).toEqual([{ kind: 'manual', message: '本部の停電' }]);
  });

  it('shows a 400’s field error beside the field it names and keeps what was typed', async () => {
    mount();
    await openRaise();
    choose(q<HTMLSelectElement>('#alert-raise-form-districtId'), 'district-niijuku');
    type(q<HTMLTextAreaElement>('#alert-raise-form-message'), '二井宿で冠水');
    q<HTMLButtonElement>('#alert-raise-form button[type="submit"]').click();
    await settle();

    answer({ ok: false, kind: 'invalid', status: 400, fields: { districtId: ["There is no district 'district-niijuku'."] } });
    await settle();

    const district = q<HTMLSelectElement>('#alert-raise-form-districtId');
    expect(district.getAttribute('aria-invalid')).toBe('true');
    expect(q(`#${district.getAttribute('aria-describedby')}`).textContent).toBe("There is no district 'district-niijuku'.");
    expect(district.value).toBe('district-niijuku');
    expect(q<HTMLTextAreaElement>('#alert-raise-form-message').value).toBe('二井宿で冠水');
    expect(q('#alert-raise-form [role="alert"]').textContent).toContain('入力内容を確認してください。');
    expect(document.activeElement).toBe(district);
    expect(section.querySelector('.alert-notice')).toBeNull();
  });

  it('says a message is needed beside it, without sending', async () => {
    setLang('en');
    mount();
    await openRaise();
    type(q<HTMLTextAreaElement>('#alert-raise-form-message'), '   ');
    q<HTMLButtonElement>('#alert-raise-form button[type="submit"]').click();
    await settle();

    const message = q<HTMLTextAreaElement>('#alert-raise-form-message');
    const described = message.getAttribute('aria-describedby')!.split(' ');
    expect(described.map((id) => section.querySelector(`#${id}`)?.textContent?.trim())).toContain('Enter the message.');
    expect(document.activeElement).toBe(message);
    expect(raised).toEqual([]);
  });

  it('keeps typed text and focus in the raise form and the clear note when a live event re-renders the list', async () => {
    mount();
    await openRaise();
    const message = q<HTMLTextAreaElement>('#alert-raise-form-message');
    type(message, '中橋付近で越水のおそれ');
    message.setSelectionRange(2, 4);

    situation.apply([newAlert(9, '高畠駅前で冠水')]);

    expect(item(9)).not.toBeNull(); // the event did re-render the list
    expect(q<HTMLTextAreaElement>('#alert-raise-form-message')).toBe(message);
    expect(message.value).toBe('中橋付近で越水のおそれ');
    expect(document.activeElement).toBe(message);
    expect([message.selectionStart, message.selectionEnd]).toEqual([2, 4]);

    item(8)!.querySelector<HTMLButtonElement>('.alert-clear-open')!.click();
    await settle();
    const note = q<HTMLTextAreaElement>('#alert-clear-8 [name="note"]');
    type(note, '土砂は撤去済み');

    situation.apply([{ kind: 'alert_acknowledged', seq: 60, at: raiseAt, alertId: 9, acknowledgedBy: 'hq2' }]);

    expect(item(9)!.dataset.status).toBe('acknowledged');
    expect(note.value).toBe('土砂は撤去済み');
    expect(document.activeElement).toBe(note);
  });

  it('acknowledges, and shows it done only after the server’s answer, with who and when', async () => {
    mount();
    situation.apply([newAlert(9, '高畠駅前で冠水')]);
    item(9)!.querySelector<HTMLButtonElement>('.alert-acknowledge')!.click();
    await settle();

    expect(moved).toEqual([{ step: 'acknowledge', alertId: 9 }]);
    expect(item(9)!.dataset.status).toBe('raised');
    expect(item(9)!.querySelector<HTMLButtonElement>('.alert-acknowledge')!.disabled).toBe(true);

    answer({
      ok: true,
      status: 200,
      value: { ...newAlert(9, '高畠駅前で冠水').alert, status: 'acknowledged', acknowledgedBy: 'hq', acknowledgedAt: '2026-07-08T05:31:00+00:00' } as never,
    });
    await settle();

    expect(item(9)!.dataset.status).toBe('acknowledged');
    expect(item(9)!.querySelector('.alert-acknowledged-by')?.textContent?.trim()).toMatch(/^確認：(7\/8 )?14:31 hq$/);
    expect(q('.alert-notice').textContent?.trim()).toMatch(/^確認済みにしました：高畠駅前で冠水（hq、(7\/8 )?14:31）$/);
    expect(document.activeElement).toBe(item(9)!.querySelector('.alert-clear-open'));
  });

  it('asks before clearing, sends the note, and says cleared only after the server’s answer', async () => {
    mount();
    item(8)!.querySelector<HTMLButtonElement>('.alert-clear-open')!.click();
    await settle();
    expect(q('#alert-clear-8 .confirm-text').textContent?.trim()).toBe('このアラートを解除します：土砂崩れの通報多数');
    expect(moved).toEqual([]);

    type(q<HTMLTextAreaElement>('#alert-clear-8 [name="note"]'), ' 現地確認済み ');
    q<HTMLButtonElement>('#alert-clear-8 button.confirm').click();
    await settle();

    expect(moved).toEqual([{ step: 'clear', alertId: 8, note: '現地確認済み' }]);
    expect(item(8)).not.toBeNull();
    expect(section.querySelector('.alert-notice')).toBeNull();

    answer({ ok: false, kind: 'network', status: 0, fields: {} });
    await settle();
    expect(q('#alert-clear-8 [role="alert"]').textContent).toContain('サーバーに接続できませんでした');
    expect(q<HTMLTextAreaElement>('#alert-clear-8 [name="note"]').value).toBe(' 現地確認済み ');

    q<HTMLButtonElement>('#alert-clear-8 button.confirm').click();
    await settle();
    answer({
      ok: true,
      status: 200,
      value: { ...snapshotMessage().snapshot.alerts[0], status: 'cleared', clearedBy: 'hq', clearedAt: '2026-07-08T05:40:00+00:00' } as never,
    });
    await settle();

    expect(item(8)).toBeNull();
    expect(q('.alert-notice').textContent?.trim()).toMatch(/^解除しました：土砂崩れの通報多数（hq、(7\/8 )?14:40）$/);
    expect(document.activeElement).toBe(q('.alert-notice'));
  });

  it('says cleared, not “someone else”, when this screen’s own clear comes back live before its answer', async () => {
    mount();
    item(8)!.querySelector<HTMLButtonElement>('.alert-clear-open')!.click();
    await settle();
    q<HTMLButtonElement>('#alert-clear-8 button.confirm').click();
    await settle();

    situation.apply([{ kind: 'alert_cleared', seq: 61, at: raiseAt, alertId: 8, clearedBy: 'hq' }]);
    expect(item(8)).toBeNull();
    expect(section.querySelector('.alert-notice')).toBeNull();

    answer({
      ok: true,
      status: 200,
      value: { ...snapshotMessage().snapshot.alerts[0], status: 'cleared', clearedBy: 'hq', clearedAt: '2026-07-08T05:40:00+00:00' } as never,
    });
    await settle();

    expect(q('.alert-notice').getAttribute('role')).toBe('status');
    expect(q('.alert-notice').textContent).toContain('解除しました：土砂崩れの通報多数');
  });

  it('says so when another screen clears the alert this one is about to clear', async () => {
    mount();
    item(8)!.querySelector<HTMLButtonElement>('.alert-clear-open')!.click();
    await settle();
    type(q<HTMLTextAreaElement>('#alert-clear-8 [name="note"]'), '現地確認済み');

    situation.apply([{ kind: 'alert_cleared', seq: 61, at: raiseAt, alertId: 8, clearedBy: 'hq2' }]);

    expect(item(8)).toBeNull();
    expect(q('.alert-notice').getAttribute('role')).toBe('alert');
    expect(q('.alert-notice').textContent).toContain('他の人が先に確認または解除しました');
    expect(moved).toEqual([]);
  });

  it('says when someone else acted first (409), and the list follows the live state', async () => {
    mount();
    situation.apply([newAlert(9, '高畠駅前で冠水')]);
    item(9)!.querySelector<HTMLButtonElement>('.alert-acknowledge')!.click();
    await settle();

    // Another HQ screen cleared it a moment earlier.
    situation.apply([{ kind: 'alert_cleared', seq: 61, at: raiseAt, alertId: 9, clearedBy: 'hq2' }]);
    answer({ ok: false, kind: 'conflict', status: 409, fields: {} });
    await settle();

    expect(item(9)).toBeNull();
    const notice = q('.alert-notice');
    expect(notice.getAttribute('role')).toBe('alert');
    expect(notice.textContent?.trim()).toBe('このアラートは他の人が先に確認または解除しました。一覧は最新の状態を表示しています。');
  });

  it('is read-only for a role other than hq', () => {
    mount('field');

    expect(item(8)).not.toBeNull();
    expect(section.querySelector('.alert-raise-toggle')).toBeNull();
    expect(section.querySelectorAll('button')).toHaveLength(0);
  });
});
