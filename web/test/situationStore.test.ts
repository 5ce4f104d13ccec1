import { describe, expect, it } from 'vitest';
import { Situation, type SituationChange } from '../src/core/live/situation';
import type { SituationEvent } from '../src/core/live/situationMessages';
import { batchMessage, snapshotMessage } from './fixtures';

type Of<K extends SituationEvent['kind']> = Extract<SituationEvent, { kind: K }>;

/** The batch fixture's events of one kind, in order. */
function batchEvents<K extends SituationEvent['kind']>(kind: K): Of<K>[] {
  return batchMessage().events.filter((e): e is Of<K> => e.kind === kind);
}

describe('the situation store', () => {
  it('loads a snapshot into its maps and counts as known', () => {
    const situation = new Situation();
    expect(situation.known).toBe(false);
    const snapshot = snapshotMessage().snapshot;

    situation.load(snapshotMessage().snapshot);

    expect(situation.known).toBe(true);
    expect([...situation.shelters.values()]).toEqual(snapshot.shelters);
    expect([...situation.districts.values()]).toEqual(snapshot.districts);
    expect([...situation.stations.values()]).toEqual(snapshot.stations);
    expect([...situation.reports.values()]).toEqual(snapshot.reports);
    expect([...situation.alerts.values()]).toEqual(snapshot.alerts);
    expect(situation.highestLevel()).toBe(Math.max(...snapshot.districts.map((d) => d.level)));
    // The district's reason and the alert's acknowledgement time come through as the server sent them.
    expect(situation.districts.get('district-yashiro')?.reason).toBe(snapshot.districts.find((d) => d.districtId === 'district-yashiro')?.reason);
    expect(situation.alerts.get(snapshot.alerts[0].alertId)?.acknowledgedAt).toBe(snapshot.alerts[0].acknowledgedAt);
  });

  it('takes a duplicate merge as a change of both reports: the duplicate and the one it went into', () => {
    const situation = new Situation();
    situation.load(snapshotMessage().snapshot);
    const merge = batchEvents('field_report_updated').find((e) => e.mergedInto)!;
    expect(merge).toBeDefined();

    situation.apply([merge]);

    expect(situation.reports.get(merge.report.reportId)?.status).toBe('duplicate');
    expect(situation.reports.get(merge.mergedInto!.reportId)).toEqual(merge.mergedInto);
  });

  it('moves on by a batch of every event kind and says what each event changed from', () => {
    const situation = new Situation();
    const snapshot = snapshotMessage().snapshot;
    situation.load(snapshotMessage().snapshot);
    const changes: SituationChange[] = [];
    situation.onChange((change) => changes.push(change));
    const batch = batchMessage();

    situation.apply(batchMessage().events);

    const [shelterEvent] = batchEvents('shelter_status_changed');
    // A district's level is the last one the batch gave it.
    const districtEvent = batchEvents('district_evacuation_level_changed').at(-1)!;
    const [raised] = batchEvents('alert_raised');
    const [acknowledged] = batchEvents('alert_acknowledged');
    const [withdrawn] = batchEvents('field_report_withdrawn');
    // A shelter's state is the last one the batch gave: its status, its registry, then its suitability.
    const [hazardsEvent] = batchEvents('hazards_changed');
    const latest = [...batch.events]
      .flatMap((e) => (e.kind === 'hazards_changed' ? e.shelters : e.kind === 'shelter_status_changed' || e.kind === 'shelter_registry_changed' ? [e.shelter] : []))
      .filter((s) => s.shelterId === shelterEvent.shelter.shelterId)
      .at(-1);
    expect(situation.shelters.get(shelterEvent.shelter.shelterId)).toEqual(latest);
    expect(situation.hazards).toEqual(hazardsEvent.hazards);
    expect(situation.districts.get(districtEvent.district.districtId)).toEqual(districtEvent.district);
    batchEvents('station_state_changed').forEach((e) => expect(situation.stations.get(e.state.stationId)).toEqual(e.state));
    // Raised, acknowledged and cleared within the batch: gone; the snapshot's own alert and one still raised stay.
    expect(situation.alerts.has(raised.alert.alertId)).toBe(false);
    const clearedInBatch = new Set(batchEvents('alert_cleared').map((e) => e.alertId));
    const stillRaised = batchEvents('alert_raised').map((e) => e.alert.alertId).filter((id) => !clearedInBatch.has(id));
    expect([...situation.alerts.keys()]).toEqual([...snapshot.alerts.map((a) => a.alertId), ...stillRaised]);
    expect(situation.reports.has(withdrawn.reportId)).toBe(false);

    expect(changes).toHaveLength(1);
    const [change] = changes;
    if (change.kind !== 'events') throw new Error('expected events');
    // Every kind the server sends is applied, the gauge register's ones included.
    expect(change.applied.map(({ event }) => event.seq)).toEqual(batch.events.map((e) => e.seq));
    const appliedOf = (seq: number) => change.applied.find(({ event }) => event.seq === seq)!;
    expect(appliedOf(shelterEvent.seq).shelterBefore).toEqual(snapshot.shelters.find((s) => s.shelterId === shelterEvent.shelter.shelterId));
    expect(appliedOf(acknowledged.seq).alertBefore?.status).toBe('raised');
    expect(appliedOf(batchEvents('alert_cleared')[0].seq).alertBefore).toMatchObject({
      status: 'acknowledged',
      acknowledgedBy: acknowledged.acknowledgedBy,
      acknowledgedAt: acknowledged.acknowledgedAt,
    });
  });

  it('keeps who acknowledged an alert and when', () => {
    const situation = new Situation();
    situation.load(snapshotMessage().snapshot);
    const [raised] = batchEvents('alert_raised');
    const [acknowledged] = batchEvents('alert_acknowledged');

    situation.apply([raised, acknowledged]);

    expect(situation.alerts.get(raised.alert.alertId)).toEqual({
      ...raised.alert,
      status: 'acknowledged',
      acknowledgedBy: acknowledged.acknowledgedBy,
      acknowledgedAt: acknowledged.acknowledgedAt,
    });
  });

  it('takes the event time as the acknowledgement time of an event logged before the server carried it', () => {
    const situation = new Situation();
    situation.load(snapshotMessage().snapshot);
    const [raised] = batchEvents('alert_raised');
    const { acknowledgedAt: _, ...older } = batchEvents('alert_acknowledged')[0];

    situation.apply([raised, older]);

    expect(situation.alerts.get(raised.alert.alertId)?.acknowledgedAt).toBe(older.at);
  });

  it('forgets what a later snapshot no longer holds', () => {
    const situation = new Situation();
    situation.load(snapshotMessage().snapshot);
    situation.apply(batchMessage().events);
    const [shelterEvent] = batchEvents('shelter_status_changed');
    const later = snapshotMessage().snapshot;
    later.alerts = [];
    later.shelters = later.shelters.filter((s) => s.shelterId !== shelterEvent.shelter.shelterId);
    later.districts = later.districts.filter((d) => d.districtId !== 'district-yashiro');

    situation.load(later);

    expect(situation.alerts.size).toBe(0);
    expect(situation.shelters.has(shelterEvent.shelter.shelterId)).toBe(false);
    expect(situation.districts.has('district-yashiro')).toBe(false);
    expect(situation.highestLevel()).toBe(Math.max(0, ...later.districts.map((d) => d.level)));
  });

  it('removes an alert when it is cleared', () => {
    const situation = new Situation();
    const snapshot = snapshotMessage().snapshot;
    situation.load(snapshot);
    const alertId = snapshot.alerts[0].alertId;

    situation.apply([{ ...batchEvents('alert_cleared')[0], alertId }]);

    expect(situation.alerts.has(alertId)).toBe(false);
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
