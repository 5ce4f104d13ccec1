// The outbox's rules, pure: which answer means what, how long to wait before trying again, and which state an item
// may move to. No I/O here, so a table of cases tests it (test/outboxRules.test.ts).
import type { NewReport } from './report';

export type OutboxState = 'waiting' | 'sending' | 'sent' | 'failed';

/** Why an item is still waiting: said on screen, so the crew knows whether to do anything. */
export type WaitingReason = 'queued' | 'offline' | 'signed_out' | 'busy' | 'server_error';

/** The server's problem details (RFC 9457) as the item keeps them. */
export interface OutboxProblem {
  status: number;
  title?: string;
  detail?: string;
  /** Messages by the server's field names ("latitude", "photos[2]"). */
  fields: Record<string, string[]>;
}

/** A photo after shrinking on the phone: JPEG bytes (ArrayBuffer: every browser's IndexedDB stores it). */
export interface OutboxPhoto {
  bytes: ArrayBuffer;
  type: string;
  width: number;
  height: number;
  /** A small data: URL to show (the page's CSP allows data: images, not blob:). */
  preview: string;
}

export interface OutboxItem {
  clientId: string;
  report: NewReport;
  photos: OutboxPhoto[];
  state: OutboxState;
  /** POSTs started for this content. */
  attempts: number;
  /** Epoch ms before which the item is not tried again on its own (going online tries at once). */
  nextAttemptAt: number;
  createdAt: number;
  /** When the current send began; set only while sending. */
  sendingSince?: number;
  waitingReason?: WaitingReason;
  /** The server's number, once it confirmed. */
  reportId?: number;
  sentAt?: number;
  /** Why the server refused it (failed), or the last temporary refusal (waiting). */
  problem?: OutboxProblem;
}

/** What one POST came to. */
export type SendOutcome =
  | { kind: 'sent'; reportId: number }
  | { kind: 'failed'; problem: OutboxProblem }
  | { kind: 'retry'; reason: Exclude<WaitingReason, 'queued'>; retryAfterMs?: number; problem?: OutboxProblem };

/** The moves an item may make; anything else is a bug the outbox refuses. */
const moves: Record<OutboxState, readonly OutboxState[]> = {
  // Claimed by the page or the service worker for one POST; or confirmed by a send that began before the item was
  // reset (a reload while the service worker was sending).
  waiting: ['sending', 'sent'],
  // The answer; or back to waiting when the send was cut off (a crash, a reload) or the answer says "later".
  sending: ['sent', 'failed', 'waiting'],
  // Edited and resent. Otherwise it stays until discarded.
  failed: ['waiting'],
  sent: [],
};

export function canMove(from: OutboxState, to: OutboxState): boolean {
  return moves[from].includes(to);
}

function move(item: OutboxItem, to: OutboxState, changes: Partial<OutboxItem>): OutboxItem {
  if (!canMove(item.state, to)) throw new Error(`outbox item ${item.clientId}: ${item.state} → ${to} is not a move`);
  return { ...item, ...changes, state: to };
}

/** A new item: waiting, due at once. */
export function queued(report: NewReport, photos: OutboxPhoto[], now: number): OutboxItem {
  return { clientId: report.clientId, report, photos, state: 'waiting', attempts: 0, nextAttemptAt: now, createdAt: now, waitingReason: 'queued' };
}

/** Whether a waiting item should be tried now; `promptly` (back online, a sync event) ignores the backoff. */
export function isDue(item: OutboxItem, now: number, promptly = false): boolean {
  return item.state === 'waiting' && (promptly || item.nextAttemptAt <= now);
}

/** Taken for one POST. */
export function claim(item: OutboxItem, now: number): OutboxItem {
  return move(item, 'sending', { attempts: item.attempts + 1, sendingSince: now });
}

// 5 s, 10 s, 20 s … doubling up to 10 minutes, with ±20 % jitter so a town's phones do not all come back at once.
const firstRetryMs = 5_000;
const longestRetryMs = 10 * 60_000;

