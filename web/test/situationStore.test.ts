import { describe, expect, it } from 'vitest';
import { Situation, type SituationChange } from '../src/core/live/situation';
import { batchMessage, snapshotMessage } from './fixtures';

describe('the situation store', () => {
  it('loads a snapshot into its maps and counts as known', () => {
    const situation = new Situation();
    expect(situation.known).toBe(false);

    situation.load(snapshotMessage().snapshot);

    expect(situation.known).toBe(true);
    expect(situation.shelters.get('takahata-shelter-14')?.crowding).toBe('somewhat_crowded');
    expect(situation.districts.get('district-niijuku')?.level).toBe(3);
    expect(situation.highestLevel()).toBe(3);
    expect(situation.stations.get('station-nakahashi')?.stage).toBe('caution');
    expect([...situation.reports.keys()]).toEqual([7]);
    expect(situation.alerts.get(3)?.status).toBe('raised');
  });

  it('moves on by a batch and says what each event changed from', () => {
    const situation = new Situation();
    situation.load(snapshotMessage().snapshot);
    const changes: SituationChange[] = [];
    situation.onChange((change) => changes.push(change));

    situation.apply(batchMessage().events);

    expect(situation.shelters.get('takahata-shelter-09')).toMatchObject({ open: true, crowding: 'available' });
    expect(situation.districts.get('district-yashiro')).toMatchObject({ level: 4, decidedBy: '本部長' });
    expect(situation.highestLevel()).toBe(4);
    expect(situation.alerts.get(3)).toMatchObject({ status: 'acknowledged', acknowledgedBy: 'hq' });
    expect(situation.reports.has(7)).toBe(false);
    expect(changes).toHaveLength(1);
    const [change] = changes;
    if (change.kind !== 'events') throw new Error('expected events');
    expect(change.applied.map(({ event }) => event.seq)).toEqual([42, 43, 44, 45]);
    expect(change.applied[0].shelterBefore?.open).toBe(false);
    expect(change.applied[2].alertBefore?.status).toBe('raised');
  });

  it('forgets what a later snapshot no longer holds', () => {
    const situation = new Situation();
    situation.load(snapshotMessage().snapshot);
    situation.apply(batchMessage().events);
    const later = snapshotMessage().snapshot;
    later.alerts = [];
    later.shelters = later.shelters.slice(1);

    situation.load(later);

    expect(situation.alerts.size).toBe(0);
    expect(situation.shelters.has('takahata-shelter-09')).toBe(false);
    expect(situation.districts.get('district-yashiro')?.level).toBe(0);
  });

  it('removes an alert when it is cleared', () => {
    const situation = new Situation();
    situation.load(snapshotMessage().snapshot);

    situation.apply([{ kind: 'alert_cleared', seq: 42, at: '2026-08-03T05:50:00+00:00', alertId: 3, clearedBy: 'hq' }]);

    expect(situation.alerts.has(3)).toBe(false);
  });

  it('stops calling a listener once unsubscribed', () => {
    const situation = new Situation();
    let calls = 0;
    const stop = situation.onChange(() => calls++);
    situation.load(snapshotMessage().snapshot);
    stop();

    situation.apply(batchMessage().events);

    expect(calls).toBe(1);
  });
});
