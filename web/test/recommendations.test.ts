import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { setLang } from '../src/core/i18n';
import { Situation } from '../src/core/live/situation';
import type { EvacuationRecommendation, SituationEvent } from '../src/core/live/situationMessages';
import type { SendResult } from '../src/core/send';
import {
  checkAnswer,
  issueBody,
  issueDraft,
  mountRecommendations,
  type DismissBody,
  type IssueBody,
  type Recommendations,
} from '../src/hq/recommendations';
import { snapshotMessage } from './fixtures';

/** A recommendation as the server sends it (S3 of the issue-12 contract). */
const yashiro: EvacuationRecommendation = {
  recommendationId: 7,
  districtId: 'district-yashiro',
  level: 4,
  levelNameJa: '避難指示',
  levelNameEn: 'Evacuate',
  basis: 'river:屋代川:danger',
  reasonJa: '屋代川（中橋）が氾濫危険水位に到達',
  reasonEn: 'Yashiro River (Nakahashi) reached the flood danger level',
  madeAt: '2026-07-08T05:12:00+00:00',
  status: 'open',
};
const niijuku: EvacuationRecommendation = {
  ...yashiro,
  recommendationId: 8,
  districtId: 'district-niijuku',
  level: 3,
  levelNameJa: '高齢者等避難',
  levelNameEn: 'Elderly etc. evacuate',
  reasonJa: '土砂災害の危険度が高まっています',
  drillId: 4,
};

const districtNames: Record<string, string> = { 'district-niijuku': '二井宿地区', 'district-yashiro': '屋代地区' };
const names = { district: (id: string) => districtNames[id] ?? id };

let root: HTMLElement;
let situation: Situation;
let view: Recommendations;
let issued: Array<{ id: number; body: IssueBody }>;
let dismissed: Array<{ id: number; body: DismissBody }>;
let answer: (result: SendResult<unknown>) => void;
const pending = () => new Promise<SendResult<unknown>>((resolve) => (answer = resolve));

function mount(role = 'hq', recommendations = [yashiro, niijuku]) {
  situation = new Situation();
  situation.load({ ...snapshotMessage().snapshot, recommendations });
  issued = [];
  dismissed = [];
  view = mountRecommendations(root, situation, names, {
    issue: (id, body) => {
      issued.push({ id, body });
      return pending();
    },
    dismiss: (id, body) => {
      dismissed.push({ id, body });
      return pending();
    },
  });
  view.setRole(role);
}

const settle = () => new Promise<void>((resolve) => setTimeout(resolve, 0));
const row = (id: number) => root.querySelector<HTMLElement>(`[data-recommendation-id="${id}"]`);
const inRow = <T extends Element>(id: number, selector: string) => row(id)!.querySelector<T>(selector);

function type(field: HTMLInputElement | HTMLTextAreaElement, text: string) {
  field.value = text;
  field.dispatchEvent(new Event('input', { bubbles: true }));
}

const answered = (r: EvacuationRecommendation, status: EvacuationRecommendation['status']): SituationEvent => ({
  kind: 'evacuation_recommendation_answered',
  seq: 90,
  at: '2026-07-08T05:15:00+00:00',
  recommendation: { ...r, status, answeredBy: 'hq', answeredAt: '2026-07-08T05:15:00+00:00' },
});

