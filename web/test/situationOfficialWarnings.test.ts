import { describe, expect, it } from 'vitest';
import { Situation } from '../src/core/live/situation';
import { event, snapshot, warning } from './handWritten';

describe('the situation store with official warnings', () => {
  it('loads the warnings in force from the snapshot, and none from a snapshot without them', () => {
    const situation = new Situation();
    situation.load(snapshot({ officialWarnings: [warning(), warning({ warningId: 2, warningKey: 'other' })] }));
    expect([...situation.officialWarnings.keys()]).toEqual([1, 2]);

    situation.load(snapshot());

    expect(situation.officialWarnings.size).toBe(0);
  });

  it('keeps a warning issued or changed and lets one go when it ends or is cancelled', () => {
    const situation = new Situation();
    situation.load(snapshot());

    situation.apply([
      event({ kind: 'official_warning_changed', warning: warning() }),
      event({ kind: 'official_warning_changed', warning: warning({ warningId: 2, warningKey: 'second' }) }),
      event({ kind: 'official_warning_changed', warning: warning({ levelEquivalent: 4, name: '大雨特別警報' }) }),
    ]);
    expect(situation.officialWarnings.get(1)?.name).toBe('大雨特別警報');
    expect(situation.officialWarnings.size).toBe(2);

    situation.apply([
      event({ kind: 'official_warning_changed', warning: warning({ status: 'ended' }) }),
      event({ kind: 'official_warning_changed', warning: warning({ warningId: 2, warningKey: 'second', status: 'cancelled' }) }),
    ]);
    expect(situation.officialWarnings.size).toBe(0);
  });
});
