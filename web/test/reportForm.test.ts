import 'fake-indexeddb/auto';
import { afterEach, beforeEach, describe, expect, it, vi } from 'vitest';
import { setLang } from '../src/core/i18n';
import { Outbox } from '../src/field/outbox';
import type { OutboxItem } from '../src/field/outboxRules';
import { mountReportForm, type ReportForm } from '../src/field/reportForm';

let outbox: Outbox;
let host: HTMLDivElement;
let form: ReportForm;
let queuedItems: OutboxItem[];

beforeEach(async () => {
  setLang('ja');
  outbox = await Outbox.open(`bousai-field-form-${crypto.randomUUID()}`);
  host = document.createElement('div');
  document.body.append(host);
  queuedItems = [];
  form = mountReportForm(host, { outbox, queuedReport: (item) => queuedItems.push(item), newClientId: () => 'c0ffee00-0000-4000-8000-000000000001' });
});

afterEach(() => {
  form.dispose();
  outbox.close();
  host.remove();
  vi.useRealTimers();
});

const pick = (name: string, value: string) => {
  const input = host.querySelector<HTMLInputElement>(`input[name="${name}"][value="${value}"]`)!;
  input.checked = true;
  input.dispatchEvent(new Event('change'));
};

const submit = async () => {
  host.querySelector('form')!.dispatchEvent(new Event('submit', { cancelable: true }));
  await vi.waitFor(() => expect(host.querySelector('button.submit')?.hasAttribute('disabled')).toBe(false));
};

describe('the report form', () => {
  it('names what is missing and keeps nothing in the outbox', async () => {
    await submit();
    const errors = [...host.querySelectorAll('.field-error')].map((e) => e.textContent);
    expect(errors).toEqual(['種類を選んでください。', '緊急度を選んでください。', '場所を指定してください（GPSか地図のタップ）。']);
    expect(host.querySelector('[role="alert"]')?.textContent).toBe('入力内容を確認してください。');
    expect(await outbox.list()).toEqual([]);
  });

  it('puts a complete report in the outbox with the time in Japan time (+09:00) and the GPS accuracy', async () => {
    vi.useFakeTimers({ now: new Date('2026-12-02T00:57:40Z'), toFake: ['Date'] });
    pick('category', 'river_anomaly');
    pick('severity', 'serious');
    form.location.reset({ longitude: 140.2012345678, latitude: 38.0105, accuracyMetres: 35.04, source: 'gps' });
    const text = host.querySelector<HTMLTextAreaElement>('#description')!;
    text.value = '  水位が急に上がっている  ';
    text.dispatchEvent(new Event('input'));
    expect(host.querySelector('#location-field')?.textContent).toContain('±35 m');
    await submit();

    const [item] = await outbox.list();
    expect(item).toMatchObject({ state: 'waiting', attempts: 0, clientId: 'c0ffee00-0000-4000-8000-000000000001' });
    expect(item.report).toEqual({
      clientId: 'c0ffee00-0000-4000-8000-000000000001',
      category: 'river_anomaly',
      severity: 'serious',
      description: '水位が急に上がっている',
      observedAt: '2026-12-02T09:57:00+09:00',
      longitude: 140.201235,
      latitude: 38.0105,
      accuracyMetres: 35,
    });
    expect(queuedItems).toHaveLength(1);
    // Ready for the next report.
    expect(host.querySelector<HTMLInputElement>('input[name="category"]:checked')).toBeNull();
    expect(host.querySelector<HTMLTextAreaElement>('#description')!.value).toBe('');
  });

  it('refuses a time more than a day back before it reaches the outbox', async () => {
    vi.useFakeTimers({ now: new Date('2026-12-02T00:57:40Z'), toFake: ['Date'] });
    pick('category', 'flooding');
    pick('severity', 'minor');
    form.location.reset({ longitude: 140.2, latitude: 38.01, source: 'map' });
    const time = host.querySelector<HTMLInputElement>('#observed-at')!;
    time.value = '2026-11-30T09:00';
    time.dispatchEvent(new Event('input'));
    await submit();
    expect(host.querySelector('#report-form-observedAt-error')?.textContent).toBe('24時間より前の出来事は報告できません。');
    expect(time.getAttribute('aria-invalid')).toBe('true');
    expect(await outbox.list()).toEqual([]);
  });
});
