import 'fake-indexeddb/auto';
import { afterEach, describe, expect, it } from 'vitest';
import type { ShelterState } from '../src/core/live/situationMessages';
import { CountQueue } from '../src/shelter/queue';
import { classify, nextToSend, shownHeadCount, tapped, type CountBatch, type SendOutcome } from '../src/shelter/queueRules';

let opened: CountQueue[] = [];
afterEach(() => {
  opened.forEach((queue) => queue.close());
  opened = [];
});

async function open(name = `bousai-shelter-test-${crypto.randomUUID()}`): Promise<CountQueue> {
  const queue = await CountQueue.open(name);
  opened.push(queue);
  return queue;
}

let ids = 0;
const newId = () => `00000000-0000-4000-8000-${String(++ids).padStart(12, '0')}`;

function stateAfter(shelterId: string, occupancy: number, at = '2026-12-02T10:00:00Z'): ShelterState {
  return { shelterId, open: true, occupancy, capacity: 100, declaredFull: false, crowding: 'available', updatedAt: at };
}

/** A server that counts as POST /api/shelters/{id}/count does: by clientId, once. */
function countingServer(start = 0, answer?: (batch: CountBatch) => SendOutcome | undefined) {
  const seen = new Map<string, number>();
  const posts: CountBatch[] = [];
  let occupancy = start;
  const post = async (batch: CountBatch): Promise<SendOutcome> => {
    posts.push(batch);
    const forced = answer?.(batch);
    if (forced) return forced;
    if (!seen.has(batch.clientId)) {
      occupancy = Math.max(0, occupancy + batch.delta);
      seen.set(batch.clientId, occupancy);
    }
    return { kind: 'sent', state: stateAfter(batch.shelterId, seen.get(batch.clientId)!) };
  };
  return { post, posts, occupancy: () => occupancy };
}

describe('taps join into batches', () => {
  const cases: Array<{ name: string; taps: Array<[number, number]>; deltas: number[] }> = [
    { name: 'three quick taps are one batch', taps: [[1, 0], [1, 300], [1, 600]], deltas: [3] },
    { name: 'a tap a second after the last starts a new batch', taps: [[1, 0], [1, 999], [1, 1999]], deltas: [2, 1] },
    { name: 'in and out within a second add up', taps: [[5, 0], [-1, 200], [1, 400]], deltas: [5] },
    { name: 'a batch never goes past ±500', taps: Array.from({ length: 101 }, (_, i): [number, number] => [5, i]), deltas: [500, 5] },
  ];
  it.each(cases)('$name', ({ taps, deltas }) => {
    const batches: CountBatch[] = [];
    for (const [delta, at] of taps) {
      const { batch, remove } = tapped(batches.at(-1), 'shelter-a', delta, at, newId);
      if (batches.at(-1)?.clientId === batch.clientId) batches[batches.length - 1] = batch;
      else batches.push(batch);
      expect(remove).toBe(false);
    }
    expect(batches.map((b) => b.delta)).toEqual(deltas);
    expect(new Set(batches.map((b) => b.clientId)).size).toBe(batches.length);
  });

  it('does not join a batch of another shelter, nor one already tried', () => {
    const first = tapped(undefined, 'shelter-a', 1, 0, newId).batch;
    expect(tapped(first, 'shelter-b', 1, 100, newId).batch.clientId).not.toBe(first.clientId);
    expect(tapped({ ...first, attempts: 1, state: 'waiting' }, 'shelter-a', 1, 100, newId).batch.clientId).not.toBe(first.clientId);
  });

  it('a batch that comes to nothing is removed rather than sent as 0', () => {
    const first = tapped(undefined, 'shelter-a', 1, 0, newId).batch;
    expect(tapped(first, 'shelter-a', -1, 100, newId)).toMatchObject({ remove: true, batch: { delta: 0 } });
  });
});

