// The server's messages as JSON files (test/fixtures/), typed as the client reads them.
import type { SituationMessage } from '../src/core/live/situationMessages';
import batchJson from './fixtures/batch.json';
import problem400Json from './fixtures/problem-400.json';
import snapshotJson from './fixtures/snapshot.json';

type Of<T extends SituationMessage['type']> = Extract<SituationMessage, { type: T }>;

/** Fresh copies, so a test that changes one cannot change another's. */
export const snapshotMessage = (): Of<'snapshot'> => structuredClone(snapshotJson) as Of<'snapshot'>;
export const batchMessage = (): Of<'events'> => structuredClone(batchJson) as Of<'events'>;
export const problem400 = (): typeof problem400Json => structuredClone(problem400Json);
