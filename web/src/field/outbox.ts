// The on-device outbox: reports and their photos in IndexedDB (database bousai-field), kept until the server has
// confirmed them, through closed tabs, reloads and restarts. The page and the service worker both send from it; each
// POST is claimed in a transaction first, so one copy of the app sends an item at a time.
import { openDB, type DBSchema, type IDBPDatabase } from 'idb';
import { claim, isDue, recovered, settle, type OutboxItem } from './outboxRules';
import { postReport, type Post } from './sender';

export const databaseName = 'bousai-field';
const channelName = 'bousai-field-outbox';
/** Sent items stay listed this long (the number is also under "My reports"). */
const keepSentMs = 3 * 24 * 3_600_000;

interface FieldDatabase extends DBSchema {
  outbox: { key: string; value: OutboxItem; indexes: { byCreated: number } };
}

export interface DrainResult {
  /** Items still waiting afterwards. */
  waiting: number;
  /** The earliest time one of them is due (epoch ms); undefined when none waits. */
  nextAttemptAt?: number;
  /** True when the network was down: the rest were not tried. */
  offline: boolean;
}

export class Outbox {
  private readonly listeners = new Set<() => void>();
  private readonly channel: BroadcastChannel | null;
  private draining: Promise<DrainResult> | null = null;

  private constructor(private readonly db: IDBPDatabase<FieldDatabase>) {
    // Changes made by the service worker or another tab arrive here.
    this.channel = typeof BroadcastChannel === 'function' ? new BroadcastChannel(channelName) : null;
    this.channel?.addEventListener('message', () => this.notifyHere());
  }

  static async open(name = databaseName): Promise<Outbox> {
    const db = await openDB<FieldDatabase>(name, 1, {
      upgrade(database) {
        const store = database.createObjectStore('outbox', { keyPath: 'clientId' });
        store.createIndex('byCreated', 'createdAt');
      },
    });
    return new Outbox(db);
  }

  /** The IndexedDB database's name: another Outbox opened on it sees the same items. */
  get name(): string {
    return this.db.name;
  }

  /** Newest first. */
  async list(): Promise<OutboxItem[]> {
    return (await this.db.getAllFromIndex('outbox', 'byCreated')).reverse();
  }

  get(clientId: string): Promise<OutboxItem | undefined> {
    return this.db.get('outbox', clientId);
  }

  async add(item: OutboxItem): Promise<void> {
    await this.db.add('outbox', item);
    this.changed();
  }

  /**
   * Changes one item in a single transaction: `change` gets what is stored now and returns the new item, or undefined
   * to leave it. Returns what is stored afterwards (undefined when there is no such item).
   */
  async update(clientId: string, change: (item: OutboxItem) => OutboxItem | undefined): Promise<OutboxItem | undefined> {
    const tx = this.db.transaction('outbox', 'readwrite');
    const item = await tx.store.get(clientId);
    const next = item === undefined ? undefined : change(item);
    if (item !== undefined && next !== undefined && next !== item) {
      if (next.clientId !== clientId) await tx.store.delete(clientId);
      await tx.store.put(next);
    }
    await tx.done;
    if (next !== undefined && next !== item) this.changed();
    return next ?? item;
  }

  async remove(clientId: string): Promise<void> {
    await this.db.delete('outbox', clientId);
    this.changed();
  }

  /**
   * At start: sends cut off by a crash or a reload go back to waiting, and sent items older than a few days leave
   * the list.
   */
  async tidy(now: number): Promise<void> {
    for (const item of await this.list()) {
      if (item.state === 'sending') await this.update(item.clientId, (stored) => recovered(stored, now));
      else if (item.state === 'sent' && (item.sentAt ?? item.createdAt) < now - keepSentMs) await this.remove(item.clientId);
    }
  }

  /**
   * Sends every waiting item that is due (all of them when `promptly`: back online, a sync event), oldest first,
   * one at a time. A call made while one runs shares it, unless it asks for promptness: then it runs after it.
   */
  drain(options: { promptly?: boolean; post?: Post; now?: () => number } = {}): Promise<DrainResult> {
    if (this.draining && !options.promptly) return this.draining;
    // Back online during a run that met no network: once it ends, run again without waiting out the backoff.
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

  private async drainOnce({ promptly = false, post = postReport, now = Date.now }: { promptly?: boolean; post?: Post; now?: () => number }): Promise<DrainResult> {
    let offline = false;
    const oldestFirst = (await this.list()).reverse();
    for (const { clientId } of oldestFirst) {
      let claimed: OutboxItem | undefined;
      await this.update(clientId, (item) => (isDue(item, now(), promptly) ? (claimed = claim(item, now())) : undefined));
      // Not due, or taken by the service worker or another tab first.
      if (claimed === undefined) continue;
      const outcome = await post(claimed);
      await this.update(clientId, (item) => settle(item, claimed!.attempts, outcome, now()));
      if (outcome.kind === 'retry' && outcome.reason === 'offline') {
        offline = true;
        break;
      }
    }
    const waiting = (await this.list()).filter((item) => item.state === 'waiting');
    const next = waiting.length > 0 ? Math.min(...waiting.map((item) => item.nextAttemptAt)) : undefined;
    return { waiting: waiting.length, nextAttemptAt: next, offline };
  }

  /** Calls `listener` after every change here or in another copy of the app; returns what stops that. */
  onChange(listener: () => void): () => void {
    this.listeners.add(listener);
    return () => this.listeners.delete(listener);
  }

  close(): void {
    this.channel?.close();
    this.db.close();
  }

  private changed(): void {
    this.channel?.postMessage('changed');
    this.notifyHere();
  }

  private notifyHere(): void {
    [...this.listeners].forEach((listener) => listener());
  }
}