describe('which batch goes next', () => {
  const batch = (seq: number, changes: Partial<CountBatch> = {}): CountBatch => ({
    clientId: newId(), shelterId: 'a', delta: 1, seq, state: 'waiting', createdAt: 0, lastTapAt: 0, attempts: 0, nextAttemptAt: 0, ...changes,
  });
  it('the oldest pending one, never a later one while it waits out its backoff', () => {
    const head = batch(1, { nextAttemptAt: 5_000, attempts: 1 });
    expect(nextToSend([batch(2), head], 1_000)).toBeUndefined();
    expect(nextToSend([batch(2), head], 1_000, true)?.clientId).toBe(head.clientId);
  });
  it('not one still taking taps', () => {
    expect(nextToSend([batch(1, { state: 'open', lastTapAt: 500 })], 1_000)).toBeUndefined();
    expect(nextToSend([batch(1, { state: 'open', lastTapAt: 500 })], 1_500)?.state).toBe('waiting');
  });
  it('a refused batch does not hold up the ones after it', () => {
    const after = batch(2);
    expect(nextToSend([batch(1, { state: 'failed' }), after], 0)?.clientId).toBe(after.clientId);
  });
});

describe('what an answer means', () => {
  const cases: Array<[number, unknown, SendOutcome['kind'], string?]> = [
    [200, stateAfter('a', 3), 'sent'],
    [200, undefined, 'retry', 'server_error'],
    [0, undefined, 'retry', 'offline'],
    [401, undefined, 'retry', 'signed_out'],
    [408, undefined, 'retry', 'busy'],
    [429, undefined, 'retry', 'busy'],
    [400, { title: 'Invalid', errors: { delta: ['The change must be from −500 to 500.'] } }, 'failed'],
    [403, { title: 'Forbidden', detail: 'Only HQ and this shelter’s own staff may count here.' }, 'failed'],
    [404, undefined, 'failed'],
    [409, { title: 'Not open', detail: 'The shelter is not open.' }, 'failed'],
    [500, undefined, 'retry', 'server_error'],
    [503, undefined, 'retry', 'server_error'],
  ];
  it.each(cases)('%i → %s', (status, body, kind, reason) => {
    const outcome = classify(status, body);
    expect(outcome.kind).toBe(kind);
    if (reason) expect(outcome).toMatchObject({ reason });
  });
  it('keeps the server’s reason, from detail or the field messages', () => {
    expect(classify(403, { detail: 'not yours' })).toMatchObject({ problem: { status: 403, detail: 'not yours' } });
    expect(classify(400, { errors: { delta: ['must not be 0'] } })).toMatchObject({ problem: { status: 400, detail: 'must not be 0' } });
  });
  it('waits longer than the server asks after a 429', () => {
    expect(classify(429, undefined, 30)).toMatchObject({ retryAfterMs: 30_000 });
  });
});

