import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { setLang } from '../src/core/i18n';
import { Situation } from '../src/core/live/situation';
import type { Drill } from '../src/core/live/situationMessages';
import type { SendResult } from '../src/core/send';
import { mountDrillControl, type DrillControl } from '../src/hq/drillControl';
import { snapshotMessage } from './fixtures';

const drill: Drill = { drillId: 5, name: '令和8年度 総合防災訓練', startedAt: '2026-07-08T00:30:00+00:00', startedBy: 'hq' };

let root: HTMLElement;
let situation: Situation;
let view: DrillControl;
let started: string[];
let endings: number;
let answer: (result: SendResult<unknown>) => void;
const pending = () => new Promise<SendResult<unknown>>((resolve) => (answer = resolve));
const settle = () => new Promise<void>((resolve) => setTimeout(resolve, 0));
const q = <T extends Element>(selector: string) => root.querySelector<T>(selector)!;

function mount(role = 'hq', current?: Drill) {
  situation = new Situation();
  situation.load({ ...snapshotMessage().snapshot, drill: current });
  started = [];
  endings = 0;
  view = mountDrillControl(root, situation, {
    start: (name) => {
      started.push(name);
      return pending();
    },
    end: () => {
      endings++;
      return pending();
    },
  });
  view.setRole(role);
}

describe('drill control', () => {
  beforeEach(() => {
    setLang('ja');
    root = document.createElement('div');
    document.body.append(root);
  });
  afterEach(() => {
    view.dispose();
    root.remove();
  });

  it('starts a drill only with a name', async () => {
    mount();
    q<HTMLButtonElement>('.drill-toggle').click();
    await settle();
    q<HTMLButtonElement>('#drill-form button[type="submit"]').click();
    await settle();
    expect(started).toEqual([]);
    expect(q('#drill-form .field-error').textContent).toBe('訓練の名称を入力してください。');

    const name = q<HTMLInputElement>('#drill-form [name="name"]');
    name.value = ` ${drill.name} `;
    name.dispatchEvent(new Event('input', { bubbles: true }));
    q<HTMLButtonElement>('#drill-form button[type="submit"]').click();
    await settle();
    expect(started).toEqual([drill.name]);
  });

  it('marks the page 訓練 / EXERCISE while a drill is on, and not after it ends', () => {
    mount();
    expect(document.body.classList.contains('drill-on')).toBe(false);

    situation.apply([{ kind: 'drill_started', seq: 60, at: drill.startedAt, drill }]);
    expect(q('.drill-active').textContent).toContain('訓練中：令和8年度 総合防災訓練');
    expect(document.body.classList.contains('drill-on')).toBe(true);
    setLang('en');
    expect(q('.drill-active strong').textContent).toBe('EXERCISE in progress: 令和8年度 総合防災訓練');

    situation.apply([{ kind: 'drill_ended', seq: 61, at: drill.startedAt, drill: { ...drill, endedAt: drill.startedAt, endedBy: 'hq' } }]);
    expect(root.querySelector('.drill-active')).toBeNull();
    expect(document.body.classList.contains('drill-on')).toBe(false);
  });

  it('ends the drill after a confirmation and says so once the server answered', async () => {
    mount('hq', drill);
    q<HTMLButtonElement>('.drill-toggle').click();
    await settle();
    expect(endings).toBe(0);
    q<HTMLButtonElement>('#drill-form button[type="submit"]').click();
    await settle();
    expect(endings).toBe(1);

    answer({ ok: true, status: 200, value: undefined });
    await settle();
    expect(q('.drill-notice').textContent?.trim()).toBe('訓練「令和8年度 総合防災訓練」を終了しました。');
  });

  it('gives an account that is not HQ no way to start or end one', () => {
    mount('staff', drill);
    expect(root.querySelector('.drill-toggle')).toBeNull();
    expect(q('.drill-active')).not.toBeNull();
  });
});
