// The count queue's rules, pure: how taps join into one batch, when a batch may go, and what an answer means. No I/O
// here, so a table of cases tests it (test/shelterQueue.test.ts).
import type { ShelterState } from '../core/live/situationMessages';

export type CountState = 'open' | 'waiting' | 'sending' | 'failed';

/** Why a batch is still waiting: said on screen, so the staff know whether to do anything. */
export type WaitingReason = 'queued' | 'offline' | 'signed_out' | 'busy' | 'server_error';

/** The server's refusal (RFC 9457) as the batch keeps it. */
export interface CountProblem {
  status: number;
  title?: string;
  detail?: string;
}

/** People counted in (+) or out (−) at one shelter within about a second: one POST with its own clientId. */
export interface CountBatch {
  clientId: string;
  shelterId: string;
  delta: number;
  /** Place in the queue: batches go strictly in this order. */
  seq: number;
  state: CountState;
  createdAt: number;
  /** The last tap joined in; the batch is sealed once `coalesceMs` have passed since. */
  lastTapAt: number;
  attempts: number;
  nextAttemptAt: number;
  waitingReason?: WaitingReason;
  problem?: CountProblem;
}

/** Taps closer together than this join one batch. */
export const coalesceMs = 1_000;
/** The server takes a delta from −500 to 500. */
export const maxDelta = 500;

/**
 * A tap of `delta` at `shelterId`, given the queue's newest batch: that batch grown (taps within a second, same
 * shelter, never sent, staying within ±500), or a new batch. A batch that comes to 0 stays (sending 0 is refused):
 * `remove` says the caller deletes it.
 */
export function tapped(
  newest: CountBatch | undefined,
  shelterId: string,
  delta: number,
  now: number,
  newClientId: () => string,
): { batch: CountBatch; remove: boolean } {
  if (newest && joins(newest, shelterId, delta, now)) {
    const sum = newest.delta + delta;
    return { batch: { ...newest, delta: sum, lastTapAt: now }, remove: sum === 0 };
  }
  return {
    batch: {
      clientId: newClientId(),
      shelterId,
      delta,
      seq: (newest?.seq ?? 0) + 1,
      state: 'open',
      createdAt: now,
      lastTapAt: now,
      attempts: 0,
      nextAttemptAt: now + coalesceMs,
    },
    remove: false,
  };
}

function joins(batch: CountBatch, shelterId: string, delta: number, now: number): boolean {
  return (
    batch.state === 'open' &&
    batch.attempts === 0 &&
    batch.shelterId === shelterId &&
    now - batch.lastTapAt < coalesceMs &&
    Math.abs(batch.delta + delta) <= maxDelta
  );
}

/** Still counting taps in, or waiting its turn: not yet confirmed, not refused. */
export function isPending(batch: CountBatch): boolean {
  return batch.state !== 'failed';
}

/** A batch's state with the time applied: an open batch whose last tap is a second old is sealed (waiting). */
export function sealed(batch: CountBatch, now: number): CountBatch {
  return batch.state === 'open' && now - batch.lastTapAt >= coalesceMs ? { ...batch, state: 'waiting', waitingReason: 'queued' } : batch;
}

/**
 * The batch to send next, from all batches in queue order: the first pending one, and only when it is sealed and due
 * (`promptly`, back online, ignores the backoff). Never a later one while an earlier one waits: the order of the
 * taps is the order the server counts them in.
 */
export function nextToSend(batches: readonly CountBatch[], now: number, promptly = false): CountBatch | undefined {
  const head = [...batches].sort((a, b) => a.seq - b.seq).find(isPending);
  if (!head) return undefined;
  const current = sealed(head, now);
  if (current.state !== 'waiting') return undefined;
  return promptly || current.nextAttemptAt <= now ? current : undefined;
}

/** Taken for one POST. */
export function claim(batch: CountBatch): CountBatch {
  return { ...batch, state: 'sending', attempts: batch.attempts + 1 };
}