/** The wait before the next try after `attempts` failed ones. */
export function backoffMs(attempts: number, random: () => number = Math.random): number {
  const base = Math.min(longestRetryMs, firstRetryMs * 2 ** Math.max(0, attempts - 1));
  return Math.round(base * (0.8 + 0.4 * random()));
}

/** The answer applied. A send whose claim is no longer current (its item was reset meanwhile) changes nothing but a confirmation. */
export function settle(item: OutboxItem, attempt: number, outcome: SendOutcome, now: number, random: () => number = Math.random): OutboxItem {
  if (outcome.kind === 'sent') {
    // The server has it, whoever asked: true even if this item was reset to waiting meanwhile.
    if (!canMove(item.state, 'sent')) return item;
    return move(item, 'sent', { reportId: outcome.reportId, sentAt: now, sendingSince: undefined, problem: undefined, waitingReason: undefined });
  }
  if (item.state !== 'sending' || item.attempts !== attempt) return item;
  if (outcome.kind === 'failed') {
    return move(item, 'failed', { problem: outcome.problem, sendingSince: undefined, waitingReason: undefined });
  }
  const wait = Math.max(backoffMs(item.attempts, random), outcome.retryAfterMs ?? 0);
  return move(item, 'waiting', {
    waitingReason: outcome.reason,
    problem: outcome.problem,
    nextAttemptAt: now + wait,
    sendingSince: undefined,
  });
}

/** A send cut off by a crash or a reload: try again (the server's idempotency by clientId makes a repeat safe). */
export function recovered(item: OutboxItem, now: number): OutboxItem {
  if (item.state !== 'sending') return item;
  return move(item, 'waiting', { sendingSince: undefined, nextAttemptAt: now, waitingReason: 'queued' });
}

/**
 * A failed item fixed by the crew: waiting again with the new content. It keeps its clientId (a refused report left
 * nothing on the server) unless the refusal was a 409: then that id is taken by other content, and this is a new report.
 */
export function resent(item: OutboxItem, report: Omit<NewReport, 'clientId'>, photos: OutboxPhoto[], now: number, newClientId: () => string): OutboxItem {
  const clientId = item.problem?.status === 409 ? newClientId() : item.clientId;
  return move(item, 'waiting', {
    clientId,
    report: { ...report, clientId },
    photos,
    attempts: 0,
    nextAttemptAt: now,
    problem: undefined,
    waitingReason: 'queued',
  });
}

/** Statuses the server sends when it may take the report later: try again, with backoff. */
const temporary = new Set([408, 425, 429]);

/** What an answer to POST /api/reports means; `body` is its parsed JSON (undefined when it had none). */
export function classify(status: number, body: unknown, retryAfterSeconds?: number): SendOutcome {
  if (status === 200 || status === 201) {
    const reportId = (body as { reportId?: unknown } | undefined)?.reportId;
    // A 2xx without the report (an answer cut short, a page in between) confirms nothing: asking again is safe.
    if (typeof reportId === 'number' && Number.isInteger(reportId)) return { kind: 'sent', reportId };
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

function problemOf(status: number, body: unknown): OutboxProblem {
  const p = (typeof body === 'object' && body !== null ? body : {}) as { title?: unknown; detail?: unknown; errors?: unknown };
  const fields: Record<string, string[]> = {};
  if (typeof p.errors === 'object' && p.errors !== null) {
    for (const [name, messages] of Object.entries(p.errors as Record<string, unknown>)) {
      const list = (Array.isArray(messages) ? messages : [messages]).filter((m): m is string => typeof m === 'string');
      if (list.length > 0) fields[name] = list;
    }
  }
  return {
    status,
    title: typeof p.title === 'string' ? p.title : undefined,
    detail: typeof p.detail === 'string' ? p.detail : undefined,
    fields,
  };
}
