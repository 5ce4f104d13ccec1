import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { setLang } from '../src/core/i18n';
import { Situation } from '../src/core/live/situation';
import type { SendResult } from '../src/core/send';
import { mountDistrictLevels, type DistrictLevels, type IssueLevel, type LevelDecision } from '../src/hq/districtLevels';
import { problem400, snapshotMessage } from './fixtures';

// The server's snapshot: 二井宿 with no level, 屋代 under a level with who and why.
const fixtureDistrict = (id: string) => snapshotMessage().snapshot.districts.find((d) => d.districtId === id)!;

const districts = [
  { id: 'district-takahata', name_ja: '高畠地区', name_en: 'Takahata district' },
  { id: 'district-niijuku', name_ja: '二井宿地区', name_en: 'Niijuku district' },
  { id: 'district-yashiro', name_ja: '屋代地区', name_en: 'Yashiro district' },
];

let list: HTMLUListElement;
let view: DistrictLevels;
let situation: Situation;
let sent: Array<{ districtId: string; decision: LevelDecision }>;
let answer: (result: SendResult<unknown>) => void;

function mount(role = 'hq') {
  situation = new Situation();
  situation.load(snapshotMessage().snapshot);
  sent = [];
  const issue: IssueLevel = (districtId, decision) => {
    sent.push({ districtId, decision });
    return new Promise((resolve) => (answer = resolve));
  };
  view = mountDistrictLevels(list, { districts, situation, onPick: () => undefined, issue });
  view.setRole(role);
}

const settle = () => new Promise<void>((resolve) => setTimeout(resolve, 0));
const row = (id: string) => list.querySelector<HTMLElement>(`[data-district-id="${id}"]`)!;
const q = <T extends Element>(selector: string) => list.querySelector<T>(selector)!;

function type(field: HTMLInputElement | HTMLTextAreaElement, text: string) {
  field.focus();
  field.value = text;
  field.setSelectionRange(text.length, text.length);
  field.dispatchEvent(new Event('input', { bubbles: true }));
}

async function openForm(districtId: string) {
  row(districtId).querySelector<HTMLButtonElement>('.district-change')!.click();
  await settle();
}

async function fillAndReview(districtId: string, level: string, decidedBy: string, reason: string) {
  const form = `#level-form-${districtId}`;
  q<HTMLInputElement>(`${form} input[name="level"][value="${level}"]`).click();
  type(q<HTMLInputElement>(`${form} [name="decidedBy"]`), decidedBy);
  type(q<HTMLTextAreaElement>(`${form} [name="reason"]`), reason);
  q<HTMLButtonElement>(`${form} button[type="submit"]`).click();
  await settle();
}

