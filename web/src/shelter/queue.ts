// The on-device count queue: tap batches in IndexedDB (database bousai-shelter) until the server has counted them,
// through reloads and restarts, and the last state the server confirmed for each shelter (shown offline). Batches
// are sent one at a time in the order they were tapped; a later batch never overtakes an earlier one.
import { openDB, type DBSchema, type IDBPDatabase } from 'idb';
import type { ShelterState } from '../core/live/situationMessages';
import { claim, coalesceMs, nextToSend, recovered, settle, tapped, type CountBatch, type SendOutcome } from './queueRules';

export const databaseName = 'bousai-shelter';
const channelName = 'bousai-shelter-queue';

interface ShelterDatabase extends DBSchema {
  counts: { key: string; value: CountBatch; indexes: { bySeq: number } };
  confirmed: { key: string; value: ShelterState };
}

export type PostCount = (batch: CountBatch) => Promise<SendOutcome>;

export interface DrainResult {
  /** Batches still pending (open or waiting) afterwards. */
  pending: number;
  /** When to look again (epoch ms): the head's backoff or its sealing; undefined when nothing waits. */
  nextAt?: number;
  offline: boolean;
}

export class CountQueue {
  private readonly listeners = new Set<() => void>();
  private readonly channel: BroadcastChannel | null;
  private draining: Promise<DrainResult> | null = null;

  private constructor(private readonly db: IDBPDatabase<ShelterDatabase>) {
    // Another tab of the page counts into the same queue.
    this.channel = typeof BroadcastChannel === 'function' ? new BroadcastChannel(channelName) : null;
    this.channel?.addEventListener('message', () => this.notifyHere());
  }

  static async open(name = databaseName): Promise<CountQueue> {
    const db = await openDB<ShelterDatabase>(name, 1, {
      upgrade(database) {
        database.createObjectStore('counts', { keyPath: 'clientId' }).createIndex('bySeq', 'seq');
        database.createObjectStore('confirmed', { keyPath: 'shelterId' });
      },
    });
    return new CountQueue(db);
  }

  /** Oldest first (queue order). */
  list(): Promise<CountBatch[]> {
    return this.db.getAllFromIndex('counts', 'bySeq');
  }

  /** One tap of `delta`: joins the newest batch when it is under a second old, else starts one. In one transaction. */
  async tap(shelterId: string, delta: number, now = Date.now(), newClientId: () => string = () => crypto.randomUUID()): Promise<CountBatch> {
    const tx = this.db.transaction('counts', 'readwrite');
    const cursor = await tx.store.index('bySeq').openCursor(null, 'prev');
    const { batch, remove } = tapped(cursor?.value, shelterId, delta, now, newClientId);
    if (remove) await tx.store.delete(batch.clientId);
    else await tx.store.put(batch);
    await tx.done;
    this.changed();
    return batch;
  }

  /** A refused batch let go by the staff (it was never counted). */
  async discard(clientId: string): Promise<void> {
    const tx = this.db.transaction('counts', 'readwrite');
    const batch = await tx.store.get(clientId);
    if (batch?.state === 'failed') await tx.store.delete(clientId);
    await tx.done;
    this.changed();
  }

  confirmed(shelterId: string): Promise<ShelterState | undefined> {
    return this.db.get('confirmed', shelterId);
  }

  /** Keeps the newer of what is stored and `state` (by updatedAt): answers and live events arrive in any order. */
  async confirm(state: ShelterState): Promise<void> {
    const tx = this.db.transaction('confirmed', 'readwrite');
    const stored = await tx.store.get(state.shelterId);
    const older = stored?.updatedAt && state.updatedAt && Date.parse(state.updatedAt) < Date.parse(stored.updatedAt);
    if (!older) await tx.store.put({ ...state });
    await tx.done;
    if (!older) this.changed();
  }

  /** At start: a send cut off by a reload goes back to waiting. */
  async tidy(now = Date.now()): Promise<void> {
    for (const batch of await this.list()) {
      if (batch.state === 'sending') await this.replace(batch.clientId, (b) => recovered(b, now));
    }
  }

  /** Sends the queue's head, then the next, until one must wait. A call made while one runs shares it, unless it asks for promptness. */
  drain(options: { promptly?: boolean; post: PostCount; now?: () => number }): Promise<DrainResult> {
    if (this.draining && !options.promptly) return this.draining;
    const previous = this.draining ?? Promise.resolve();
    const current: Promise<DrainResult> = previous
      .catch(() => undefined)
      .then(() => this.drainOnce(options))
      .finally(() => {
        if (this.draining === current) this.draining = null;
      });
    this.draining = current;
    return current;
  }

  private async drainOnce({ promptly = false, post, now = Date.now }: { promptly?: boolean; post: PostCount; now?: () => number }): Promise<DrainResult> {
    let offline = false;
    for (;;) {
      let claimed: CountBatch | undefined;
      const tx = this.db.transaction('counts', 'readwrite');
      const head = nextToSend(await tx.store.index('bySeq').getAll(), now(), promptly);
      if (head) await tx.store.put((claimed = claim(head)));
      await tx.done;
      if (!claimed) break;
      this.changed();
      const outcome = await post(claimed);
      if (outcome.kind === 'sent') await this.confirm(outcome.state);
      await this.replace(claimed.clientId, (b) => settle(b, outcome, now()));
      if (outcome.kind === 'retry') {
        offline = outcome.reason === 'offline';
        break;
      }
    }
    const pending = (await this.list()).filter((b) => b.state === 'open' || b.state === 'waiting');
    const head = pending[0];
    const nextAt = head === undefined ? undefined : head.state === 'open' ? head.lastTapAt + coalesceMs : head.nextAttemptAt;
    return { pending: pending.length, nextAt, offline };
  }

  /** Calls `listener` after every change here or in another tab; returns what stops that. */
  onChange(listener: () => void): () => void {
    this.listeners.add(listener);
    return () => this.listeners.delete(listener);
  }

  close(): void {
    this.channel?.close();
    this.db.close();
  }

  /** `change` returns the new batch, or undefined to delete it. */
  private async replace(clientId: string, change: (batch: CountBatch) => CountBatch | undefined): Promise<void> {
    const tx = this.db.transaction('counts', 'readwrite');
    const batch = await tx.store.get(clientId);
    if (batch) {
      const next = change(batch);
      if (next === undefined) await tx.store.delete(clientId);
      else await tx.store.put(next);
    }
    await tx.done;
    this.changed();
  }

  private changed(): void {
    this.channel?.postMessage('changed');
    this.notifyHere();
  }

  private notifyHere(): void {
    [...this.listeners].forEach((listener) => listener());
  }
}
