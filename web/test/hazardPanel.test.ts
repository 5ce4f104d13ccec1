import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { setLang } from '../src/core/i18n';
import { Situation } from '../src/core/live/situation';
import type { HazardStatus } from '../src/core/live/situationMessages';
import type { SendResult } from '../src/core/send';
import { mountHazardPanel, type HazardDeclaration } from '../src/hq/hazardPanel';

const none: HazardStatus[] = [
  { hazard: 'flood', active: false, sources: [] },
  { hazard: 'landslide', active: false, sources: [] },
];
const settle = () => new Promise<void>((resolve) => setTimeout(resolve, 0));

describe("HQ's hazard panel", () => {
  let host: HTMLElement;
  let sent: Array<{ hazard: string; body: HazardDeclaration }>;
  let answer: (result: SendResult<unknown>) => void;
  const declare = (hazard: string, body: HazardDeclaration) => {
    sent.push({ hazard, body });
    return new Promise<SendResult<unknown>>((resolve) => (answer = resolve));
  };
  beforeEach(() => {
    setLang('ja');
    sent = [];
    host = document.createElement('div');
    document.body.append(host);
  });
  afterEach(() => host.remove());

  it('shows each hazard and what makes it active, in words', async () => {
    const situation = new Situation();
    const panel = mountHazardPanel(host, situation, {
      load: async () => none,
      declare,
      stationName: (id) => ({ 'wl-nakabashi': '中橋' })[id] ?? id,
    });
    await panel.loaded;
    expect(host.querySelector('[data-hazard="flood"]')?.getAttribute('data-active')).toBe('false');
    expect(host.querySelector('[data-hazard="flood"] .hazard-state')?.textContent?.replace(/\s+/g, '')).toBe('○洪水なし');
    situation.apply([
      {
        seq: 1,
        at: '2026-12-02T05:00:00Z',
        kind: 'hazards_changed',
        hazards: [
          { hazard: 'flood', active: true, sources: [{ kind: 'gauge', stationId: 'wl-nakabashi', river: '屋代川' }] },
          { hazard: 'landslide', active: true, sources: [{ kind: 'estimate' }] },
        ],
        shelters: [],
      },
    ]);
    const flood = host.querySelector('[data-hazard="flood"]')!;
    expect(flood.getAttribute('data-active')).toBe('true');
    expect(flood.querySelector('.hazard-mark')?.textContent).toBe('⚠');
    expect(flood.querySelector('.hazard-sources')?.textContent?.trim()).toBe('水位：中橋（屋代川）が避難判断水位以上');
    expect(host.querySelector('[data-hazard="landslide"] .hazard-sources')?.textContent).toContain('土砂災害の目安');
    expect(host.querySelector('form')).toBeNull(); // not HQ: no form
    panel.dispose();
  });

  it('lets HQ declare a flood with a reason, and refuses one without', async () => {
    const panel = mountHazardPanel(host, new Situation(), { load: async () => none, declare });
    panel.setRole('hq');
    await panel.loaded;
    const form = host.querySelector<HTMLFormElement>('#hazard-flood')!;
    form.dispatchEvent(new Event('submit', { cancelable: true }));
    expect(sent).toEqual([]);
    expect(host.querySelector('#hazard-flood-reason')?.getAttribute('aria-invalid')).toBe('true');
    expect(form.textContent).toContain('理由を入力してください。');
    const reason = host.querySelector<HTMLTextAreaElement>('#hazard-flood-reason')!;
    reason.value = '屋代川 上流で越水の報告';
    reason.dispatchEvent(new Event('input'));
    host.querySelector<HTMLFormElement>('#hazard-flood')!.dispatchEvent(new Event('submit', { cancelable: true }));
    expect(sent).toEqual([{ hazard: 'flood', body: { active: true, reason: '屋代川 上流で越水の報告' } }]);
    answer({
      ok: true,
      status: 200,
      value: [
        { hazard: 'flood', active: true, sources: [{ kind: 'hq', reason: '屋代川 上流で越水の報告', decidedBy: 'hq1', at: '2026-12-02T05:00:00Z' }] },
        { hazard: 'landslide', active: false, sources: [] },
      ],
    });
    await settle();
    expect(host.querySelector('[data-hazard="flood"]')?.getAttribute('data-active')).toBe('true');
    expect(host.querySelector('#hazard-flood button')?.textContent?.trim()).toBe('本部の洪水の宣言を解除する');
    expect(host.querySelector('#hazard-flood .form-done')?.textContent).toBe('洪水を宣言しました。');
    panel.dispose();
  });

  it("puts the server's problem on the reason", async () => {
    const panel = mountHazardPanel(host, new Situation(), { load: async () => none, declare });
    panel.setRole('hq');
    await panel.loaded;
    const reason = host.querySelector<HTMLTextAreaElement>('#hazard-landslide-reason')!;
    reason.value = 'x';
    reason.dispatchEvent(new Event('input'));
    host.querySelector<HTMLFormElement>('#hazard-landslide')!.dispatchEvent(new Event('submit', { cancelable: true }));
    answer({ ok: false, kind: 'invalid', status: 400, fields: { reason: ['The reason is required.'] } });
    await settle();
    expect(host.querySelector('#hazard-landslide')?.textContent).toContain('The reason is required.');
    panel.dispose();
  });
});
