import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { setLang } from '../src/core/i18n';
import { Situation, type AppliedEvent } from '../src/core/live/situation';
import type { AlertState, SituationEvent } from '../src/core/live/situationMessages';
import { muteKey, mountAlertSound, needsAttention, soundsFor, type AlertSound, type Tone } from '../src/hq/alertCue';
import { mountAlertList, type AlertList } from '../src/hq/alertList';
import { snapshotMessage } from './fixtures';

const raisedAt = '2026-07-08T05:20:00+00:00';

/** A threshold alert as the server sends it (S1 of the issue-12 contract). */
function systemAlert(step: AlertState['step'], level: number, extra: Partial<AlertState> = {}): AlertState {
  return {
    alertId: 21,
    kind: 'water_level',
    level,
    message: `中橋 ${step}`,
    messageEn: `Nakahashi ${step}`,
    status: 'raised',
    raisedAt,
    source: 'system',
    stationId: 'station-nakahashi',
    ruleKind: 'river_stage',
    step,
    levelEquivalent: level,
    ...extra,
  };
}

const manual = (level?: number): AlertState => ({ alertId: 30, kind: 'manual', level, message: '見回り', status: 'raised', raisedAt, raisedBy: 'hq' });

let seq = 100;
const raisedEvent = (alert: AlertState): SituationEvent => ({ kind: 'alert_raised', seq: ++seq, at: raisedAt, alert });
const escalatedEvent = (alert: AlertState): SituationEvent => ({ kind: 'alert_escalated', seq: ++seq, at: raisedAt, alert });
const applied = (event: SituationEvent, alertBefore?: AlertState): AppliedEvent => ({ event, alertBefore });

describe('which alerts sound', () => {
  it.each([
    ['a system alert raised at 避難判断水位 (level 3 equivalent)', [applied(raisedEvent(systemAlert('evacuation', 3)))], true],
    ['a system alert raised at 氾濫危険水位 (level 4 equivalent)', [applied(raisedEvent(systemAlert('danger', 4)))], true],
    ['a system alert raised at 氾濫注意水位 (level 2 equivalent)', [applied(raisedEvent(systemAlert('caution', 2)))], false],
    ['an HQ alert by hand at level 4', [applied(raisedEvent(manual(4)))], true],
    ['an HQ alert by hand without a level', [applied(raisedEvent(manual()))], false],
    ['an escalation from 注意 (2) to 判断 (3)', [applied(escalatedEvent(systemAlert('evacuation', 3)), systemAlert('caution', 2))], true],
    ['an escalation from 判断 (3) to 危険 (4)', [applied(escalatedEvent(systemAlert('danger', 4)), systemAlert('evacuation', 3))], true],
    ['an escalation that stays at level 2', [applied(escalatedEvent(systemAlert('caution', 2)), systemAlert('observing', 2))], false],
    ['an escalated alert this page had not seen, now at level 3', [applied(escalatedEvent(systemAlert('evacuation', 3)))], true],
    ['a drill alert at level 4 (a drill practises the cue too)', [applied(raisedEvent(systemAlert('danger', 4, { drillId: 2 })))], true],
    [
      'an acknowledgement of a level 4 alert',
      [applied({ kind: 'alert_acknowledged', seq: 1, at: raisedAt, alertId: 21, acknowledgedBy: 'hq' }, systemAlert('danger', 4))],
      false,
    ],
  ] as const)('%s', (_, batch, sounds) => {
    expect(soundsFor(batch)).toBe(sounds);
  });

  it('highlights an alert at level 3 equivalent or above until someone acknowledges it', () => {
    expect(needsAttention(systemAlert('evacuation', 3))).toBe(true);
    expect(needsAttention(systemAlert('caution', 2))).toBe(false);
    expect(needsAttention(systemAlert('danger', 4, { status: 'acknowledged', acknowledgedBy: 'hq' }))).toBe(false);
  });
});

describe('the alert sound', () => {
  let button: HTMLButtonElement;
  let situation: Situation;
  let sound: AlertSound;
  let played: number;
  let store: Map<string, string>;
  const tone: Tone = { play: () => void played++, unlock: () => undefined };
  const storage = { getItem: (k: string) => store.get(k) ?? null, setItem: (k: string, v: string) => void store.set(k, v) };

  beforeEach(() => {
    setLang('ja');
    played = 0;
    store = new Map();
    button = document.createElement('button');
    document.body.append(button);
    situation = new Situation();
    situation.load(snapshotMessage().snapshot);
  });
  afterEach(() => {
    sound.dispose();
    button.remove();
  });

  it('plays the tone for a level 3 raise and an escalation, not for a level 2 raise or a snapshot', () => {
    sound = mountAlertSound(button, situation, { tone, storage });

    situation.apply([raisedEvent(systemAlert('caution', 2))]);
    expect(played).toBe(0);
    situation.apply([escalatedEvent(systemAlert('evacuation', 3))]);
    expect(played).toBe(1);
    situation.load({ ...snapshotMessage().snapshot, alerts: [systemAlert('danger', 4)] });
    expect(played).toBe(1);
  });

  it('stays silent once muted, and remembers the choice for the next page load', () => {
    sound = mountAlertSound(button, situation, { tone, storage });
    expect(button.getAttribute('aria-pressed')).toBe('true');

    button.click();
    situation.apply([raisedEvent(systemAlert('danger', 4))]);

    expect(played).toBe(0);
    expect(store.get(muteKey)).toBe('true');
    expect(button.textContent).toBe('警告音：オフ');
    sound.dispose();

    sound = mountAlertSound(button, situation, { tone, storage });
    expect(sound.muted).toBe(true);
    situation.apply([raisedEvent({ ...systemAlert('danger', 4), alertId: 22 })]);
    expect(played).toBe(0);
  });
});