describe('the queue in IndexedDB', () => {
  it('sends quick taps as one POST, and each later batch after it, in order, each once', async () => {
    const queue = await open();
    const server = countingServer(10);
    await queue.tap('a', 1, 0, newId);
    await queue.tap('a', 1, 300, newId);
    await queue.tap('a', 5, 600, newId);
    await queue.tap('a', -1, 2_000, newId);
    await queue.tap('a', 1, 4_000, newId);

    // While the last batch still takes taps, only the sealed ones go.
    let result = await queue.drain({ post: server.post, now: () => 4_500 });
    expect(server.posts.map((p) => p.delta)).toEqual([7, -1]);
    expect(result.pending).toBe(1);
    result = await queue.drain({ post: server.post, now: () => 5_100 });
    expect(server.posts.map((p) => p.delta)).toEqual([7, -1, 1]);
    expect(result.pending).toBe(0);
    expect(server.occupancy()).toBe(17);
    expect((await queue.confirmed('a'))?.occupancy).toBe(17);
    expect(await queue.list()).toEqual([]);
  });

  it('offline: nothing after the head is tried; back online, all go in the order tapped', async () => {
    const queue = await open();
    let online = false;
    const server = countingServer(0, () => (online ? undefined : classify(0, undefined)));
    for (const [delta, at] of [[1, 0], [5, 2_000], [-1, 4_000]] as const) await queue.tap('a', delta, at, newId);

    const offline = await queue.drain({ post: server.post, now: () => 6_000 });
    expect(offline.offline).toBe(true);
    expect(server.posts.map((p) => p.delta)).toEqual([1]);
    const head = (await queue.list())[0];
    expect(head).toMatchObject({ state: 'waiting', waitingReason: 'offline', attempts: 1 });
    expect(shownHeadCount(0, await queue.list(), 'a')).toBe(5);

    online = true;
    await queue.drain({ post: server.post, promptly: true, now: () => 6_100 });
    // The head went again under its own clientId (the server counts it once), then the rest in order.
    expect(server.posts.map((p) => p.delta)).toEqual([1, 1, 5, -1]);
    expect(server.posts[1].clientId).toBe(server.posts[0].clientId);
    expect(server.occupancy()).toBe(5);
  });

  it('a refusal other than 401/408/429 is kept with its reason, not sent again, and does not block later batches', async () => {
    const queue = await open();
    const server = countingServer(0, (batch) => (batch.delta === 2 ? classify(403, { detail: 'not your shelter' }) : undefined));
    await queue.tap('a', 2, 0, newId);
    await queue.tap('a', 3, 2_000, newId);
    await queue.drain({ post: server.post, now: () => 4_000 });
    await queue.drain({ post: server.post, promptly: true, now: () => 60_000 });
    expect(server.posts.map((p) => p.delta)).toEqual([2, 3]);
    const [failed] = await queue.list();
    expect(failed).toMatchObject({ state: 'failed', delta: 2, problem: { status: 403, detail: 'not your shelter' } });
    expect(shownHeadCount(3, await queue.list(), 'a')).toBe(3);
    await queue.discard(failed.clientId);
    expect(await queue.list()).toEqual([]);
  });

  it('a 401 waits and is sent once signed in again', async () => {
    const queue = await open();
    let signedIn = false;
    const server = countingServer(0, () => (signedIn ? undefined : classify(401, undefined)));
    await queue.tap('a', 1, 0, newId);
    await queue.drain({ post: server.post, now: () => 2_000 });
    expect((await queue.list())[0]).toMatchObject({ state: 'waiting', waitingReason: 'signed_out' });
    signedIn = true;
    await queue.drain({ post: server.post, now: () => 200_000 });
    expect(server.occupancy()).toBe(1);
    expect(await queue.list()).toEqual([]);
  });

  it('a send cut off by a reload goes again, under the same clientId, from the queue as stored', async () => {
    const name = `bousai-shelter-test-${crypto.randomUUID()}`;
    const first = await open(name);
    await first.tap('a', 4, 0, newId);
    // The page closes mid-POST: its answer never arrives.
    void first.drain({ post: () => new Promise<SendOutcome>(() => undefined), now: () => 2_000 });
    await new Promise((resolve) => setTimeout(resolve, 20));
    const [sending] = await first.list();
    expect(sending.state).toBe('sending');

    const again = await open(name);
    await again.tidy(3_000);
    const server = countingServer(0);
    await again.drain({ post: server.post, now: () => 3_000 });
    expect(server.posts.map((p) => p.clientId)).toEqual([sending.clientId]);
    expect(server.occupancy()).toBe(4);
  });

  it('keeps the newer of an answer and a live event', async () => {
    const queue = await open();
    await queue.confirm(stateAfter('a', 9, '2026-12-02T10:00:05Z'));
    await queue.confirm(stateAfter('a', 7, '2026-12-02T10:00:01Z'));
    expect((await queue.confirmed('a'))?.occupancy).toBe(9);
  });
});