describe('the recommendations panel', () => {
  beforeEach(() => {
    setLang('ja');
    root = document.createElement('div');
    document.body.append(root);
  });
  afterEach(() => {
    view.dispose();
    root.remove();
  });

  it('lists each open recommendation with its district, level and reason, the highest level first', () => {
    mount();

    const rows = [...root.querySelectorAll<HTMLElement>('[data-recommendation-id]')];
    expect(rows.map((r) => r.dataset.recommendationId)).toEqual(['7', '8']);
    expect(rows[0].querySelector('.recommendation-what')?.textContent?.replace(/\s+/g, ' ').trim()).toBe('屋代地区 警戒レベル4 避難指示');
    expect(rows[0].querySelector('.recommendation-reason')?.textContent).toBe('屋代川（中橋）が氾濫危険水位に到達');
    expect(rows[1].querySelector('.drill-mark')?.textContent).toBe('訓練');
  });

  it('starts the issue form from the recommendation: its level in the heading, its reason in the field', async () => {
    mount();
    inRow<HTMLButtonElement>(7, '[data-action="issue"]')!.click();
    await settle();

    expect(inRow(7, '.form-step')?.textContent?.trim()).toBe('屋代地区に避難指示（警戒レベル4）を発令します');
    expect(inRow<HTMLTextAreaElement>(7, 'textarea[name="reason"]')!.value).toBe('屋代川（中橋）が氾濫危険水位に到達');
    expect(inRow<HTMLInputElement>(7, 'input[name="decidedBy"]')!.value).toBe('');
    expect(document.activeElement).toBe(inRow(7, 'input[name="decidedBy"]'));
  });

  it('does not send without who decided, and says so beside the field', async () => {
    mount();
    inRow<HTMLButtonElement>(7, '[data-action="issue"]')!.click();
    await settle();
    inRow<HTMLButtonElement>(7, 'button[type="submit"]')!.click();
    await settle();

    expect(issued).toEqual([]);
    expect(inRow(7, 'input[name="decidedBy"]')!.getAttribute('aria-invalid')).toBe('true');
    expect(inRow(7, '.field-error')?.textContent).toBe('決定者を入力してください。');
  });

  it('issues with who decided and the reason, and says issued only after the server answered', async () => {
    mount();
    inRow<HTMLButtonElement>(7, '[data-action="issue"]')!.click();
    await settle();
    type(inRow<HTMLInputElement>(7, 'input[name="decidedBy"]')!, ' 本部長 ');
    inRow<HTMLButtonElement>(7, 'button[type="submit"]')!.click();
    await settle();

    expect(issued).toEqual([{ id: 7, body: { decidedBy: '本部長', reason: '屋代川（中橋）が氾濫危険水位に到達' } }]);
    expect(root.querySelector('.recommendation-notice')).toBeNull();
    expect(inRow<HTMLButtonElement>(7, 'button[type="submit"]')!.disabled).toBe(true);

    answer({ ok: true, status: 200, value: undefined });
    await settle();
    expect(root.querySelector('.recommendation-notice')?.textContent?.trim()).toBe('屋代地区に避難指示（警戒レベル4）を発令しました。');

    situation.apply([answered(yashiro, 'issued')]);
    expect(row(7)).toBeNull();
    expect(row(8)).not.toBeNull();
  });

  it('dismisses only with a reason', async () => {
    mount();
    inRow<HTMLButtonElement>(8, '[data-action="dismiss"]')!.click();
    await settle();
    expect(inRow(8, 'input[name="decidedBy"]')).toBeNull();
    expect(inRow<HTMLTextAreaElement>(8, 'textarea[name="reason"]')!.value).toBe('');

    inRow<HTMLButtonElement>(8, 'button[type="submit"]')!.click();
    await settle();
    expect(dismissed).toEqual([]);
    expect(inRow(8, '.field-error')?.textContent).toBe('理由を入力してください。');

    type(inRow<HTMLTextAreaElement>(8, 'textarea[name="reason"]')!, '現地確認で土砂の兆候なし');
    inRow<HTMLButtonElement>(8, 'button[type="submit"]')!.click();
    await settle();
    expect(dismissed).toEqual([{ id: 8, body: { reason: '現地確認で土砂の兆候なし' } }]);
  });

  it('keeps what was typed when the server refuses, and says why', async () => {
    mount();
    inRow<HTMLButtonElement>(7, '[data-action="issue"]')!.click();
    await settle();
    type(inRow<HTMLInputElement>(7, 'input[name="decidedBy"]')!, '本部長');
    inRow<HTMLButtonElement>(7, 'button[type="submit"]')!.click();
    await settle();
    answer({ ok: false, kind: 'invalid', status: 400, fields: { decidedBy: ['決定者は100文字以内です。'] } });
    await settle();

    expect(inRow<HTMLInputElement>(7, 'input[name="decidedBy"]')!.value).toBe('本部長');
    expect(inRow(7, '.field-error')?.textContent).toBe('決定者は100文字以内です。');
  });

  it('says so when someone else answered first while the form was open', async () => {
    mount();
    inRow<HTMLButtonElement>(7, '[data-action="issue"]')!.click();
    await settle();

    situation.apply([answered(yashiro, 'dismissed')]);

    expect(row(7)).toBeNull();
    expect(root.querySelector('.recommendation-notice')?.textContent?.trim()).toBe('この推奨は他の人が先に発令または見送りしました。');
  });

  it('shows no buttons to an account that is not HQ', () => {
    mount('staff');
    expect(row(7)).not.toBeNull();
    expect(root.querySelector('[data-action]')).toBeNull();
  });

  it('adds a new recommendation when it arrives live', () => {
    mount('hq', []);
    expect(root.querySelector('.recommendation-none')).not.toBeNull();
    situation.apply([{ kind: 'evacuation_recommended', seq: 91, at: yashiro.madeAt, recommendation: yashiro }]);
    expect(row(7)).not.toBeNull();
  });
});

describe('the answer to a recommendation', () => {
  it('leaves the reason out when it was emptied, so the server keeps the recommendation’s', () => {
    setLang('ja');
    const draft = { ...issueDraft(yashiro), decidedBy: '本部長', reason: '  ' };
    expect(checkAnswer(draft)).toEqual({});
    expect(issueBody(draft)).toEqual({ decidedBy: '本部長' });
  });
});