describe('threshold alerts in the HQ alert list', () => {
  let section: HTMLElement;
  let list: HTMLUListElement;
  let count: HTMLSpanElement;
  let view: AlertList;
  let situation: Situation;
  const names = {
    shelter: (id: string) => id,
    district: (id: string) => id,
    station: (id: string) => (id === 'station-nakahashi' ? '中橋' : id),
    gaugeType: () => undefined,
  };
  const item = (id: number) => list.querySelector<HTMLElement>(`[data-alert-id="${id}"]`);

  beforeEach(() => {
    setLang('ja');
    section = document.createElement('section');
    list = document.createElement('ul');
    count = document.createElement('span');
    section.append(count, list);
    document.body.append(section);
    situation = new Situation();
    situation.load(snapshotMessage().snapshot);
    view = mountAlertList(list, count, situation, names);
    view.setRole('hq');
  });
  afterEach(() => {
    view.dispose();
    section.remove();
  });

  it('shows the source, gauge, step, what the gauge reads and the 警戒レベル相当', () => {
    situation.apply([raisedEvent(systemAlert('danger', 4))]);

    const shown = item(21)!;
    expect(shown.dataset.source).toBe('system');
    expect(shown.querySelector('.alert-source')?.textContent).toBe('自動（観測所）');
    expect(shown.querySelector('.alert-station')?.textContent).toBe('観測所：中橋');
    expect(shown.querySelector('.alert-step')?.textContent).toBe('氾濫危険水位');
    expect(shown.querySelector('.alert-value')?.textContent).toContain('3.12');
    expect(shown.querySelector('.alert-level')?.textContent).toBe('警戒レベル4相当');
  });

  it('updates one alert on escalation rather than adding another, and highlights and counts it', () => {
    situation.apply([raisedEvent(systemAlert('caution', 2))]);
    expect(item(21)!.dataset.urgent).toBeUndefined();
    expect(count.dataset.urgent).toBe('0');

    situation.apply([escalatedEvent(systemAlert('evacuation', 3, { updatedAt: '2026-07-08T05:40:00+00:00' }))]);

    expect(list.querySelectorAll('[data-alert-id="21"]')).toHaveLength(1);
    expect(item(21)!.querySelector('.alert-step')?.textContent).toBe('避難判断水位');
    expect(item(21)!.classList.contains('alert-urgent')).toBe(true);
    expect(item(21)!.querySelector('.alert-escalated')?.textContent).toMatch(/引き上げ：(7\/8 )?14:40/);
    expect(count.dataset.count).toBe('2');
    expect(count.dataset.urgent).toBe('1');
    expect(count.classList.contains('urgent')).toBe(true);
  });

  it('takes the highlight away once acknowledged, and shows who acknowledged and when', () => {
    situation.apply([raisedEvent(systemAlert('danger', 4))]);
    situation.apply([{ kind: 'alert_acknowledged', seq: ++seq, at: raisedAt, alertId: 21, acknowledgedBy: 'hq2', acknowledgedAt: '2026-07-08T05:25:00+00:00' }]);

    expect(item(21)!.classList.contains('alert-urgent')).toBe(false);
    expect(item(21)!.querySelector('.alert-acknowledged-by')?.textContent?.trim()).toMatch(/^確認：(7\/8 )?14:25 hq2$/);
    expect(count.dataset.urgent).toBe('0');
  });

  it('points out an escalation of an alert already acknowledged (its status stays acknowledged)', () => {
    situation.apply([
      raisedEvent(systemAlert('evacuation', 3, { status: 'acknowledged', acknowledgedBy: 'hq', acknowledgedAt: '2026-07-08T05:22:00+00:00' })),
    ]);
    expect(item(21)!.classList.contains('alert-escalated-now')).toBe(false);

    situation.apply([
      escalatedEvent(
        systemAlert('danger', 4, {
          status: 'acknowledged',
          acknowledgedBy: 'hq',
          acknowledgedAt: '2026-07-08T05:22:00+00:00',
          updatedAt: '2026-07-08T05:30:00+00:00',
        }),
      ),
    ]);

    expect(item(21)!.dataset.status).toBe('acknowledged');
    expect(item(21)!.classList.contains('alert-escalated-now')).toBe(true);
    expect(item(21)!.querySelector('.alert-step')?.textContent).toBe('氾濫危険水位');
    expect(item(21)!.querySelector('.alert-raised-by')?.textContent?.trim()).toMatch(/^発報：(7\/8 )?14:20 自動（観測所）$/);
  });

  it('drops the alert when the system clears it, and marks a drill alert 訓練', () => {
    situation.apply([raisedEvent(systemAlert('danger', 4, { drillId: 3 }))]);
    expect(item(21)!.querySelector('.drill-mark')?.textContent).toBe('訓練');

    situation.apply([{ kind: 'alert_cleared', seq: ++seq, at: raisedAt, alertId: 21, clearedBy: 'system', note: '水位が下がりました' }]);
    expect(item(21)).toBeNull();
  });

  it('shows the English message of a system alert in English', () => {
    situation.apply([raisedEvent(systemAlert('danger', 4))]);
    setLang('en');
    expect(item(21)!.querySelector('.alert-message')?.textContent).toBe('Nakahashi danger');
    expect(item(21)!.querySelector('.alert-level')?.textContent).toBe('Equivalent to alert level 4');
  });
});
