// When the public hub cannot be reached (WebSockets and SignalR's fallbacks blocked by a network or a proxy), the page
// still moves on: it asks for /public/situation.json every 30 s with If-None-Match (the server answers 304 while
// nothing changed) and loads what it gets as a snapshot. It is the hub's own snapshot message, the same JSON.
import type { SituationMessage, SituationSnapshot } from '../core/live/situationMessages';

export type PollResult = 'updated' | 'unchanged' | 'failed';

export interface SnapshotPoller {
  /** Asks now, then every interval, until stopped; starting a running poller does nothing. */
  start(): void;
  stop(): void;
  readonly running: boolean;
}

export interface SnapshotPollerOptions {
  url?: string;
  intervalMs?: number;
  fetch?: (input: string, init: RequestInit) => Promise<Response>;
  snapshot(snapshot: SituationSnapshot): void;
  result?(result: PollResult): void;
}

export const pollIntervalMs = 30_000;

export function snapshotPoller(options: SnapshotPollerOptions): SnapshotPoller {
  const url = options.url ?? '/public/situation.json';
  const intervalMs = options.intervalMs ?? pollIntervalMs;
  const get = options.fetch ?? ((input: string, init: RequestInit) => fetch(input, init));
  let etag: string | null = null;
  let timer: ReturnType<typeof setTimeout> | undefined;
  let running = false;
  let generation = 0;

  const poll = async (mine: number) => {
    let result: PollResult;
    try {
      const headers: Record<string, string> = { Accept: 'application/json' };
      if (etag) headers['If-None-Match'] = etag;
      const response = await get(url, { headers, credentials: 'same-origin', cache: 'no-cache' });
      if (response.status === 304) {
        result = 'unchanged';
      } else if (response.ok) {
        const message = (await response.json()) as SituationMessage;
        if (message.type !== 'snapshot') throw new Error(`${url}: not a snapshot (${message.type})`);
        if (mine !== generation) return;
        etag = response.headers.get('ETag');
        options.snapshot(message.snapshot);
        result = 'updated';
      } else {
        throw new Error(`${url}: HTTP ${response.status}`);
      }
    } catch (error) {
      console.warn('public snapshot could not be fetched', error);
      result = 'failed';
    }
    if (mine !== generation) return;
    options.result?.(result);
    timer = setTimeout(() => void poll(mine), intervalMs);
  };

  return {
    start() {
      if (running) return;
      running = true;
      void poll(++generation);
    },
    stop() {
      running = false;
      generation++;
      clearTimeout(timer);
      timer = undefined;
    },
    get running() {
      return running;
    },
  };
}
