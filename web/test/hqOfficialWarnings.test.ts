import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { setLang } from '../src/core/i18n';
import { Situation } from '../src/core/live/situation';
import type { OfficialWarning, SituationEvent } from '../src/core/live/situationMessages';
import type { SendResult } from '../src/core/send';
import {
  emptyHandDraft,
  handBody,
  mountOfficialWarnings,
  splitList,
  type HandWarningBody,
  type OfficialWarningsPanel,
  type TelegramOutcome,
} from '../src/hq/officialWarnings';
import { snapshotMessage } from './fixtures';

/** Official warnings as the server sends them (S2 of the issue-12 contract). */
const heavyRain: OfficialWarning = {
  warningId: 3,
  warningKey: 'weather_warning:0638100:大雨警報:土砂災害',
  kind: 'weather_warning',
  name: '大雨警報',
  nameEn: 'Heavy rain warning',
  condition: '土砂災害',
  levelEquivalent: 3,
  status: 'in_force',
  source: 'jma_upload',
  issuedAt: '2026-07-08T04:40:00+00:00',
  areas: ['高畠町'],
  rivers: [],
  headline: '山形県では、土砂災害に警戒してください。',
  enteredByHand: false,
  updatedAt: '2026-07-08T04:40:00+00:00',
};
const landslide: OfficialWarning = {
  ...heavyRain,
  warningId: 4,
  warningKey: 'landslide_alert:0638100:土砂災害警戒情報',
  kind: 'landslide_alert',
  name: '土砂災害警戒情報',
  nameEn: 'Landslide alert information',
  condition: undefined,
  levelEquivalent: 4,
  source: 'hand',
  headline: undefined,
  enteredByHand: true,
  enteredBy: 'hq',
  issuedAt: '2026-07-08T05:00:00+00:00',
};

let root: HTMLElement;
let situation: Situation;
let view: OfficialWarningsPanel;
let uploaded: Blob[];
let recorded: HandWarningBody[];
let ended: number[];
let answer: (result: SendResult<unknown>) => void;
const pending = <T>() => new Promise<SendResult<T>>((resolve) => (answer = resolve as typeof answer));

function mount(role = 'hq', warnings = [heavyRain, landslide]) {
  situation = new Situation();
  situation.load({ ...snapshotMessage().snapshot, officialWarnings: warnings });
  uploaded = [];
  recorded = [];
  ended = [];
  view = mountOfficialWarnings(root, situation, {
    upload: (file) => {
      uploaded.push(file);
      return pending<TelegramOutcome | undefined>();
    },
    record: (body) => {
      recorded.push(body);
      return pending();
    },
    end: (id) => {
      ended.push(id);
      return pending();
    },
  });
  view.setRole(role);
}

const settle = () => new Promise<void>((resolve) => setTimeout(resolve, 0));
const q = <T extends Element>(selector: string) => root.querySelector<T>(selector)!;
const item = (id: number) => root.querySelector<HTMLElement>(`[data-warning-id="${id}"]`);
const changed = (warning: OfficialWarning): SituationEvent => ({ kind: 'official_warning_changed', seq: 80, at: warning.updatedAt, warning });

function type(field: HTMLInputElement, text: string) {
  field.value = text;
  field.dispatchEvent(new Event('input', { bubbles: true }));
}

function chooseFile(input: HTMLInputElement, file: File) {
  Object.defineProperty(input, 'files', { value: [file], configurable: true });
  input.dispatchEvent(new Event('change', { bubbles: true }));
}

