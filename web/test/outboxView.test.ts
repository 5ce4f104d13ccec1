import 'fake-indexeddb/auto';
import { afterEach, beforeEach, describe, expect, it, vi } from 'vitest';
import { setLang } from '../src/core/i18n';
import type { Mounted } from '../src/core/mounted';
import { Outbox } from '../src/field/outbox';
import { claim, queued, settle, type OutboxItem } from '../src/field/outboxRules';
import { fieldName, mountOutboxView } from '../src/field/outboxView';
import type { NewReport } from '../src/field/report';
import type { Sending } from '../src/field/sending';

let outbox: Outbox;
let host: HTMLDivElement;
let view: Mounted | null = null;
const sending: Sending = { now: vi.fn(async () => undefined), dispose: () => undefined };

const report: NewReport = {
  clientId: '7d1f7c52-34b4-4a59-9d1a-6a3c1f1f0a01',
  category: 'rescue_needed',
  severity: 'critical',
  description: '<img src=x onerror="document.body.dataset.injected=1"> 2階に取り残された人',
  observedAt: '2026-12-02T09:40:00+09:00',
  longitude: 140.2,
  latitude: 38.01,
};

beforeEach(async () => {
  setLang('ja');
  outbox = await Outbox.open(`bousai-field-view-${crypto.randomUUID()}`);
  host = document.createElement('div');
  document.body.append(host);
});

afterEach(() => {
  view?.dispose();
  view = null;
  outbox.close();
  host.remove();
});

async function shown(item: OutboxItem, edit = vi.fn()) {
  await outbox.add(item);
  view = mountOutboxView(host, { outbox, sending, edit, counted: () => undefined });
  await vi.waitFor(() => expect(host.querySelector(`[data-client-id="${item.clientId}"]`)).not.toBeNull());
  return host.querySelector<HTMLElement>(`[data-client-id="${item.clientId}"]`)!;
}

const t0 = Date.parse('2026-12-02T00:45:00Z');

describe('the outbox view', () => {
  it('shows a waiting report with why it waits, and its text as text', async () => {
    const item = settle(claim(queued(report, [], t0), t0), 1, { kind: 'retry', reason: 'offline' }, t0, () => 0.5);
    const li = await shown(item);
    expect(li.dataset.state).toBe('waiting');
    expect(li.textContent).toContain('送信待ち');
    expect(li.textContent).toContain('電波がありません');
    expect(li.textContent).toContain('負傷者・要救助');
    expect(li.querySelector('.item-text')?.textContent).toBe(report.description);
    expect(li.querySelector('img[src="x"]')).toBeNull();
    expect(li.textContent).not.toContain('送信済み');
  });

  it('asks a signed-out crew to sign in again, back to /field', async () => {
    const item = settle(claim(queued(report, [], t0), t0), 1, { kind: 'retry', reason: 'signed_out' }, t0);
    const li = await shown(item);
    expect(li.querySelector<HTMLAnchorElement>('a.sign-in')?.getAttribute('href')).toBe('/login?returnUrl=/field');
  });

  it('says sent only with the server number', async () => {
    const li = await shown(settle(claim(queued(report, [], t0), t0), 1, { kind: 'sent', reportId: 314 }, t0));
    expect(li.dataset.reportId).toBe('314');
    expect(li.textContent).toContain('送信済み');
    expect(li.textContent).toContain('受付番号 #314');
  });

  it('shows a refusal in the server words with its fields named, and offers to correct it', async () => {
    const problem = {
      status: 400,
      title: '<b>One or more validation errors occurred.</b>',
      fields: { latitude: ['The location is more than 5 km outside the town.'], 'photos[2]': ['Not a JPEG, PNG or WebP image.'] },
    };
    const edit = vi.fn();
    const li = await shown(settle(claim(queued(report, [], t0), t0), 1, { kind: 'failed', problem }, t0), edit);
    expect(li.textContent).toContain('受け付けられませんでした');
    expect(li.querySelector('.problem-title')?.textContent).toBe(problem.title);
    expect(li.querySelector('.problem b')).toBeNull();
    const fields = [...li.querySelectorAll('.problem-fields li')].map((f) => f.textContent?.replace(/\s+/g, ' ').trim());
    expect(fields).toEqual(['場所: The location is more than 5 km outside the town.', '写真3: Not a JPEG, PNG or WebP image.']);
    li.querySelector<HTMLButtonElement>('button.edit')!.click();
    expect(edit).toHaveBeenCalledWith(expect.objectContaining({ clientId: report.clientId, state: 'failed' }));
  });

  it('follows the item as the outbox changes it', async () => {
    const li = await shown(queued(report, [], t0));
    expect(li.dataset.state).toBe('waiting');
    await outbox.update(report.clientId, (item) => claim(item, t0));
    await vi.waitFor(() => expect(host.querySelector('[data-client-id]')?.getAttribute('data-state')).toBe('sending'));
  });
});

describe('server field names in the crew words', () => {
  it.each([
    ['latitude', '場所'],
    ['observedAt', '日時'],
    ['photos[0]', '写真1'],
    ['photos', '写真'],
    ['report.description', '詳しい状況'],
    ['somethingNew', 'somethingNew'],
  ])('%s → %s', (field, words) => {
    expect(fieldName(field)).toBe(words);
  });
});