describe('the district 警戒レベル list', () => {
  beforeEach(() => {
    setLang('ja');
    list = document.createElement('ul');
    document.body.append(list);
  });
  afterEach(() => {
    view.dispose();
    list.remove();
  });

  it('keeps the reason being typed, and its focus, when a live event re-renders the list', async () => {
    mount();
    await openForm('district-yashiro');
    const reason = q<HTMLTextAreaElement>('#level-form-district-yashiro [name="reason"]');
    type(reason, '最上川の水位が上昇中');
    reason.setSelectionRange(3, 5);

    // Another HQ screen issues a level for this very district and another one, while this one is typing.
    situation.apply([
      {
        kind: 'district_evacuation_level_changed',
        seq: 42,
        at: '2026-08-03T05:42:00+00:00',
        district: { districtId: 'district-yashiro', level: 3, issuedAt: '2026-08-03T05:42:00+00:00', decidedBy: '副本部長', enteredBy: 'hq2' },
        previousLevel: 0,
      },
      {
        kind: 'district_evacuation_level_changed',
        seq: 43,
        at: '2026-08-03T05:42:01+00:00',
        district: { districtId: 'district-takahata', level: 4, issuedAt: '2026-08-03T05:42:01+00:00', decidedBy: '本部長', enteredBy: 'hq2' },
        previousLevel: 0,
      },
    ]);

    expect(row('district-yashiro').dataset.level).toBe('3'); // the event did re-render the row
    expect(q<HTMLTextAreaElement>('#level-form-district-yashiro [name="reason"]')).toBe(reason);
    expect(reason.value).toBe('最上川の水位が上昇中');
    expect(document.activeElement).toBe(reason);
    expect([reason.selectionStart, reason.selectionEnd]).toEqual([3, 5]);
  });

  it('confirms in a sentence naming the level and the district, and sends level, who and why', async () => {
    expect(fixtureDistrict('district-niijuku').level).toBe(0);
    mount();
    await openForm('district-niijuku');
    await fillAndReview('district-niijuku', '4', ' 本部長 ', '最上川が氾濫危険水位を超えた');

    expect(q('#level-form-district-niijuku .confirm-text').textContent?.trim()).toBe('二井宿地区に 避難指示（警戒レベル4）を発令します');
    expect(document.activeElement).toBe(q('#level-form-district-niijuku .confirm-text'));
    expect(sent).toEqual([]);

    q<HTMLButtonElement>('#level-form-district-niijuku button.confirm').click();
    await settle();

    expect(sent).toEqual([{ districtId: 'district-niijuku', decision: { level: 4, decidedBy: '本部長', reason: '最上川が氾濫危険水位を超えた' } }]);
    // Nothing says "done" before the server has answered.
    expect(list.querySelector('.form-done')).toBeNull();
    expect(q<HTMLButtonElement>('#level-form-district-niijuku button.confirm').disabled).toBe(true);

    answer({ ok: true, status: 200, value: {} });
    await settle();

    expect(q('.form-done').textContent).toContain('二井宿地区に 避難指示（警戒レベル4）を発令しました');
    expect(list.querySelector('#level-form-district-niijuku')).toBeNull();
    expect(document.activeElement).toBe(row('district-niijuku').querySelector('.district-change'));
  });

  it('asks for confirmation before lifting, in English too', async () => {
    expect(fixtureDistrict('district-yashiro').level).toBe(4);
    setLang('en');
    mount();
    await openForm('district-yashiro');
    await fillAndReview('district-yashiro', '0', 'Head of HQ', 'Water has gone down');

    expect(q('#level-form-district-yashiro .confirm-text').textContent?.trim()).toBe(
      'Lift Evacuation instruction (避難指示) (alert level 4) for Yashiro district',
    );
    expect(sent).toEqual([]);
  });

  it('says what is missing beside each input without sending', async () => {
    mount();
    await openForm('district-yashiro');
    q<HTMLButtonElement>('#level-form-district-yashiro button[type="submit"]').click();
    await settle();

    const decidedBy = q<HTMLInputElement>('#level-form-district-yashiro [name="decidedBy"]');
    expect(decidedBy.getAttribute('aria-invalid')).toBe('true');
    expect(q(`#${decidedBy.getAttribute('aria-describedby')}`).textContent).toBe('決定者を入力してください。');
    expect(q('#level-form-district-yashiro fieldset').getAttribute('aria-invalid')).toBe('true');
    expect(document.activeElement).toBe(q('#level-form-district-yashiro input[name="level"]'));
    expect(sent).toEqual([]);
  });

  it('shows the server’s field errors beside the inputs and keeps what was typed', async () => {
    mount();
    await openForm('district-yashiro');
    await fillAndReview('district-yashiro', '5', '本部長', '土砂災害の危険');
    q<HTMLButtonElement>('#level-form-district-yashiro button.confirm').click();
    await settle();

    const problem = problem400();
    answer({ ok: false, kind: 'invalid', status: 400, fields: problem.errors });
    await settle();

    const reason = q<HTMLTextAreaElement>('#level-form-district-yashiro [name="reason"]');
    expect(reason.value).toBe('土砂災害の危険');
    expect(reason.getAttribute('aria-invalid')).toBe('true');
    const described = reason.getAttribute('aria-describedby')!.split(' ');
    expect(described.map((id) => list.querySelector(`#${id}`)?.textContent?.trim())).toContain(problem.errors.reason[0]);
    expect(q('#level-form-district-yashiro [role="alert"]').textContent).toContain('入力内容を確認してください。');
    // Focus goes to the first field the server named.
    expect(document.activeElement).toBe(reason);
    expect(list.querySelector('.form-done')).toBeNull();
  });

  it('keeps the confirmation and everything typed when the server cannot be reached', async () => {
    mount();
    await openForm('district-yashiro');
    await fillAndReview('district-yashiro', '5', '本部長', '緊急安全確保の基準に達した');
    q<HTMLButtonElement>('#level-form-district-yashiro button.confirm').click();
    await settle();

    answer({ ok: false, kind: 'network', status: 0, fields: {} });
    await settle();

    expect(q('#level-form-district-yashiro [role="alert"]').textContent).toContain('サーバーに接続できませんでした');
    expect(q<HTMLButtonElement>('#level-form-district-yashiro button.confirm').disabled).toBe(false);
    q<HTMLButtonElement>('#level-form-district-yashiro .form-actions button:not(.confirm)').click();
    await settle();
    expect(q<HTMLTextAreaElement>('#level-form-district-yashiro [name="reason"]').value).toBe('緊急安全確保の基準に達した');
  });

  it('marks a level issued during a drill 訓練, and one issued from a recommendation as such', () => {
    mount();
    situation.apply([
      {
        kind: 'district_evacuation_level_changed',
        seq: 300,
        at: '2026-07-08T05:45:00+00:00',
        previousLevel: 0,
        district: {
          districtId: 'district-niijuku',
          level: 4,
          issuedAt: '2026-07-08T05:45:00+00:00',
          decidedBy: '本部長',
          enteredBy: 'hq',
          reason: '訓練想定：屋代川 氾濫危険水位',
          recommendationId: 7,
          drillId: 2,
        },
      },
    ]);

    const record = row('district-niijuku').querySelector('.district-record')!;
    expect(record.querySelector('.drill-mark')?.textContent).toBe('訓練');
    expect(record.querySelector('.district-from-recommendation')?.textContent).toBe('システムの推奨に基づいて発令');
    expect(row('district-yashiro').querySelector('.drill-mark')).toBeNull();
  });

  it('is read-only for a role other than hq', async () => {
    mount('field');

    expect(list.querySelectorAll('li')).toHaveLength(3);
    expect(list.querySelector('.district-change')).toBeNull();
    const decided = fixtureDistrict('district-yashiro');
    const record = row('district-yashiro').querySelector('.district-record')?.textContent ?? '';
    expect(record).toContain(decided.decidedBy);
    expect(record).toContain(decided.reason);
  });

  it('opens the same form when asked from the map, unfolding its panel and moving focus into it', async () => {
    const panel = document.createElement('details');
    panel.append(list);
    document.body.append(panel);
    mount();

    expect(view.canIssue()).toBe(true);
    view.openForm('district-niijuku');
    await settle();

    expect(panel.open).toBe(true);
    expect(row('district-niijuku').querySelector('.district-change')?.getAttribute('aria-expanded')).toBe('true');
    expect(document.activeElement).toBe(q('#level-form-district-niijuku input[name="level"]'));
    panel.remove();
  });

  it('opens no form from the map for a role other than hq', async () => {
    mount('field');

    expect(view.canIssue()).toBe(false);
    view.openForm('district-niijuku');
    await settle();

    expect(list.querySelector('form')).toBeNull();
  });

  it('stops re-rendering once disposed', async () => {
    mount();
    view.dispose();
    situation.apply([
      {
        kind: 'district_evacuation_level_changed',
        seq: 42,
        at: '2026-08-03T05:42:00+00:00',
        district: { districtId: 'district-yashiro', level: 3 },
        previousLevel: 0,
      },
    ]);
    setLang('en');

    expect(list.children).toHaveLength(0);
    view = mountDistrictLevels(document.createElement('ul'), { districts, situation, onPick: () => undefined });
  });
});