describe('the official warnings panel', () => {
  beforeEach(() => {
    setLang('ja');
    root = document.createElement('div');
    document.body.append(root);
  });
  afterEach(() => {
    view.dispose();
    root.remove();
  });

  it('names the condition once, whether the telegram put it in the name or a hand entry gave it apart', () => {
    const fromTelegram = { ...heavyRain, warningId: 5, name: '大雨警報（土砂災害）' };
    mount('hq', [heavyRain, fromTelegram]);
    expect(item(3)!.querySelector('.official-name')!.textContent!.replace(/\s+/g, '')).toBe('大雨警報（土砂災害）');
    expect(item(5)!.querySelector('.official-name')!.textContent!.replace(/\s+/g, '')).toBe('大雨警報（土砂災害）');
  });

  it('marks each warning as official, with its kind, level, areas and where it came from', () => {
    mount();

    const ids = [...root.querySelectorAll<HTMLElement>('[data-warning-id]')].map((li) => li.dataset.warningId);
    expect(ids).toEqual(['4', '3']);
    const rain = item(3)!;
    expect(rain.querySelector('.official-mark')?.textContent).toBe('公式');
    expect(rain.querySelector('.official-kind')?.textContent).toBe('気象警報・注意報');
    expect(rain.querySelector('.official-name')?.textContent?.trim()).toBe('大雨警報 （土砂災害）');
    expect(rain.querySelector('.official-level')?.textContent).toBe('警戒レベル3相当');
    expect(rain.querySelector('.official-areas')?.textContent).toBe('対象地域：高畠町');
    expect(rain.querySelector('.official-source')?.textContent?.trim()).toBe('気象庁XML（ファイル）');
    expect(item(4)!.querySelector('.official-source')?.textContent?.trim()).toBe('手入力：hq');
  });

  it('follows the live channel: a new warning appears, an ended or cancelled one goes', () => {
    mount('hq', [heavyRain]);
    situation.apply([changed(landslide)]);
    expect(item(4)).not.toBeNull();

    situation.apply([changed({ ...heavyRain, status: 'ended' })]);
    situation.apply([changed({ ...landslide, status: 'cancelled' })]);
    expect(item(3)).toBeNull();
    expect(item(4)).toBeNull();
    expect(root.querySelector('.official-none')?.textContent).toBe('発表中の公式情報はありません。');
  });

  it('sends a telegram file as it is and says what it came to', async () => {
    mount();
    const file = new File(['<Report xmlns="http://xml.kishou.go.jp/jmaxml1/"/>'], 'telegram.xml', { type: 'text/xml' });
    chooseFile(q<HTMLInputElement>('input[name="telegram"]'), file);
    q<HTMLButtonElement>('#official-upload-form button[type="submit"]').click();
    await settle();

    expect(uploaded).toEqual([file]);
    answer({ ok: true, status: 200, value: { outcome: 'not_for_town', warnings: [] } });
    await settle();
    expect(q('.official-notice').textContent?.trim()).toBe('高畠町（0638100）向けの情報ではないため、記録しませんでした。');
  });

  it('asks for a file before sending, and shows the server’s reason for a malformed telegram', async () => {
    mount();
    q<HTMLButtonElement>('#official-upload-form button[type="submit"]').click();
    await settle();
    expect(uploaded).toEqual([]);
    expect(q('#official-upload-form .field-error').textContent).toBe('電文ファイルを選んでください。');

    chooseFile(q<HTMLInputElement>('input[name="telegram"]'), new File(['<html/>'], 'x.xml'));
    q<HTMLButtonElement>('#official-upload-form button[type="submit"]').click();
    await settle();
    answer({ ok: false, kind: 'invalid', status: 400, detail: '気象庁防災情報XMLではありません。', fields: {} });
    await settle();
    expect(q('#official-upload-form .form-message').textContent).toContain('気象庁防災情報XMLではありません。');
  });

  it('records one by hand with what was entered, empty fields left out', async () => {
    mount();
    q<HTMLButtonElement>('.official-hand-toggle').click();
    await settle();
    const kind = q<HTMLSelectElement>('#official-hand-form [name="kind"]');
    kind.value = 'landslide_alert';
    kind.dispatchEvent(new Event('change', { bubbles: true }));
    type(q<HTMLInputElement>('#official-hand-form [name="name"]'), '土砂災害警戒情報');
    const level = q<HTMLSelectElement>('#official-hand-form [name="levelEquivalent"]');
    level.value = '4';
    level.dispatchEvent(new Event('change', { bubbles: true }));
    type(q<HTMLInputElement>('#official-hand-form [name="issuedAt"]'), '2026-07-08T14:05');
    q<HTMLButtonElement>('#official-hand-form button[type="submit"]').click();
    await settle();

    expect(recorded).toEqual([
      { kind: 'landslide_alert', name: '土砂災害警戒情報', levelEquivalent: 4, areas: ['高畠町'], issuedAt: '2026-07-08T14:05:00+09:00' },
    ]);
    answer({ ok: true, status: 201, value: undefined });
    await settle();
    expect(q('.official-notice').textContent?.trim()).toBe('「土砂災害警戒情報」を手入力で記録しました。');
    expect(root.querySelector('#official-hand-form')).toBeNull();
  });

  it('does not record by hand without a name', async () => {
    mount();
    q<HTMLButtonElement>('.official-hand-toggle').click();
    await settle();
    q<HTMLButtonElement>('#official-hand-form button[type="submit"]').click();
    await settle();

    expect(recorded).toEqual([]);
    expect(q('#official-hand-form [name="name"]').getAttribute('aria-invalid')).toBe('true');
  });

  it('ends a warning after a confirmation', async () => {
    mount();
    item(3)!.querySelector<HTMLButtonElement>('.official-end-open')!.click();
    await settle();
    expect(ended).toEqual([]);
    item(3)!.querySelector<HTMLButtonElement>('.official-end .confirm')!.click();
    await settle();
    expect(ended).toEqual([3]);

    answer({ ok: true, status: 200, value: undefined });
    await settle();
    expect(q('.official-notice').textContent?.trim()).toBe('「大雨警報」の終了を記録しました。');
  });

  it('shows the list but no tools to an account that is not HQ', () => {
    mount('staff');
    expect(item(3)).not.toBeNull();
    expect(root.querySelector('.official-tools')).toBeNull();
    expect(root.querySelector('.official-end-open')).toBeNull();
  });
});

describe('a hand entry', () => {
  it('splits areas and rivers on Japanese and Latin commas', () => {
    expect(splitList('高畠町、米沢市, 南陽市，')).toEqual(['高畠町', '米沢市', '南陽市']);
  });

  it('carries a validity time in Japan time and leaves an empty condition out', () => {
    const body = handBody({ ...emptyHandDraft(), kind: 'river_flood', name: '屋代川氾濫危険情報', rivers: '屋代川', validUntil: '2026-07-08T18:00' });
    expect(body).toEqual({ kind: 'river_flood', name: '屋代川氾濫危険情報', areas: ['高畠町'], rivers: ['屋代川'], validUntil: '2026-07-08T18:00:00+09:00' });
  });
});