/** A send cut off by a reload: waiting again (the server's idempotency by clientId makes a repeat safe). */
export function recovered(batch: CountBatch, now: number): CountBatch {
  return batch.state === 'sending' ? { ...batch, state: 'waiting', waitingReason: 'queued', nextAttemptAt: now } : batch;
}

export type SendOutcome =
  | { kind: 'sent'; state: ShelterState }
  | { kind: 'failed'; problem: CountProblem }
  | { kind: 'retry'; reason: Exclude<WaitingReason, 'queued'>; retryAfterMs?: number; problem?: CountProblem };

// 2 s, 4 s, 8 s … doubling up to 2 minutes, with ±20 % jitter: a count is small and the entrance is busy.
const firstRetryMs = 2_000;
const longestRetryMs = 2 * 60_000;

export function backoffMs(attempts: number, random: () => number = Math.random): number {
  const base = Math.min(longestRetryMs, firstRetryMs * 2 ** Math.max(0, attempts - 1));
  return Math.round(base * (0.8 + 0.4 * random()));
}

/** The answer applied: undefined means confirmed (the batch leaves the queue). */
export function settle(batch: CountBatch, outcome: SendOutcome, now: number, random: () => number = Math.random): CountBatch | undefined {
  if (outcome.kind === 'sent') return undefined;
  if (outcome.kind === 'failed') return { ...batch, state: 'failed', problem: outcome.problem, waitingReason: undefined };
  const wait = Math.max(backoffMs(batch.attempts, random), outcome.retryAfterMs ?? 0);
  return { ...batch, state: 'waiting', waitingReason: outcome.reason, problem: outcome.problem, nextAttemptAt: now + wait };
}

/** Statuses after which the server may take the count later; every other 4xx is a refusal that repeating won't change. */
const temporary = new Set([408, 425, 429]);

/** What an answer to POST /api/shelters/{id}/count means; `body` is its parsed JSON (undefined when it had none). */
export function classify(status: number, body: unknown, retryAfterSeconds?: number): SendOutcome {
  if (status === 200 || status === 201) {
    const state = body as Partial<ShelterState> | undefined;
    // A 2xx without the state (an answer cut short) confirms nothing: asking again under the same clientId is safe.
    if (state && typeof state.occupancy === 'number' && typeof state.shelterId === 'string' && typeof state.open === 'boolean') {
      return { kind: 'sent', state: state as ShelterState };
    }
    return { kind: 'retry', reason: 'server_error' };
  }
  if (status === 0) return { kind: 'retry', reason: 'offline' };
  const problem = problemOf(status, body);
  if (status === 401) return { kind: 'retry', reason: 'signed_out', problem };
  if (temporary.has(status)) {
    return { kind: 'retry', reason: 'busy', problem, retryAfterMs: retryAfterSeconds === undefined ? undefined : retryAfterSeconds * 1000 };
  }
  if (status >= 400 && status < 500) return { kind: 'failed', problem };
  return { kind: 'retry', reason: 'server_error', problem };
}

function problemOf(status: number, body: unknown): CountProblem {
  const p = (typeof body === 'object' && body !== null ? body : {}) as { title?: unknown; detail?: unknown; errors?: unknown };
  let detail = typeof p.detail === 'string' ? p.detail : undefined;
  if (detail === undefined && typeof p.errors === 'object' && p.errors !== null) {
    detail = Object.values(p.errors as Record<string, unknown>)
      .flat()
      .filter((m): m is string => typeof m === 'string')
      .join(' ') || undefined;
  }
  return { status, title: typeof p.title === 'string' ? p.title : undefined, detail };
}

/** What the page shows as the head count: the server's confirmed figure and every batch not yet confirmed (never below 0). */
export function shownHeadCount(confirmed: number, batches: readonly CountBatch[], shelterId: string): number {
  const pending = batches.filter((b) => b.shelterId === shelterId && isPending(b)).reduce((sum, b) => sum + b.delta, 0);
  return Math.max(0, confirmed + pending);
}
