// The situation store and the activity list with the event kinds of issue 12, from hand-written server messages.
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { setLang } from '../src/core/i18n';
import { Situation } from '../src/core/live/situation';
import type { AlertState, EvacuationRecommendation, OfficialWarning, SituationEvent } from '../src/core/live/situationMessages';
import { mountActivityList, type ActivityList } from '../src/hq/activityList';
import { snapshotMessage } from './fixtures';

const at = '2026-07-08T05:30:00+00:00';
const warning: OfficialWarning = {
  warningId: 3,
  warningKey: 'landslide_alert:0638100',
  kind: 'landslide_alert',
  name: '土砂災害警戒情報',
  nameEn: 'Landslide alert information',
  levelEquivalent: 4,
  status: 'in_force',
  source: 'jma_feed',
  issuedAt: at,
  areas: ['高畠町'],
  rivers: [],
  enteredByHand: false,
  updatedAt: at,
};
const recommendation: EvacuationRecommendation = {
  recommendationId: 7,
  districtId: 'district-yashiro',
  level: 4,
  levelNameJa: '避難指示',
  levelNameEn: 'Evacuate',
  basis: 'landslide_alert',
  reasonJa: '土砂災害警戒情報が発表されました',
  reasonEn: 'Landslide alert information issued',
  madeAt: at,
  status: 'open',
};
const alert: AlertState = {
  alertId: 21,
  kind: 'water_level',
  level: 2,
  levelEquivalent: 2,
  message: '中橋 氾濫注意水位',
  messageEn: 'Nakahashi flood caution level',
  status: 'raised',
  raisedAt: at,
  source: 'system',
  stationId: 'station-nakahashi',
  ruleKind: 'river_stage',
  step: 'caution',
};

let seq = 200;
/** An event without its position: the helper numbers it. */
type Bare = SituationEvent extends infer E ? (E extends unknown ? Omit<E, 'seq' | 'at'> : never) : never;
const event = (e: Bare): SituationEvent => ({ ...e, seq: ++seq, at }) as SituationEvent;

describe('the situation with official warnings, recommendations and escalations', () => {
  it('loads them from a snapshot and follows their events', () => {
    const situation = new Situation();
    situation.load({ ...snapshotMessage().snapshot, officialWarnings: [warning], recommendations: [recommendation], alerts: [alert] });
    expect([...situation.officialWarnings.keys()]).toEqual([3]);
    expect([...situation.recommendations.keys()]).toEqual([7]);

    situation.apply([
      event({ kind: 'alert_escalated', alert: { ...alert, step: 'danger', level: 4, levelEquivalent: 4 } }),
      event({ kind: 'official_warning_changed', warning: { ...warning, status: 'ended' } }),
      event({ kind: 'evacuation_recommendation_answered', recommendation: { ...recommendation, status: 'issued' } }),
    ]);

    expect(situation.alerts.size).toBe(1);
    expect(situation.alerts.get(21)?.step).toBe('danger');
    expect(situation.officialWarnings.size).toBe(0);
    expect(situation.recommendations.size).toBe(0);
  });

  it('keeps only open recommendations and warnings in force', () => {
    const situation = new Situation();
    const snapshot = snapshotMessage().snapshot;
    situation.load(snapshot);
    situation.apply([
      event({ kind: 'evacuation_recommended', recommendation }),
      event({ kind: 'official_warning_changed', warning }),
      event({ kind: 'official_warning_changed', warning: { ...warning, warningId: 4, status: 'cancelled' } }),
    ]);
    expect([...situation.recommendations.keys()]).toEqual([...(snapshot.recommendations ?? []).map((r) => r.recommendationId), 7]);
    expect([...situation.officialWarnings.keys()]).toEqual([
      ...(snapshot.officialWarnings ?? []).map((w) => w.warningId).filter((id) => id !== 4),
      3,
    ]);
  });
});

describe('the activity list with issue-12 events', () => {
  let list: HTMLUListElement;
  let view: ActivityList;
  const names = {
    shelter: (id: string) => id,
    district: (id: string) => (id === 'district-yashiro' ? '屋代地区' : id),
    station: (id: string) => (id === 'station-nakahashi' ? '中橋' : id),
    gaugeType: () => 'standard',
  };

  beforeEach(() => {
    setLang('ja');
    list = document.createElement('ul');
  });
  afterEach(() => view.dispose());

  it('says what was escalated, recommended, answered and officially issued', () => {
    const situation = new Situation();
    view = mountActivityList(list, document.createElement('p'), situation, names);
    situation.load(snapshotMessage().snapshot);
    situation.apply([
      event({ kind: 'alert_escalated', alert: { ...alert, step: 'evacuation', level: 3, levelEquivalent: 3 } }),
      event({ kind: 'official_warning_changed', warning }),
      event({ kind: 'evacuation_recommended', recommendation }),
      event({
        kind: 'evacuation_recommendation_answered',
        recommendation: { ...recommendation, status: 'dismissed', answeredBy: 'hq', answerReason: '現地で確認済み' },
      }),
    ]);

    const text = (kind: string) => list.querySelector(`li[data-kind="${kind}"]`)?.textContent ?? '';
    expect(text('alert_escalated')).toContain('アラート 引き上げ（レベル3相当）: 中橋 氾濫注意水位');
    expect(text('official_warning_changed')).toContain('公式発表 土砂災害警戒情報');
    expect(text('evacuation_recommended')).toContain('推奨: 屋代地区 警戒レベル4 避難指示');
    expect(text('evacuation_recommendation_answered')).toContain('推奨を見送り: 屋代地区 警戒レベル4 避難指示');
    expect(text('evacuation_recommendation_answered')).toContain('現地で確認済み');
  });
});
